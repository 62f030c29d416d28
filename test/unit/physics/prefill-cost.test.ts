import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	causalPairs,
	DEFAULT_PRICING,
	estimate,
	estimateCost,
	POWER_LOAD_FACTOR,
	prefillAttentionFlops,
} from '../../../server/src/analysis/physics/index';
import { assertClose, h100, input, llama31_8b, mistral7bV01 } from './specs';

test('causal pairs: Σ min(i, w)', () => {
	assert.equal(causalPairs(4), 10);
	assert.equal(causalPairs(6, 3), 6 + 3 * 3);
});

test('prefill FLOPs by hand: 2·params·P + 4·heads·headDim·layers·P(P+1)/2', () => {
	const e = estimate(input({ prompt: 1000 }));
	const linear = 2 * (8_030_261_248 - 525_336_576) * 1000;
	const attention = 4 * 32 * 128 * 32 * ((1000 * 1001) / 2);
	assert.equal(prefillAttentionFlops(llama31_8b, 1000), attention);
	assert.equal(e.prefill.flops, linear + attention);
	// Compute-bound at 50 % of 989 TFLOPS: ≈ 30 ms, plus fixed vLLM step overhead.
	assert.equal(e.prefill.bound, 'compute');
	assert.ok(e.prefill.seconds > e.prefill.flops / (0.5 * 989e12));
	assertClose(e.prefill.ttftSeconds, e.prefill.seconds + e.decode.stepSeconds);
	// Windowed layers attend to at most 4096 tokens.
	assert.ok(prefillAttentionFlops(mistral7bV01, 20000) < prefillAttentionFlops(llama31_8b, 20000));
});

test('cost by hand: ($30,000/(3·8760 h) + 0.49 kW·$0.12) / (tok/s·3600) per token', () => {
	const tps = 1000;
	const c = estimateCost(h100, 1, tps, DEFAULT_PRICING);
	assert.ok(c);
	const capexPerHour = 30000 / (3 * 8760);
	const energyPerHour = ((700 * POWER_LOAD_FACTOR) / 1000) * 0.12;
	assertClose(c.usdPerMillionTokens, ((capexPerHour + energyPerHour) / (tps * 3600)) * 1e6);
	assertClose(c.joulesPerToken, (700 * POWER_LOAD_FACTOR) / tps);
	assert.match(c.basis, /\$0.12\/kWh/);
	// Half utilization doubles the capital share only.
	const half = estimateCost(h100, 1, tps, { ...DEFAULT_PRICING, utilization: 0.5 });
	assertClose(half!.usdPerMillionTokens, ((2 * capexPerHour + energyPerHour) / (tps * 3600)) * 1e6);
	assert.equal(estimateCost({ ...h100, priceUsd: undefined, tdpW: undefined }, 1, tps), undefined);
});

test('DEFAULT_PRICING is $0.12/kWh over 3 years at utilization 1 (marginal cost)', () => {
	assert.deepEqual(DEFAULT_PRICING, { electricityUsdPerKwh: 0.12, amortizationYears: 3, utilization: 1 });
});
