import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	allReduceSecondsPerStep,
	attentionFlopsPerToken,
	constant,
	estimate,
	expectedExpertsTouched,
	moeSplit,
	peakFor,
	pipelineTiming,
} from '../../../server/src/analysis/physics/index';
import type { HardwareSpec } from '../../../server/src/analysis/catalog/types';
import {
	assertClose,
	deepseekV3,
	epyc9654,
	h100,
	h200,
	input,
	llama31_70b,
	llama31_8b,
	mixtral8x7b,
	q4_0,
	rtx4090,
} from './specs';

test('headline: vLLM on an A100 40GB decodes Llama 3.1 8B bf16 within ±25 % of a measurement not in the ledger; an H200 is faster by less than its bandwidth ratio', () => {
	// "vLLM throughput-latency sweep on NVIDIA A100" (johnmusgrave.com, vLLM 0.23.0, A100 40GB, 1024 in / 128 out,
	// one request at a time): about 75 tok/s. Not a ledger row, so no constant was chosen on it.
	const a100: HardwareSpec = {
		...h100,
		id: 'a100-40gb-sxm',
		bandwidthGBs: 1555,
		peakTflops: { bf16: 312, fp16: 312 },
	};
	const onA100 = estimate(input({ hardware: a100, engine: 'vllm', batch: 1, context: 1024 + 64 }));
	const a = onA100.decode.expectedTokensPerSecondPerUser;
	assert.ok(Math.abs(a / 75 - 1) <= 0.25, `A100 40GB: ${a} tok/s vs 75 measured`);
	// The per-layer fixed cost does not shrink with bandwidth: 4.8 / 1.555 = 3.1× the bandwidth gives less than 3.1×.
	const e = estimate(input({ hardware: h200, engine: 'vllm', batch: 1, context: 1024 }));
	const tps = e.decode.expectedTokensPerSecondPerUser;
	assert.ok(tps > 1.5 * a && tps < (4.8 / 1.555) * a, `H200 ${tps} tok/s vs A100 ${a}`);
	assert.ok(e.decode.rooflineTokensPerSecondPerUser >= tps);
	// Roofline by hand: 1 / (bytes / 4.8 TB/s); bytes ≈ 15.01 GB weights (no embedding) + 134 MB KV.
	assertClose(e.decode.rooflineTokensPerSecondPerUser, 4.8e12 / e.decode.bytesPerStep);
});

test('headline: at batch 1 an H100 decodes using a few percent of peak FLOPs at most', () => {
	const e = estimate(input({ hardware: h100, batch: 1 }));
	// 2 FLOPs per weight per token against ~1 byte... bf16 is 2 bytes per weight: intensity ≈ 1 FLOP/B vs ridge 989e12/3.35e12 ≈ 295.
	assertClose(e.decode.ridgeFlopsPerByte, 989e12 / 3350e9);
	assert.equal(e.decode.bound, 'memory');
	assert.ok(e.decode.arithmeticIntensity > 0.9 && e.decode.arithmeticIntensity < 1.2);
	assert.ok(
		e.decode.computeUtilization > 0.001 && e.decode.computeUtilization < 0.05,
		`${e.decode.computeUtilization}`,
	);
});

test('decode bytes and FLOPs by hand: Llama 3.1 8B bf16, batch 4, context 2048', () => {
	const e = estimate(input({ batch: 4, context: 2048 }));
	// Weights read: everything but the 128256×4096 embedding: (8,030,261,248 − 525,336,576) × 2 B.
	assert.equal(e.decode.weightBytesPerStep, (8_030_261_248 - 525_336_576) * 2);
	// KV read: 4 sequences × 2048 tokens × 131072 B.
	assert.equal(e.decode.kvBytesPerStep, 4 * 2048 * 131072);
	// FLOPs: 4 × (2 × 7,504,924,672 + 4·32·128·2048·32 attention).
	assert.equal(attentionFlopsPerToken(llama31_8b, 2048), 4 * 32 * 128 * 2048 * 32);
	assert.equal(e.decode.flopsPerStep, 4 * (2 * 7_504_924_672 + 4 * 32 * 128 * 2048 * 32));
	assertClose(e.decode.arithmeticIntensity, e.decode.flopsPerStep / e.decode.bytesPerStep);
	assertClose(e.decode.tokensPerSecondTotal, 4 * e.decode.expectedTokensPerSecondPerUser);
});

test('MLA attention FLOPs per token: 2·heads·(2·kvLoraRank + rope)·layers·C', () => {
	assert.equal(attentionFlopsPerToken(deepseekV3, 1000), 2 * 128 * (2 * 512 + 64) * 61 * 1000);
});

test('MoE: expected experts touched E·(1−(1−k/E)^B)', () => {
	assert.equal(expectedExpertsTouched(8, 2, 1), 2);
	// B = 2: 8·(1 − (6/8)²) = 8·(1 − 0.5625) = 3.5.
	assertClose(expectedExpertsTouched(8, 2, 2), 3.5);
	// DeepSeek-V3 at B = 32: 256·(1 − (248/256)^32) ≈ 161.4.
	assertClose(expectedExpertsTouched(256, 8, 32), 256 * (1 - Math.pow(248 / 256, 32)));
	assert.ok(expectedExpertsTouched(8, 2, 1000) <= 8);
});

test('MoE split: DeepSeek-V3 expert = (671.03 − 37.55) B / (256 − 8) = 3·7168·2048 per layer × 58 layers', () => {
	const s = moeSplit(deepseekV3);
	assert.ok(s);
	const perExpert = (671_026_419_200 - 37_552_297_472) / 248;
	assertClose(s.paramsPerExpertAllLayers, perExpert);
	// Within 0.5 % of the layer arithmetic (58 MoE layers × 3 × 7168 × 2048 = 2,554,331,136).
	assert.ok(Math.abs(perExpert / (58 * 3 * 7168 * 2048) - 1) < 0.005);
});

test('MoE decode at batch 1 reads the active parameters, at large batch nearly all experts', () => {
	const b1 = estimate(input({ model: mixtral8x7b, hardware: h200, batch: 1 }));
	// Active 12,879,925,248 − embedding 32000·4096 = 12,748,853,248 params × 2 B.
	assertClose(b1.decode.weightBytesPerStep, (12_879_925_248 - 131_072_000) * 2);
	assert.equal(b1.decode.expertsTouchedPerLayer, 2);
	const b64 = estimate(input({ model: mixtral8x7b, hardware: h200, batch: 64 }));
	assert.ok(b64.decode.expertsTouchedPerLayer! > 7.99);
	assert.ok(b64.decode.weightBytesPerStep > 0.99 * (46_702_792_704 - 131_072_000) * 2);
});

test('TP all-reduce by hand: 2 per layer, ring 2(n−1)/n of B·hidden·2 bytes over the link + latency × (TP/2)^k', () => {
	// 70B on 4 H100 over NVLink (450 GB/s), batch 8: per collective 1.5 × 8·8192·2 / 450e9 + fabric latency × 2^k.
	const latency = constant('collectiveUs.fabric') * 1e-6 * 2 ** constant('collectiveTpExponent');
	const per = 1.5 * ((8 * 8192 * 2) / 450e9) + latency;
	assertClose(allReduceSecondsPerStep(llama31_70b, h100, 4, 8), 2 * 80 * per);
	assert.equal(allReduceSecondsPerStep(llama31_70b, h100, 1, 8), 0);
});

test('pipeline parallel: batch 1 on 4 stages idles 3/4; per-user speed does not improve', () => {
	assert.deepEqual(pipelineTiming(4, 1), { microBatches: 1, bubbleFraction: 0.75 });
	assert.deepEqual(pipelineTiming(4, 8), { microBatches: 4, bubbleFraction: 0 });
	const one = estimate(
		input({ model: llama31_70b, weights: q4_0, hardware: h200, engine: 'vllm', devices: 1 }),
	);
	const pp = estimate(
		input({
			model: llama31_70b,
			weights: q4_0,
			hardware: h200,
			engine: 'vllm',
			devices: 4,
			tensorParallel: 1,
			pipelineParallel: 4,
		}),
	);
	assert.equal(pp.decode.pipelineBubbleFraction, 0.75);
	assert.ok(pp.decode.expectedTokensPerSecondPerUser <= one.decode.expectedTokensPerSecondPerUser * 1.01);
});

test('peak fallback: int4 weight-only runs on bf16/fp16 units; missing fp8 falls back to bf16', () => {
	assert.equal(peakFor(h100, 'fp16').tflops, 989);
	const noFp8 = { ...h100, peakTflops: { bf16: 312, fp16: 312 } };
	const p = peakFor(noFp8, 'fp8');
	assert.equal(p.dtype, 'bf16');
	assert.match(p.note ?? '', /no fp8/);
	assert.equal(peakFor({ ...h100, peakTflops: {} }, 'bf16').flopsPerSecond, 0);
});

test('CPU with known threads: dequant and per-thread bandwidth cap the rate', () => {
	const unlimited = estimate(input({ hardware: epyc9654, engine: 'llama.cpp', weights: q4_0 }));
	const four = estimate(input({ hardware: epyc9654, engine: 'llama.cpp', weights: q4_0, threads: 4 }));
	assert.ok(four.decode.expectedTokensPerSecondPerUser < unlimited.decode.expectedTokensPerSecondPerUser);
	assert.ok(four.decode.efficiency.reasons.some((r) => /threads/.test(r)));
	assert.ok(unlimited.assumptions.some((a) => /threads unknown/.test(a)));
});

test('small models on fast GPUs: fixed overheads dominate, so efficiency drops', () => {
	const tiny = {
		...llama31_8b,
		id: 'tiny',
		layers: 16,
		hidden: 1024,
		intermediate: 4096,
		heads: 16,
		kvHeads: 4,
		headDim: 64,
		vocab: 32000,
		paramsTotal: 300e6,
		paramsActive: 300e6,
	};
	const small = estimate(input({ model: tiny, hardware: rtx4090, engine: 'llama.cpp', weights: q4_0 }));
	const big = estimate(input({ model: llama31_8b, hardware: rtx4090, engine: 'llama.cpp', weights: q4_0 }));
	assert.ok(small.decode.efficiency.factor < big.decode.efficiency.factor);
	assert.ok(small.decode.efficiency.factor < 0.5, `${small.decode.efficiency.factor}`);
});

test('bad input throws a RangeError naming the field', () => {
	assert.throws(() => estimate(input({ batch: 0 })), /batch/);
	assert.throws(() => estimate(input({ hardware: { ...h100, bandwidthGBs: 0 } })), /bandwidth/);
});
