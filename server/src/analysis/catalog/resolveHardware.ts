/**
 * Hardware lookup by id, name or alias ("H100 SXM", "NVIDIA-H100-80GB-HBM3", "A100-SXM4-80GB",
 * "rtx4090"), compared without case, punctuation or vendor words. No prefix guessing: "H100"
 * alone is ambiguous (SXM, PCIe, NVL) and fails with those three as suggestions.
 */
import { closest, hardwareKey, HOW_TO_ADD } from './names';
import type { Catalog, HardwareSpec } from './types';

export type HardwareResolution =
	{ ok: true; hardware: HardwareSpec } | { ok: false; query: string; suggestions: string[]; message: string };

interface HardwareIndex {
	byKey: Map<string, HardwareSpec[]>;
	keys: { id: string; keys: string[] }[];
}

const cache = new WeakMap<Catalog, HardwareIndex>();

function index(catalog: Catalog): HardwareIndex {
	const hit = cache.get(catalog);
	if (hit) return hit;
	const idx: HardwareIndex = { byKey: new Map(), keys: [] };
	for (const h of catalog.hardware) {
		const keys = [...new Set([h.id, h.name, ...(h.aliases ?? [])].map(hardwareKey).filter(Boolean))];
		for (const k of keys) {
			const list = idx.byKey.get(k) ?? [];
			if (!list.includes(h)) list.push(h);
			idx.byKey.set(k, list);
		}
		idx.keys.push({ id: h.id, keys });
	}
	cache.set(catalog, idx);
	return idx;
}

export function resolveHardware(query: string, catalog: Catalog): HardwareResolution {
	const idx = index(catalog);
	const exact = catalog.hardware.find((h) => h.id === query.trim());
	if (exact) return { ok: true, hardware: exact };
	const key = hardwareKey(query);
	const found = key ? idx.byKey.get(key) : undefined;
	if (found?.length === 1) return { ok: true, hardware: found[0] };
	// A user catalog entry that shares a name with a built-in one is what the user meant.
	const user = found?.filter((h) => h.origin === 'user') ?? [];
	if (user.length === 1) return { ok: true, hardware: user[0] };
	const suggestions = found?.length ? found.slice(0, 3).map((h) => h.id) : closest(key, idx.keys);
	const prefixOf = idx.keys.filter((e) => e.keys.some((k) => k.startsWith(key))).length;
	const why =
		found?.length || prefixOf > 1
			? 'ambiguous: several devices match, name the variant'
			: 'not in the hardware catalog';
	const message =
		`Unknown hardware "${query}" (${why}). Closest known: ${suggestions.join(', ')}. ` +
		`Run \`inference-meter hardware\` for the list, describe the device with --bandwidth-gbs/--tflops/--memory-gb, or ${HOW_TO_ADD.charAt(0).toLowerCase()}${HOW_TO_ADD.slice(1)}.`;
	return { ok: false, query, suggestions, message };
}
