/**
 * Value parsers shared by the flag tables: each turns the text an engine receives into the value our
 * Workload holds, or says why it cannot.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface ValueParser<T = unknown> {
	/** What the engine expects, for messages ("an integer"). */
	expects: string;
	parse(text: string): Parsed<T>;
}

const fail = (text: string, expects: string): Parsed<never> => ({
	ok: false,
	reason: `\`${text}\` is not ${expects}`,
});

/** Plain integer, as llama.cpp's `std::stoi` reads it. */
export const INT: ValueParser<number> = {
	expects: 'an integer',
	parse: (t) => (/^[+-]?\d+$/.test(t.trim()) ? { ok: true, value: Number(t) } : fail(t, 'an integer')),
};

/**
 * vLLM's `human_readable_int`: `1k` = 1000, `1K` = 1024, `25.6k` = 25600, also m/M and g/G
 * (config-surface.md §1.1). Lowercase suffixes are decimal, uppercase binary.
 */
export const HUMAN_INT: ValueParser<number> = {
	expects: 'an integer (optionally with k/K/m/M/g/G)',
	parse(t) {
		const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)\s*$/.exec(t);
		if (!m) return fail(t, 'an integer (optionally with k/K/m/M/g/G)');
		const n = Number(m[1]);
		const unit = m[2] ?? '';
		const mult: Record<string, number> = {
			'': 1,
			k: 1e3,
			m: 1e6,
			g: 1e9,
			K: 1024,
			M: 1024 ** 2,
			G: 1024 ** 3,
		};
		const v = n * mult[unit]!;
		if (!Number.isInteger(v)) return fail(t, 'a whole number of tokens');
		return { ok: true, value: v };
	},
};

export const FLOAT: ValueParser<number> = {
	expects: 'a number',
	parse: (t) =>
		/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(t)
			? { ok: true, value: Number(t) }
			: fail(t, 'a number'),
};

/** A whole number >= 1 (vLLM parallel sizes, sequence counts). */
export const POS_INT: ValueParser<number> = {
	expects: 'a whole number of at least 1',
	parse(t) {
		const r = HUMAN_INT.parse(t);
		return r.ok && r.value >= 1 ? r : fail(t, 'a whole number of at least 1');
	},
};

/** A fraction in (0, 1] (vLLM `--gpu-memory-utilization`, config-surface.md §1.4). */
export const FRACTION: ValueParser<number> = {
	expects: 'a fraction above 0 and at most 1',
	parse(t) {
		const r = FLOAT.parse(t);
		return r.ok && r.value > 0 && r.value <= 1 ? r : fail(t, 'a fraction above 0 and at most 1');
	},
};

export const STR: ValueParser<string> = { expects: 'a string', parse: (t) => ({ ok: true, value: t }) };

export const LOWER: ValueParser<string> = {
	expects: 'a name',
	parse: (t) => ({ ok: true, value: t.trim().toLowerCase() }),
};

const TRUE_WORDS = new Set(['1', 'true', 'on', 'yes', 'enabled', 'enable']);
const FALSE_WORDS = new Set(['0', 'false', 'off', 'no', 'disabled', 'disable']);

export const BOOL: ValueParser<boolean> = {
	expects: 'true or false',
	parse(t) {
		const s = t.trim().toLowerCase();
		if (TRUE_WORDS.has(s)) return { ok: true, value: true };
		if (FALSE_WORDS.has(s)) return { ok: true, value: false };
		return fail(t, 'true or false');
	},
};

/** True when `text` is a word a boolean flag may take as its value (llama.cpp `-fa on`). */
export function isBoolWord(text: string): boolean {
	const s = text.toLowerCase();
	return TRUE_WORDS.has(s) || FALSE_WORDS.has(s) || s === 'auto' || s === '-1';
}

/** vLLM/torch `--dtype` spellings → catalog format ids; `auto` stays `auto` (model's own dtype). */
export const TORCH_DTYPES: Record<string, string> = {
	auto: 'auto',
	half: 'fp16',
	float16: 'fp16',
	fp16: 'fp16',
	bfloat16: 'bf16',
	bf16: 'bf16',
	float: 'fp32',
	float32: 'fp32',
	fp32: 'fp32',
};

export const TORCH_DTYPE: ValueParser<string> = {
	expects: 'one of auto, half, float16, bfloat16, float, float32',
	parse(t) {
		const v = TORCH_DTYPES[t.trim().toLowerCase()];
		return v ? { ok: true, value: v } : fail(t, 'one of auto, half, float16, bfloat16, float, float32');
	},
};

/** Count of comma/space separated entries: `-ts 3,1` → 2 devices. */
export const LIST_COUNT: ValueParser<number> = {
	expects: 'a comma-separated list',
	parse(t) {
		const n = t.split(/[,/\s]+/).filter(Boolean).length;
		return n > 0 ? { ok: true, value: n } : fail(t, 'a comma-separated list');
	},
};
