import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	BOOL,
	FLOAT,
	HUMAN_INT,
	INT,
	LIST_COUNT,
	TORCH_DTYPE,
} from '../../../server/src/analysis/extract/values';
import { GPU_LAYERS } from '../../../server/src/analysis/extract/flags/llamacpp';

const ok = <T>(r: { ok: boolean; value?: T }) => (r.ok ? r.value : 'ERR');

test("vLLM's human-readable ints: lowercase decimal, uppercase binary", () => {
	assert.equal(ok(HUMAN_INT.parse('32768')), 32768);
	assert.equal(ok(HUMAN_INT.parse('32k')), 32_000); // 32 × 1000
	assert.equal(ok(HUMAN_INT.parse('1K')), 1024); // 1 × 1024
	assert.equal(ok(HUMAN_INT.parse('25.6k')), 25_600); // 25.6 × 1000
	assert.equal(ok(HUMAN_INT.parse('128K')), 131_072); // 128 × 1024
	assert.equal(ok(HUMAN_INT.parse('1.5K')), 1536); // 1.5 × 1024
	assert.equal(ok(HUMAN_INT.parse('1.0001k')), 'ERR'); // 1000.1 tokens is not whole
	assert.equal(ok(HUMAN_INT.parse('lots')), 'ERR');
});

test('plain ints, floats, booleans', () => {
	assert.equal(ok(INT.parse('-1')), -1);
	assert.equal(ok(INT.parse('4k')), 'ERR');
	assert.equal(ok(FLOAT.parse('0.92')), 0.92);
	assert.equal(ok(FLOAT.parse('.5')), 0.5);
	assert.equal(ok(FLOAT.parse('ninety')), 'ERR');
	assert.equal(ok(BOOL.parse('on')), true);
	assert.equal(ok(BOOL.parse('Disabled')), false);
	assert.equal(ok(BOOL.parse('maybe')), 'ERR');
});

test('torch dtypes map to catalog format ids', () => {
	assert.equal(ok(TORCH_DTYPE.parse('bfloat16')), 'bf16');
	assert.equal(ok(TORCH_DTYPE.parse('half')), 'fp16');
	assert.equal(ok(TORCH_DTYPE.parse('float')), 'fp32');
	assert.equal(ok(TORCH_DTYPE.parse('auto')), 'auto');
	assert.equal(ok(TORCH_DTYPE.parse('int4')), 'ERR');
});

test('llama.cpp -ngl takes counts, auto and all; -ts counts devices', () => {
	assert.equal(ok(GPU_LAYERS.parse('99')), 99);
	assert.equal(ok(GPU_LAYERS.parse('auto')), -1);
	assert.equal(ok(GPU_LAYERS.parse('all')), -2);
	assert.equal(ok(LIST_COUNT.parse('3,1')), 2);
	assert.equal(ok(LIST_COUNT.parse('1,1,1,1')), 4);
});
