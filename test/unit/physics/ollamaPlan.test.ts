/**
 * Ollama's layer estimate from catalog specs (memoryPlan/ollama.ts): what num_gpu becomes, in the sentence
 * the hover and the panel print.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	getCatalog,
	resolveFormat,
	resolveKvDtype,
	resolveModel,
} from '../../../server/src/analysis/catalog/index';
import { ollamaPlan } from '../../../server/src/analysis/physics/memoryPlan';
import { weightBytes } from '../../../server/src/analysis/physics/weights';

const GIB = 1024 ** 3;
const catalog = getCatalog();
const f16 = resolveKvDtype('f16', catalog)!;

function plan(
	modelId: string,
	format: string,
	freeGiB: number[],
	numCtx: number,
	numGpu?: number,
	opts: { version?: string; numParallel?: number } = {},
) {
	const r = resolveModel(modelId, catalog);
	assert.ok(r.ok);
	const fmt = resolveFormat(format, catalog)!;
	return ollamaPlan({
		model: r.model,
		kvDtype: f16,
		weightsBytes: weightBytes(r.model, fmt),
		gpuFree: freeGiB.map((g) => g * GIB),
		library: 'cuda',
		numCtx,
		numGpu,
		format: fmt,
		numParallel: 'numParallel' in opts ? opts.numParallel : 1,
		version: opts.version ?? '0.9.0',
	});
}

test('an 8B Q4_K_M on a 24 GB card: every layer and the output on the GPU', () => {
	const p = plan('meta-llama/Llama-3.1-8B', 'q4_k_m', [23.5], 4096);
	assert.equal(p.estimate.layers, 33);
	assert.equal(p.estimate.layersModel, 33);
	assert.equal(p.lines[0].text, 'Ollama will put 33 of 33 layers on the GPU');
	assert.ok(p.estimate.fullyLoaded);
});

test('a 70B Q4_K_M on one 24 GB card: a partial offload, fewer layers with a longer context', () => {
	const short = plan('meta-llama/Llama-3.1-70B', 'q4_k_m', [23.5], 2048);
	const long = plan('meta-llama/Llama-3.1-70B', 'q4_k_m', [23.5], 32768);
	assert.ok(short.estimate.layers > 20 && short.estimate.layers < 81, `${short.estimate.layers}`);
	assert.ok(long.estimate.layers < short.estimate.layers);
	assert.equal(short.lines[0].text, `Ollama will put ${short.estimate.layers} of 81 layers on the GPU`);
	assert.ok(!short.estimate.fullyLoaded);
	// Two cards hold more layers than one; num_gpu caps the count.
	assert.ok(
		plan('meta-llama/Llama-3.1-70B', 'q4_k_m', [23.5, 23.5], 2048).estimate.layers > short.estimate.layers,
	);
	assert.equal(plan('meta-llama/Llama-3.1-70B', 'q4_k_m', [23.5], 2048, 10).estimate.layers, 10);
});

test('Gemma 3 and gpt-oss: the sliding layers hold the window only, as GraphSize counts them', () => {
	const g = plan('google/gemma-3-27b-it', 'q4_k_m', [23.5], 32768);
	// 52 of 62 layers at window 1024 + batch 512, 10 at 32,768: far less than 62 full layers.
	const perCell = 2 * 16 * 128 * 2;
	assert.equal(g.estimate.kvTotal, (10 * 32768 + 52 * (1024 + 512)) * perCell);
	const o = plan('openai/gpt-oss-20b', 'mxfp4', [23.5], 8192);
	assert.equal(o.estimate.kvTotal, (12 * 8192 + 12 * (4096 + 512)) * 2 * 8 * 64 * 2);
});

test('default num_parallel by version: 0.9 tries 2 slots when the model then fits, 0.10 keeps 1', () => {
	const v09 = plan('meta-llama/Llama-3.1-8B', 'q4_k_m', [23.5], 4096, undefined, {
		version: '0.9.6',
		numParallel: undefined,
	});
	const v010 = plan('meta-llama/Llama-3.1-8B', 'q4_k_m', [23.5], 4096, undefined, {
		version: '0.10.0',
		numParallel: undefined,
	});
	assert.equal(v09.numParallel, 2);
	assert.equal(v010.numParallel, 1);
	assert.equal(v09.estimate.kvTotal, 2 * v010.estimate.kvTotal);
	// A 70B that cannot fit with 2 slots falls back to 1, as sched.go does.
	const big = plan('meta-llama/Llama-3.1-70B', 'q4_k_m', [23.5], 4096, undefined, {
		version: '0.9.6',
		numParallel: undefined,
	});
	assert.equal(big.numParallel, 1);
});

test('Ollama 0.12.11+ lays layers out (server.go) and drops the output layer first when short', () => {
	const old = plan('meta-llama/Llama-3.1-70B', 'q4_k_m', [23.5], 4096, undefined, { version: '0.12.10' });
	const cur = plan('meta-llama/Llama-3.1-70B', 'q4_k_m', [23.5], 4096, undefined, { version: '0.13.0' });
	assert.match(old.estimate.estimator, /memory\.go/);
	assert.match(cur.estimate.estimator, /server\.go/);
	// Both are partial offloads of the same sizes; neither puts more than the GPU can hold.
	assert.ok(cur.estimate.layers > 20 && cur.estimate.layers < 81, `${cur.estimate.layers}`);
	assert.ok(Math.abs(cur.estimate.layers - old.estimate.layers) <= 2);
});
