import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kvCacheDoesNotFit } from '../../../server/src/analysis/rules/kvCacheDoesNotFit';
import { kvCacheLimitsConcurrency } from '../../../server/src/analysis/rules/kvCacheLimitsConcurrency';
import { weightsDoNotFit } from '../../../server/src/analysis/rules/weightsDoNotFit';
import { applyEdits, at, context, workload } from './helpers';

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

test('kv-cache-does-not-fit: 131,072 tokens of bf16 KV on an L4 after 16 GB of weights', () => {
	const text = `vllm serve ${MODEL} --max-model-len 131072\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		contextLength: at(text, '131072', 131072, '--max-model-len'),
	});
	const [f, ...rest] = kvCacheDoesNotFit.check(context(text, w, { hardwareId: 'l4' }));
	assert.equal(rest.length, 0);
	assert.equal(f.code, 'kv-cache-does-not-fit');
	assert.equal(f.severity, 'error');
	// Ranged on the value: "131072" starts after `vllm serve <model> --max-model-len `.
	assert.deepEqual(f.span, { offset: text.indexOf('131072'), length: 6 });
	// KV/token = 2 (K,V) × 32 layers × 8 KV heads × 128 dims × 2 bytes = 131,072 B; × 131,072 tokens = 17.18 GB.
	// Budget 24 GB × 0.9 = 21.6 GB; minus 16.06 GB weights and 2 GB overhead = 3.54 GB; / 131,072 = 27,008 tokens.
	assert.match(f.message, /--max-model-len 131,072 needs 17\.2 GB of KV cache/);
	assert.match(f.message, /only 3\.54 GB is left/);
	assert.match(f.message, /At most 27,008 tokens fit/);
	assert.match(f.message, /\(target: L4, default\)$/);
	assert.equal(f.data?.maxContextThatFits, 27008);

	const [lower, fp8] = f.fixes ?? [];
	// 27,008 rounded down to a multiple of 1,024 = 26 × 1,024 = 26,624.
	assert.equal(lower.title, 'Lower the context to 26,624 tokens');
	assert.equal(lower.isPreferred, true);
	assert.equal(applyEdits(text, lower.edits), `vllm serve ${MODEL} --max-model-len 26624\n`);
	// fp8 halves KV/token to 65,536 B: 3.54 GB / 65,536 = 54,016 tokens, still short of 131,072.
	assert.equal(fp8.title, 'Store the KV cache as fp8');
	assert.equal(fp8.isPreferred, false);
	assert.match(fp8.effect ?? '', /at most 54,016 tokens then fit/);
	assert.equal(
		applyEdits(text, fp8.edits),
		`vllm serve ${MODEL} --kv-cache-dtype fp8 --max-model-len 131072\n`,
	);
});

test('kv-cache-does-not-fit: the fixed context no longer triggers the rule', () => {
	const text = `vllm serve ${MODEL} --max-model-len 26624\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		contextLength: at(text, '26624', 26624, '--max-model-len'),
	});
	// 26,624 × 131,072 B = 3.49 GB ≤ 3.54 GB.
	assert.deepEqual(kvCacheDoesNotFit.check(context(text, w, { hardwareId: 'l4' })), []);
});

test('kv-cache-limits-concurrency: 64 sequences of 32,768 tokens on an H100, 12 fit', () => {
	const text = `vllm serve ${MODEL} --max-model-len 32768 --max-num-seqs 64\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		contextLength: at(text, '32768', 32768, '--max-model-len'),
		maxConcurrency: at(text, '64', 64, '--max-num-seqs', text.indexOf('--max-num-seqs')),
	});
	const [f] = kvCacheLimitsConcurrency.check(context(text, w));
	assert.equal(f.severity, 'warning');
	assert.equal(text.slice(f.span.offset, f.span.offset + f.span.length), '64');
	// Need 64 × 32,768 × 131,072 B = 274.9 GB. KV budget 80 × 0.9 − 16.06 − 2 = 53.94 GB;
	// one sequence = 32,768 × 131,072 B = 4.295 GB → 53.94 / 4.295 = 12.56 → 12 sequences.
	assert.match(f.message, /--max-num-seqs 64 × 32,768 tokens needs 275 GB/);
	assert.match(f.message, /holds only 12 sequences of 32,768 tokens \(53\.9 GB\)/);
	assert.equal(f.data?.sequencesThatFit, 12);
	const [seqs, fp8] = f.fixes ?? [];
	assert.equal(applyEdits(text, seqs.edits), `vllm serve ${MODEL} --max-model-len 32768 --max-num-seqs 12\n`);
	assert.equal(seqs.effect, 'KV budget then holds all 12 sequences of 32,768 tokens');
	// fp8: 53.94 GB / (32,768 × 65,536 B = 2.147 GB) = 25.1 → 25.
	assert.match(fp8.effect ?? '', /holds 25 sequences of 32,768 tokens/);
});

test('kv-cache-limits-concurrency stays quiet for the engine-default max-num-seqs', () => {
	const text = `vllm serve ${MODEL} --max-model-len 32768\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		contextLength: at(text, '32768', 32768, '--max-model-len'),
		maxConcurrency: { value: 1024, source: 'engine-default' },
	});
	assert.deepEqual(kvCacheLimitsConcurrency.check(context(text, w)), []);
});

test('weights-do-not-fit: fp32 8B on an L4; the fix raises tensor-parallel size to 2', () => {
	const text = `vllm serve ${MODEL} --dtype float32\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		weightFormat: at(text, 'float32', 'float32', '--dtype'),
	});
	const [f] = weightsDoNotFit.check(context(text, w, { hardwareId: 'l4', weights: 'fp32' }));
	assert.equal(f.severity, 'error');
	assert.equal(text.slice(f.span.offset, f.span.offset + f.span.length), 'float32');
	// 8.03e9 params × 4 bytes = 32.1 GB vs 24 GB × 0.9 = 21.6 GB.
	assert.match(
		f.message,
		/The fp32 weights of meta-llama\/Llama-3\.1-8B-Instruct need 32\.1 GB, more than the 21\.6 GB/,
	);
	const [tp] = f.fixes ?? [];
	// TP 2: 16.06 GB per device + 2 GB overhead ≤ 21.6 GB.
	assert.equal(applyEdits(text, tp.edits), `vllm serve ${MODEL} --tensor-parallel-size 2 --dtype float32\n`);
	assert.equal(tp.effect, 'Weights then take 16.1 GB per device on 2 devices');
});
