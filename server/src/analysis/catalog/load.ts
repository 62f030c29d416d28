/**
 * The built-in catalog: JSON data files bundled with the code, validated once on first use.
 * A broken built-in entry is a bug in this repository, so it throws with the entry and field named.
 */
import formatsJson from '../../../data/formats.json';
import hardwareJson from '../../../data/hardware.json';
import kvJson from '../../../data/kv-dtypes.json';
import modelsJson from '../../../data/models.json';
import type { Catalog, FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from './types';
import { validateEntries } from './validate';

let cached: Catalog | undefined;

/** Validates raw catalog data; returns the catalog and every problem found. */
export function buildCatalog(raw: {
	hardware: unknown;
	models: unknown;
	formats: unknown;
	kvDtypes: unknown;
}): { catalog: Catalog; errors: string[] } {
	const hw = validateEntries<HardwareSpec>('hardware', raw.hardware);
	const models = validateEntries<ModelSpec>('model', raw.models);
	const formats = validateEntries<FormatSpec>('format', raw.formats);
	const kv = validateEntries<KvDtypeSpec>('kvDtype', raw.kvDtypes);
	return {
		catalog: { hardware: hw.valid, models: models.valid, formats: formats.valid, kvDtypes: kv.valid },
		errors: [...hw.errors, ...models.errors, ...formats.errors, ...kv.errors],
	};
}

/** The built-in catalog, validated once and cached. Throws if a built-in entry is invalid. */
export function getCatalog(): Catalog {
	if (cached) return cached;
	const { catalog, errors } = buildCatalog({
		hardware: (hardwareJson as { hardware: unknown }).hardware,
		models: (modelsJson as { models: unknown }).models,
		formats: (formatsJson as { formats: unknown }).formats,
		kvDtypes: (kvJson as { kvDtypes: unknown }).kvDtypes,
	});
	if (errors.length) {
		throw new Error(
			`built-in catalog is invalid (server/data/*.json):\n  ${errors.slice(0, 20).join('\n  ')}`,
		);
	}
	cached = catalog;
	return cached;
}
