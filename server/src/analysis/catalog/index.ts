/**
 * Catalog API: the built-in hardware/model/format/KV catalogs (server/data/*.json, validated at
 * start-up), user catalog merging, and name resolution. See docs/catalog.md.
 */
import { getCatalog } from './load';
import { resolveFormat as formatIn, resolveKvDtype as kvIn } from './resolveFormat';
import { resolveHardware as hardwareIn } from './resolveHardware';
import type { HardwareResolution } from './resolveHardware';
import { resolveModel as modelIn } from './resolveModel';
import type { ModelResolution } from './resolveModel';
import type { Catalog, FormatSpec, KvDtypeSpec } from './types';

export type { Catalog } from './types';
export type { ModelResolution } from './resolveModel';
export type { HardwareResolution } from './resolveHardware';
export { getCatalog } from './load';
export { mergeUserCatalog } from './userCatalog';
export { modelFromHfConfig } from './hfConfig';
export { adHocHardware, spectrumOf } from './adHoc';

export function resolveModel(query: string, catalog: Catalog = getCatalog()): ModelResolution {
	return modelIn(query, catalog);
}

export function resolveHardware(query: string, catalog: Catalog = getCatalog()): HardwareResolution {
	return hardwareIn(query, catalog);
}

/** 'bf16', 'awq', 'q4_k_m', 'Q4_K_M', 'q4f16', 'bfloat16' … → FormatSpec; 'auto' is the caller's job. */
export function resolveFormat(name: string, catalog: Catalog = getCatalog()): FormatSpec | undefined {
	return formatIn(name, catalog);
}

/** 'fp8', 'fp8_e5m2', 'q8_0', 'f16', 'float16' … → KvDtypeSpec; 'auto' is the caller's job. */
export function resolveKvDtype(name: string, catalog: Catalog = getCatalog()): KvDtypeSpec | undefined {
	return kvIn(name, catalog);
}
