import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { meterLlamaBench, meterVllmBench } from '../../../server/src/meter/importers';
import { GPU, KV_PER_TOKEN, STUB_DEPS } from './stubDeps';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/meter', name), 'utf8');
const close = (actual: number | null, expected: number, rel = 1e-9) =>
	assert.ok(
		actual !== null && Math.abs(actual - expected) <= Math.abs(expected) * rel,
		`expected ${expected}, got ${actual}`,
	);

test('llama-bench tg128 on an RTX 3090: file-size weights + KV, MBU and MFU by hand', () => {
	const rep = meterLlamaBench(fixture('llama-bench.json'), 'x.json', STUB_DEPS, {});
	const tg = rep.runs.find((r) => r.test === 'tg128')!;
	assert.equal(tg.model, 'test/llama-2-7b');
	assert.equal(tg.weights, 'q4_0'); // implied by the file name
	assert.equal(tg.kvDtype, 'f16');
	assert.equal(tg.hardware, 'rtx-3090'); // from gpu_info, no flag
	assert.equal(tg.peakBandwidthOrigin, 'spec');
	assert.deepEqual(tg.errors, []);
	// Weights: the file's 3,825,065,984 bytes (the stub catalog says 4e9; ×0.956 scale keeps the file size).
	close(tg.weightBytesPerStep, 3825065984);
	// KV: context = 0 + 128/2 = 64 tokens × 524,288 B = 33,554,432 B.
	assert.equal(tg.context, 64);
	close(tg.kvBytesPerStep, 64 * 524288);
	const bytes = 3825065984 + 33554432; // 3,858,620,416 B per step
	close(tg.bytesPerStep, bytes);
	// Achieved = 3,858,620,416 B × 158.16 steps/s = 610.28 GB/s; MBU = 610.28 / 936 = 0.652.
	close(tg.achievedBandwidthGBs, (bytes * 158.16) / 1e9);
	close(tg.mbu, (bytes * 158.16) / 1e9 / 936);
	assert.ok(tg.mbu! > 0.65 && tg.mbu! < 0.653);
	// MFU = 2 × 6.74e9 FLOP × 158.16 / 71e12 = 0.0300.
	close(tg.mfu, (2 * 6.74e9 * 158.16) / 71e12);
	assert.equal(tg.bound, 'memory');
	// Stub physics: roofline = 936e9 / (4e9 + 33,554,432) = 232.05 tok/s; expected = 0.8 × that.
	close(tg.rooflineTokensPerSecond, 936e9 / (4e9 + 33554432));
	close(tg.expectedTokensPerSecond, (0.8 * 936e9) / (4e9 + 33554432));
	close(tg.measuredOverExpected, 158.16 / ((0.8 * 936e9) / (4e9 + 33554432)));
	assert.match(tg.bytesPerStepSource!, /model_size/);
});

test('llama-bench pp512: MFU is the headline, from prefill FLOPs per token', () => {
	const rep = meterLlamaBench(fixture('llama-bench.json'), 'x.json', STUB_DEPS, {});
	const pp = rep.runs.find((r) => r.test === 'pp512')!;
	assert.equal(pp.bound, 'compute');
	assert.equal(pp.stepsPerSecond, null);
	// FLOPs per prompt token = 2 × 6.74e9; × 5174.69 tok/s = 69.76 TFLOP/s; MFU = 69.76 / 71 = 0.9825.
	close(pp.achievedTflops, (2 * 6.74e9 * 5174.69) / 1e12);
	close(pp.mfu, (2 * 6.74e9 * 5174.69) / 1e12 / 71);
	// Expected comes from the stub prefill (4000 tok/s); roofline = min(71e12 / 13.48e9, 936e9 / (4e9/512)).
	assert.equal(pp.expectedTokensPerSecond, 4000);
	close(pp.rooflineTokensPerSecond, Math.min(71e12 / (2 * 6.74e9), 936e9 / (4e9 / 512)));
});

test('--hardware and --bandwidth-gbs override the file; devices scale the peak', () => {
	const adHoc = { ...GPU, id: 'ad-hoc', bandwidthGBs: 1000, origin: 'ad-hoc' as const };
	const rep = meterLlamaBench(fixture('llama-bench.json'), 'x.json', STUB_DEPS, {
		hardware: adHoc,
		devices: 2,
	});
	const tg = rep.runs.find((r) => r.test === 'tg128')!;
	assert.equal(tg.peakBandwidthGBs, 2000);
	assert.equal(tg.peakBandwidthOrigin, 'flag');
	close(tg.mbu, ((3825065984 + 33554432) * 158.16) / 1e9 / 2000);
});

test('markdown: the run at depth 4096 reads 4096 + 64 tokens of KV per step, and the mixed test gets no MBU', () => {
	const rep = meterLlamaBench(fixture('llama-bench.md'), 'x.md', STUB_DEPS, {
		hardware: GPU,
		model: 'llama-2-7b',
	});
	const deep = rep.runs.find((r) => r.test === 'tg128 @ d4096')!;
	assert.equal(deep.context, 4096 + 64);
	close(deep.kvBytesPerStep, (4096 + 64) * KV_PER_TOKEN);
	// Markdown size: 3.56 GiB = 3,822,520,893.44 B (rounded by the table; said so in the source text).
	close(deep.weightBytesPerStep, 3.56 * 2 ** 30);
	assert.match(deep.bytesPerStepSource!, /rounded/);
	close(deep.mbu, ((3.56 * 2 ** 30 + 4160 * KV_PER_TOKEN) * 104.21) / 1e9 / 936);
	const mixed = rep.runs.find((r) => r.test === 'pp512+tg128')!;
	assert.equal(mixed.mbu, null);
	assert.equal(mixed.mfu, null);
	assert.ok(mixed.notes.some((n) => /mixed prompt\+generation/.test(n)));
});

test('markdown without --model: the model is matched by parameter count and says so', () => {
	const rep = meterLlamaBench(fixture('llama-bench.md'), 'x.md', STUB_DEPS, { hardware: GPU });
	const tg = rep.runs.find((r) => r.test === 'tg128')!;
	assert.equal(tg.model, 'test/llama-2-7b');
	assert.equal(tg.modelMatchedBy, 'parameter count');
	assert.ok(tg.notes.some((n) => /pass --model to be sure/.test(n)));
	assert.equal(tg.weights, 'q4_0'); // from model_type "llama 7B Q4_0"
});

test('an unknown model and no hardware: errors that say what to pass, achieved numbers stay empty', () => {
	const rep = meterLlamaBench(fixture('llama-bench.csv'), 'x.csv', STUB_DEPS, {});
	const tg = rep.runs[0];
	assert.equal(tg.model, null);
	assert.ok(tg.errors.some((e) => /unknown model/.test(e)));
	assert.ok(tg.errors.some((e) => /--hardware <id> or --bandwidth-gbs/.test(e)));
	assert.equal(tg.mbu, null);
	assert.equal(tg.tokensPerSecond, 10.97);
});

test('hardware unknown but model known: bytes per step and achieved GB/s are still reported, MBU is not', () => {
	const rep = meterLlamaBench(fixture('llama-bench.csv'), 'x.csv', STUB_DEPS, { model: 'test/llama-2-7b' });
	const tg = rep.runs[0];
	assert.equal(tg.hardware, null);
	// CPU run: the device is cpu_info, which the stub catalog lacks.
	assert.ok(tg.errors.some((e) => /AMD Ryzen 9 7950X/.test(e)));
	// 4,661,211,136 B file + 64 × 524,288 B KV, × 10.97 steps/s = 51.50 GB/s.
	close(tg.achievedBandwidthGBs, ((4661211136 + 64 * KV_PER_TOKEN) * 10.97) / 1e9);
	assert.equal(tg.mbu, null);
	assert.equal(tg.expectedTokensPerSecond, null);
});

test("vllm bench serve: steps/s from mean ITL, batch by Little's law, context from mean lengths", () => {
	const rep = meterVllmBench(fixture('vllm-serve.json'), 's.json', STUB_DEPS, {
		hardware: GPU,
		model: 'llama-2-7b',
	});
	assert.deepEqual(rep.errors, []);
	const r = rep.runs[0];
	assert.equal(r.kind, 'serve');
	assert.equal(r.test, 'serve c=64 n=1000');
	assert.equal(r.tokensPerSecond, 2133.33);
	// steps/s = 1000 / 30 ms = 33.33; batch = 2133.33 / 33.33 = 64.0 (equals max_concurrency).
	close(r.stepsPerSecond, 1000 / 30);
	close(r.batch, 2133.33 / (1000 / 30));
	// context = 1,024,000 / 1000 + (256,000 / 1000) / 2 = 1024 + 128 = 1152 tokens.
	assert.equal(r.context, 1152);
	// Bytes per step = 4e9 weights + 524,288 × 1152 × 64 KV = 4e9 + 38,654,705,664 = 42,654,705,664 B.
	const bytes = 4e9 + 524288 * 1152 * 64;
	close(r.bytesPerStep, bytes);
	close(r.mbu, (bytes * (1000 / 30)) / 1e9 / 936);
	assert.equal(r.weights, 'f16'); // assumed from the model's native dtype
	assert.ok(r.notes.some((n) => /assumed f16/.test(n)));
});

test('vllm bench latency: vLLM defaults (batch 8, in 32, out 128) assumed and named; flags win', () => {
	const a = meterVllmBench(fixture('vllm-latency.json'), 'l.json', STUB_DEPS, {
		hardware: GPU,
		model: 'llama-2-7b',
	});
	const r = a.runs[0];
	assert.equal(r.test, 'latency b8 in32 out128');
	// tok/s = 8 × 128 / 2.56 s = 400; steps/s = 128 / 2.56 = 50.
	close(r.tokensPerSecond, 400);
	close(r.stepsPerSecond, 50);
	assert.equal(r.context, 32 + 64);
	assert.ok(r.notes.some((n) => /default 8 assumed/.test(n)));
	const b = meterVllmBench(fixture('vllm-latency.json'), 'l.json', STUB_DEPS, {
		hardware: GPU,
		model: 'llama-2-7b',
		batch: 1,
		outputLen: 256,
	});
	// 1 × 256 / 2.56 = 100 tok/s
	close(b.runs[0].tokensPerSecond, 100);
	assert.equal(b.runs[0].test, 'latency b1 in32 out256');
});
