import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, modelFromHfConfig } from '../../../server/src/analysis/catalog';
import type { ModelSpec } from '../../../server/src/analysis/catalog/types';

// Hand-written config.json objects with the fields of the published configs.
const LLAMA_31_8B = {
	architectures: ['LlamaForCausalLM'],
	model_type: 'llama',
	hidden_size: 4096,
	intermediate_size: 14336,
	num_hidden_layers: 32,
	num_attention_heads: 32,
	num_key_value_heads: 8,
	head_dim: 128,
	vocab_size: 128256,
	max_position_embeddings: 131072,
	tie_word_embeddings: false,
	attention_bias: false,
	torch_dtype: 'bfloat16',
	rope_scaling: { rope_type: 'llama3', factor: 8.0, original_max_position_embeddings: 8192 },
};
const QWEN3_30B_A3B = {
	architectures: ['Qwen3MoeForCausalLM'],
	model_type: 'qwen3_moe',
	hidden_size: 2048,
	intermediate_size: 6144,
	moe_intermediate_size: 768,
	num_hidden_layers: 48,
	num_attention_heads: 32,
	num_key_value_heads: 4,
	head_dim: 128,
	num_experts: 128,
	num_experts_per_tok: 8,
	decoder_sparse_step: 1,
	mlp_only_layers: [],
	vocab_size: 151936,
	max_position_embeddings: 40960,
	tie_word_embeddings: false,
	sliding_window: null,
	use_sliding_window: false,
	torch_dtype: 'bfloat16',
};
const DEEPSEEK_V3 = {
	architectures: ['DeepseekV3ForCausalLM'],
	model_type: 'deepseek_v3',
	hidden_size: 7168,
	intermediate_size: 18432,
	moe_intermediate_size: 2048,
	num_hidden_layers: 61,
	num_attention_heads: 128,
	num_key_value_heads: 128,
	n_shared_experts: 1,
	n_routed_experts: 256,
	num_experts_per_tok: 8,
	first_k_dense_replace: 3,
	moe_layer_freq: 1,
	kv_lora_rank: 512,
	q_lora_rank: 1536,
	qk_rope_head_dim: 64,
	qk_nope_head_dim: 128,
	v_head_dim: 128,
	topk_method: 'noaux_tc',
	vocab_size: 129280,
	max_position_embeddings: 163840,
	tie_word_embeddings: false,
	torch_dtype: 'bfloat16',
	quantization_config: { quant_method: 'fp8', fmt: 'e4m3', weight_block_size: [128, 128] },
};
const GEMMA3_4B = {
	architectures: ['Gemma3ForConditionalGeneration'],
	model_type: 'gemma3',
	text_config: {
		model_type: 'gemma3_text',
		hidden_size: 2560,
		intermediate_size: 10240,
		num_hidden_layers: 34,
		num_attention_heads: 8,
		num_key_value_heads: 4,
		head_dim: 256,
		sliding_window: 1024,
		sliding_window_pattern: 6,
		vocab_size: 262144,
		max_position_embeddings: 131072,
	},
	vision_config: { hidden_size: 1152, num_hidden_layers: 27 },
	torch_dtype: 'bfloat16',
};
const GPT_OSS_20B = {
	architectures: ['GptOssForCausalLM'],
	model_type: 'gpt_oss',
	hidden_size: 2880,
	intermediate_size: 2880,
	num_hidden_layers: 24,
	num_attention_heads: 64,
	num_key_value_heads: 8,
	head_dim: 64,
	num_local_experts: 32,
	num_experts_per_tok: 4,
	vocab_size: 201088,
	sliding_window: 128,
	layer_types: Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention')),
	attention_bias: true,
	tie_word_embeddings: false,
	max_position_embeddings: 131072,
	quantization_config: { quant_method: 'mxfp4' },
};
const LLAMA4_SCOUT = {
	architectures: ['Llama4ForConditionalGeneration'],
	model_type: 'llama4',
	tie_word_embeddings: false,
	text_config: {
		model_type: 'llama4_text',
		hidden_size: 5120,
		intermediate_size: 8192,
		intermediate_size_mlp: 16384,
		num_hidden_layers: 48,
		num_attention_heads: 40,
		num_key_value_heads: 8,
		head_dim: 128,
		num_local_experts: 16,
		num_experts_per_tok: 1,
		interleave_moe_layer_step: 1,
		vocab_size: 202048,
		attention_chunk_size: 8192,
		max_position_embeddings: 10485760,
	},
};

function spec(config: unknown, id: string): ModelSpec {
	const r = modelFromHfConfig(config, id);
	assert.ok(!('error' in r), 'error' in r ? r.error : '');
	return r as ModelSpec;
}

function catalogModel(id: string): ModelSpec {
	const m = getCatalog().models.find((x) => x.id === id);
	assert.ok(m, id);
	return m;
}

/** Within 0.5 % of the research CSV's derived counts (as stored in the catalog). */
function close(actual: number, expected: number, what: string) {
	assert.ok(Math.abs(actual - expected) / expected < 0.005, `${what}: ${actual} vs ${expected}`);
}

test('Llama-3.1-8B: params and fields from config.json', () => {
	const m = spec(LLAMA_31_8B, 'local/llama');
	// 2·128256·4096 + 4096 + 32·(2·4096² + 2·4096·1024 + 3·4096·14336 + 2·4096) = 8,030,261,248
	assert.equal(m.paramsTotal, 8030261248);
	close(m.paramsTotal, catalogModel('meta-llama/Llama-3.1-8B').paramsTotal, 'total');
	assert.equal(m.paramsActive, m.paramsTotal);
	assert.equal(m.kvHeads, 8);
	assert.equal(m.headDim, 128);
	assert.equal(m.maxContext, 131072);
	assert.equal(m.nativeDtype, 'bf16');
	assert.equal(m.origin, 'config.json');
	assert.equal(m.moe, undefined);
	assert.equal(m.slidingWindow, undefined);
});

test('Qwen3-30B-A3B: MoE total and active', () => {
	const m = spec(QWEN3_30B_A3B, 'local/qwen3');
	const ref = catalogModel('Qwen/Qwen3-30B-A3B');
	// Per layer: attention 2048·4096·2 + 2·2048·512 + qk-norm 2·128 = 18,874,624; norms 4096;
	// experts 128·3·2048·768 = 603,979,776; router 2048·128 = 262,144 → 623,120,640 × 48
	// + embed/lm_head 2·151936·2048 + final norm 2048 = 30,532,122,624.
	assert.equal(m.paramsTotal, 48 * 623120640 + 2 * 151936 * 2048 + 2048);
	close(m.paramsTotal, ref.paramsTotal, 'total');
	close(m.paramsActive, ref.paramsActive, 'active');
	assert.deepEqual(m.moe, {
		experts: 128,
		expertsPerToken: 8,
		sharedExperts: 0,
		expertIntermediate: 768,
		firstDenseLayers: 0,
		layerStep: 1,
	});
	assert.equal(m.slidingWindow, undefined); // use_sliding_window false
});

test('DeepSeek-V3: MLA + MoE with dense first layers', () => {
	const m = spec(DEEPSEEK_V3, 'local/dsv3');
	const ref = catalogModel('deepseek-ai/DeepSeek-V3');
	close(m.paramsTotal, ref.paramsTotal, 'total');
	close(m.paramsActive, ref.paramsActive, 'active');
	assert.equal(m.paramsTotal, 671026419200);
	assert.deepEqual(m.mla, {
		kvLoraRank: 512,
		qLoraRank: 1536,
		ropeHeadDim: 64,
		nopeHeadDim: 128,
		vHeadDim: 128,
	});
	assert.equal(m.moe?.firstDenseLayers, 3);
	assert.equal(m.moe?.sharedExperts, 1);
	assert.equal(m.headDim, 192); // 128 nope + 64 rope
	assert.equal(m.nativeDtype, 'fp8');
});

test('Gemma 3 (text_config nesting), gpt-oss (layer_types) and Llama 4 (chunked attention)', () => {
	const g = spec(GEMMA3_4B, 'local/gemma3');
	close(g.paramsTotal, catalogModel('google/gemma-3-4b-it').paramsTotal, 'gemma total');
	assert.equal(g.tiedEmbeddings, true); // Gemma default when the field is absent
	assert.deepEqual(g.slidingWindow, { window: 1024, layers: 34 - Math.floor(34 / 6) });
	assert.equal(g.architecture, 'Gemma3ForConditionalGeneration');
	const o = spec(GPT_OSS_20B, 'local/gpt-oss');
	const oref = catalogModel('openai/gpt-oss-20b');
	close(o.paramsTotal, oref.paramsTotal, 'gpt-oss total');
	close(o.paramsActive, oref.paramsActive, 'gpt-oss active');
	assert.deepEqual(o.slidingWindow, { window: 128, layers: 12 });
	assert.equal(o.nativeDtype, 'mxfp4');
	const l4 = spec(LLAMA4_SCOUT, 'local/scout');
	const lref = catalogModel('meta-llama/Llama-4-Scout-17B-16E');
	close(l4.paramsTotal, lref.paramsTotal, 'scout total');
	close(l4.paramsActive, lref.paramsActive, 'scout active');
	assert.deepEqual(l4.slidingWindow, { window: 8192, layers: 36 });
	assert.equal(l4.moe?.sharedExperts, 1);
});

test('config.json errors name what is missing', () => {
	const r = modelFromHfConfig({ model_type: 'llama', hidden_size: 4096 }, 'x');
	assert.ok('error' in r);
	assert.match(r.error, /num_hidden_layers/);
	assert.match(r.error, /vocab_size/);
	assert.ok('error' in modelFromHfConfig([], 'x'));
	assert.ok('error' in modelFromHfConfig(null, 'x'));
});
