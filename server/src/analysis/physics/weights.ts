/**
 * Weight bytes: how many parameters sit in which tensors, and at what precision each is stored.
 * Derivations in docs/physics.md § "Weights".
 */
import type { FormatSpec, ModelSpec } from '../catalog/types';
import { expectedExpertsTouched, moeSplit } from './moe';

/** GGUF presets store the output (lm_head) tensor as Q6_K when the body is coarser. */
export const GGUF_OUTPUT_BITS = 6.5625;
/** Bits per weight of pure ggml block types; a preset whose bpw is one of these is a body-type figure. */
const PURE_GGUF_BPW = [32, 16, 9, 8.5, 6.5625, 6, 5.5, 5, 4.5, 4.25, 3.4375, 3.0625, 2.625, 2.5625, 2.3125];
/** Weight-only quantizers (AWQ, GPTQ, bitsandbytes, FP8/NVFP4/MXFP4 checkpoints) leave these in 16-bit. */
const HIGH_PRECISION_BITS = 16;

export interface TensorParams {
	/** Everything except the token embedding and the output head. */
	body: number;
	/** Token embedding rows (vocab × hidden); gathered, not streamed, at decode. */
	embedding: number;
	/** Output projection (vocab × hidden); 0 when tied to the embedding. */
	lmHead: number;
	tied: boolean;
}

export function tensorParams(model: ModelSpec): TensorParams {
	const vh = model.vocab * model.hidden;
	const tied = model.tiedEmbeddings;
	const headTensors = tied ? 1 : 2;
	// Guard against specs whose total is smaller than the embedding tensors (bad user catalog rows).
	const body = Math.max(0, model.paramsTotal - headTensors * vh);
	return { body, embedding: vh, lmHead: tied ? 0 : vh, tied };
}

export interface TensorBits {
	body: number;
	embedding: number;
	/** Precision of the tensor used as the output head (the embedding itself when tied). */
	head: number;
	rule: string;
}

/** The storage precision of each tensor group for a format (simple rules, stated in docs/physics.md). */
export function tensorBits(format: FormatSpec): TensorBits {
	const b = format.bitsPerWeight;
	if (format.family === 'gguf') {
		const pure = PURE_GGUF_BPW.some((x) => Math.abs(x - b) < 1e-6);
		if (pure && b < GGUF_OUTPUT_BITS)
			return { body: b, embedding: b, head: GGUF_OUTPUT_BITS, rule: 'GGUF: output tensor kept at Q6_K' };
		return { body: b, embedding: b, head: b, rule: 'GGUF: file-average bits per weight' };
	}
	const weightOnly = ['awq', 'gptq', 'bnb', 'int', 'nv', 'mx'].includes(format.family);
	const fp8 = format.family === 'float' && b < HIGH_PRECISION_BITS;
	if ((weightOnly || fp8) && b < HIGH_PRECISION_BITS) {
		return {
			body: b,
			embedding: HIGH_PRECISION_BITS,
			head: HIGH_PRECISION_BITS,
			rule: `${format.id}: embedding and lm_head stay 16-bit`,
		};
	}
	return { body: b, embedding: b, head: b, rule: `${format.id}: every tensor at ${b} bits` };
}

/**
 * MXFP4 MoE checkpoints (gpt-oss, `mxfp4_moe` GGUFs) quantize only the routed experts; attention, dense
 * and shared layers stay 16-bit. Returns the bits of the always-read (non-routed) body.
 */
export function nonRoutedBodyBits(model: ModelSpec, format: FormatSpec): number {
	const expertsOnly = format.family === 'mx' || format.id === 'mxfp4_moe';
	if (expertsOnly && moeSplit(model) && format.bitsPerWeight < HIGH_PRECISION_BITS)
		return HIGH_PRECISION_BITS;
	return tensorBits(format).body;
}

/** Bits of an MXFP4 block (32 FP4 values + one E8M0 scale): what `mxfp4_moe` stores the routed experts in. */
export const MXFP4_BITS = 4.25;

/**
 * A `mxfp4_moe` GGUF described by its file-average bits (file size × 8 / parameters, e.g. 4.63 for the
 * 11.27 GiB gpt-oss-20b file) stores the routed experts in MXFP4 and every other tensor (attention, router,
 * embedding, output) at its own precision, which the file size gives: rest = (file bits × all − 4.25 ×
 * routed) / (all − routed), kept within [4.25, 16]. Returns undefined when the format is not such a file
 * (the catalog's nominal 4.25 carries no file size: the 16-bit rule of nonRoutedBodyBits applies).
 */
export function expertOnlyFileBits(
	model: ModelSpec,
	format: FormatSpec,
): { experts: number; rest: number } | undefined {
	if (format.id !== 'mxfp4_moe' || Math.abs(format.bitsPerWeight - MXFP4_BITS) < 1e-6) return undefined;
	const split = moeSplit(model);
	if (!split || model.paramsTotal <= split.routedParams) return undefined;
	const restParams = model.paramsTotal - split.routedParams;
	const rest = (format.bitsPerWeight * model.paramsTotal - MXFP4_BITS * split.routedParams) / restParams;
	return { experts: MXFP4_BITS, rest: Math.min(HIGH_PRECISION_BITS, Math.max(MXFP4_BITS, rest)) };
}

/** Formats that keep attention projections in 16-bit while the MLP is quantized (Meta's fbgemm_fp8 checkpoints). */
const ATTENTION_KEPT_16: ReadonlySet<string> = new Set(['fbgemm_fp8']);

/** Attention projection parameters (Q, K, V, O) over all layers; MLA's latent projections approximated as MHA. */
export function attentionParams(model: ModelSpec): number {
	const q = model.heads * model.headDim;
	const kv = model.kvHeads * model.headDim;
	return model.layers * model.hidden * (2 * q + 2 * kv);
}

/**
 * Bits of the always-read body for a format, averaged over its tensor groups: for fbgemm_fp8 the attention
 * projections stay 16-bit and only the rest is at the format's bits.
 */
function denseBodyBits(model: ModelSpec, format: FormatSpec, bodyParams: number, bits: number): number {
	if (!ATTENTION_KEPT_16.has(format.id) || bodyParams <= 0) return bits;
	const attn = Math.min(bodyParams, attentionParams(model));
	return (attn * HIGH_PRECISION_BITS + (bodyParams - attn) * bits) / bodyParams;
}

/** Bytes of weights stored (all tensors), whole model. */
export function weightBytes(model: ModelSpec, format: FormatSpec): number {
	const p = tensorParams(model);
	const bits = tensorBits(format);
	const split = moeSplit(model);
	const routed = split ? Math.min(split.routedParams, p.body) : 0;
	const rest = p.body - routed;
	const fileBits = expertOnlyFileBits(model, format);
	if (fileBits) {
		const others = rest + p.embedding + p.lmHead;
		return (routed * fileBits.experts + others * fileBits.rest) / 8;
	}
	const bodyBytes =
		routed * bits.body + rest * denseBodyBits(model, format, rest, nonRoutedBodyBits(model, format));
	if (p.tied) return (bodyBytes + p.embedding * bits.head) / 8;
	return (bodyBytes + p.embedding * bits.embedding + p.lmHead * bits.head) / 8;
}

export interface DecodeWeightRead {
	/** Weight bytes streamed per decode step for the whole batch. */
	bytes: number;
	/** Parameters each token multiplies with (FLOPs = 2 × this). */
	paramsPerToken: number;
	expertsTouchedPerLayer?: number;
}

/**
 * Weight bytes one decode step streams at batch B: the body (for MoE: always-read part plus the expected
 * touched experts), plus the output head. The embedding is a row gather of B × hidden values, counted with
 * activations instead.
 */
export function decodeWeightRead(model: ModelSpec, format: FormatSpec, batch: number): DecodeWeightRead {
	const p = tensorParams(model);
	const bits = tensorBits(format);
	const headParams = p.tied ? p.embedding : p.lmHead;
	const headBytes = (headParams * bits.head) / 8;
	const split = moeSplit(model);
	if (!split) {
		const bodyBits = denseBodyBits(model, format, p.body, bits.body);
		return { bytes: (p.body * bodyBits) / 8 + headBytes, paramsPerToken: p.body + headParams };
	}
	const always = Math.max(0, p.body - split.routedParams);
	const touched = expectedExpertsTouched(split.experts, split.expertsPerToken, batch);
	const routedRead = touched * split.paramsPerExpertAllLayers;
	const paramsPerToken = always + split.expertsPerToken * split.paramsPerExpertAllLayers + headParams;
	const fileBits = expertOnlyFileBits(model, format);
	if (fileBits) {
		return {
			bytes: (routedRead * fileBits.experts + (always + headParams) * fileBits.rest) / 8,
			paramsPerToken,
			expertsTouchedPerLayer: touched,
		};
	}
	return {
		bytes:
			(routedRead * bits.body +
				always * denseBodyBits(model, format, always, nonRoutedBodyBits(model, format))) /
				8 +
			headBytes,
		paramsPerToken,
		expertsTouchedPerLayer: touched,
	};
}
