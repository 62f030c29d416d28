/**
 * llama.cpp's layer-to-device assignment (memoryPlan/llamacppSplit.ts, load_tensors' upper_bound over the
 * cumulative -ts splits) and what it does to the per-device plan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { llamaCppSplit } from '../../../server/src/analysis/physics/memoryPlan/llamacppSplit';
import { llamaCppPlan } from '../../../server/src/analysis/physics/memoryPlan';
import { kvBf16, llama31_8b } from './specs';

const GIB = 1024 ** 3;

test('-ts 3,1 over 32 layers + output: 25 on GPU 0, the rest and the output on GPU 1', () => {
	const s = llamaCppSplit({ nLayer: 32, nGpuLayers: 33, proportions: [3, 1] });
	const on0 = s.layerDevice.filter((d) => d === 0).length;
	// upper_bound(splits [0.75, 1], il / 33): il / 33 < 0.75 ⇔ il ≤ 24.
	assert.equal(on0, 25);
	assert.equal(s.outputDevice, 1);
});

test('-ngl 10: the first 22 layers and the output stay on the CPU, the last ten go to the GPU', () => {
	const s = llamaCppSplit({ nLayer: 32, nGpuLayers: 10, proportions: [1] });
	// i_gpu_start = 32 − 10 = 22; the output (il = 32) is past i_gpu_start + act: only -ngl 33 offloads it.
	assert.deepEqual(s.layerDevice.slice(0, 22), Array(22).fill(-1));
	assert.deepEqual(s.layerDevice.slice(22), Array(10).fill(0));
	assert.equal(s.outputDevice, -1);
	assert.equal(llamaCppSplit({ nLayer: 32, nGpuLayers: 33, proportions: [1] }).outputDevice, 0);
});

test('-sm none keeps the main GPU only; -sm row spreads the matrices by -ts', () => {
	const none = llamaCppSplit({ nLayer: 32, nGpuLayers: 33, proportions: [1, 1], mode: 'none', mainGpu: 1 });
	assert.ok(none.layerDevice.every((d) => d === 1));
	const plan = llamaCppPlan({
		model: llama31_8b,
		typeK: kvBf16,
		nCtx: 8192,
		weightsBytes: 8 * GIB,
		freeBytesPerDevice: [24 * GIB, 24 * GIB],
		splitMode: 'row',
		tensorSplit: [1, 1],
	});
	const w = plan.perDevice.map((d) => d.weights);
	assert.ok(Math.abs(w[0] - w[1]) / w[0] < 0.2, `${w}`);
	const kv = plan.perDevice.map((d) => d.kv);
	assert.equal(kv[0] + kv[1], plan.kv.totalBytes);
});
