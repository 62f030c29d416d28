/**
 * Per-block weight bytes of a GGUF, the sizes Ollama's estimator places one block at a time. The K-quant
 * "M" presets do not quantize every block alike: llama.cpp's llama_tensor_get_type (src/llama-quant.cpp)
 * stores attn_v and ffn_down as Q6_K in the blocks where use_more_bits(i, n) holds —
 *   i < n/8  or  i ≥ 7n/8  or  (i − n/8) % 3 == 2
 * — for Q4_K_M and Q5_K_M, so the first and last eighth of the blocks (and every third between) are
 * larger. Ollama places blocks from the last one down (0.7.0 and later), so the heavier last blocks decide
 * where the GPU fills up. Other formats: every block alike.
 */
import type { FormatSpec, ModelSpec } from '../../catalog/types';

/** Q6_K: 210 bytes per 256 weights. */
const Q6_K_BITS = 6.5625;
/** The body tensor type of each "M" preset (Q4_K 144 B / 256, Q5_K 176 B / 256). */
const M_PRESET_BASE_BITS: Record<string, number> = { q4_k_m: 4.5, q5_k_m: 5.5 };

/** llama-quant.cpp use_more_bits, with C's integer division. */
export function useMoreBits(i: number, n: number): boolean {
	const e = Math.trunc(n / 8);
	return i < e || i >= Math.trunc((7 * n) / 8) || (i - e) % 3 === 2;
}

/** Weights of block i by tensor: attention V and FFN down (the upgraded ones) and the rest. */
function blockParams(model: ModelSpec, i: number): { v: number; down: number; rest: number } {
	const q = model.heads * model.headDim;
	const kv = model.kvHeads * model.headDim;
	const moe = model.moe;
	const isMoe =
		!!moe && i >= moe.firstDenseLayers && (i - moe.firstDenseLayers) % Math.max(1, moe.layerStep) === 0;
	const ffnInter = isMoe ? moe!.expertIntermediate * (moe!.experts + moe!.sharedExperts) : model.intermediate;
	const down = ffnInter * model.hidden;
	const v = model.hidden * kv;
	const rest = model.hidden * (2 * q + kv) + 2 * down;
	return { v, down, rest };
}

/**
 * Bytes of each block, scaled so the blocks add up to `bodyBytes` (the catalog's total less the output
 * layer): the tensor types set the shape, the catalog's measured size the total.
 */
export function ggufBlockBytes(
	model: ModelSpec,
	format: FormatSpec | undefined,
	bodyBytes: number,
): number[] {
	const n = model.layers;
	const base = format ? M_PRESET_BASE_BITS[format.id] : undefined;
	const raw = Array.from({ length: n }, (_, i) => {
		const p = blockParams(model, i);
		if (base === undefined) return p.v + p.down + p.rest;
		const up = useMoreBits(i, n) ? Q6_K_BITS : base;
		return (p.v + p.down) * up + p.rest * base;
	});
	const total = raw.reduce((a, b) => a + b, 0);
	return raw.map((r) => (total > 0 ? (r / total) * bodyBytes : bodyBytes / n));
}
