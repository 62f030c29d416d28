/**
 * Name normalization and "closest ids" suggestions shared by the model and hardware resolvers.
 */

/**
 * Classic Levenshtein distance (insert, delete, substitute all cost 1), in one reused row: the flag
 * spelling suggestions (extract/findings.ts) call it for every known spelling.
 */
export function editDistance(a: string, b: string): number {
	if (a === b) return 0;
	const prev = Array.from({ length: b.length + 1 }, (_, k) => k);
	for (let i = 1; i <= a.length; i++) {
		let diag = prev[0]!;
		prev[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = prev[j]!;
			prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
			diag = tmp;
		}
	}
	return prev[b.length]!;
}

/**
 * The ids whose keys are closest to `query` (smallest edit distance over each id's keys), best
 * first. Keys that start with the query or contain it rank first, so "h100" lists every H100.
 */
export function closest(query: string, entries: { id: string; keys: string[] }[], n = 3): string[] {
	const scored = entries.map((e) => {
		let best = Infinity;
		for (const k of e.keys) {
			const d = k.startsWith(query) || (query.length >= 3 && k.includes(query)) ? -1 : editDistance(query, k);
			best = Math.min(best, d === -1 ? -1 + k.length / 1000 : d);
		}
		return { id: e.id, score: best };
	});
	scored.sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
	return scored.slice(0, n).map((s) => s.id);
}

/** Tokens that mark a variant of the same weights (instruction tuning, packaging), not another model. */
const VARIANT_TOKENS = new Set([
	'instruct',
	'chat',
	'it',
	'base',
	'pt',
	'hf',
	'text',
	'gguf',
	'onnx',
	'mlc',
	'mlx',
]);

/** Tokens that re-uploaders add which say nothing about the model. */
const NOISE_TOKENS = new Set(['unsloth', 'dynamic', 'quantized', 'model', 'weights', 'safetensors']);

/**
 * A model name reduced to what identifies the weights: lowercase, split on '-', '_' kept inside
 * tokens (q4_k_m), variant and noise tokens dropped, the "Meta-" prefix of "Meta-Llama" dropped.
 * `Meta-Llama-3.1-8B-Instruct` and `Llama-3.1-8B` both become `llama-3.1-8b`.
 */
export function modelKey(tokens: string[]): string {
	const t = tokens
		.map((x) => x.toLowerCase())
		.filter((x) => x && !VARIANT_TOKENS.has(x) && !NOISE_TOKENS.has(x));
	if (t[0] === 'meta' && t[1]?.startsWith('llama')) t.shift();
	return t.join('-');
}

export function splitName(name: string): string[] {
	return name.split(/[-\s]+/).filter(Boolean);
}

/** Hardware names compared without vendor words, case or punctuation: "NVIDIA H100 SXM" → "h100sxm". */
export function hardwareKey(s: string): string {
	return s
		.toLowerCase()
		.replace(/\b(nvidia|geforce|amd|instinct|intel|apple|google|aws|tesla)\b/g, '')
		.replace(/[^a-z0-9]+/g, '');
}

export const HOW_TO_ADD =
	'To add one, put an entry in a user catalog file (VS Code setting `inferenceMeter.userCatalog`, CLI flag `--catalog FILE`; format in docs/catalog.md)';
