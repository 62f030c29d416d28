import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveModel } from '../../../server/src/analysis/catalog';
import type { ModelResolution } from '../../../server/src/analysis/catalog';

function ok(q: string, id: string, format?: string, by?: string) {
	const r = resolveModel(q);
	assert.ok(r.ok, `${q}: ${r.ok ? '' : r.message}`);
	assert.equal(r.model.id, id, q);
	assert.equal(r.impliedFormat, format, `${q}: format`);
	if (by) assert.equal(r.matchedBy, by, `${q}: matchedBy`);
	return r;
}

/** Ollama tags: format not checked (the library default is asserted separately). */
function okTag(q: string, id: string) {
	const r = resolveModel(q);
	assert.ok(r.ok, `${q}: ${r.ok ? '' : r.message}`);
	assert.equal(r.model.id, id, q);
	assert.equal(r.matchedBy, 'ollama-tag', q);
}

function fails(q: string): Extract<ModelResolution, { ok: false }> {
	const r = resolveModel(q);
	assert.equal(r.ok, false, `${q} should not resolve${r.ok ? ` (got ${r.model.id})` : ''}`);
	return r as Extract<ModelResolution, { ok: false }>;
}

const L8 = 'meta-llama/Llama-3.1-8B';

test('exact ids, case and Instruct/chat/base/-it variants', () => {
	ok(L8, L8, undefined, 'exact');
	ok('META-LLAMA/llama-3.1-8b', L8, undefined, 'normalized');
	ok('meta-llama/Llama-3.1-8B-Instruct', L8, undefined, 'alias');
	ok('meta-llama/Meta-Llama-3.1-8B-Instruct', L8, undefined, 'alias');
	ok('meta-llama/Llama-2-7b-chat-hf', 'meta-llama/Llama-2-7b-hf');
	ok('google/gemma-2-9b-it', 'google/gemma-2-9b');
	ok('google/gemma-3-4b-pt', 'google/gemma-3-4b-it');
	ok('mistralai/Mistral-Small-24B-Instruct-2501', 'mistralai/Mistral-Small-24B-Base-2501');
	ok('Qwen/Qwen3-8B-Base', 'Qwen/Qwen3-8B');
	ok('Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B');
});

test('sizes are told apart', () => {
	ok('meta-llama/Llama-3.1-70B-Instruct', 'meta-llama/Llama-3.1-70B');
	ok('meta-llama/Llama-3.1-405B-Instruct', 'meta-llama/Llama-3.1-405B');
	ok('Qwen/Qwen2.5-72B-Instruct', 'Qwen/Qwen2.5-72B');
	ok('Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B');
	ok('mistralai/Mixtral-8x7B-Instruct-v0.1', 'mistralai/Mixtral-8x7B-v0.1');
	ok('mistralai/Mixtral-8x22B-Instruct-v0.1', 'mistralai/Mixtral-8x22B-v0.1');
	ok('Qwen/Qwen3-30B-A3B', 'Qwen/Qwen3-30B-A3B');
	ok('Qwen/Qwen3-30B-A3B-Instruct-2507', 'Qwen/Qwen3-30B-A3B');
	// v0.1 and v0.3 differ (sliding window, vocab): no cross-matching.
	ok('TheBloke/Mistral-7B-Instruct-v0.1-AWQ', 'mistralai/Mistral-7B-v0.1', 'awq');
	ok('mistralai/Mistral-7B-Instruct-v0.3', 'mistralai/Mistral-7B-v0.3');
});

test('re-uploads and format suffixes imply a format', () => {
	ok('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', L8, 'awq');
	ok('Qwen/Qwen2.5-7B-Instruct-AWQ', 'Qwen/Qwen2.5-7B', 'awq');
	ok('Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4', 'Qwen/Qwen2.5-7B', 'gptq');
	ok('Qwen/Qwen2.5-7B-Instruct-GPTQ-Int8', 'Qwen/Qwen2.5-7B', 'gptq-int8');
	ok('RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8', L8, 'fp8');
	ok('neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8-Dynamic', L8, 'fp8');
	ok('RedHatAI/Meta-Llama-3.1-70B-Instruct-quantized.w4a16', 'meta-llama/Llama-3.1-70B', 'int4');
	ok('unsloth/Llama-3.2-1B-Instruct-bnb-4bit', 'meta-llama/Llama-3.2-1B', 'bnb-nf4-dq');
	ok('unsloth/Llama-3.2-1B-Instruct', 'meta-llama/Llama-3.2-1B');
	ok('bartowski/Meta-Llama-3.1-8B-Instruct-GGUF', L8);
	ok('ggml-org/Llama-3.2-1B-Instruct-Q4_K_M-GGUF', 'meta-llama/Llama-3.2-1B', 'q4_k_m');
	ok('lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF', L8);
	ok('onnx-community/Llama-3.2-1B-Instruct-ONNX', 'meta-llama/Llama-3.2-1B');
	ok('Xenova/TinyLlama-1.1B-Chat-v1.0', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0');
	ok('mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC', 'meta-llama/Llama-3.2-1B', 'q4f16_1');
	ok('mlx-community/Meta-Llama-3.1-8B-Instruct-4bit', L8, 'mlx-4bit');
	ok('meta-llama/Llama-3.1-405B-Instruct-FP8', 'meta-llama/Llama-3.1-405B', 'fp8');
	const r = ok('TheBloke/Llama-2-7B-Chat-AWQ', 'meta-llama/Llama-2-7b-hf', 'awq');
	assert.match(r.ok ? (r.note ?? '') : '', /re-upload/);
});

test('local paths and HF cache directories', () => {
	ok('/models/Meta-Llama-3.1-8B-Instruct', L8);
	ok('./models/Qwen2.5-7B-Instruct/', 'Qwen/Qwen2.5-7B');
	ok('C:\\models\\gemma-2-9b-it', 'google/gemma-2-9b');
	ok(
		'/root/.cache/huggingface/hub/models--meta-llama--Llama-3.1-70B-Instruct/snapshots/0e9e39f',
		'meta-llama/Llama-3.1-70B',
	);
});

test('GGUF file names give the model and the quant', () => {
	ok('Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', L8, 'q4_k_m', 'gguf-name');
	ok('llama-2-7b.Q4_0.gguf', 'meta-llama/Llama-2-7b-hf', 'q4_0', 'gguf-name');
	ok('qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf', 'Qwen/Qwen2.5-7B', 'q4_k_m', 'gguf-name');
	ok(
		'/srv/models/mixtral-8x7b-instruct-v0.1.Q5_K_M.gguf',
		'mistralai/Mixtral-8x7B-v0.1',
		'q5_k_m',
		'gguf-name',
	);
	ok('gemma-2-9b-it-Q8_0.gguf', 'google/gemma-2-9b', 'q8_0');
	ok('Llama-3.2-3B-Instruct-f16.gguf', 'meta-llama/Llama-3.2-3B', 'f16');
	ok('hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M', 'meta-llama/Llama-3.2-3B', 'q4_k_m');
	fails('llama-2-13b-chat.Q4_K_S.gguf.bak');
});

test('Ollama tags, latest and quant suffixes', () => {
	ok('llama3.1:70b', 'meta-llama/Llama-3.1-70B', 'q4_k_m', 'ollama-tag');
	ok('llama3.1:70b-instruct-q4_K_M', 'meta-llama/Llama-3.1-70B', 'q4_k_m', 'ollama-tag');
	ok('llama3.1:8b-instruct-fp16', L8, 'fp16');
	ok('llama3.1:8b-instruct-q8_0', L8, 'q8_0');
	const latest = ok('llama3.1', L8, 'q4_k_m', 'ollama-tag');
	assert.match(latest.ok ? (latest.note ?? '') : '', /latest.*8b/);
	okTag('llama3.1:latest', L8);
	okTag('llama3.2:1b', 'meta-llama/Llama-3.2-1B');
	okTag('llama3.2', 'meta-llama/Llama-3.2-3B');
	okTag('llama3.3:70b', 'meta-llama/Llama-3.3-70B-Instruct');
	okTag('qwen2.5:7b', 'Qwen/Qwen2.5-7B');
	okTag('qwen2.5:72b', 'Qwen/Qwen2.5-72B');
	okTag('qwen3:30b-a3b', 'Qwen/Qwen3-30B-A3B');
	okTag('qwen3', 'Qwen/Qwen3-8B');
	okTag('gemma2:27b', 'google/gemma-2-27b');
	ok('gemma3:4b-it-qat', 'google/gemma-3-4b-it', 'q4_0');
	okTag('mistral:7b', 'mistralai/Mistral-7B-v0.3');
	okTag('mixtral:8x7b', 'mistralai/Mixtral-8x7B-v0.1');
	okTag('phi3:mini', 'microsoft/Phi-3-mini-4k-instruct');
	okTag('phi4', 'microsoft/phi-4');
	okTag('deepseek-r1:8b', 'deepseek-ai/DeepSeek-R1-Distill-Llama-8B');
	okTag('deepseek-r1:7b', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B');
	okTag('deepseek-v3', 'deepseek-ai/DeepSeek-V3');
	ok('gpt-oss:20b', 'openai/gpt-oss-20b', 'mxfp4');
	ok('gpt-oss:120b', 'openai/gpt-oss-120b', 'mxfp4');
	okTag('smollm2:135m', 'HuggingFaceTB/SmolLM2-135M');
	okTag('smollm2:360m', 'HuggingFaceTB/SmolLM2-360M');
	okTag('smollm2:1.7b', 'HuggingFaceTB/SmolLM2-1.7B');
	okTag('tinyllama', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0');
	okTag('registry.ollama.ai/library/llama3.1:8b', L8);
});

test('unknown or ambiguous names fail with three suggestions and how to add one', () => {
	const a = fails('meta-llama/Llama-9-13B');
	assert.equal(a.suggestions.length, 3);
	assert.match(a.message, /Llama-9-13B/);
	assert.match(a.message, /user catalog/);
	assert.match(a.message, /--catalog/);
	assert.match(a.message, /inferenceMeter\.userCatalog/);
	const b = fails('llama3.1:13b');
	// Suggestions stay in the family the tag named.
	assert.deepEqual(
		[...b.suggestions].sort(),
		['meta-llama/Llama-3.1-405B', 'meta-llama/Llama-3.1-70B', L8].sort(),
	);
	const c = fails('meta-llama/Llama-3.1');
	assert.ok(c.suggestions.includes(L8));
	fails('meta-llama/Llama-3.1-13B-Instruct');
	fails('Qwen/Qwen2.5-8B');
	fails('mistralai/Mistral-7B-Instruct-v0.2');
	fails('phi3:medium');
	fails('');
	fails('   ');
	fails('NousResearch/Hermes-3-Llama-3.1-8B');
});

test('a GGUF quant token must name a GGUF type', () => {
	// "q4" is a transformers.js dtype (5 bpw), not a GGUF type: no format is implied, and the note says why.
	const r = resolveModel('Phi-3-mini-4k-instruct-q4.gguf');
	assert.ok(r.ok);
	assert.equal(r.impliedFormat, undefined);
	assert.match(r.note ?? '', /not a GGUF type/);
	ok('gpt-oss-20b-mxfp4.gguf', 'openai/gpt-oss-20b', 'mxfp4');
	ok('Llama-3.2-3B-Instruct-BF16.gguf', 'meta-llama/Llama-3.2-3B', 'bf16');
	ok('hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_XL', 'Qwen/Qwen3-8B');
});

test('every model resolves by its id and each alias', () => {
	for (const m of getCatalog().models) {
		for (const n of [m.id, ...(m.aliases ?? [])]) {
			const r = resolveModel(n);
			assert.ok(r.ok && r.model.id === m.id, `${n} → ${r.ok ? r.model.id : r.message}`);
		}
	}
});
