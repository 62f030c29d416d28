/**
 * vLLM's profile-run activation peak: the MLP's live set over the profiled tokens, or V1's dummy sampler run over
 * max_num_seqs rows of the vocabulary, whichever is larger (Worker.profile_run / gpu_model_runner._dummy_sampler_run).
 */
import chosen from '../../../../data/vllm-memory-constants.json';
import type { ModelSpec } from '../../catalog/types';
import type { VllmGeneration } from './vllmVersion';

/** Chosen by `npm run calibrate` (cli/accuracy/vllmMemoryConstants.ts) into server/data/vllm-memory-constants.json. */
export const VLLM_V1_SAMPLER_BYTES_PER_LOGIT = chosen.constants.samplerBytesPerLogit.value;
/**
 * The most favourable bytes per logit the ledger has measured: a plan that fits with it is borderline, not
 * refused (vllm.ts) — a false "does not fit" is worse than a missed one.
 */
export const VLLM_V1_SAMPLER_BYTES_PER_LOGIT_LOW = Math.min(
	...chosen.constants.samplerBytesPerLogit.rows.map((r) => r.value),
);

/**
 * Peak of the profiling forward pass over `tokens` tokens, bytes, on one worker. The largest live set is
 * inside the MLP: the residual, the normed input and the attention output (3 × hidden) beside gate_up
 * (2 × intermediate) and the activation output (intermediate), in the model's 2-byte dtype. MoE layers keep
 * fused_moe's three intermediate caches per routed token instead. The sampler runs after the MLP has been
 * freed over min(max_num_seqs, tokens) rows of the vocabulary, so the peak is the larger of the two.
 */
export function activationPeakBytes(
	model: ModelSpec,
	tokens: number,
	seqs: number,
	tp: number,
	gen: VllmGeneration = 'v1',
	v1BytesPerLogit = VLLM_V1_SAMPLER_BYTES_PER_LOGIT,
): number {
	// V0 samples the profile batch's logits in the model dtype; V1 runs its full sampler over max_num_seqs rows.
	const perLogit = gen === 'v1' ? v1BytesPerLogit : 2;
	return Math.max(
		mlpPeakBytes(model, tokens, tp),
		samplerFixedBytes(model, tokens) + samplerLogits(model, tokens, seqs) * perLogit,
	);
}

/** The MLP's live set over `tokens` tokens on one worker (see activationPeakBytes). */
export function mlpPeakBytes(model: ModelSpec, tokens: number, tp: number): number {
	const h = model.hidden;
	if (model.moe) {
		const k = model.moe.expertsPerToken;
		const n = model.moe.expertIntermediate / tp;
		const shared = (model.moe.sharedExperts * model.moe.expertIntermediate * 3) / tp;
		return tokens * (3 * h + k * (2 * n + n + h) + shared) * 2;
	}
	return tokens * (3 * h + (3 * model.intermediate) / tp) * 2;
}

/** Logit elements the profile's sampler run holds: min(max_num_seqs, tokens) rows × vocabulary. */
export function samplerLogits(model: ModelSpec, tokens: number, seqs: number): number {
	return Math.min(seqs, tokens) * model.vocab;
}

/** What stays allocated beside the sampler: the last hidden states of the profile batch (2 bytes each). */
export function samplerFixedBytes(model: ModelSpec, tokens: number): number {
	return tokens * model.hidden * 2;
}
