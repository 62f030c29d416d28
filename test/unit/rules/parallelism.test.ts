import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidParallelism } from '../../../server/src/analysis/rules/invalidParallelism';
import {
	nearestValidTp,
	tensorParallelProblems,
	validTensorParallelSizes,
} from '../../../server/src/analysis/rules/parallelism';
import { applyEdits, at, context, llama8b, workload } from './helpers';

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

test('valid TP sizes for Llama 3.1 8B: 32 heads, 8 KV heads, 14,336 MLP', () => {
	// 1, 2, 4, 8 divide all three; 16 replicates the 8 KV heads (16 % 8 = 0) and 14,336 / 16 = 896.
	assert.deepEqual(validTensorParallelSizes(llama8b, 16), [1, 2, 4, 8, 16]);
	// 3: 32 % 3 = 2, 8 % 3 = 2, 14,336 % 3 = 2.
	assert.deepEqual(
		tensorParallelProblems(llama8b, 3).map((p) => p.what),
		['attention heads', 'KV heads', 'MLP intermediate size'],
	);
	// 6: 32 % 6 = 2; 6 < 8 KV heads and 8 % 6 = 2; 14,336 % 6 = 2.
	assert.equal(tensorParallelProblems(llama8b, 6).length, 3);
	// 3 is as far from 2 as from 4: the lower one wins.
	assert.equal(nearestValidTp(llama8b, 3, 8), 2);
	assert.equal(nearestValidTp(llama8b, 7, 8), 8);
});

test('invalid-parallelism: --tensor-parallel-size 3 does not divide the heads; fix sets 2', () => {
	const text = `vllm serve ${MODEL} --tensor-parallel-size 3\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		tensorParallelSize: at(text, '3', 3, '--tensor-parallel-size', text.indexOf('--tensor')),
	});
	const [f, ...rest] = invalidParallelism.check(context(text, w, { devices: 3 }));
	assert.equal(rest.length, 0);
	assert.equal(f.severity, 'error');
	assert.deepEqual(f.span, { offset: text.lastIndexOf('3'), length: 1 });
	assert.match(
		f.message,
		/--tensor-parallel-size 3 does not divide the attention heads \(32\), KV heads \(8\), MLP intermediate size \(14,336\)/,
	);
	assert.equal(f.data?.suggestedTensorParallelSize, 2);
	const [fix] = f.fixes ?? [];
	assert.equal(applyEdits(text, fix.edits), `vllm serve ${MODEL} --tensor-parallel-size 2\n`);
	// 32 heads / 2 = 16; weights 16.06 GB / 2 = 8.03 GB.
	assert.equal(fix.effect, '16 attention heads per device; weights 8.03 GB per device');
});

test('invalid-parallelism: TP 4 on a pod with 2 GPUs', () => {
	const text = `args: ["--model", "${MODEL}", "--tensor-parallel-size", "4"]\nlimits: {nvidia.com/gpu: 2}\n`;
	const w = workload(text, 'vllm', 'yaml', at(text, MODEL, MODEL), {
		tensorParallelSize: at(text, '4', 4, '--tensor-parallel-size', text.indexOf('"4"')),
		deviceCount: at(text, '2', 2, 'nvidia.com/gpu', text.indexOf('gpu: 2')),
	});
	const [f] = invalidParallelism.check(context(text, w, { devices: 4 }));
	assert.match(f.message, /TP 4 × PP 1 needs 4 devices but the workload has 2 \(nvidia\.com\/gpu\)/);
	assert.equal(applyEdits(text, f.fixes?.[0].edits ?? []), text.replace('"4"', '"2"'));
});

test('invalid-parallelism is quiet for a valid TP and for other engines', () => {
	const text = `vllm serve ${MODEL} -tp 8\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		tensorParallelSize: at(text, '8', 8, '-tp'),
	});
	assert.deepEqual(invalidParallelism.check(context(text, w, { devices: 8 })), []);
	const llama = workload(text, 'llama.cpp', 'cli', at(text, MODEL, MODEL), {
		tensorParallelSize: at(text, '8', 3),
	});
	assert.deepEqual(invalidParallelism.check(context(text, llama)), []);
});
