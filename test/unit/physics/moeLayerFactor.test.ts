/**
 * Issue #12: a MoE layer's fixed per-layer cost is layerFactor.moe dense layers on GPU/CPU stacks (a calibrated
 * constant whose prior is the kernel count; CPU backends keep the count), and the estimate says which factor it used.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConstants } from '../../../server/src/analysis/physics/calibration';
import { fixedOverhead, MOE_LAYER_KERNEL_FACTOR } from '../../../server/src/analysis/physics/efficiency';
import { llama31_8b, mixtral8x7b, q4_0, rtx4090 } from './specs';

const fixed = (factor: number, model = mixtral8x7b) =>
	withConstants({ 'layerFactor.moe': factor }, () =>
		fixedOverhead('llama.cpp', 'gpu', model.layers, { model, hardware: rtx4090, format: q4_0, batch: 1 }),
	);

test('the MoE factor scales only the per-layer part of a MoE model and is named', () => {
	const one = fixed(1);
	const two = fixed(2);
	const perStep = 2 * one.seconds - two.seconds; // the per-step part, common to both
	assert.ok(perStep >= 0, `${one.seconds} ${two.seconds}`);
	assert.ok(Math.abs(two.seconds - perStep - 2 * (one.seconds - perStep)) < 1e-12);
	assert.match(two.reason, /MoE ×2, calibrated layerFactor\.moe/);
	assert.equal(fixed(1, llama31_8b).seconds, fixed(3, llama31_8b).seconds, 'dense models are not scaled');
});

test('on a CPU every routing op is its own node: the MoE factor stays the kernel count there', () => {
	const cpu = (factor: number) =>
		withConstants({ 'layerFactor.moe': factor }, () =>
			fixedOverhead('llama.cpp', 'cpu', mixtral8x7b.layers, {
				model: mixtral8x7b,
				format: q4_0,
				batch: 1,
				threads: 8,
			}),
		);
	assert.equal(cpu(1).seconds, cpu(3).seconds);
	assert.match(cpu(1).reason, new RegExp(`MoE ×${MOE_LAYER_KERNEL_FACTOR}, ops on the CPU`));
});
