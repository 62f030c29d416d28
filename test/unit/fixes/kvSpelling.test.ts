import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kvSpelling } from '../../../server/src/analysis/fixes/kvSpelling';

test('vLLM: fp8 ids pass through, the 16-bit catalog ids become auto, its own spellings are kept', () => {
	for (const id of ['fp8', 'fp8_e4m3', 'fp8_e5m2']) assert.equal(kvSpelling('vllm', id), id);
	// vLLM's --kv-cache-dtype has no "f16"/"bf16" choice: auto means "the model's 16-bit dtype".
	assert.equal(kvSpelling('vllm', 'f16'), 'auto');
	assert.equal(kvSpelling('vllm', 'bf16'), 'auto');
	for (const id of ['auto', 'bfloat16', 'fp8_inc', 'fp8_ds_mla']) assert.equal(kvSpelling('vllm', id), id);
	assert.equal(kvSpelling('vllm', 'FP8'), 'fp8');
});

test('vLLM refuses what its flag rejects: ggml types, f32, made-up and prototype names', () => {
	for (const id of ['q8_0', 'q4_0', 'f32', 'int8', 'float16', 'fp4', '', 'constructor', 'toString'])
		assert.equal(kvSpelling('vllm', id), undefined, id);
});

test('llama.cpp: exactly the nine -ctk/-ctv cache types, nothing vLLM-only', () => {
	const ok = ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1'];
	for (const id of ok) assert.equal(kvSpelling('llama.cpp', id), id);
	assert.equal(kvSpelling('llama.cpp', 'Q8_0'), 'q8_0');
	// The old server rule passed any id through, so `auto` or `fp8` could reach -ctk and stop llama-server.
	for (const id of ['auto', 'fp8', 'fp8_e4m3', 'q6_k', 'q4_k_m', 'q2_k', 'iq4_xs', 'constructor'])
		assert.equal(kvSpelling('llama.cpp', id), undefined, id);
});

test('Ollama: only f16, q8_0 and q4_0 (OLLAMA_KV_CACHE_TYPE)', () => {
	for (const id of ['f16', 'q8_0', 'q4_0']) assert.equal(kvSpelling('ollama', id), id);
	for (const id of ['f32', 'bf16', 'q4_1', 'q5_0', 'iq4_nl', 'fp8', 'auto'])
		assert.equal(kvSpelling('ollama', id), undefined, id);
});

test('transformers and transformers.js have no KV dtype setting to write', () => {
	for (const fw of ['transformers', 'transformers.js'] as const)
		for (const id of ['f16', 'bf16', 'fp8', 'q8_0'])
			assert.equal(kvSpelling(fw, id), undefined, `${fw} ${id}`);
});
