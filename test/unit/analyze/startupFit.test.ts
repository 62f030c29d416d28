/**
 * One start-up rule for the diagnostics, the concurrency the analysis assumes and the panel: when not one
 * sequence of the configured context fits (vLLM refuses to start), no batch of 9 is claimed anywhere.
 * samples/vllm/qwen32b-h100-config.yaml: Qwen2.5-32B bf16, max-model-len 32,768, max-num-seqs 16, H100 SXM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { runnableBatch, startupFit } from '../../../server/src/analysis/startupFit';

const SAMPLE = 'samples/vllm/qwen32b-h100-config.yaml';
const text = readFileSync(SAMPLE, 'utf8');

// vLLM's plan on an H100 SXM (physics/memoryPlan/vllm.ts): 0.85 × 79.15 GiB (81,559 MiB less CUDA's
// reservation) = 67.28 GiB, less weights 61.03 GiB, the activation peak of 8,192 profiled tokens 1.50 GiB,
// non-torch memory 0.14 GiB and (no version pinned: current rules, from 0.21.0) CUDA graphs 0.57 GiB = 4.05 GiB
// of KV. One 16-token block of 64 layers × 8 KV heads × 128 × 2 (K, V) × 2 B is 4 MiB, so the pool holds
// 1,036 blocks = 16,576 tokens: 32,768 does not fit.
// At the 2,048-token decode context the budget would hold 4.05 GiB / (262,144 × 2,048) = 8.1 → 8.
test('the sample: kv-cache-does-not-fit, no concurrency estimate, decode-compute-idle at batch 1', async () => {
	const a = await analyzeDocument({ path: `/w/${SAMPLE}`, text }, {});
	const w = a.workloads[0];
	assert.ok(w.estimate);
	assert.equal(
		Math.floor(w.estimate.memory.maxBatchAtContext),
		8,
		'the decode-context capacity the old code used',
	);
	const kv = a.findings.find((f) => f.code === 'kv-cache-does-not-fit');
	assert.ok(kv);
	assert.equal((kv.data as { maxContextThatFits: number }).maxContextThatFits, 16576);
	assert.equal(w.concurrencyEstimate, undefined, 'no batch runs when the engine does not start');
	const idle = a.findings.find((f) => f.code === 'decode-compute-idle');
	assert.ok(idle);
	assert.equal((idle.data as { batch: number }).batch, 1);
	assert.doesNotMatch(idle.message, /batch 8/);
	// The message gives vLLM's own numbers; the data carry its error in its words.
	assert.match(
		kv.message,
		/needs 8\.00 GiB of KV cache for one sequence per GPU .* but vLLM V1 has 4\.05 GiB left/,
	);
	assert.match(
		(kv.data as { engineError: string }).engineError,
		/^ValueError: To serve at least one request with the model's max seq len \(32768\)/,
	);
	assert.match(
		idle.message,
		/the configured 16 sequences cannot run: not even one 32,768-token sequence fits/,
	);
});

test('the same file at max-model-len 8,192 starts: the KV cap of 8 sequences applies again', async () => {
	// 8,192 × 262,144 B = 2 GiB ≤ 4.05 GiB: one sequence fits; at the 2,048 decode context 8 run together.
	const fits = text.replace('max-model-len: 32768', 'max-model-len: 8192');
	const a = await analyzeDocument({ path: '/w/q.yaml', text: fits }, {});
	assert.equal(
		a.findings.find((f) => f.code === 'kv-cache-does-not-fit'),
		undefined,
	);
	assert.equal(a.workloads[0].concurrencyEstimate?.batch, 8);
	const idle = a.findings.find((f) => f.code === 'decode-compute-idle');
	assert.equal((idle?.data as { batch: number } | undefined)?.batch, 8);
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
