/**
 * Prefill: FLOPs and time to process a prompt, and the time to first token. Derivations in
 * docs/physics.md § "Prefill and TTFT".
 */
import type { ModelSpec } from '../catalog/types';
import { BANDWIDTH_EFFICIENCY, fixedOverhead, PREFILL_MFU } from './efficiency';
import { kvBytesPerToken, windowedLayers } from './kv';
import { allReduceSecondsPerStep, type ParallelLayout } from './parallel';
import { peakFor } from './peak';
import type { EstimateInput, PrefillEstimate } from './types';
import { decodeWeightRead } from './weights';

/** Σ_{i=1..P} min(i, w): cached tokens each prompt position attends to under a causal (windowed) mask. */
export function causalPairs(prompt: number, window = Infinity): number {
	const p = Math.max(0, prompt);
	if (p <= window) return (p * (p + 1)) / 2;
	return (window * (window + 1)) / 2 + (p - window) * window;
}

/** Attention FLOPs of a whole prompt (QKᵀ and AV, causal, window-capped). */
export function prefillAttentionFlops(model: ModelSpec, prompt: number): number {
	const w = windowedLayers(model);
	const pairs = (model.layers - w.layers) * causalPairs(prompt) + w.layers * causalPairs(prompt, w.window);
	if (model.mla) {
		// Prefill runs MLA un-absorbed: per-head q·k over nope+rope dims and p·v over v dims.
		const qk = model.mla.nopeHeadDim + model.mla.ropeHeadDim;
		return 2 * model.heads * (qk + model.mla.vHeadDim) * pairs;
	}
	return 4 * model.heads * model.headDim * pairs;
}

export function estimatePrefill(
	input: EstimateInput,
	layout: ParallelLayout,
	firstDecodeStepSeconds: number,
	notes: string[],
): PrefillEstimate {
	const { model, weights, hardware } = input;
	const prompt = Math.max(1, input.prompt);
	const cls = hardware.deviceClass;
	const read = decodeWeightRead(model, weights, prompt);
	const flops = 2 * read.paramsPerToken * prompt + prefillAttentionFlops(model, prompt);
	const bytes = read.bytes + prompt * kvBytesPerToken(model, input.kvDtype);
	const tp = layout.tensorParallel;
	const peak = peakFor(hardware, weights.computeDtype);
	const mfu = PREFILL_MFU[cls];
	// One prompt passes the pipeline stages in turn, so only TP adds parallel silicon.
	const computeSeconds = peak.flopsPerSecond > 0 ? flops / (peak.flopsPerSecond * mfu * tp) : 0;
	const memSeconds = bytes / (hardware.bandwidthGBs * 1e9 * BANDWIDTH_EFFICIENCY[cls] * tp);
	if (peak.flopsPerSecond <= 0)
		notes.push('no peak FLOPS: prefill time counts memory traffic only (a lower bound)');
	const fixed = fixedOverhead(input.engine, cls, model.layers).seconds;
	const allReduce = allReduceSecondsPerStep(model, hardware, tp, prompt);
	const seconds = Math.max(computeSeconds, memSeconds) + allReduce + fixed;
	return {
		flops,
		bytes,
		seconds,
		ttftSeconds: seconds + firstDecodeStepSeconds,
		tokensPerSecond: prompt / seconds,
		bound: computeSeconds >= memSeconds ? 'compute' : 'memory',
	};
}
