/**
 * Ollama ≥ 0.12.11 layout (memoryPlan/ollamaLayout.ts, llm/server.go assignLayers): fewest GPUs first,
 * the output layer dropped before blocks, graph reserved only on the GPUs used.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ollamaLayoutLayers } from '../../../server/src/analysis/physics/memoryPlan/ollamaLayout';

const GIB = 1024 ** 3;
const base = {
	library: 'cuda' as const,
	blockCount: 40,
	layerBytes: 0.5 * GIB,
	kvPerLayer: Array.from({ length: 40 }, () => 0.05 * GIB),
	outputBytes: 0.8 * GIB,
	graphPartial: 1 * GIB,
	graphFull: 1 * GIB,
};

test('a model that fits one GPU of two is packed into one', () => {
	const r = ollamaLayoutLayers({ ...base, gpuFree: [40 * GIB, 40 * GIB] });
	assert.equal(r.layers, 41);
	assert.ok(r.fullyLoaded);
	assert.deepEqual(
		r.split.filter((s) => s > 0),
		[41],
	);
});

test('short of memory: blocks from the top down, the output layer left on the CPU', () => {
	// 12 GiB − buffer 0.55 − minimum 0.45 − graph 1 ≈ 10 GiB → 18 blocks of 0.55 GiB; the 0.8 GiB output dropped.
	const r = ollamaLayoutLayers({ ...base, gpuFree: [12 * GIB] });
	assert.equal(r.layers, Math.floor((12 - 0.55 - 457 / 1024 - 1) / 0.55));
	assert.ok(!r.fullyLoaded);
	const two = ollamaLayoutLayers({ ...base, gpuFree: [12 * GIB, 12 * GIB] });
	assert.ok(two.layers > r.layers && two.split.every((s) => s > 0), `${two.split}`);
});

test('num_gpu caps the count', () => {
	assert.equal(ollamaLayoutLayers({ ...base, gpuFree: [40 * GIB], numGpu: 10 }).layers, 10);
});
