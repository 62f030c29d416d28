/**
 * Lookup tables over a catalog's models, built once per catalog object (WeakMap cache).
 */
import { modelKey, splitName } from './names';
import type { Catalog, ModelSpec } from './types';

export interface ModelIndex {
	byId: Map<string, ModelSpec>;
	/** Lowercased id or HF-style alias → model. */
	byLower: Map<string, { model: ModelSpec; isAlias: boolean }>;
	/** Normalized name key (see modelKey) → models with that key. */
	byKey: Map<string, Set<ModelSpec>>;
	/** Ollama `family:size` alias (lowercase) → model. */
	byOllama: Map<string, ModelSpec>;
	/** For suggestions: every model with its normalized keys. */
	keys: { id: string; keys: string[] }[];
}

const cache = new WeakMap<Catalog, ModelIndex>();

/** The name part of an HF id: `meta-llama/Llama-3.1-8B` → `Llama-3.1-8B`. */
export function namePart(id: string): string {
	const i = id.lastIndexOf('/');
	return i < 0 ? id : id.slice(i + 1);
}

export function isOllamaAlias(a: string): boolean {
	return a.includes(':') && !a.includes('/');
}

export function modelIndex(catalog: Catalog): ModelIndex {
	const hit = cache.get(catalog);
	if (hit) return hit;
	const idx: ModelIndex = {
		byId: new Map(),
		byLower: new Map(),
		byKey: new Map(),
		byOllama: new Map(),
		keys: [],
	};
	for (const m of catalog.models) {
		idx.byId.set(m.id, m);
		idx.byLower.set(m.id.toLowerCase(), { model: m, isAlias: false });
		const keys = new Set<string>();
		const addKey = (name: string) => {
			const k = modelKey(splitName(namePart(name)));
			keys.add(k);
			const set = idx.byKey.get(k) ?? new Set();
			set.add(m);
			idx.byKey.set(k, set);
		};
		addKey(m.id);
		for (const a of m.aliases ?? []) {
			if (isOllamaAlias(a)) {
				// First wins: user catalog entries come first, so a user's tag overrides a built-in one.
				if (!idx.byOllama.has(a.toLowerCase())) idx.byOllama.set(a.toLowerCase(), m);
				keys.add(a.toLowerCase());
				continue;
			}
			if (!idx.byLower.has(a.toLowerCase())) idx.byLower.set(a.toLowerCase(), { model: m, isAlias: true });
			addKey(a);
		}
		idx.keys.push({ id: m.id, keys: [...keys] });
	}
	cache.set(catalog, idx);
	return idx;
}
