/**
 * The CPU dequant+dot and per-thread rates were chosen on llama.cpp rows; an estimate for another engine on a
 * CPU says so (held-out torchchat CPU runs were several times slower than those rates imply, issue #12).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat, resolveKvDtype } from '../../../server/src/analysis/catalog/index';
import { estimate } from '../../../server/src/analysis/physics/index';
import type { Engine, EstimateInput } from '../../../server/src/analysis/physics/types';

function input(engine: Engine): EstimateInput {
	const catalog = getCatalog();
	const model = catalog.models.find((m) => m.id === 'meta-llama/Llama-3.1-8B');
	const hardware = catalog.hardware.find((h) => h.id === 'ryzen-9-7950x');
	const weights = resolveFormat('q8_0', catalog);
	const kvDtype = resolveKvDtype('f16', catalog);
	assert.ok(model && hardware && weights && kvDtype);
	return { model, hardware, weights, kvDtype, devices: 1, batch: 1, context: 512, prompt: 512, engine };
}

const boundNote = (notes: string[]) => notes.some((n) => /on CPU: the CPU rates are llama\.cpp's/.test(n));

test('compiled or eager PyTorch on a CPU: the estimate says the rates are llama.cpp-chosen (an upper bound)', () => {
	for (const engine of ['pytorch-compiled', 'pytorch'] as Engine[]) {
		const e = estimate(input(engine));
		assert.ok(boundNote(e.assumptions), `${engine}: ${e.assumptions.join(' | ')}`);
		assert.ok(
			!e.assumptions.some((n) => /llama\.cpp default -t/.test(n)),
			'no llama.cpp thread default for PyTorch',
		);
	}
});

test('llama.cpp on a CPU keeps its own thread-default note and no upper-bound note', () => {
	const e = estimate(input('llama.cpp'));
	assert.ok(!boundNote(e.assumptions));
	assert.ok(e.assumptions.some((n) => /llama\.cpp default -t/.test(n)));
});
