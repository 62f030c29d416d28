/**
 * A batch-1 llama.cpp estimate input built from catalog entries, for the CPU physics tests that need a real
 * catalog model and format on a (possibly modified) catalog CPU.
 */
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat, resolveKvDtype } from '../../../server/src/analysis/catalog/index';
import type { HardwareSpec } from '../../../server/src/analysis/catalog/types';
import type { EstimateInput } from '../../../server/src/analysis/physics/types';

export function catalogLlamaCppInput(
	modelId: string,
	hardware: HardwareSpec,
	format: string,
	threads?: number,
): EstimateInput {
	const catalog = getCatalog();
	const model = catalog.models.find((m) => m.id === modelId);
	const weights = resolveFormat(format, catalog);
	const kvDtype = resolveKvDtype('f16', catalog);
	assert.ok(model && weights && kvDtype, `${modelId} ${format}`);
	return {
		model,
		hardware,
		weights,
		kvDtype,
		devices: 1,
		batch: 1,
		context: 512,
		prompt: 512,
		engine: 'llama.cpp',
		...(threads === undefined ? {} : { threads }),
	};
}

/** A catalog device by id; the test fails naming the id when the catalog lacks it. */
export function catalogHardware(id: string): HardwareSpec {
	const h = getCatalog().hardware.find((x) => x.id === id);
	assert.ok(h, id);
	return h;
}
