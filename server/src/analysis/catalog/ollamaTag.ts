/**
 * Ollama model references: `llama3.1`, `llama3.1:70b`, `llama3.1:70b-instruct-q4_K_M`,
 * `registry.ollama.ai/library/qwen2.5:7b`. Catalog aliases carry `family:size`; this module knows
 * each family's `latest` size and the quantization its library tags default to.
 */

interface Family {
	/** The size `latest` points to. */
	latest: string;
	/** Format id of the library's default build (what a tag without a quant suffix pulls). */
	quant: string;
	note?: string;
}

/**
 * `latest` sizes and default quants of the Ollama library (ollama.com/library pages; the quant
 * defaults are assumed from the library's usual Q4_K_M builds, older families Q4_0).
 */
export const OLLAMA_FAMILIES: Record<string, Family> = {
	llama2: { latest: '7b', quant: 'q4_0' },
	llama3: { latest: '8b', quant: 'q4_0' },
	'llama3.1': { latest: '8b', quant: 'q4_k_m' },
	'llama3.2': { latest: '3b', quant: 'q4_k_m' },
	'llama3.3': { latest: '70b', quant: 'q4_k_m' },
	llama4: { latest: '16x17b', quant: 'q4_k_m' },
	mistral: { latest: '7b', quant: 'q4_k_m', note: 'Ollama mistral:7b is Mistral 7B v0.3' },
	mixtral: { latest: '8x7b', quant: 'q4_0' },
	'mistral-small': {
		latest: '24b',
		quant: 'q4_k_m',
		note: 'newer mistral-small tags are 3.1/3.2 builds with the same 24B text dimensions',
	},
	'qwen2.5': { latest: '7b', quant: 'q4_k_m' },
	qwen3: { latest: '8b', quant: 'q4_k_m' },
	gemma2: { latest: '9b', quant: 'q4_0' },
	gemma3: { latest: '4b', quant: 'q4_k_m' },
	phi3: { latest: 'mini', quant: 'q4_0' },
	phi4: { latest: '14b', quant: 'q4_k_m' },
	'deepseek-r1': {
		latest: '8b',
		quant: 'q4_k_m',
		note: 'deepseek-r1:8b/7b are the R1 distills (Llama-8B, Qwen-7B); newer library builds of 8b may be the 0528 Qwen3-8B distill, check `ollama show`',
	},
	'deepseek-v3': { latest: '671b', quant: 'q4_k_m' },
	'gpt-oss': { latest: '20b', quant: 'mxfp4', note: 'Ollama ships gpt-oss with MXFP4 experts' },
	smollm2: { latest: '1.7b', quant: 'fp16' },
	tinyllama: { latest: '1.1b', quant: 'q4_0' },
};

export interface OllamaRef {
	family: string;
	/** Lookup keys to try in order, e.g. `qwen3:30b-a3b` then `qwen3:30b`. */
	keys: string[];
	/** Quant token from the tag (`q4_k_m`, `fp16`, `qat`), lowercased. */
	quant?: string;
	/** Set when the tag named no size and `latest` (or the family default) was used. */
	defaulted?: string;
}

const PREFIX = /^(https?:\/\/)?((registry\.)?ollama\.(ai|com)\/)?(library\/)?/i;
const SIZE = /^(\d+(\.\d+)?[bm]|\d+x\d+(\.\d+)?b|mini|medium|small|scout|maverick)$/i;
const QUANT = /^(i?q\d+(_[a-z0-9]+)+|fp16|bf16|f16|fp32|mxfp4|qat)$/i;

/** True for strings that look like an Ollama reference rather than an HF id or path. */
export function looksLikeOllama(s: string): boolean {
	const t = s.trim().replace(PREFIX, '');
	if (t.includes('/') || t.includes('\\')) return false;
	if (/^[a-z0-9][a-z0-9._-]*:[a-z0-9][a-z0-9._-]*$/i.test(t)) return true;
	return OLLAMA_FAMILIES[t.toLowerCase()] !== undefined;
}

export function parseOllama(s: string): OllamaRef {
	const t = s.trim().replace(PREFIX, '');
	const colon = t.indexOf(':');
	const family = (colon < 0 ? t : t.slice(0, colon)).toLowerCase();
	const tag = colon < 0 ? 'latest' : t.slice(colon + 1);
	const parts = tag.split('-').filter(Boolean);
	const quantPart = parts.find((p) => QUANT.test(p));
	const quant = quantPart?.toLowerCase();
	const fam = OLLAMA_FAMILIES[family];
	let size = parts[0] && SIZE.test(parts[0]) ? parts[0].toLowerCase() : undefined;
	let defaulted: string | undefined;
	if (!size && fam) {
		size = fam.latest;
		defaulted = tag;
	}
	if (!size) return { family, keys: [`${family}:${tag.toLowerCase()}`], quant };
	const keys = [`${family}:${size}`];
	if (parts[1] && /^a\d+(\.\d+)?b$/i.test(parts[1]))
		keys.unshift(`${family}:${size}-${parts[1].toLowerCase()}`);
	return { family, keys, quant, defaulted };
}
