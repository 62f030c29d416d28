/**
 * Format and KV dtype lookup by id or alias, case-insensitive, '-' and '_' interchangeable.
 */
import type { Catalog, FormatSpec, KvDtypeSpec } from './types';

function lookup<T extends { id: string; aliases: string[] }>(name: string, list: T[]): T | undefined {
	const q = name.trim().toLowerCase();
	if (!q) return undefined;
	const variants = [q, q.replace(/-/g, '_'), q.replace(/_/g, '-')];
	for (const v of variants) {
		const hit =
			list.find((e) => e.id === v) ?? list.find((e) => e.aliases.some((a) => a.toLowerCase() === v));
		if (hit) return hit;
	}
	return undefined;
}

export function resolveFormat(name: string, catalog: Catalog): FormatSpec | undefined {
	return lookup(name, catalog.formats);
}

export function resolveKvDtype(name: string, catalog: Catalog): KvDtypeSpec | undefined {
	return lookup(name, catalog.kvDtypes);
}
