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
	v0ChunkedPrefill = false,
): number {
	const perLogit = samplerBytesPerLogit(gen, v0ChunkedPrefill, v1BytesPerLogit);
	return Math.max(
		mlpPeakBytes(model, tokens, tp),
		samplerFixedBytes(model, tokens) + samplerLogits(model, tokens, seqs) * perLogit,
	);
}

/**
 * Bytes per logit element of the profile run's sampler. V1 runs its dummy sampler over max_num_seqs rows
 * (gpu_model_runner._dummy_sampler_run). V0's profile_run runs the full sampler too: it builds max_num_seqs
 * dummy prompts with `SamplingParams(top_p=0.99, top_k=vocab − 1)` ("Enable top-k sampling to reflect the
 * accurate memory usage", vllm/worker/model_runner.py, 0.4.x–0.10.x) and calls execute_model, whose Sampler
 * casts the logits to fp32 and keeps the sort values and int64 indices of _apply_top_k_top_p, the softmax,
 * log-softmax and the exponential noise of _multinomial: the same tensors per logit as V1's sampler, so the
 * same constant. The tuning ledger's V0 logs agree (Llama-3-8B on an H100, 0.6.5.dev, max_model_len 8192:
 * logged peak 1.26 GiB against an MLP live set of 0.86 GiB). Its one V0 log with chunked prefill on (RTX 3090,
 * 0.6.4, 35k context, 512-token profile) shows no sampler-sized peak (0.06 GiB), so with V0 chunked prefill the
 * logits are counted in the model dtype only (2 bytes), as before.
 */
export function samplerBytesPerLogit(
	gen: VllmGeneration,
	v0ChunkedPrefill: boolean,
	v1BytesPerLogit = VLLM_V1_SAMPLER_BYTES_PER_LOGIT,
): number {
	if (gen === 'v0' && v0ChunkedPrefill) return 2;
	return v1BytesPerLogit;
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
