import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat, resolveKvDtype } from '../../../server/src/analysis/catalog';

const bits = (name: string) => {
	const f = resolveFormat(name);
	assert.ok(f, name);
	return f.bitsPerWeight;
};

test('GGUF block types: bits include the fp16 scales', () => {
	// Q8_0: 32 weights in 34 bytes → 34 × 8 / 32 = 8.5
	assert.equal(bits('q8_0'), (34 * 8) / 32);
	// Q4_0: 18 bytes per 32 → 4.5; Q6_K: 210 bytes per 256 → 6.5625
	assert.equal(bits('Q4_0'), (18 * 8) / 32);
	assert.equal(bits('q6_k'), (210 * 8) / 256);
	assert.equal(bits('iq4_xs'), (136 * 8) / 256);
});

test('K-quant presets use the effective bpw measured on Llama-3-8B', () => {
	// Q4_K_M: 4.58 GiB for 8,030,261,248 params → 4.58 × 2^30 × 8 / 8.03e9 = 4.899 bpw
	const q4km = bits('Q4_K_M');
	assert.ok(q4km >= 4.8 && q4km <= 4.9, String(q4km));
	assert.ok(Math.abs(q4km - (4.58 * 2 ** 30 * 8) / 8030261248) < 0.001);
	assert.equal(resolveFormat('q4_K_M')?.id, 'q4_k_m');
	assert.ok(bits('q5_k_m') > bits('q4_k_m') && bits('q4_k_m') > bits('q3_k_m'));
});

test('framework formats', () => {
	// AWQ/GPTQ 4-bit group 128: 4 + (16-bit scale + 4-bit zero) / 128 = 4.15625 (≈ 4.2)
	assert.equal(bits('awq'), 4 + 20 / 128);
	assert.ok(bits('awq') > 4.1 && bits('awq') < 4.3);
	assert.equal(bits('gptq'), 4 + 20 / 128);
	// GPTQ 8-bit: 8 + (16 + 8) / 128
	assert.equal(bits('gptq-int8'), 8 + 24 / 128);
	assert.equal(bits('nvfp4'), 4 + 8 / 16);
	assert.equal(bits('mxfp4'), 4 + 8 / 32);
	assert.equal(bits('bnb-nf4'), 4 + 32 / 64);
	assert.equal(bits('q4f16_1'), 4 + 16 / 32);
	assert.equal(bits('bf16'), 16);
	assert.equal(resolveFormat('fp8')?.computeDtype, 'fp8');
	assert.equal(resolveFormat('awq')?.computeDtype, 'fp16');
	assert.equal(resolveFormat('q4_k_m')?.quantized, true);
	assert.equal(resolveFormat('bf16')?.quantized, false);
});

test('transformers.js dtypes resolve', () => {
	for (const d of ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'])
		assert.ok(resolveFormat(d), d);
	// q4: block 32 with an fp32 scale → 4 + 32/32 = 5
	assert.equal(bits('q4'), 5);
	assert.equal(bits('q4f16'), 4.5);
});

test('aliases and spellings; auto is left to the caller', () => {
	assert.equal(resolveFormat('bfloat16')?.id, 'bf16');
	assert.equal(resolveFormat('torch.float16')?.id, 'fp16');
	assert.equal(resolveFormat('awq_marlin')?.id, 'awq');
	assert.equal(resolveFormat('gptq_int8')?.id, 'gptq-int8');
	assert.equal(resolveFormat('modelopt_fp4')?.id, 'nvfp4');
	assert.equal(resolveFormat('auto'), undefined);
	assert.equal(resolveFormat(''), undefined);
	assert.equal(resolveFormat('compressed-tensors'), undefined);
});

test('KV dtypes: bytes per element include block scales', () => {
	const b = (n: string) => resolveKvDtype(n)?.bytesPerElement;
	assert.equal(b('f16'), 2);
	assert.equal(b('bf16'), 2);
	assert.equal(b('f32'), 4);
	assert.equal(b('fp8'), 1);
	assert.equal(b('q8_0'), 34 / 32);
	assert.equal(b('q4_0'), 18 / 32);
	assert.equal(b('q4_1'), 20 / 32);
	assert.equal(b('q5_0'), 22 / 32);
	assert.equal(b('q5_1'), 24 / 32);
	assert.equal(b('iq4_nl'), 18 / 32);
	for (const a of ['fp8_e4m3', 'fp8_e5m2', 'fp8_inc']) assert.equal(resolveKvDtype(a)?.id, 'fp8', a);
	assert.equal(resolveKvDtype('float16')?.id, 'f16');
	assert.equal(resolveKvDtype('auto'), undefined);
});

test('every format and KV id and alias resolves to its own entry', () => {
	const cat = getCatalog();
	for (const f of cat.formats) {
		assert.equal(resolveFormat(f.id)?.id, f.id);
		for (const a of f.aliases) assert.equal(resolveFormat(a)?.id, f.id, `format alias ${a}`);
	}
	for (const k of cat.kvDtypes) {
		assert.equal(resolveKvDtype(k.id)?.id, k.id);
		for (const a of k.aliases) assert.equal(resolveKvDtype(a)?.id, k.id, `kv alias ${a}`);
	}
});
