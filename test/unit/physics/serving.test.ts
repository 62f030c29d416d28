import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateDecode } from '../../../server/src/analysis/physics/decode';
import { estimateMemory } from '../../../server/src/analysis/physics/memory';
import { resolveLayout } from '../../../server/src/analysis/physics/parallel';
import {
	attentionCompute,
	estimateServing,
	expectedTokensPerStep,
	expertGemmEfficiency,
	linearCompute,
	parseVersion,
	schedulerCaps,
	speculativeMethodOf,
	type ServingInput,
} from '../../../server/src/analysis/physics/serving';
import type { FormatSpec, HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { deepseekV3, fp8, h100, h200, input, kvBf16, kvFp8, llama31_70b } from './specs';

const load = (over: Partial<ServingInput> = {}): ServingInput => ({
	inputTokens: 1000,
	outputTokens: 1000,
	concurrency: 1,
	...over,
});

test('concurrency 1 is the decode step: ITL ≥ the decode step at batch 1, total = one user', () => {
	const inp = input();
	const s = estimateServing(inp, load());
	const layout = resolveLayout(1, 'vllm', undefined, undefined);
	const at = { ...inp, batch: 1, context: 1500, prompt: 1000 };
	const d = estimateDecode({ input: at, layout, memory: estimateMemory(at, layout), notes: [] });
	assert.equal(s.runningSequences, 1);
	assert.ok(s.interTokenLatencySeconds >= d.stepSeconds, 'ITL includes the decode step');
	// One user: total output rate = OSL / (TTFT + (OSL − 1) × ITL) within rounding of the cycle.
	const cycle = (s.ttftSeconds as number) + 999 * s.interTokenLatencySeconds;
	assert.ok(Math.abs(s.outputTokensPerSecondTotal - 1000 / cycle) / s.outputTokensPerSecondTotal < 0.05);
});

test('total throughput rises and per-user speed falls with concurrency; ITL grows', () => {
	const inp = input();
	const a = estimateServing(inp, load({ concurrency: 1 }));
	const b = estimateServing(inp, load({ concurrency: 32 }));
	const c = estimateServing(inp, load({ concurrency: 128 }));
	assert.ok(b.outputTokensPerSecondTotal > a.outputTokensPerSecondTotal * 10);
	assert.ok(c.outputTokensPerSecondTotal > b.outputTokensPerSecondTotal);
	assert.ok(c.interTokenLatencySeconds > b.interTokenLatencySeconds);
	assert.ok(b.interTokenLatencySeconds > a.interTokenLatencySeconds);
	assert.ok(c.outputTokensPerSecondPerUser < a.outputTokensPerSecondPerUser);
});

test('prefill costs throughput: a longer prompt lowers output tok/s at the same concurrency', () => {
	const inp = input();
	const short = estimateServing(inp, load({ inputTokens: 128, concurrency: 64 }));
	const long = estimateServing(inp, load({ inputTokens: 8000, concurrency: 64 }));
	assert.ok(long.outputTokensPerSecondTotal < short.outputTokensPerSecondTotal * 0.7);
	assert.ok((long.ttftSeconds as number) > (short.ttftSeconds as number) * 5);
});

test('KV capacity binds: concurrency beyond it queues, TTFT grows by Little’s law, total saturates', () => {
	const inp = input({
		model: llama31_70b,
		weights: fp8,
		hardware: h100,
		devices: 2,
		tensorParallel: 2,
		engine: 'trt-llm',
		kvDtype: kvBf16,
	});
	const s = load({ inputTokens: 5000, outputTokens: 500 });
	const cap = estimateServing(inp, { ...s, concurrency: 10_000 }).caps.kvCapacitySequences;
	assert.ok(cap > 4 && cap < 200, `capacity ${cap}`);
	const at = estimateServing(inp, { ...s, concurrency: cap });
	const over = estimateServing(inp, { ...s, concurrency: cap + 50 });
	const more = estimateServing(inp, { ...s, concurrency: cap + 100 });
	assert.equal(over.limitedBy, 'kv-capacity');
	assert.equal(over.runningSequences, cap);
	assert.equal(over.queuedRequests, 50);
	assert.ok(Math.abs(over.outputTokensPerSecondTotal - at.outputTokensPerSecondTotal) < 1e-6);
	// Each 50 extra clients wait 50 / (requests per second) longer.
	const step = (more.ttftSeconds as number) - (over.ttftSeconds as number);
	assert.ok(Math.abs(step - 50 / over.requestsPerSecond) / step < 1e-6);
	// FP8 KV holds about twice the sequences.
	const fp8Cap = estimateServing({ ...inp, kvDtype: kvFp8 }, { ...s, concurrency: 10_000 }).caps
		.kvCapacitySequences;
	assert.ok(fp8Cap >= 1.9 * cap && fp8Cap <= 2.1 * cap + 1);
});

test('scheduler caps by engine and version; user settings win and are named', () => {
	assert.equal(schedulerCaps('vllm', h100, { engineVersion: '0.10.1' }).maxRunning, 1024);
	assert.equal(schedulerCaps('vllm', h100, { engineVersion: '0.10.1' }).tokenBudget, 8192);
	assert.equal(schedulerCaps('vllm', h100, { engineVersion: '0.8.5' }).tokenBudget, 2048);
	assert.equal(schedulerCaps('vllm', h100, { engineVersion: '0.8.5' }).maxRunning, 256);
	const a100: HardwareSpec = { ...h100, id: 'a100-80gb-sxm', memoryGB: 80 };
	assert.equal(schedulerCaps('vllm', a100).maxRunning, 256, 'A100 is excluded from the large defaults');
	const v0 = schedulerCaps('vllm', h100, { engineVersion: '0.6.3', maxModelLen: 16384 });
	assert.equal(v0.chunkedPrefill, false);
	assert.equal(v0.tokenBudget, 16384);
	assert.equal(schedulerCaps('trt-llm', h100).maxRunning, 2048);
	const set = schedulerCaps('vllm', h100, { maxRunning: 48 });
	assert.equal(set.maxRunning, 48);
	assert.ok(set.sources.some((x) => x.includes('48 (set)')));
	assert.deepEqual(parseVersion('v0.9.2rc1'), [0, 9, 2]);
	const s = estimateServing(input(), load({ concurrency: 100, scheduler: { maxRunning: 48 } }));
	assert.equal(s.limitedBy, 'max-num-seqs');
	assert.equal(s.runningSequences, 48);
});

test('a token budget below the decode batch caps running sequences at the budget', () => {
	const s = estimateServing(
		input(),
		load({
			inputTokens: 100,
			outputTokens: 100,
			concurrency: 600,
			scheduler: { tokenBudget: 512, maxRunning: 4096 },
		}),
	);
	assert.equal(s.runningSequences, 512);
	assert.equal(s.limitedBy, 'max-num-batched-tokens');
});

test('speculative decoding: expected tokens per step, faster per user at low concurrency, both reported', () => {
	assert.equal(expectedTokensPerStep(0, 0.8), 1);
	assert.ok(Math.abs(expectedTokensPerStep(3, 0.5) - 1.875) < 1e-12);
	const spec = estimateServing(input(), load({ speculative: { method: 'eagle3', tokens: 3 } }));
	assert.ok(spec.speculative);
	assert.equal(spec.speculative.acceptanceIsDefault, true);
	assert.ok(spec.outputTokensPerSecondPerUser > spec.speculative.without.outputTokensPerSecondPerUser * 1.5);
	assert.ok(spec.assumptions.some((a) => a.includes('default for the method')));
	// At a compute-bound batch, verifying 4 tokens per sequence costs more than it gains with poor acceptance.
	const busy = estimateServing(
		input(),
		load({ concurrency: 256, speculative: { method: 'ngram', tokens: 4, acceptanceRate: 0.1 } }),
	);
	assert.ok(busy.outputTokensPerSecondTotal < (busy.speculative?.without.outputTokensPerSecondTotal ?? 0));
	assert.equal(speculativeMethodOf('EAGLE3'), 'eagle3');
	assert.equal(speculativeMethodOf('deepseek_mtp'), 'mtp');
	assert.equal(speculativeMethodOf('NEXTN'), 'mtp');
	assert.equal(speculativeMethodOf('[ngram]'), 'ngram');
	assert.equal(speculativeMethodOf('draft_model'), 'draft-model');
});

test('MLA under DP attention: the latent is not replicated on every TP rank, so KV capacity grows ~TP-fold', () => {
	const inp = input({
		model: deepseekV3,
		weights: fp8,
		hardware: h200,
		devices: 8,
		tensorParallel: 8,
		engine: 'sglang',
	});
	const tp = estimateServing(inp, load({ concurrency: 10_000 })).caps.kvCapacitySequences;
	const dp = estimateServing(
		inp,
		load({ concurrency: 10_000, layout: { attentionDataParallel: 8, expertParallel: 8 } }),
	).caps.kvCapacitySequences;
	assert.ok(dp >= 7.9 * tp && dp <= 8.1 * tp + 1, `${tp} → ${dp}`);
	const ep = estimateServing(
		inp,
		load({ concurrency: 64, layout: { attentionDataParallel: 8, expertParallel: 8 } }),
	);
	assert.ok(ep.step.allToAllSeconds > 0, 'expert parallelism adds all-to-all time');
});

test('expert GEMM efficiency falls with tokens per expert (64-row tiles)', () => {
	assert.equal(expertGemmEfficiency(64), 1);
	assert.equal(expertGemmEfficiency(8), 8 / 64);
	assert.equal(expertGemmEfficiency(65), 65 / 128);
});

test('compute precision: NVFP4 on Hopper runs on bf16 units, on Blackwell on FP4; attention at the KV dtype', () => {
	const nvfp4: FormatSpec = { ...fp8, id: 'nvfp4', bitsPerWeight: 4.5, computeDtype: 'fp4', family: 'nv' };
	const hopper = linearCompute(nvfp4, h100);
	assert.equal(hopper.dtype, 'bf16');
	assert.ok(hopper.note?.includes('no fp4 units'));
	const b200: HardwareSpec = { ...h100, id: 'b200', peakTflops: { bf16: 2250, fp8: 4500, fp4: 9000 } };
	assert.equal(linearCompute(nvfp4, b200).dtype, 'fp4');
	assert.ok(linearCompute(nvfp4, b200).precisionEfficiency < linearCompute(fp8, b200).precisionEfficiency);
	assert.equal(attentionCompute(kvFp8, h100).dtype, 'fp8');
	assert.equal(attentionCompute(kvBf16, h100).dtype, 'bf16');
});

test('offline runs report no TTFT and fill the engine to its binding cap', () => {
	const s = estimateServing(input(), load({ concurrency: Infinity }));
	assert.equal(s.ttftSeconds, null);
	assert.equal(s.concurrency, null);
	assert.ok(['kv-capacity', 'max-num-seqs', 'max-num-batched-tokens'].includes(s.limitedBy));
	assert.ok(s.outputTokensPerSecondTotal <= s.rooflineOutputTokensPerSecondTotal);
});

test('weights that do not fit serve nothing and say why', () => {
	const s = estimateServing(input({ model: llama31_70b }), load({ concurrency: 8 }));
	assert.equal(s.outputTokensPerSecondTotal, 0);
	assert.equal(s.limitedBy, 'weights-do-not-fit');
});

test('vLLM DP × EP: experts shard over all DP × TP ranks, so the engine spans them', () => {
	const inp = input({
		model: deepseekV3,
		weights: fp8,
		hardware: h200,
		devices: 1,
		tensorParallel: 1,
		engine: 'vllm',
	});
	const s = estimateServing(
		inp,
		load({ concurrency: 64, layout: { expertParallel: 8, attentionDataParallel: 8 } }),
	);
	assert.equal(s.layout.devices, 8);
	assert.ok(s.runningSequences === 64 && s.outputTokensPerSecondTotal > 0);
	assert.ok(s.assumptions.some((a) => a.includes('expert parallelism over 8 ranks')));
});
