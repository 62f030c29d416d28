/**
 * vLLM's V0 engine does per-sequence Python work on the critical path of every decode step: the scheduler walks
 * each running sequence group (block tables, slot allocation), the model runner builds per-sequence lists of token
 * ids, positions, slot mappings and block tables into tensors, and the sampler's output is turned into one
 * SequenceOutput per sequence. vLLM's own profile of V0 (blog "vLLM v0.6.0: 2.7x Throughput Improvement", Sep 2024:
 * Llama 3 8B on one H100, scheduling 29 % and the API server 33 % of the execution time, the GPU 38 %) is the
 * reason V1 moved this work off the step (persistent batch, incremental updates, a separate engine-core process).
 * So a V0 step costs batch × seqUs.vllm-v0 of host time on top of the GPU's; V1 steps do not.
 */
import { constant } from './calibration';
import { cudaComputeMajor } from './memoryPlan/cudaCapability';
import { vllmGeneration, type VllmGeneration } from './memoryPlan/vllmVersion';
import type { EstimateInput } from './types';

type EngineFacts = Pick<EstimateInput, 'engine' | 'engineVersion' | 'vllmEngine'> & {
	hardware?: EstimateInput['hardware'];
};

/**
 * The vLLM engine a decode step runs on, by the memory plan's rule (vllmGeneration): a stated generation where the
 * release still has it, else the pinned version's, with V0's fallback on compute capability < 8.0; unknown: V1.
 */
export function vllmEngineOf(input: EngineFacts): VllmGeneration | undefined {
	if (input.engine !== 'vllm') return undefined;
	return vllmGeneration(input.engineVersion, {
		logged: input.vllmEngine,
		computeMajor: input.hardware ? cudaComputeMajor(input.hardware) : undefined,
	}).gen;
}

/** Host seconds a V0 step spends per sequence before the GPU can run the next step (0 off V0). */
export function vllmV0HostSeconds(input: EngineFacts, batch: number): { seconds: number; reason?: string } {
	if (vllmEngineOf(input) !== 'v0') return { seconds: 0 };
	const us = constant('seqUs.vllm-v0');
	return {
		seconds: (batch * us) / 1e6,
		reason: `vLLM V0 engine: ${batch} sequence${batch === 1 ? '' : 's'} × ${Number(us.toPrecision(3))} µs of per-sequence scheduling and input/output processing per step (calibrated seqUs.vllm-v0)`,
	};
}
