import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRun, estimate } from '../../../server/src/analysis/physics/index';
import {
	assertClose,
	epyc9654,
	h100,
	h200,
	input,
	llama31_70b,
	llama31_8b,
	q4_0,
	rtx4090,
	taalas,
} from './specs';

const catalog = [h100, h200, rtx4090, epyc9654, taalas];

test('hardwired devices only run their fixed models', () => {
	assert.equal(canRun(taalas, { ...llama31_8b, id: 'meta-llama/Llama-3.1-8B-Instruct' }), true);
	assert.equal(canRun(taalas, llama31_8b), true); // base id matches once -Instruct is stripped
	assert.equal(canRun(taalas, llama31_70b), false);
	const e = estimate(
		input({
			model: llama31_70b,
			weights: q4_0,
			hardware: h100,
			latencyTarget: { tokensPerSecondPerUser: 5 },
		}),
		catalog,
	);
	assert.notEqual(e.coupling?.recommendedHardware, 'taalas-hc1');
});

test('batch 1, 8B in 4-bit, 20 tok/s: a cheaper device than an H100 meets it', () => {
	const e = estimate(
		input({
			weights: q4_0,
			hardware: h100,
			engine: 'llama.cpp',
			latencyTarget: { tokensPerSecondPerUser: 20 },
		}),
		[h100, h200, rtx4090, epyc9654],
	);
	const c = e.coupling;
	assert.ok(c);
	assert.equal(c.current, 'gpu');
	assert.notEqual(c.recommendedHardware, 'h100-sxm');
	assert.ok(c.reasons.length >= 1 && c.reasons.length <= 3);
	assert.match(c.reasons[0], /memory-bound/);
	assert.match(c.reasons[1], /cheaper than h100-sxm/);
});

test('a target nothing meets says so and names the fastest that fits', () => {
	const e = estimate(
		input({
			model: llama31_70b,
			hardware: h100,
			devices: 4,
			latencyTarget: { tokensPerSecondPerUser: 100000 },
		}),
		[h100, epyc9654],
	);
	assert.match(e.coupling!.reasons.join(' '), /no priced catalog device meets/);
});

test('without a catalog there is no coupling block', () => {
	assert.equal(estimate(input()).coupling, undefined);
});

test('a hardwired device runs its etched weights, and nothing else', () => {
	const ok = estimate(input({ hardware: taalas }));
	// Etched weights fill the listed capacity: 4 GB ⇒ 4e9·8 / 8,030,261,248 ≈ 3.98 bits per weight.
	assertClose(ok.memory.weightsBytes, 4e9);
	assert.equal(ok.memory.fits, true);
	assert.ok(ok.assumptions.some((a) => /etched weights/.test(a)));
	const no = estimate(input({ hardware: taalas, model: llama31_70b }));
	assert.equal(no.memory.fits, false);
	assert.ok(no.assumptions.some((a) => /cannot run/.test(a)));
});

test('repeated estimates of one workload reuse the candidate list and give identical coupling', () => {
	const a = estimate(input({ weights: q4_0, hardware: h100 }), catalog);
	const b = estimate(input({ weights: q4_0, hardware: h200 }), catalog);
	assert.equal(a.coupling?.recommendedHardware, b.coupling?.recommendedHardware);
	// A different target must not hit the cached answer.
	const c = estimate(
		input({ weights: q4_0, hardware: h100, latencyTarget: { tokensPerSecondPerUser: 1e6 } }),
		catalog,
	);
	assert.match(c.coupling!.reasons.join(' '), /no priced catalog device meets/);
});
