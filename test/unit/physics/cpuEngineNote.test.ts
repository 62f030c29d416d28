/**
 * The CPU dequant+dot and per-thread rates were chosen on llama.cpp rows. PyTorch engines on a CPU now have their
 * own calibrated terms (issue #12: decode.csv L0700–L0709), so their estimates no longer call themselves an upper
 * bound; other non-ggml engines on a CPU, which no ledger run measures, still do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat, resolveKvDtype } from '../../../server/src/analysis/catalog/index';
import { estimate } from '../../../server/src/analysis/physics/index';
import type { Engine, EstimateInput } from '../../../server/src/analysis/physics/types';

function input(engine: Engine, format = 'q8_0'): EstimateInput {
	const catalog = getCatalog();
	const model = catalog.models.find((m) => m.id === 'meta-llama/Llama-3.1-8B');
	const hardware = catalog.hardware.find((h) => h.id === 'ryzen-9-7950x');
	const weights = resolveFormat(format, catalog);
	const kvDtype = resolveKvDtype('f16', catalog);
	assert.ok(model && hardware && weights && kvDtype);
	return { model, hardware, weights, kvDtype, devices: 1, batch: 1, context: 512, prompt: 512, engine };
}

const boundNote = (notes: string[]) => notes.some((n) => /on CPU: the CPU rates are llama\.cpp's/.test(n));
const woqNote = (notes: string[]) => notes.some((n) => /weight-only int8\/int4 CPU kernels vary/.test(n));

test('compiled or eager PyTorch on a CPU: calibrated PyTorch terms, no upper-bound note, no llama.cpp thread default', () => {
	for (const engine of ['pytorch-compiled', 'pytorch'] as Engine[]) {
		const e = estimate(input(engine, 'bf16'));
		assert.ok(!boundNote(e.assumptions), `${engine}: ${e.assumptions.join(' | ')}`);
		assert.ok(!woqNote(e.assumptions), `${engine}: 16-bit weights need no weight-only note`);
		assert.ok(
			e.decode.efficiency.reasons.some((r) => /cpuStreamShare\.pytorch/.test(r)),
			e.decode.efficiency.reasons.join(' | '),
		);
		assert.ok(
			!e.assumptions.some((n) => /llama\.cpp default -t/.test(n)),
			'no llama.cpp thread default for PyTorch',
		);
	}
});

test('PyTorch weight-only int8 on a CPU says its kernels vary and uses the PyTorch dequant rate', () => {
	const e = estimate(input('pytorch', 'int8'));
	assert.ok(woqNote(e.assumptions), e.assumptions.join(' | '));
	assert.ok(e.decode.efficiency.reasons.some((r) => /cpuWoqRate\.pytorch/.test(r)));
	assert.ok(!e.decode.efficiency.reasons.some((r) => /calibrated cpuDot\./.test(r)));
});

test('an engine no CPU ledger run measures (vLLM on CPU) keeps the upper-bound note', () => {
	const e = estimate(input('vllm'));
	assert.ok(boundNote(e.assumptions), e.assumptions.join(' | '));
});

test('llama.cpp on a CPU keeps its own thread-default note and no upper-bound note', () => {
	const e = estimate(input('llama.cpp'));
	assert.ok(!boundNote(e.assumptions));
	assert.ok(e.assumptions.some((n) => /llama\.cpp default -t/.test(n)));
});
