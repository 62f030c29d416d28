/**
 * One start-up rule for the diagnostics, the concurrency the analysis assumes and the panel: when not one
 * sequence of the configured context fits (vLLM refuses to start), no batch of 7 is claimed anywhere.
 * samples/vllm/qwen32b-h100-config.yaml: Qwen2.5-32B bf16, max-model-len 32,768, max-num-seqs 16, H100 SXM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { runnableBatch, startupFit } from '../../../server/src/analysis/startupFit';

const SAMPLE = 'samples/vllm/qwen32b-h100-config.yaml';
const text = readFileSync(SAMPLE, 'utf8');

// KV budget on an H100 SXM: 0.9 × 80 GB = 72 GB, less weights 65,527,752,704 B and vLLM's overhead
// 2,497,227,520 B = 3,975,019,776 B. KV per token 2 × 64 layers × 8 KV heads × 128 × 2 B = 262,144 B, so one
// sequence holds at most 3,975,019,776 / 262,144 = 15,163.6 → 15,163 tokens: 32,768 does not fit.
// At the 2,048-token decode context the budget would hold 3,975,019,776 / (262,144 × 2,048) = 7.4 → 7.
test('the sample: kv-cache-does-not-fit, no concurrency estimate, decode-compute-idle at batch 1', async () => {
	const a = await analyzeDocument({ path: `/w/${SAMPLE}`, text }, {});
	const w = a.workloads[0];
	assert.ok(w.estimate);
	assert.equal(
		Math.floor(w.estimate.memory.maxBatchAtContext),
		7,
		'the decode-context capacity the old code used',
	);
	const kv = a.findings.find((f) => f.code === 'kv-cache-does-not-fit');
	assert.ok(kv);
	assert.equal((kv.data as { maxContextThatFits: number }).maxContextThatFits, 15163);
	assert.equal(w.concurrencyEstimate, undefined, 'no batch runs when the engine does not start');
	const idle = a.findings.find((f) => f.code === 'decode-compute-idle');
	assert.ok(idle);
	assert.equal((idle.data as { batch: number }).batch, 1);
	assert.doesNotMatch(idle.message, /batch 7/);
	assert.match(
		idle.message,
		/the configured 16 sequences cannot run: not even one 32,768-token sequence fits/,
	);
});

test('the same file at max-model-len 8,192 starts: the KV cap of 7 sequences applies again', async () => {
	// 8,192 × 262,144 B = 2.15 GB ≤ 3.98 GB: one sequence fits; at the 2,048 decode context 7 run together.
	const fits = text.replace('max-model-len: 32768', 'max-model-len: 8192');
	const a = await analyzeDocument({ path: '/w/q.yaml', text: fits }, {});
	assert.equal(
		a.findings.find((f) => f.code === 'kv-cache-does-not-fit'),
		undefined,
	);
	assert.equal(a.workloads[0].concurrencyEstimate?.batch, 7);
	const idle = a.findings.find((f) => f.code === 'decode-compute-idle');
	assert.equal((idle?.data as { batch: number } | undefined)?.batch, 7);
});

test('startupFit / runnableBatch: engines that preallocate only; never below 1', () => {
	const calls: unknown[] = [];
	const evaluate = (o: unknown) => {
		calls.push(o);
		return undefined;
	};
	assert.equal(startupFit('transformers.js', 4096, evaluate), undefined);
	assert.equal(startupFit('vllm', undefined, evaluate), undefined);
	assert.equal(calls.length, 0, 'no estimate is run for engines without the check');
	assert.equal(runnableBatch(16, 7.4, { fits: false }), 1);
	assert.equal(runnableBatch(16, 7.4, { fits: true }), 7);
	assert.equal(runnableBatch(16, 7.4, undefined), 7);
	assert.equal(runnableBatch(4, 50, undefined), 4);
	assert.equal(runnableBatch(16, 0.3, undefined), 1);
});
