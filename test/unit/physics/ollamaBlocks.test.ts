/**
 * Per-block GGUF sizes (memoryPlan/ollamaBlocks.ts): Q4_K_M keeps attn_v and ffn_down at Q6_K where
 * llama-quant.cpp's use_more_bits holds, so the first and last eighth of the blocks are heavier.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat, resolveModel } from '../../../server/src/analysis/catalog/index';
import { ggufBlockBytes, useMoreBits } from '../../../server/src/analysis/physics/memoryPlan/ollamaBlocks';

const catalog = getCatalog();
const model = (id: string) => {
	const r = resolveModel(id, catalog);
	assert.ok(r.ok);
	return r.model;
};

test('use_more_bits over 32 blocks: 0–3, 28–31 and every third between from 6', () => {
	const upgraded = Array.from({ length: 32 }, (_, i) => i).filter((i) => useMoreBits(i, 32));
	assert.deepEqual(upgraded, [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]);
});

test('Q4_K_M blocks: the sizes add up to the body, upgraded blocks are larger, Q8_0 blocks are alike', () => {
	const m = model('meta-llama/Llama-3.1-8B');
	const body = 4e9;
	const q4km = ggufBlockBytes(m, resolveFormat('q4_k_m', catalog), body);
	assert.equal(q4km.length, m.layers);
	assert.ok(Math.abs(q4km.reduce((a, b) => a + b, 0) - body) < 1);
	assert.ok(q4km[31] > q4km[5], 'last block (Q6_K ffn_down) heavier than block 5');
	assert.ok(Math.abs(q4km[0] - q4km[31]) < 1);
	const q8 = ggufBlockBytes(m, resolveFormat('q8_0', catalog), body);
	assert.ok(Math.max(...q8) - Math.min(...q8) < 1);
});
