/**
 * One memory plan per engine and version, shared by the estimator (memory.ts), the start-up check
 * (startupFit.ts), the hover, the panel and the CLI, so they all say the same thing.
 */
import type { EstimateInput } from '../types';
import { deviceMemoryBytes as deviceBytes, engineVisibleMemory, metalWorkingSetFraction } from './device';
import { llamaCppPlan, type LlamaCppPlan } from './llamacpp';
import { ollamaDefaultNumCtx, ollamaPlan, type OllamaPlan } from './ollama';
import { vllmPlan, type VllmPlan } from './vllm';
import { vllmAllReduce } from './vllmComm';
import { cudaComputeMajor } from './cudaCapability';

export type MemoryPlan = VllmPlan | LlamaCppPlan | OllamaPlan;
export type { PlanLine } from './types';
export { deviceMemoryBytes, engineVisibleMemory, CUDA_DRIVER_RESERVED_MIB } from './device';
export { vllmPlan, vllmKvPool, vllmGeneration, activationPeakBytes, VLLM_BLOCK_SIZE } from './vllm';
export type { VllmPlan, VllmPlanInput } from './vllm';
export { vllmAllReduce } from './vllmComm';
export { cudaComputeMajor } from './cudaCapability';
export {
	llamaCppKv,
	llamaCppPlan,
	llamaCppUsesSwa,
	llamaCppKvWidths,
	LLAMACPP_FIT_MARGIN_BYTES,
} from './llamacpp';
export type { LlamaCppPlan, LlamaCppKv } from './llamacpp';
export { llamaCppFit, LLAMACPP_FIT_MIN_CTX } from './llamacppFit';
export { llamaCppSplit } from './llamacppSplit';
export { llamaCppKvLayers, llamaCppKvRule, LLAMACPP_KV_RULES } from './llamacppKvRules';
export {
	ollamaEstimateLayers,
	ollamaEstimatorRules,
	ollamaDefaultNumParallel,
	ollamaPlan,
	ollamaDefaultNumCtx,
	ollamaGraphSize,
} from './ollama';
export { ollamaLayoutLayers } from './ollamaLayout';
export type { OllamaPlan, OllamaLayerResult } from './ollama';

const GIB = 1024 ** 3;

/** vLLM's arg_utils default tables: ≥ 70 GiB GPUs other than A100 get the large defaults. */
export function isBigGpu(input: Pick<EstimateInput, 'hardware'>): boolean {
	const hw = input.hardware;
	return engineVisibleMemory(hw).bytes >= 70 * GIB && !/a100/i.test(hw.id);
}

/**
 * The plan for an estimate input on GPU-class devices; undefined where the engine has no start-up plan
 * (CPU, Apple, other engines) — memory.ts keeps its generic budget there.
 */
export function memoryPlanFor(
	input: EstimateInput,
	weightsBytesPerDevice: number,
	weightsBytesTotal: number,
	tp: number,
	pp: number,
): MemoryPlan | undefined {
	const hw = input.hardware;
	if (input.engine === 'ollama' && hw.deviceClass === 'apple-gpu')
		return ollamaMetalPlan(input, weightsBytesTotal);
	if (hw.deviceClass !== 'gpu') return undefined;
	const visible = engineVisibleMemory(hw);
	const maxLen = input.maxContext ?? input.model.maxContext;
	if (input.engine === 'vllm') {
		const allReduce = vllmAllReduce(hw, tp);
		return vllmPlan({
			model: input.model,
			kvDtype: input.kvDtype,
			weightsBytesPerDevice,
			totalBytes: visible.bytes,
			totalRule: visible.rule,
			tensorParallel: tp,
			pipelineParallel: pp,
			maxModelLen: maxLen,
			gpuMemoryUtilization: input.gpuMemoryUtilization,
			maxNumBatchedTokens: input.maxBatchedTokens,
			maxNumSeqs: input.maxNumSeqs,
			bigGpu: isBigGpu(input),
			version: input.engineVersion,
			computeCapabilityMajor: cudaComputeMajor(hw),
			customAllReduce: allReduce.custom,
			nvlinkBuffers: allReduce.nvlinkBuffers,
			allReduceWhy: allReduce.why,
		});
	}
	const devices = Math.max(1, input.devices);
	if (input.engine === 'llama.cpp')
		return llamaCppPlan({
			model: input.model,
			typeK: input.kvDtype,
			nCtx: maxLen,
			weightsBytes: weightsBytesTotal,
			freeBytesPerDevice: Array.from({ length: devices }, () => visible.bytes),
			gpuLayers: input.gpuLayers,
		});
	if (input.engine === 'ollama') {
		const numCtx =
			input.maxContext ??
			ollamaDefaultNumCtx(input.engineVersion, visible.bytes * devices, input.model.maxContext).numCtx;
		return ollamaPlan({
			model: input.model,
			kvDtype: input.kvDtype,
			weightsBytes: weightsBytesTotal,
			format: input.weights,
			gpuFree: Array.from({ length: devices }, () => visible.bytes),
			library: hw.vendor === 'AMD' ? 'rocm' : 'cuda',
			numCtx,
			numGpu: input.gpuLayers,
			version: input.engineVersion,
		});
	}
	return undefined;
}

/**
 * Ollama on Apple silicon: the GPU's free memory is Metal's recommendedMaxWorkingSetSize (discover/
 * gpu_darwin.go), a share of the unified memory (device.ts), and the minimum reserve is 512 MiB.
 */
function ollamaMetalPlan(input: EstimateInput, weightsBytesTotal: number): OllamaPlan {
	const total = deviceBytes(input.hardware);
	const workingSet = total * metalWorkingSetFraction(total);
	const numCtx =
		input.maxContext ?? ollamaDefaultNumCtx(input.engineVersion, workingSet, input.model.maxContext).numCtx;
	return ollamaPlan({
		model: input.model,
		kvDtype: input.kvDtype,
		weightsBytes: weightsBytesTotal,
		format: input.weights,
		gpuFree: [workingSet],
		library: 'metal',
		numCtx,
		numGpu: input.gpuLayers,
		version: input.engineVersion,
	});
}
