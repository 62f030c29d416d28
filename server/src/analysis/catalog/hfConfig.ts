/**
 * A local Hugging Face `config.json` → ModelSpec, parameters computed from the dimensions.
 * Handles `text_config` nesting (Gemma 3, Llama 4, Mistral 3), MoE field spellings (Mixtral,
 * Qwen MoE, DeepSeek, Llama 4, gpt-oss), MLA, and sliding/chunked windows (`layer_types`,
 * Gemma 2 alternation, Gemma 3 `sliding_window_pattern`, Llama 4 `no_rope_layers`).
 */
import { countParams } from './params';
import type { ParamShape } from './params';
import type { MlaSpec, MoeSpec, ModelSpec } from './types';
import { isObject } from './validate';

type Cfg = Record<string, unknown>;

function num(c: Cfg, ...keys: string[]): number | undefined {
	for (const k of keys) {
		const v = c[k];
		if (typeof v === 'number' && Number.isFinite(v)) return v;
	}
	return undefined;
}

function moeOf(c: Cfg, modelType: string, intermediate: number): MoeSpec | undefined {
	const experts = num(c, 'num_local_experts', 'num_experts', 'n_routed_experts');
	const perToken = num(c, 'num_experts_per_tok', 'experts_per_token', 'moe_topk');
	if (!experts || experts <= 1 || !perToken) return undefined;
	const isLlama4 = modelType.startsWith('llama4');
	return {
		experts,
		expertsPerToken: perToken,
		sharedExperts:
			num(c, 'n_shared_experts', 'num_shared_experts') ??
			(isLlama4 || num(c, 'shared_expert_intermediate_size') ? 1 : 0),
		expertIntermediate: isLlama4 ? intermediate : (num(c, 'moe_intermediate_size') ?? intermediate),
		firstDenseLayers: num(c, 'first_k_dense_replace') ?? 0,
		layerStep: num(c, 'interleave_moe_layer_step', 'moe_layer_freq', 'decoder_sparse_step') ?? 1,
	};
}

function mlaOf(c: Cfg): MlaSpec | undefined {
	const kvLoraRank = num(c, 'kv_lora_rank');
	if (!kvLoraRank) return undefined;
	const rope = num(c, 'qk_rope_head_dim') ?? 64;
	const nope = num(c, 'qk_nope_head_dim') ?? 128;
	return {
		kvLoraRank,
		qLoraRank: num(c, 'q_lora_rank') ?? undefined,
		ropeHeadDim: rope,
		nopeHeadDim: nope,
		vHeadDim: num(c, 'v_head_dim') ?? nope,
	};
}

function slidingOf(c: Cfg, modelType: string, layers: number): ModelSpec['slidingWindow'] {
	const window = num(c, 'sliding_window', 'attention_chunk_size');
	if (!window) return undefined;
	const types = c.layer_types;
	if (Array.isArray(types)) {
		const n = types.filter((t) => t === 'sliding_attention' || t === 'chunked_attention').length;
		return n ? { window, layers: n } : undefined;
	}
	if (modelType.startsWith('llama4')) {
		const noRope = c.no_rope_layers;
		const n = Array.isArray(noRope) ? noRope.filter((v) => v === 1).length : layers - Math.floor(layers / 4);
		return { window: num(c, 'attention_chunk_size') ?? window, layers: n };
	}
	if (modelType === 'gemma2') return { window, layers: Math.ceil(layers / 2) };
	if (modelType.startsWith('gemma3')) {
		const pattern = num(c, 'sliding_window_pattern') ?? 6;
		return { window, layers: layers - Math.floor(layers / pattern) };
	}
	if (c.use_sliding_window === false) return undefined;
	if (c.use_sliding_window === true) {
		const full = num(c, 'max_window_layers') ?? 0;
		return { window, layers: Math.max(0, layers - full) };
	}
	return { window, layers };
}

function dtypeOf(c: Cfg, top: Cfg): string | undefined {
	const q = top.quantization_config;
	if (isObject(q)) {
		const m = String(q.quant_method ?? '').toLowerCase();
		if (m === 'fp8') return 'fp8';
		if (m === 'mxfp4') return 'mxfp4';
		if (m === 'awq' || m === 'gptq') return m;
	}
	const d = String(c.torch_dtype ?? c.dtype ?? top.torch_dtype ?? top.dtype ?? '').toLowerCase();
	return d === 'bfloat16' ? 'bf16' : d === 'float16' ? 'fp16' : d === 'float32' ? 'fp32' : undefined;
}

export function modelFromHfConfig(config: unknown, id: string): ModelSpec | { error: string } {
	if (!isObject(config)) return { error: 'config.json must be a JSON object' };
	const top = config;
	const c: Cfg = isObject(top.text_config) ? { ...top, ...top.text_config } : top;
	const modelType = String(c.model_type ?? top.model_type ?? '').toLowerCase();
	const arch =
		Array.isArray(top.architectures) && typeof top.architectures[0] === 'string'
			? top.architectures[0]
			: modelType || 'unknown';
	const layers = num(c, 'num_hidden_layers', 'n_layer', 'num_layers');
	const hidden = num(c, 'hidden_size', 'n_embd', 'd_model');
	const heads = num(c, 'num_attention_heads', 'n_head');
	const vocab = num(c, 'vocab_size', 'padded_vocab_size');
	const missing = Object.entries({
		num_hidden_layers: layers,
		hidden_size: hidden,
		num_attention_heads: heads,
		vocab_size: vocab,
	})
		.filter(([, v]) => !v || v <= 0)
		.map(([k]) => k);
	if (missing.length)
		return { error: `config.json lacks ${missing.join(', ')} (is this a language model config?)` };
	const L = layers!,
		H = hidden!,
		nh = heads!;
	const isLlama4 = modelType.startsWith('llama4');
	// Llama 4: intermediate_size is the expert width, intermediate_size_mlp the dense width.
	const expertOrDense = num(c, 'intermediate_size', 'ffn_dim', 'n_inner') ?? 4 * H;
	const intermediate = isLlama4 ? (num(c, 'intermediate_size_mlp') ?? expertOrDense) : expertOrDense;
	const mla = mlaOf(c);
	const moe = moeOf(c, modelType, expertOrDense);
	const headDim = mla ? mla.nopeHeadDim + mla.ropeHeadDim : (num(c, 'head_dim') ?? H / nh);
	const kvHeads = num(c, 'num_key_value_heads', 'n_kv_heads', 'multi_query_group_num') ?? nh;
	const isGemma = modelType.startsWith('gemma');
	const tiedRaw = c.tie_word_embeddings ?? top.tie_word_embeddings;
	const tied = typeof tiedRaw === 'boolean' ? tiedRaw : isGemma;
	const isGptOss = modelType === 'gpt_oss';
	const shape: ParamShape = {
		layers: L,
		hidden: H,
		intermediate,
		heads: nh,
		kvHeads,
		headDim,
		vocab: vocab!,
		tiedEmbeddings: tied,
		moe,
		sharedExpertIntermediate:
			num(c, 'shared_expert_intermediate_size') ?? (moe ? moe.expertIntermediate : undefined),
		mla,
		qkvBias: c.attention_bias === true || modelType.startsWith('qwen2'),
		oBias: c.attention_bias === true,
		qkNorm: modelType.startsWith('qwen3') || modelType.startsWith('gemma3'),
		sinks: isGptOss,
		expertBias: isGptOss,
		routerBias: c.topk_method === 'noaux_tc',
		normsPerLayer: modelType === 'gemma2' || modelType.startsWith('gemma3') ? 4 : 2,
	};
	const { total, active } = countParams(shape);
	const sliding = slidingOf(c, modelType, L);
	const notes = ['Read from a local config.json; parameters computed from the dimensions (docs/catalog.md).'];
	if (typeof tiedRaw !== 'boolean') notes.push(`tie_word_embeddings not set: assumed ${tied}.`);
	const spec: ModelSpec = {
		id,
		architecture: arch,
		layers: L,
		hidden: H,
		intermediate,
		heads: nh,
		kvHeads,
		headDim,
		vocab: vocab!,
		tiedEmbeddings: tied,
		maxContext: num(c, 'max_position_embeddings', 'n_positions', 'max_sequence_length', 'seq_length') ?? 2048,
		paramsTotal: total,
		paramsActive: active,
		sources: ['config.json'],
		notes: notes.join(' '),
		origin: 'config.json',
	};
	if (moe) spec.moe = moe;
	if (mla) spec.mla = mla;
	if (sliding) spec.slidingWindow = sliding;
	const dtype = dtypeOf(c, top);
	if (dtype) spec.nativeDtype = dtype;
	return spec;
}
