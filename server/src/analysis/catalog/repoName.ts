/**
 * What a repository or file name says beyond the model: re-uploader suffixes such as `-AWQ`,
 * `-GPTQ-Int4`, `-FP8-Dynamic`, `-bnb-4bit`, `-Q4_K_M-GGUF`, `-q4f16_1-MLC`, `.w4a16`.
 */
import { splitName } from './names';

export interface RepoName {
	/** Name tokens with the format tokens removed. */
	tokens: string[];
	/** Format id implied by the name, if any. */
	impliedFormat?: string;
	note?: string;
}

/** Single tokens that name a format outright. */
const FORMAT_TOKENS: Record<string, string> = {
	awq: 'awq',
	fp8: 'fp8',
	fp8_dynamic: 'fp8',
	w4a16: 'int4',
	w8a8: 'int8',
	w8a16: 'int8',
	int4: 'int4',
	int8: 'int8',
	nvfp4: 'nvfp4',
	fp4: 'nvfp4',
	mxfp4: 'mxfp4',
	bf16: 'bf16',
	fp16: 'fp16',
	f16: 'f16',
	fp32: 'fp32',
	f32: 'f32',
	nf4: 'bnb-nf4',
};

/** GGUF presets and MLC/transformers.js names seen as a name's last token. */
// GGUF names always carry an underscore (q4_0, q4_k_m, iq4_xs); bare `q4`/`q8` are transformers.js
// dtypes and never appear as repo suffixes, so they are not matched here.
const QUANT_TOKEN = /^(i?q\d+(_[a-z0-9]+)+|tq\d_\d|q\df(16|32)_\d|mxfp4_moe)$/i;

/**
 * Splits format information off a model name. `isFormatId` says whether a lowercase token is a
 * known format id (so `q4_k_m` counts but a typo does not).
 */
export function parseRepoName(
	name: string,
	org: string | undefined,
	isFormatId: (t: string) => boolean,
): RepoName {
	const raw = splitName(name.replace(/\.(w4a16|w8a8|w8a16)$/i, '-$1'));
	const tokens: string[] = [];
	let impliedFormat: string | undefined;
	let note: string | undefined;
	const set = (f: string) => {
		impliedFormat ??= f;
	};
	for (let i = 0; i < raw.length; i++) {
		const t = raw[i].toLowerCase();
		const next = raw[i + 1]?.toLowerCase();
		if (t === 'gptq') {
			set(next === 'int8' || next === '8bit' ? 'gptq-int8' : 'gptq');
			if (next && /^(int[48]|[48]bit)$/.test(next)) i++;
		} else if (t === 'awq' && next && /^(int4|4bit)$/.test(next)) {
			set('awq');
			i++;
		} else if (t === 'bnb' && next && /^[48]bit$/.test(next)) {
			set(next === '4bit' ? 'bnb-nf4-dq' : 'bnb-int8');
			i++;
		} else if (t === '4bit' || t === '8bit') {
			if (org?.toLowerCase() === 'mlx-community' || raw.some((x) => x.toLowerCase() === 'mlx'))
				set(t === '4bit' ? 'mlx-4bit' : 'mlx-8bit');
			else note = `"${raw[i]}" does not say which 4/8-bit format; pass the format explicitly`;
		} else if (FORMAT_TOKENS[t]) set(FORMAT_TOKENS[t]);
		else if (QUANT_TOKEN.test(t) && isFormatId(t)) set(t);
		else tokens.push(raw[i]);
	}
	return { tokens, impliedFormat, note };
}
