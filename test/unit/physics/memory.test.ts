import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	estimate,
	kvBytesForSequence,
	kvBytesPerToken,
	maxBatchAtContext,
	maxContextForBytes,
	maxContextThatFits,
	weightBytes,
} from '../../../server/src/analysis/physics/index';
import {
	assertClose,
	awq,
	bf16,
	deepseekV3,
	epyc9654,
	f16gguf,
	h100,
	h200,
	input,
	int4,
	kvBf16,
	kvFp8,
	kvQ8,
	llama2_7b,
	llama31_70b,
	llama31_8b,
	m2ultra,
	mistral7bV01,
	q4_0,
	q4_k_m,
} from './specs';

test('KV per token: GQA Llama 3.1 8B in bf16 = 2·8·128·32·2 = 131072 B', () => {
	assert.equal(kvBytesPerToken(llama31_8b, kvBf16), 2 * 8 * 128 * 32 * 2);
	assert.equal(kvBytesPerToken(llama31_8b, kvBf16), 131072);
	// fp8 halves it; q8_0 stores 34 bytes per 32 elements.
	assert.equal(kvBytesPerToken(llama31_8b, kvFp8), 65536);
	assert.equal(kvBytesPerToken(llama31_8b, kvQ8), 2 * 8 * 128 * 32 * (34 / 32));
});

test('KV per token: MHA Llama 2 7B = 2·32·128·32·2 = 524288 B; MLA DeepSeek-V3 = (512+64)·61·2 = 70272 B', () => {
	assert.equal(kvBytesPerToken(llama2_7b, kvBf16), 524288);
	assert.equal(kvBytesPerToken(deepseekV3, kvBf16), (512 + 64) * 61 * 2);
});

test('sliding window caps KV: Mistral 7B v0.1 (window 4096 on all 32 layers)', () => {
	// Below the window: linear. 1000 tokens × 2·8·128·32·2 B.
	assert.equal(kvBytesForSequence(mistral7bV01, kvBf16, 1000), 1000 * 131072);
	// Above it: capped at 4096 tokens.
	assert.equal(kvBytesForSequence(mistral7bV01, kvBf16, 32768), 4096 * 131072);
	// Half the layers windowed: 16 layers hold 8192 tokens, 16 hold 4096. Per layer per token 2·8·128·2 = 4096 B.
	const half = { ...mistral7bV01, slidingWindow: { window: 4096, layers: 16 } };
	assert.equal(kvBytesForSequence(half, kvBf16, 8192), 4096 * (16 * 8192 + 16 * 4096));
});

test('weights: Llama 3.1 8B bf16 = 8,030,261,248 × 2 B = 16.06 GB', () => {
	assert.equal(weightBytes(llama31_8b, bf16), 16_060_522_496);
});

test('weights: GGUF Q4_0 keeps the output tensor at Q6_K (Llama 2 7B file is 3.56 GiB)', () => {
	// body = 6,738,415,616 − 2·32000·4096 = 6,476,271,616 at 4.5 b; embedding 131,072,000 at 4.5 b; output at 6.5625 b.
	const expected = (6_476_271_616 * 4.5 + 131_072_000 * 4.5 + 131_072_000 * 6.5625) / 8;
	assertClose(weightBytes(llama2_7b, q4_0), expected);
	assert.ok(Math.abs(expected / 1024 ** 3 - 3.56) < 0.01, `${expected / 1024 ** 3} GiB`);
	// A file-average preset (Q4_K_M 4.899 b) already includes its higher-precision tensors.
	assertClose(weightBytes(llama31_8b, q4_k_m), (8_030_261_248 * 4.899) / 8);
});

test('headline: a 70B model in 4-bit needs about 35–40 GB of weights', () => {
	for (const f of [int4, q4_0]) {
		const gb = weightBytes(llama31_70b, f) / 1e9;
		assert.ok(gb >= 35 && gb <= 40, `${f.id}: ${gb} GB`);
	}
	// AWQ keeps embedding and lm_head (2 × 128256 × 8192) in fp16: body 68,452,360,192 × 4.15625 / 8 + 2,101,297,152 × 2.
	const awqBytes = (68_452_360_192 * 4.15625) / 8 + 2 * 1_050_673_152 * 2;
	assertClose(weightBytes(llama31_70b, awq), awqBytes);
	assert.ok(awqBytes / 1e9 > 37 && awqBytes / 1e9 < 42);
});

test('fewer bits never means more bytes (f16 > q8 > q4)', () => {
	assert.ok(weightBytes(llama2_7b, f16gguf) > weightBytes(llama2_7b, q4_0));
	assert.ok(weightBytes(llama31_8b, bf16) > weightBytes(llama31_8b, int4));
});

test('fit: 70B bf16 does not fit one H100 but fits four with TP', () => {
	const one = estimate(input({ model: llama31_70b, hardware: h100 }));
	assert.equal(one.memory.weightsFit, false);
	assert.equal(one.memory.fits, false);
	assert.equal(one.memory.maxContextAtBatch, 0);
	const four = estimate(input({ model: llama31_70b, hardware: h100, devices: 4 }));
	assert.equal(four.memory.tensorParallel, 4);
	assert.equal(four.memory.weightsBytesPerDevice, weightBytes(llama31_70b, bf16) / 4);
	assert.equal(four.memory.fits, true);
});

test('vLLM budget is gpu_memory_utilization × capacity; KV budget is what weights and overhead leave', () => {
	const e = estimate(input({ hardware: h200, gpuMemoryUtilization: 0.8 }));
	assert.equal(e.memory.budgetBytesPerDevice, 0.8 * 141e9);
	assert.equal(
		e.memory.kvBudgetBytesPerDevice,
		0.8 * 141e9 - e.memory.weightsBytesPerDevice - e.memory.runtimeOverheadBytesPerDevice,
	);
	// Largest batch at 1024 tokens: floor(kvBudget / (1024 × 131072)).
	assert.equal(e.memory.maxBatchAtContext, Math.floor(e.memory.kvBudgetBytesPerDevice / (1024 * 131072)));
});

test('largest context at a batch: KV(C) ≤ budget / batch, capped at the model maximum', () => {
	const e = estimate(input({ hardware: h100, batch: 64 }));
	const perSeq = e.memory.kvBudgetBytesPerDevice / 64;
	assert.equal(e.memory.maxContextAtBatch, Math.floor(perSeq / 131072));
	assert.equal(maxContextForBytes(llama31_8b, kvBf16, 131072 * 5000.5, 131072), 5000);
	assert.equal(maxContextForBytes(llama31_8b, kvBf16, 1e15, 131072), 131072);
});

test('TP beyond the KV head count replicates KV; MLA latent replicates on every rank', () => {
	const tp8 = estimate(input({ model: llama31_70b, hardware: h100, devices: 8, context: 4096 }));
	// 8 KV heads over 8 ranks: exactly one head each, no replication.
	assert.equal(tp8.memory.kvBytesPerDevice, tp8.memory.kvBytes / 8);
	const ds = estimate(
		input({ model: deepseekV3, weights: fp8_for(deepseekV3), hardware: h200, devices: 8, context: 4096 }),
	);
	assert.equal(ds.memory.kvBytesPerDevice, ds.memory.kvBytes);
});

function fp8_for(_m: unknown) {
	return { ...bf16, id: 'fp8', bitsPerWeight: 8, computeDtype: 'fp8' as const };
}

test('Apple unified memory: the GPU may wire 3/4 of RAM above 36 GB', () => {
	const e = estimate(input({ hardware: m2ultra, engine: 'llama.cpp' }));
	assert.equal(e.memory.budgetBytesPerDevice, 0.75 * 192e9);
});

test('llama.cpp partial offload keeps the rest of the weights in host memory', () => {
	const e = estimate(input({ hardware: h100, engine: 'llama.cpp', model: llama31_70b, gpuLayers: 40 }));
	const w = weightBytes(llama31_70b, bf16);
	assert.equal(e.memory.weightsBytesPerDevice, w / 2);
	assert.equal(e.memory.hostBytes, w / 2);
	assert.equal(e.decode.weightsResidence, 'device+host');
});

test('maxContextThatFits / maxBatchAtContext helpers agree with the memory block', () => {
	const base = input({ hardware: h100 });
	const e = estimate({ ...base, batch: 8 });
	assert.equal(maxContextThatFits(base, 8), e.memory.maxContextAtBatch);
	const f = estimate({ ...base, context: 8192 });
	assert.equal(maxBatchAtContext(base, 8192), f.memory.maxBatchAtContext);
	// Doubling the context at most halves the batch that fits (KV is linear in context without windows).
	assert.ok(maxBatchAtContext(base, 16384) <= Math.ceil(f.memory.maxBatchAtContext / 2));
});

test('context beyond the model maximum is flagged in the assumptions', () => {
	const e = estimate(input({ model: llama2_7b, context: 8192 }));
	assert.ok(e.assumptions.some((a) => /exceeds the 4096-token maximum/.test(a)));
});

test('transformers.js on WASM: the runtime memory limit is the whole budget', () => {
	const wasm = { ...epyc9654, id: 'browser-wasm', memoryGB: 4.295 };
	const e = estimate(input({ hardware: wasm, engine: 'transformers.js' }));
	assert.equal(e.memory.budgetBytesPerDevice, 4.295e9);
	// 8B in bf16 (16.06 GB) cannot fit a 4 GiB WebAssembly heap.
	assert.equal(e.memory.weightsFit, false);
});
