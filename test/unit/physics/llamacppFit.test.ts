/**
 * llama.cpp --fit (memoryPlan/llamacppFit.ts): 1024 MiB margin per device, context first (not below 4096,
 * only when the user left it unset), then layers from the top.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { llamaCppFit } from '../../../server/src/analysis/physics/memoryPlan/llamacppFit';
import { llamaCppPlan } from '../../../server/src/analysis/physics/memoryPlan';
import { kvBf16, llama31_70b } from './specs';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const base = {
	blockBytes: 0.5 * GIB,
	nLayer: 32,
	outputBytes: 0.5 * GIB,
	kvBytesPerCtx: 128 * 1024, // 128 KiB per token
	computeBytes: 0.5 * GIB,
	ctxSetByUser: false,
	nglSetByUser: false,
};

test('fits with the margin: no change; 1023 MiB short of the margin: changed', () => {
	// 16 + 0.5 + 0.5 GiB + 8192 × 128 KiB = 18 GiB used.
	const need = 18 * GIB + 1024 * MIB;
	assert.equal(llamaCppFit({ ...base, free: [need], nCtx: 8192 }).changed, false);
	assert.equal(llamaCppFit({ ...base, free: [need - MIB], nCtx: 8192 }).changed, true);
});

test('context shrinks first when unset, never below 4096; a user context is kept and layers go instead', () => {
	const free = [18 * GIB + 1024 * MIB - 256 * MIB]; // 256 MiB short = 2048 tokens of KV
	const f = llamaCppFit({ ...base, free, nCtx: 8192 });
	assert.equal(f.nCtx, 8192 - 2048);
	assert.equal(f.ngl, 33);
	const user = llamaCppFit({ ...base, free, nCtx: 8192, ctxSetByUser: true });
	assert.equal(user.nCtx, 8192);
	assert.ok(user.ngl < 33);
	const floor = llamaCppFit({ ...base, free: [10 * GIB], nCtx: 8192 });
	assert.equal(floor.nCtx, 4096);
	// 10 GiB − 1 GiB margin − 0.5 GiB compute = 8.5 GiB; blocks of 0.5 + 4096 × 128 KiB / 32 = 0.5156 GiB → 16.
	assert.equal(floor.ngl, 16);
});

test('the llama.cpp plan says what --fit does when -ngl is unset and the model does not fit', () => {
	const plan = llamaCppPlan({
		model: llama31_70b,
		typeK: kvBf16,
		nCtx: 8192,
		weightsBytes: 40 * GIB,
		freeBytesPerDevice: [23.5 * GIB],
	});
	const note = plan.notes.find((x) => x.startsWith('--fit'));
	assert.ok(note, plan.notes.join('; '));
	const m = note!.match(/(\d+) of 81 layers/);
	assert.ok(m && Number(m[1]) > 20 && Number(m[1]) < 81, note);
	const set = llamaCppPlan({
		model: llama31_70b,
		typeK: kvBf16,
		nCtx: 8192,
		weightsBytes: 40 * GIB,
		freeBytesPerDevice: [23.5 * GIB],
		gpuLayers: 40,
	});
	assert.ok(!set.notes.some((x) => x.startsWith('--fit')));
});
