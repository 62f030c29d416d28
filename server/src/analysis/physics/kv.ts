/**
 * KV-cache sizes. Derivations in docs/physics.md § "KV cache".
 */
import type { KvDtypeSpec, ModelSpec } from '../catalog/types';

/**
 * Elements one token adds to one layer's cache: K and V of every KV head (MHA/GQA/MQA: 2·kvHeads·headDim),
 * or for MLA the single compressed latent plus the decoupled RoPE key (kvLoraRank + ropeHeadDim).
 */
export function kvElementsPerTokenPerLayer(model: ModelSpec): number {
	if (model.mla) return model.mla.kvLoraRank + model.mla.ropeHeadDim;
	return 2 * model.kvHeads * model.headDim;
}

/** KV bytes one token adds across all layers (no window cap). */
export function kvBytesPerToken(model: ModelSpec, kv: KvDtypeSpec): number {
	return kvElementsPerTokenPerLayer(model) * model.layers * kv.bytesPerElement;
}

/** Layers whose cache is capped by a sliding/chunked window, and the window. */
export function windowedLayers(model: ModelSpec): { layers: number; window: number } {
	const sw = model.slidingWindow;
	if (!sw || sw.window <= 0 || sw.layers <= 0) return { layers: 0, window: 0 };
	return { layers: Math.min(sw.layers, model.layers), window: sw.window };
}

/** Linear-attention (Gated DeltaNet) layers of a hybrid model: they hold no KV cache. */
export function linearAttentionLayers(model: ModelSpec): number {
	const n = model.linearAttention?.layers ?? 0;
	return Math.max(0, Math.min(n, model.layers));
}

/**
 * Tokens held in cache summed over layers for one sequence at context C: full layers hold C tokens,
 * windowed layers hold min(C, window), linear-attention layers none (a fixed recurrent state instead).
 */
export function kvLayerTokens(model: ModelSpec, context: number): number {
	const w = windowedLayers(model);
	const c = Math.max(0, context);
	const full = Math.max(0, model.layers - w.layers - linearAttentionLayers(model));
	return full * c + w.layers * Math.min(c, w.window);
}

/**
 * Bytes of one sequence's recurrent state in a hybrid model's linear-attention layers: per layer the Gated
 * DeltaNet state of valueHeads × keyHeadDim × valueHeadDim and the conv1d window of (convKernel − 1) ×
 * (2·keyHeads·keyHeadDim + valueHeads·valueHeadDim), both f32 in llama.cpp (hparams.n_embd_s() / n_embd_r(),
 * llama-memory-recurrent.cpp allocates them as F32). Independent of context.
 */
export function recurrentStateBytes(model: ModelSpec): number {
	const la = model.linearAttention;
	const layers = linearAttentionLayers(model);
	if (!la || layers === 0) return 0;
	const state = la.valueHeads * la.keyHeadDim * la.valueHeadDim;
	const conv = (la.convKernel - 1) * (2 * la.keyHeads * la.keyHeadDim + la.valueHeads * la.valueHeadDim);
	return layers * (state + conv) * 4;
}

/** KV bytes of one sequence at context C (window-capped). */
export function kvBytesForSequence(model: ModelSpec, kv: KvDtypeSpec, context: number): number {
	return kvElementsPerTokenPerLayer(model) * kv.bytesPerElement * kvLayerTokens(model, context);
}

/** KV bytes for B sequences of C tokens. */
export function kvBytesForBatch(model: ModelSpec, kv: KvDtypeSpec, batch: number, context: number): number {
	return batch * kvBytesForSequence(model, kv, context);
}

/**
 * Largest context C (≤ limit) whose per-sequence KV fits `bytesPerSequence`. KV(C) is non-decreasing and
 * piecewise linear, so a binary search over integers is exact.
 */
export function maxContextForBytes(
	model: ModelSpec,
	kv: KvDtypeSpec,
	bytesPerSequence: number,
	limit: number,
): number {
	if (bytesPerSequence <= 0 || limit <= 0) return 0;
	if (kvBytesForSequence(model, kv, limit) <= bytesPerSequence) return limit;
	let lo = 0;
	let hi = limit;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (kvBytesForSequence(model, kv, mid) <= bytesPerSequence) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}
