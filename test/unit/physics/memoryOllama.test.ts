/**
 * Ollama's share of the memory estimate (physics/memoryOllama.ts): the reserves are Ollama's own (minimum
 * memory, one-layer buffer, graph) and there is no llama.cpp --fit margin; llama.cpp keeps its margin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../../server/src/analysis/physics/index';
import { input, llama31_8b, m2ultra, q4_k_m, rtx4090 } from './specs';

const MIB = 1024 ** 2;

test('Ollama on a GPU: overhead = 457 MiB minimum + blk.0 buffer + graph, budget without the 1 GiB fit margin', () => {
	const w = { model: llama31_8b, weights: q4_k_m, hardware: rtx4090, context: 4096, batch: 1 };
	const o = estimate(input({ ...w, engine: 'ollama', engineVersion: '0.12.0' })).memory;
	const l = estimate(input({ ...w, engine: 'llama.cpp' })).memory;
	assert.equal(o.plan?.engine, 'ollama');
	if (o.plan?.engine !== 'ollama') return;
	const reserve = 457 * MIB + o.plan.bufferLayerBytes + o.plan.estimate.graph;
	assert.equal(o.runtimeOverheadBytesPerDevice, reserve);
	assert.ok((o.overheadBreakdown ?? []).some((p) => /minimum memory/.test(p)));
	// The same GPU: Ollama's budget is the whole visible memory, llama.cpp's 1 GiB less.
	assert.equal(o.budgetBytesPerDevice - l.budgetBytesPerDevice, 1024 * MIB);
});

test('Ollama on Apple silicon: the Metal plan, 512 MiB minimum, the working set as the budget', () => {
	const o = estimate(
		input({
			model: llama31_8b,
			weights: q4_k_m,
			hardware: m2ultra,
			engine: 'ollama',
			context: 4096,
			batch: 1,
		}),
	).memory;
	assert.equal(o.plan?.engine, 'ollama');
	if (o.plan?.engine !== 'ollama') return;
	assert.equal(o.plan.library, 'metal');
	assert.equal(o.runtimeOverheadBytesPerDevice, 512 * MIB + o.plan.bufferLayerBytes + o.plan.estimate.graph);
	assert.equal(o.budgetBytesPerDevice, o.plan.freeBytes);
	assert.ok(o.plan.freeBytes < o.capacityBytesPerDevice);
});
