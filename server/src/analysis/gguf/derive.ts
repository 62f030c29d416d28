/**
 * Model facts from a GGUF header: the `{arch}.*` hyper-parameters llama.cpp writes
 * (gguf-py/gguf/constants.py Keys.LLM / Keys.Attention) and what the tensor infos say about storage.
 */
import type { ModelSpec } from '../catalog/types';
import { ggmlTensorBytes, ggufFileTypeName, ggufTypeName } from './ggmlTypes';
import type { GgufHeader, GgufValue } from './reader';

export interface GgufFacts {
	architecture?: string;
	name?: string;
	blockCount?: number;
	embeddingLength?: number;
	feedForwardLength?: number;
	headCount?: number;
	headCountKv?: number;
	keyLength?: number;
	valueLength?: number;
	contextLength?: number;
	vocabSize?: number;
	expertCount?: number;
	expertUsedCount?: number;
	expertFeedForwardLength?: number;
	expertSharedCount?: number;
	leadingDenseBlocks?: number;
	slidingWindow?: number;
	/** Layers that use the sliding window (from the SWA pattern), when known. */
	slidingWindowLayers?: number;
	/** Multi-head latent attention (DeepSeek V2/V3 `attention.kv_lora_rank`). */
	mla?: {
		kvLoraRank: number;
		qLoraRank?: number;
		ropeHeadDim: number;
		nopeHeadDim: number;
		vHeadDim: number;
	};
	/** general.file_type as the llama-quantize preset name (`Q4_K_M`). */
	fileType?: string;
	/** The ggml type holding most of the weight bytes (`Q4_K`). */
	dominantType?: string;
	/** Effective bits per weight over all tensors (bytes × 8 / elements). */
	bitsPerWeight?: number;
	paramCount?: number;
	tensorBytes?: number;
	/** Element count of routed-expert tensors (`*_exps`), for active-parameter estimates. */
	expertParams?: number;
	hasOutputTensor?: boolean;
	/** Facts that came from per-layer arrays or guesses, said out loud. */
	notes: string[];
}

function num(v: GgufValue | undefined): number | undefined {
	if (typeof v === 'number') return v;
	if (typeof v === 'bigint') return Number(v);
	return undefined;
}

/** A per-layer array (OpenELM, hybrid models) is summarised by its largest entry. */
function numOrMax(v: GgufValue | undefined, key: string, notes: string[]): number | undefined {
	if (v && typeof v === 'object' && v.kind === 'array') {
		const xs = v.values.map((x) => num(x)).filter((x): x is number => x !== undefined);
		if (xs.length === 0) return undefined;
		const max = Math.max(...xs);
		if (xs.some((x) => x !== max))
			notes.push(`${key} varies per layer (${Math.min(...xs)}–${max}); using ${max}`);
		return max;
	}
	return num(v);
}

export function deriveGgufFacts(h: GgufHeader): GgufFacts {
	const md = h.metadata;
	const notes: string[] = [];
	const arch =
		typeof md.get('general.architecture') === 'string'
			? (md.get('general.architecture') as string)
			: undefined;
	const a = (k: string) => (arch ? md.get(`${arch}.${k}`) : undefined);
	const facts: GgufFacts = { architecture: arch, notes };
	const name = md.get('general.name');
	if (typeof name === 'string') facts.name = name;
	facts.blockCount = num(a('block_count'));
	facts.embeddingLength = num(a('embedding_length'));
	facts.feedForwardLength = numOrMax(a('feed_forward_length'), 'feed_forward_length', notes);
	facts.headCount = numOrMax(a('attention.head_count'), 'head_count', notes);
	facts.headCountKv = numOrMax(a('attention.head_count_kv'), 'head_count_kv', notes);
	facts.keyLength = num(a('attention.key_length'));
	facts.valueLength = num(a('attention.value_length'));
	facts.contextLength = num(a('context_length'));
	facts.expertCount = num(a('expert_count'));
	facts.expertUsedCount = num(a('expert_used_count'));
	facts.expertFeedForwardLength = num(a('expert_feed_forward_length'));
	facts.expertSharedCount = num(a('expert_shared_count'));
	facts.leadingDenseBlocks = num(a('leading_dense_block_count'));
	facts.slidingWindow = num(a('attention.sliding_window'));
	if (facts.slidingWindow)
		facts.slidingWindowLayers = swaLayers(
			arch,
			a('attention.sliding_window_pattern'),
			facts.blockCount,
			notes,
		);
	facts.mla = mlaOf(a, facts);
	const ft = num(md.get('general.file_type'));
	if (ft !== undefined) facts.fileType = ggufFileTypeName(ft) ?? `file type ${ft}`;
	const tokens = md.get('tokenizer.ggml.tokens');
	if (tokens && typeof tokens === 'object' && tokens.kind === 'array') facts.vocabSize = tokens.length;
	facts.vocabSize ??= num(a('vocab_size'));
	addTensorFacts(h, facts);
	return facts;
}

/**
 * How many layers use the window. The pattern key is an int N (every N-th layer is global) or a bool per
 * layer; files without it use llama.cpp's per-architecture pattern (src/llama-model.cpp: gemma2 2,
 * gemma3 6, cohere2 4).
 */
function swaLayers(
	arch: string | undefined,
	pattern: GgufValue | undefined,
	layers: number | undefined,
	notes: string[],
): number | undefined {
	if (layers === undefined) return undefined;
	if (pattern && typeof pattern === 'object' && pattern.kind === 'array' && !pattern.partial)
		return pattern.values.filter((v) => v === true).length;
	const fallback: Record<string, number> = { gemma2: 2, gemma3: 6, cohere2: 4 };
	const n = num(pattern) ?? (arch ? fallback[arch] : undefined);
	if (!n) {
		notes.push('sliding window without a layer pattern: all layers treated as full attention');
		return undefined;
	}
	return layers - Math.floor(layers / n);
}

/** MLA dims: newer files write key/value_length_mla; older ones only the per-head key/value lengths. */
function mlaOf(a: (k: string) => GgufValue | undefined, f: GgufFacts): GgufFacts['mla'] {
	const kvLoraRank = num(a('attention.kv_lora_rank'));
	const rope = num(a('rope.dimension_count'));
	if (!kvLoraRank || !rope) return undefined;
	const keyLen = num(a('attention.key_length_mla')) ?? f.keyLength;
	const vHeadDim = num(a('attention.value_length_mla')) ?? f.valueLength;
	if (!keyLen || !vHeadDim) return undefined;
	return {
		kvLoraRank,
		qLoraRank: num(a('attention.q_lora_rank')),
		ropeHeadDim: rope,
		nopeHeadDim: keyLen - rope,
		vHeadDim,
	};
}

function addTensorFacts(h: GgufHeader, facts: GgufFacts): void {
	if (h.tensors.length === 0) return;
	const bytesByType = new Map<number, number>();
	let elements = 0;
	let bytes = 0;
	let expertParams = 0;
	let unknownTypes = 0;
	for (const t of h.tensors) {
		elements += t.elements;
		if (t.name.includes('_exps')) expertParams += t.elements;
		const b = ggmlTensorBytes(t.type, t.elements);
		if (b === undefined) {
			unknownTypes++;
			continue;
		}
		bytes += b;
		bytesByType.set(t.type, (bytesByType.get(t.type) ?? 0) + b);
		if (t.name === 'token_embd.weight' && facts.vocabSize === undefined && t.dims.length === 2)
			facts.vocabSize = t.dims[1];
	}
	facts.hasOutputTensor = h.tensors.some((t) => t.name === 'output.weight');
	facts.paramCount = elements;
	facts.tensorBytes = bytes;
	if (expertParams > 0) facts.expertParams = expertParams;
	let best: [number, number] | undefined;
	for (const e of bytesByType) if (!best || e[1] > best[1]) best = e;
	if (best) facts.dominantType = ggufTypeName(best[0]);
	if (elements > 0 && unknownTypes === 0) facts.bitsPerWeight = (bytes * 8) / elements;
	if (unknownTypes > 0) facts.notes.push(`${unknownTypes} tensors use ggml types this reader does not know`);
	if (!h.tensorInfosComplete) facts.notes.push('tensor list incomplete: sizes cover only the tensors read');
}

/** Lower-case format id for the catalog: the file-type preset, else the dominant tensor type. */
export function ggufFormatId(facts: GgufFacts): string | undefined {
	const ft = facts.fileType;
	if (ft && !ft.startsWith('file type')) return ft.toLowerCase();
	return facts.dominantType?.toLowerCase();
}

/** A ModelSpec when the header has the hyper-parameters the physics needs; else the missing keys. */
export function ggufModelSpec(facts: GgufFacts, id: string): ModelSpec | { missing: string[] } {
	const need = {
		architecture: facts.architecture,
		block_count: facts.blockCount,
		embedding_length: facts.embeddingLength,
		'attention.head_count': facts.headCount,
		vocab: facts.vocabSize,
	};
	const missing = Object.entries(need)
		.filter(([, v]) => v === undefined)
		.map(([k]) => k);
	if (missing.length) return { missing };
	const heads = facts.headCount!;
	const hidden = facts.embeddingLength!;
	const headDim = facts.keyLength ?? Math.round(hidden / heads);
	const total = facts.paramCount ?? 0;
	const spec: ModelSpec = {
		id,
		architecture: facts.architecture!,
		layers: facts.blockCount!,
		hidden,
		intermediate: facts.feedForwardLength ?? 0,
		heads,
		kvHeads: facts.headCountKv ?? heads,
		headDim,
		vocab: facts.vocabSize!,
		tiedEmbeddings: facts.hasOutputTensor === false,
		maxContext: facts.contextLength ?? 0,
		paramsTotal: total,
		paramsActive: total,
		sources: [`GGUF header of ${id}`],
		origin: 'gguf',
	};
	if (facts.expertCount && facts.expertUsedCount) {
		spec.moe = {
			experts: facts.expertCount,
			expertsPerToken: facts.expertUsedCount,
			sharedExperts: facts.expertSharedCount ?? 0,
			expertIntermediate: facts.expertFeedForwardLength ?? facts.feedForwardLength ?? 0,
			firstDenseLayers: facts.leadingDenseBlocks ?? 0,
			layerStep: 1,
		};
		// Only the routed top-k of the expert tensors is read per token.
		if (facts.expertParams)
			spec.paramsActive = total - facts.expertParams * (1 - facts.expertUsedCount / facts.expertCount);
	}
	if (facts.mla) {
		spec.mla = facts.mla;
		spec.headDim = facts.mla.nopeHeadDim + facts.mla.ropeHeadDim;
	}
	if (facts.slidingWindow && facts.slidingWindowLayers)
		spec.slidingWindow = { window: facts.slidingWindow, layers: facts.slidingWindowLayers };
	if (facts.notes.length) spec.notes = facts.notes.join('; ');
	return spec;
}

/** One line for hovers and localModelInfo.summary. */
export function ggufSummary(facts: GgufFacts): string {
	const parts: string[] = [];
	if (facts.name) parts.push(facts.name);
	if (facts.architecture) parts.push(`arch ${facts.architecture}`);
	if (facts.blockCount !== undefined) parts.push(`${facts.blockCount} layers`);
	if (facts.headCount !== undefined)
		parts.push(`${facts.headCount} heads / ${facts.headCountKv ?? facts.headCount} KV`);
	if (facts.embeddingLength !== undefined) parts.push(`hidden ${facts.embeddingLength}`);
	if (facts.contextLength !== undefined) parts.push(`ctx ${facts.contextLength}`);
	if (facts.expertCount) parts.push(`${facts.expertUsedCount ?? '?'}/${facts.expertCount} experts`);
	if (facts.fileType) parts.push(facts.fileType);
	if (facts.bitsPerWeight !== undefined) parts.push(`${facts.bitsPerWeight.toFixed(2)} bits/weight`);
	if (facts.paramCount) parts.push(`${(facts.paramCount / 1e9).toFixed(2)} B params`);
	return parts.join(', ');
}
