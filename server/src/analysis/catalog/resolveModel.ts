/**
 * Model name resolution: HF ids (any case, Instruct/chat/base variants, re-uploads and their
 * format suffixes), local paths, GGUF file names and Ollama tags. Never guesses: a name whose size
 * or family is not in the catalog is a failure that names the closest ids.
 */
import { isGgufName, parseGgufName } from './ggufName';
import { modelIndex, namePart } from './modelIndex';
import type { ModelIndex } from './modelIndex';
import { closest, HOW_TO_ADD, modelKey } from './names';
import { looksLikeOllama, OLLAMA_FAMILIES, parseOllama } from './ollamaTag';
import { parseRepoName } from './repoName';
import { resolveFormat } from './resolveFormat';
import type { Catalog, ModelSpec } from './types';

export type ModelResolution =
	| {
			ok: true;
			model: ModelSpec;
			matchedBy: 'exact' | 'alias' | 'normalized' | 'gguf-name' | 'ollama-tag' | 'config.json';
			/** Format id implied by the name: '-AWQ'→'awq', '-FP8'→'fp8', 'Q4_K_M.gguf'→'q4_k_m'. */
			impliedFormat?: string;
			note?: string;
	  }
	| { ok: false; query: string; suggestions: string[]; message: string };

type Ok = Extract<ModelResolution, { ok: true }>;

function fail(query: string, idx: ModelIndex, key: string, why?: string, pool?: string[]): ModelResolution {
	const entries = pool ? idx.keys.filter((e) => pool.includes(e.id)) : idx.keys;
	const suggestions = closest(key.toLowerCase(), entries.length ? entries : idx.keys);
	const message =
		`Unknown model "${query}"${why ? ` (${why})` : ''}. ` +
		`Closest known: ${suggestions.join(', ')}. ${HOW_TO_ADD}, or point it at the model's config.json.`;
	return { ok: false, query, suggestions, message };
}

function joinNotes(...notes: (string | undefined)[]): string | undefined {
	const n = notes.filter(Boolean);
	return n.length ? n.join('; ') : undefined;
}

/** A quant token from a GGUF name or `:TAG`, only when it names a GGUF storage type. */
function ggufFormat(token: string, catalog: Catalog): string | undefined {
	const f = resolveFormat(token, catalog);
	return f && (f.family === 'gguf' || ['bf16', 'mxfp4', 'nvfp4'].includes(f.id)) ? f.id : undefined;
}

/** Looks a bare model name (no org) up by its normalized key. */
function byName(
	query: string,
	name: string,
	org: string | undefined,
	idx: ModelIndex,
	catalog: Catalog,
	matchedBy: Ok['matchedBy'],
	extraNote?: string,
): ModelResolution {
	const isFormat = (t: string) => resolveFormat(t, catalog) !== undefined;
	const repo = parseRepoName(name, org, isFormat);
	const key = modelKey(repo.tokens);
	const found = idx.byKey.get(key);
	if (!found || found.size === 0) return fail(query, idx, key || name);
	// A user catalog entry that shares a name with a built-in one is what the user meant.
	const user = [...found].filter((m) => m.origin === 'user');
	const candidates = user.length === 1 ? new Set(user) : found;
	if (candidates.size > 1) {
		const ids = [...candidates].map((m) => m.id);
		return {
			ok: false,
			query,
			suggestions: ids.slice(0, 3),
			message: `"${query}" matches several models (${ids.join(', ')}); use the full id.`,
		};
	}
	const model = [...candidates][0];
	const uploader = org && org.toLowerCase() !== model.id.split('/')[0].toLowerCase() ? org : undefined;
	return {
		ok: true,
		model,
		matchedBy,
		impliedFormat: repo.impliedFormat,
		note: joinNotes(
			uploader ? `"${org}/${name}" read as a re-upload of ${model.id}` : `"${name}" read as ${model.id}`,
			repo.note,
			extraNote,
		),
	};
}

function resolveOllama(query: string, idx: ModelIndex, catalog: Catalog): ModelResolution {
	const ref = parseOllama(query);
	const fam = OLLAMA_FAMILIES[ref.family];
	const key = ref.keys.find((k) => idx.byOllama.has(k));
	if (!key) {
		const famIds = [...idx.byOllama].filter(([k]) => k.startsWith(`${ref.family}:`)).map(([, m]) => m.id);
		const why = famIds.length ? `no such size of ${ref.family} in the catalog` : 'unknown Ollama model';
		return fail(query, idx, ref.keys[ref.keys.length - 1], why, famIds.length ? famIds : undefined);
	}
	const model = idx.byOllama.get(key)!;
	let impliedFormat: string | undefined;
	let quantNote: string | undefined;
	if (ref.quant === 'qat') {
		impliedFormat = 'q4_0';
		quantNote = '"qat" tags are quantization-aware-trained Q4_0 builds';
	} else if (ref.quant) {
		impliedFormat = resolveFormat(ref.quant, catalog)?.id;
		if (!impliedFormat) quantNote = `quantization "${ref.quant}" is not in the format catalog`;
	} else if (fam) {
		impliedFormat = fam.quant;
		quantNote = `no quantization in the tag: assumed the library default ${fam.quant.toUpperCase()} (pin one in the tag to be exact)`;
	}
	const sizeNote =
		ref.defaulted !== undefined
			? `Ollama tag "${ref.defaulted}" of ${ref.family} is the ${key.split(':')[1]} model (${model.id})`
			: `Ollama ${key} is ${model.id}`;
	return {
		ok: true,
		model,
		matchedBy: 'ollama-tag',
		impliedFormat,
		note: joinNotes(sizeNote, quantNote, fam?.note),
	};
}

/** The last meaningful segment of a local path; HF cache dirs (`models--org--name`) give the id. */
function fromPath(p: string): { org?: string; name: string } | undefined {
	const segs = p.split(/[\\/]+/).filter((s) => s && s !== '.' && s !== '..');
	const cacheDir = segs.find((s) => s.startsWith('models--'));
	if (cacheDir) {
		const [org, ...rest] = cacheDir.slice('models--'.length).split('--');
		return rest.length ? { org, name: rest.join('--') } : { name: org };
	}
	const last = segs[segs.length - 1];
	return last ? { name: last } : undefined;
}

function isPath(s: string): boolean {
	return /^([/~.]|[A-Za-z]:[\\/])/.test(s) || s.includes('\\') || s.split('/').length > 2;
}

export function resolveModel(query: string, catalog: Catalog): ModelResolution {
	const idx = modelIndex(catalog);
	const q = query.trim();
	if (!q) return fail(query, idx, '', 'empty name');
	const exact = idx.byId.get(q);
	if (exact) return { ok: true, model: exact, matchedBy: 'exact' };
	if (looksLikeOllama(q) && !isGgufName(q)) return resolveOllama(q, idx, catalog);
	const lower = idx.byLower.get(q.toLowerCase());
	if (lower) {
		const sameCase = lower.isAlias && (lower.model.aliases ?? []).includes(q);
		return {
			ok: true,
			model: lower.model,
			matchedBy: sameCase ? 'alias' : 'normalized',
			note: lower.isAlias ? `"${q}" is a variant of ${lower.model.id} with the same architecture` : undefined,
		};
	}
	// hf.co/org/repo[:QUANT] (Ollama's HF syntax) and https://huggingface.co/org/repo URLs.
	let s = q.replace(/^(https?:\/\/)?(hf\.co|huggingface\.co)\//i, '');
	let tagQuant: string | undefined;
	const colon = /^([^:]+\/[^:]+):([A-Za-z0-9_]+)$/.exec(s);
	if (colon) [, s, tagQuant] = colon;
	s = s.replace(/\/(tree|blob|resolve)\/.*$/, '');
	let org: string | undefined;
	let name: string;
	if (isPath(s)) {
		const p = fromPath(s);
		if (!p) return fail(query, idx, s, 'no model name in the path');
		({ org, name } = p);
	} else {
		const slash = s.indexOf('/');
		org = slash < 0 ? undefined : s.slice(0, slash);
		name = namePart(s);
	}
	if (isGgufName(name)) {
		const g = parseGgufName(name);
		const r = byName(query, g.model, org, idx, catalog, 'gguf-name');
		if (!r.ok) return r;
		const quant = g.quant ? ggufFormat(g.quant, catalog) : undefined;
		const unknown = g.quant && !quant ? `"${g.quant}" is not a GGUF type in the format catalog` : undefined;
		return { ...r, impliedFormat: quant ?? r.impliedFormat, note: joinNotes(r.note, unknown) };
	}
	const r = byName(query, name, org, idx, catalog, 'normalized');
	if (r.ok && tagQuant) return { ...r, impliedFormat: ggufFormat(tagQuant, catalog) ?? r.impliedFormat };
	return r;
}
