import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { ENGINES } from '../../../server/src/analysis/physics/types';
import {
	estimate,
	expectedExpertsTouched,
	kvBytesForSequence,
	weightBytes,
} from '../../../server/src/analysis/physics/index';
import {
	bf16,
	epyc9654,
	f16gguf,
	h100,
	input,
	int4,
	kvBf16,
	llama31_8b,
	m2ultra,
	mistral7bV01,
	mixtral8x7b,
	q4_0,
	q8_0,
	rtx4090,
} from './specs';

const hardware: HardwareSpec[] = [h100, rtx4090, epyc9654, m2ultra];
const models = [llama31_8b, mistral7bV01, mixtral8x7b];
const formats = [bf16, q8_0, q4_0, int4];
const arb = fc.record({
	model: fc.constantFrom(...models),
	weights: fc.constantFrom(...formats),
	hardware: fc.constantFrom(...hardware),
	engine: fc.constantFrom(...ENGINES),
	batch: fc.integer({ min: 1, max: 512 }),
	context: fc.integer({ min: 0, max: 131072 }),
	devices: fc.constantFrom(1, 2, 4, 8),
	threads: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
});

test('roofline ≥ expected, and every output is a finite non-negative number', () => {
	fc.assert(
		fc.property(arb, (a) => {
			const e = estimate(input({ ...a, prompt: 512 }));
			const d = e.decode;
			assert.ok(d.rooflineTokensPerSecondPerUser >= d.expectedTokensPerSecondPerUser * (1 - 1e-12));
			for (const v of [
				d.bytesPerStep,
				d.flopsPerStep,
				d.stepSeconds,
				d.tokensPerSecondTotal,
				e.prefill.ttftSeconds,
			])
				assert.ok(Number.isFinite(v) && v > 0);
			assert.ok(d.efficiency.factor > 0 && d.efficiency.factor <= 1 + 1e-12);
		}),
		{ numRuns: 300 },
	);
});

test('more context → more bytes per step (never fewer)', () => {
	fc.assert(
		fc.property(arb, fc.integer({ min: 1, max: 100000 }), (a, extra) => {
			const lo = estimate(input({ ...a }));
			const hi = estimate(input({ ...a, context: a.context + extra }));
			assert.ok(hi.decode.bytesPerStep >= lo.decode.bytesPerStep);
			assert.ok(
				kvBytesForSequence(a.model, kvBf16, a.context + extra) >=
					kvBytesForSequence(a.model, kvBf16, a.context),
			);
		}),
		{ numRuns: 200 },
	);
});

test('bigger batch → higher arithmetic intensity (dense models at short context)', () => {
	fc.assert(
		fc.property(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 1, max: 256 }), (b, more) => {
			const lo = estimate(input({ batch: b, context: 256 }));
			const hi = estimate(input({ batch: b + more, context: 256 }));
			assert.ok(hi.decode.arithmeticIntensity > lo.decode.arithmeticIntensity);
		}),
		{ numRuns: 200 },
	);
});

test('fewer bits → fewer weight bytes and no slower roofline', () => {
	const ordered = [f16gguf, q8_0, q4_0];
	fc.assert(
		fc.property(fc.constantFrom(...models), fc.constantFrom(...hardware), (model, hw) => {
			for (let i = 1; i < ordered.length; i++) {
				assert.ok(weightBytes(model, ordered[i]) < weightBytes(model, ordered[i - 1]));
				const a = estimate(input({ model, hardware: hw, weights: ordered[i - 1], engine: 'llama.cpp' }));
				const b = estimate(input({ model, hardware: hw, weights: ordered[i], engine: 'llama.cpp' }));
				assert.ok(b.decode.rooflineTokensPerSecondPerUser >= a.decode.rooflineTokensPerSecondPerUser);
			}
		}),
	);
});

test('MoE touched experts lie between k and E and grow with the batch', () => {
	fc.assert(
		fc.property(
			fc.integer({ min: 1, max: 512 }),
			fc.integer({ min: 1, max: 64 }),
			fc.integer({ min: 1, max: 4096 }),
			(e, k0, b) => {
				const k = Math.min(k0, e);
				const t = expectedExpertsTouched(e, k, b);
				assert.ok(t <= e + 1e-9 && t >= k - 1e-9, `${t} for E=${e} k=${k} B=${b}`);
				assert.ok(expectedExpertsTouched(e, k, b + 1) >= t - 1e-9);
			},
		),
	);
});

test('more devices never shrink per-device weights, and memory fit is monotone in capacity', () => {
	fc.assert(
		fc.property(fc.constantFrom(1, 2, 4), fc.integer({ min: 8, max: 400 }), (n, gb) => {
			const small = estimate(input({ devices: n, hardware: { ...h100, memoryGB: gb } }));
			const large = estimate(input({ devices: n, hardware: { ...h100, memoryGB: gb * 2 } }));
			if (small.memory.fits) assert.ok(large.memory.fits);
			assert.ok(large.memory.maxBatchAtContext >= small.memory.maxBatchAtContext);
		}),
	);
});
