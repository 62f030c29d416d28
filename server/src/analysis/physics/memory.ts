/**
 * Memory: what each device holds (weights, KV, runtime overhead), what the engine lets itself use, and
 * whether the workload fits. Derivations in docs/physics.md § "Memory".
 */
import type { ModelSpec } from '../catalog/types';
import { kvBytesForSequence, kvBytesPerToken, maxContextForBytes } from './kv';
import { deviceMemoryBytes, engineVisibleMemory, memoryPlanFor, type MemoryPlan } from './memoryPlan';
import { metalWorkingSetFraction } from './memoryPlan/device';
import { llamaCppUsesSwa } from './memoryPlan/llamacpp';
import { ollamaBudget, ollamaReserve } from './memoryOllama';
import { kvReplication, type ParallelLayout } from './parallel';
import type { EstimateInput, MemoryEstimate } from './types';
import { routedExpertPaddingBytes, weightBytes } from './weights';

const GB = 1e9;
const GIB = 1024 ** 3;

/** Runtime overhead constants (bytes), documented in docs/physics.md § "Runtime overhead". */
export const OVERHEAD = {
	cudaContextBytes: 0.6 * GB, // CUDA context + cuBLAS/cuDNN workspaces ("non-torch" memory)
	llamaCppCudaContextBytes: 0.35 * GB, // llama.cpp loads fewer libraries than PyTorch
	cudaGraphBytes: 0.5 * GB, // vLLM logs 0.3–1 GiB for graph capture
	ncclBytes: 0.3 * GB, // NCCL buffers when TP ≥ 2
	vllmMaxBatchedTokens: 8192, // vLLM V1 default max_num_batched_tokens on GPUs
	vllmMaxSeqs: 256, // default max_num_seqs: logits buffer
	llamaCppUbatch: 512, // llama.cpp default -ub
	webRuntimeBytes: 0.25 * GB, // ONNX Runtime Web / WebGPU device
	llamaCppFitMarginBytes: GIB, // llama.cpp --fit target margin per device
	defaultGpuMemoryUtilization: 0.9,
	trtFreeFraction: 0.9, // TRT-LLM kv_cache_free_gpu_mem_fraction
	osReserveFraction: 0.1, // host RAM left for the OS (at least osReserveMinBytes)
	osReserveMinBytes: 2 * GB,
} as const;

/** Activation working set of `tokens` tokens in flight: hidden and MLP intermediates, 2 bytes each. */
function activationBytes(model: ModelSpec, tokens: number, bytesPerValue = 2): number {
	const inter = model.moe ? model.moe.expertIntermediate * model.moe.expertsPerToken : model.intermediate;
	return tokens * (4 * model.hidden + 2 * inter) * bytesPerValue;
}

export interface Overhead {
	bytes: number;
	parts: string[];
}

/** Runtime overhead per device, by engine and device class. */
export function runtimeOverhead(input: EstimateInput, layout: ParallelLayout): Overhead {
	const { model, engine, hardware } = input;
	const cls = hardware.deviceClass;
	const cudaLike = cls === 'gpu' || cls === 'accelerator';
	const parts: string[] = [];
	let bytes = 0;
	const add = (b: number, what: string) => {
		bytes += b;
		parts.push(`${what} ${(b / GB).toFixed(2)} GB`);
	};
	const tp = layout.tensorParallel;
	// transformers with torch.compile holds the same PyTorch runtime as eager transformers.
	const torch = engine === 'pytorch' || engine === 'pytorch-compiled';
	if (['dataflow', 'in-memory', 'sram', 'hardwired'].includes(cls))
		return { bytes: 0, parts: ['vendor runtime: not modeled (0)'] };
	if (engine === 'vllm' || engine === 'sglang' || engine === 'trt-llm' || torch) {
		if (cudaLike) add(OVERHEAD.cudaContextBytes, 'CUDA context + library workspaces');
		if (!torch && cudaLike) add(OVERHEAD.cudaGraphBytes, 'CUDA graphs');
		const tokens = torch
			? input.batch * Math.max(1, input.prompt)
			: (input.maxBatchedTokens ?? OVERHEAD.vllmMaxBatchedTokens);
		add(activationBytes(model, tokens) / tp, `activation peak (${tokens} tokens)`);
		const seqs = torch ? input.batch : OVERHEAD.vllmMaxSeqs;
		add(seqs * model.vocab * 4, `fp32 logits (${seqs} sequences)`);
		if (tp > 1) add(OVERHEAD.ncclBytes, 'NCCL buffers');
	} else if (engine === 'llama.cpp' || engine === 'ollama' || engine === 'mlc') {
		if (cudaLike) add(OVERHEAD.llamaCppCudaContextBytes, 'CUDA context');
		const ub = OVERHEAD.llamaCppUbatch;
		add(
			ub * (model.vocab + 4 * model.hidden + 2 * model.intermediate) * 4,
			`compute buffer (ubatch ${ub}, f32)`,
		);
	} else {
		add(OVERHEAD.webRuntimeBytes, 'ONNX Runtime + device');
		add(activationBytes(model, input.batch * Math.max(1, input.prompt), 4), 'prompt activations (f32)');
	}
	return { bytes, parts };
}

export interface Budget {
	bytes: number;
	rule: string;
}

/** What the engine lets itself use per device. */
export function memoryBudget(input: EstimateInput, weightsPerDevice: number, overheadBytes: number): Budget {
	const hw = input.hardware;
	const cap = deviceMemoryBytes(hw);
	const visible = engineVisibleMemory(hw);
	const cls = hw.deviceClass;
	const e = input.engine;
	const gibLabel = (b: number) => `${(b / GIB).toFixed(2)} GiB`;
	if (e === 'sglang' && (cls === 'gpu' || cls === 'accelerator')) {
		// SGLang's mem_fraction_static covers weights + KV pool only; activations, CUDA graphs and the
		// context live in the rest, so the KV pool is fraction × memory - weights (server_args.py).
		const f = input.gpuMemoryUtilization ?? 0.88;
		return {
			bytes: f * cap + overheadBytes,
			rule: `sglang mem_fraction_static ${f.toFixed(3)} × ${hw.memoryGB} GB holds weights + KV pool; runtime overhead sits outside it`,
		};
	}
	if ((e === 'vllm' || e === 'sglang') && (cls === 'gpu' || cls === 'accelerator')) {
		const u = input.gpuMemoryUtilization ?? OVERHEAD.defaultGpuMemoryUtilization;
		return {
			bytes: u * visible.bytes,
			rule: `${e} gpu_memory_utilization ${u.toFixed(2)} × ${gibLabel(visible.bytes)} (${visible.rule})`,
		};
	}
	if (e === 'trt-llm' && (cls === 'gpu' || cls === 'accelerator')) {
		const free = Math.max(0, cap - weightsPerDevice - overheadBytes);
		return {
			bytes: weightsPerDevice + overheadBytes + OVERHEAD.trtFreeFraction * free,
			rule: `TRT-LLM: weights + overhead + ${OVERHEAD.trtFreeFraction} of the free memory`,
		};
	}
	if (e === 'transformers.js' && cls === 'cpu') {
		// WASM: the module's linear memory (4 GiB max) is the whole budget; the browser's own use is outside it.
		return { bytes: cap, rule: `transformers.js (WASM): the ${gibLabel(cap)} runtime memory limit` };
	}
	if (cls === 'apple-gpu') {
		// macOS lets the GPU wire about 2/3 of RAM up to 36 GiB machines and 3/4 above (recommendedMaxWorkingSetSize).
		const f = metalWorkingSetFraction(cap);
		return {
			bytes: f * cap,
			rule: `Metal recommendedMaxWorkingSetSize ≈ ${f === 0.75 ? '3/4' : '2/3'} of ${gibLabel(cap)} unified memory`,
		};
	}
	if (cls === 'unified-gpu')
		return { bytes: 0.75 * cap, rule: `GPU share of unified memory ≈ 3/4 of ${gibLabel(cap)}` };
	if (cls === 'cpu') {
		const reserve = Math.max(OVERHEAD.osReserveMinBytes, OVERHEAD.osReserveFraction * cap);
		return {
			bytes: Math.max(0, cap - reserve),
			rule: `${gibLabel(cap)} RAM minus ${gibLabel(reserve)} for the OS`,
		};
	}
	if ((e === 'llama.cpp' || e === 'ollama') && cls === 'gpu') {
		return {
			bytes: Math.max(0, visible.bytes - OVERHEAD.llamaCppFitMarginBytes),
			rule: `${gibLabel(visible.bytes)} (${visible.rule}) minus llama.cpp's 1 GiB fit margin`,
		};
	}
	// A capacity tier behind device memory (SambaNova SN40L's DDR5) holds what does not fit in HBM; decode
	// then streams those weights from it (accelerator.ts weightTier), so fitting there is slow, not fatal.
	const tier = hw.capacityMemory;
	if (tier)
		return {
			bytes: 0.95 * cap + tier.gb * 1e9,
			rule: `95 % of ${gibLabel(cap)} ${hw.memoryType} + the ${tier.gb} GB ${tier.type} capacity tier (${tier.source})`,
		};
	return { bytes: 0.95 * cap, rule: `95 % of ${gibLabel(cap)}` };
}

/** Fraction of layers llama.cpp keeps on the accelerator (1 = all). */
export function offloadFraction(input: EstimateInput): number {
	if (input.gpuLayers === undefined) return 1;
	if (input.hardware.deviceClass === 'cpu') return 1;
	return Math.max(0, Math.min(1, input.gpuLayers / input.model.layers));
}

export function estimateMemory(input: EstimateInput, layout: ParallelLayout): MemoryEstimate {
	const { weights, kvDtype, hardware } = input;
	// llama.cpp and Ollama keep a full-length cache for sliding-window models they build no iSWA cache for
	// (Mistral v0.1, Phi-3): the KV they allocate is not window-capped (memoryPlan/llamacpp.ts).
	const model =
		(input.engine === 'llama.cpp' || input.engine === 'ollama') &&
		input.model.slidingWindow &&
		!llamaCppUsesSwa(input.model)
			? { ...input.model, slidingWindow: undefined }
			: input.model;
	const shards = layout.tensorParallel * layout.pipelineParallel;
	// vLLM pads MXFP4 experts to its MoE kernel's tile sizes at load time (weights.ts).
	const padding =
		input.engine === 'vllm' && hardware.deviceClass === 'gpu'
			? routedExpertPaddingBytes(model, weights, layout.tensorParallel)
			: 0;
	const total = weightBytes(model, weights) + padding;
	const onDevice = offloadFraction(input);
	const weightsPerDevice = (total * onDevice) / shards;
	const hostBytes = onDevice < 1 ? total * (1 - onDevice) : undefined;
	const perToken = kvBytesPerToken(model, kvDtype);
	const kvTotal = input.batch * kvBytesForSequence(model, kvDtype, input.context);
	const replication = kvReplication(model, layout.tensorParallel);
	const kvShare = (onDevice * replication) / shards;
	const kvPerDevice = kvTotal * kvShare;
	const plan: MemoryPlan | undefined = memoryPlanFor(
		input,
		weightsPerDevice,
		total,
		layout.tensorParallel,
		layout.pipelineParallel,
	);
	// vLLM on a GPU: overhead and budget are the plan's, so the KV budget is vLLM's "Available KV cache memory".
	const overhead =
		plan?.engine === 'vllm'
			? {
					bytes:
						plan.activationPeakBytes +
						plan.nonTorchBytes +
						(plan.cudaGraphInBudget ? plan.cudaGraphBytes : 0),
					parts: [
						`activation peak ${(plan.activationPeakBytes / GIB).toFixed(2)} GiB (profile run over ${plan.profileTokens} tokens)`,
						`non-torch memory ${(plan.nonTorchBytes / GIB).toFixed(2)} GiB`,
						plan.cudaGraphInBudget
							? `CUDA graphs ≈ ${(plan.cudaGraphBytes / GIB).toFixed(2)} GiB (taken from the KV budget from vLLM 0.21.0)`
							: `CUDA graphs ≈ ${(plan.cudaGraphBytes / GIB).toFixed(2)} GiB from the 1 − utilization headroom (not the KV pool)`,
					],
				}
			: plan?.engine === 'ollama'
				? ollamaReserve(plan, plan.library, plan.bufferLayerBytes)
				: runtimeOverhead(input, layout);
	const budget =
		plan?.engine === 'ollama'
			? ollamaBudget(plan.freeBytes, engineVisibleMemory(hardware).rule, plan.library === 'metal')
			: memoryBudget(input, weightsPerDevice, overhead.bytes);
	const kvBudget = Math.max(0, budget.bytes - weightsPerDevice - overhead.bytes);
	const weightsFit = weightsPerDevice + overhead.bytes <= budget.bytes;
	const fits = weightsFit && kvPerDevice <= kvBudget;
	const limit = input.maxContext ?? model.maxContext;
	const perSeqBudget = kvShare > 0 ? kvBudget / kvShare : Infinity;
	const maxContextAtBatch = weightsFit
		? maxContextForBytes(model, kvDtype, perSeqBudget / input.batch, limit)
		: 0;
	const perSeq = kvBytesForSequence(model, kvDtype, input.context);
	const maxBatchAtContext = !weightsFit
		? 0
		: perSeq * kvShare <= 0
			? Number.MAX_SAFE_INTEGER
			: Math.floor(kvBudget / (perSeq * kvShare));
	return {
		weightsBytes: total,
		weightsBytesPerDevice: weightsPerDevice,
		kvBytesPerToken: perToken,
		kvBytes: kvTotal,
		kvBytesPerDevice: kvPerDevice,
		runtimeOverheadBytesPerDevice: overhead.bytes,
		totalBytesPerDevice: weightsPerDevice + kvPerDevice + overhead.bytes,
		capacityBytesPerDevice: deviceMemoryBytes(hardware),
		budgetBytesPerDevice: budget.bytes,
		kvBudgetBytesPerDevice: kvBudget,
		fits,
		weightsFit,
		maxContextAtBatch,
		maxBatchAtContext,
		hostBytes,
		overheadBreakdown: overhead.parts,
		budgetRule: budget.rule,
		tensorParallel: layout.tensorParallel,
		pipelineParallel: layout.pipelineParallel,
		plan,
	};
}

/** Largest context one of `batch` sequences can hold (convenience for rules and fixes). */
export function maxContextThatFits(input: EstimateInput, layout: ParallelLayout, batch: number): number {
	return estimateMemory({ ...input, batch }, layout).maxContextAtBatch;
}

/** Largest batch at `context` tokens per sequence. */
export function maxBatchAtContext(input: EstimateInput, layout: ParallelLayout, context: number): number {
	return estimateMemory({ ...input, context }, layout).maxBatchAtContext;
}
