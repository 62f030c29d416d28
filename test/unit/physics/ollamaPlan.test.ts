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

function plan(modelId: string, format: string, freeGiB: number[], numCtx: number, numGpu?: number) {
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
		version: '0.9.0',
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
