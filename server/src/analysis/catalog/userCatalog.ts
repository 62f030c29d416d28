/**
 * User catalog files: `{ "hardware": [...], "models": [...], "formats": [...], "kvDtypes": [...] }`,
 * each entry in the built-in shape (docs/catalog.md). Valid entries are added (an entry whose id
 * matches a built-in one replaces it); invalid ones are reported with entry and field and skipped.
 */
import type { Catalog, FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from './types';
import { isObject, validateEntries } from './validate';

const SECTIONS = ['hardware', 'models', 'formats', 'kvDtypes'] as const;

function merge<T extends { id: string }>(base: T[], extra: T[]): T[] {
	const ids = new Set(extra.map((e) => e.id.toLowerCase()));
	return [...extra, ...base.filter((b) => !ids.has(b.id.toLowerCase()))];
}

export function mergeUserCatalog(base: Catalog, json: unknown): { catalog: Catalog; errors: string[] } {
	if (!isObject(json)) {
		return {
			catalog: base,
			errors: [
				'user catalog: must be a JSON object with "hardware", "models", "formats" or "kvDtypes" lists',
			],
		};
	}
	const errors: string[] = [];
	for (const k of Object.keys(json)) {
		if (!(SECTIONS as readonly string[]).includes(k) && !k.startsWith('$') && k !== 'about')
			errors.push(`user catalog: unknown section "${k}" (known: ${SECTIONS.join(', ')})`);
	}
	const section = <T extends { id: string }>(
		key: (typeof SECTIONS)[number],
		kind: Parameters<typeof validateEntries>[0],
	): T[] => {
		if (json[key] === undefined) return [];
		const r = validateEntries<T>(kind, json[key]);
		errors.push(...r.errors.map((e) => `user catalog: ${e}`));
		// User entries are marked so every number shown from them says where it came from; a probe's
		// 'measured' entry keeps that mark (measured beats advertised when numbers are explained).
		return r.valid.map((e) => ({
			...e,
			origin: (e as { origin?: string }).origin === 'measured' ? 'measured' : 'user',
		}));
	};
	const hardware = section<HardwareSpec>('hardware', 'hardware');
	const models = section<ModelSpec>('models', 'model');
	const formats = section<FormatSpec>('formats', 'format');
	const kvDtypes = section<KvDtypeSpec>('kvDtypes', 'kvDtype');
	return {
		catalog: {
			hardware: merge(base.hardware, hardware),
			models: merge(base.models, models),
			formats: merge(base.formats, formats),
			kvDtypes: merge(base.kvDtypes, kvDtypes),
		},
		errors,
	};
}
