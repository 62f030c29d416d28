/**
 * Parameter counts from architecture dimensions, with the convention of model-specs.md:
 * embeddings + untied lm_head + attention (incl. biases, qk-norm, sinks) + gated MLP (3·H·I) or
 * MoE (experts, router, shared experts) + norms. "Active" counts embedding and lm_head too.
 */
import type { MlaSpec, MoeSpec } from './types';

export interface ParamShape {
	layers: number;
	hidden: number;
	/** Dense MLP width (DeepSeek's first dense layers, Llama 4's intermediate_size_mlp). */
	intermediate: number;
	heads: number;
	kvHeads: number;
	headDim: number;
	vocab: number;
	tiedEmbeddings: boolean;
	moe?: MoeSpec;
	/** Width of each shared expert; defaults to moe.expertIntermediate. */
	sharedExpertIntermediate?: number;
	mla?: MlaSpec;
	qkvBias?: boolean;
	/** Bias on the output projection too (gpt-oss `attention_bias`). */
	oBias?: boolean;
	qkNorm?: boolean;
	/** Per-head attention sink logits (gpt-oss). */
	sinks?: boolean;
	/** Biases on expert and router projections (gpt-oss). */
	expertBias?: boolean;
	/** Router score-correction bias per expert (DeepSeek-V3 noaux_tc). */
	routerBias?: boolean;
	normsPerLayer?: number;
}

function attention(s: ParamShape): number {
	const H = s.hidden;
	if (s.mla) {
		const m = s.mla;
		const qk = m.nopeHeadDim + m.ropeHeadDim;
		const q = m.qLoraRank ? H * m.qLoraRank + m.qLoraRank + m.qLoraRank * s.heads * qk : H * s.heads * qk;
		const kv =
			H * (m.kvLoraRank + m.ropeHeadDim) +
			m.kvLoraRank +
			m.kvLoraRank * s.heads * (m.nopeHeadDim + m.vHeadDim);
		return q + kv + s.heads * m.vHeadDim * H;
	}
	const q = s.heads * s.headDim;
	const kv = s.kvHeads * s.headDim;
	let n = H * q + 2 * H * kv + q * H;
	if (s.qkvBias) n += q + 2 * kv;
	if (s.oBias) n += H;
	if (s.qkNorm) n += 2 * s.headDim;
	if (s.sinks) n += s.heads;
	return n;
}

function isMoeLayer(s: ParamShape, i: number): boolean {
	const m = s.moe;
	if (!m || i < m.firstDenseLayers) return false;
	return (i - m.firstDenseLayers + 1) % m.layerStep === 0;
}

/** Total and per-token active parameters. */
export function countParams(s: ParamShape): { total: number; active: number } {
	const H = s.hidden;
	const embed = s.vocab * H;
	// Embedding and lm_head count as active (the lm_head is read every token); tied = one matrix.
	let total = embed * (s.tiedEmbeddings ? 1 : 2) + H;
	let active = total;
	const perLayerFixed = attention(s) + (s.normsPerLayer ?? 2) * H;
	for (let i = 0; i < s.layers; i++) {
		total += perLayerFixed;
		active += perLayerFixed;
		if (!isMoeLayer(s, i)) {
			total += 3 * H * s.intermediate;
			active += 3 * H * s.intermediate;
			continue;
		}
		const m = s.moe!;
		const expert = 3 * H * m.expertIntermediate + (s.expertBias ? 2 * m.expertIntermediate + H : 0);
		const shared = m.sharedExperts * 3 * H * (s.sharedExpertIntermediate ?? m.expertIntermediate);
		const router = H * m.experts + (s.expertBias || s.routerBias ? m.experts : 0);
		total += m.experts * expert + shared + router;
		active += m.expertsPerToken * expert + shared + router;
	}
	return { total, active };
}
