/**
 * Reads a JSON array of strings (Dockerfile exec form, systemd-free YAML flows) keeping each element's
 * document offsets, so `["vllm", "serve", "--max-model-len", "8192"]` yields tokens with exact spans.
 */
import { literalToken, type Token } from './tokens';

const ESCAPES: Record<string, string> = {
	n: '\n',
	t: '\t',
	r: '\r',
	b: '\b',
	f: '\f',
	'/': '/',
	'\\': '\\',
	'"': '"',
};

/** Tokens of `src[start, end)` when it is a JSON array of strings, else undefined. */
export function jsonStringArray(src: string, start: number, end: number): Token[] | undefined {
	let i = start;
	const skipWs = () => {
		while (i < end && /[\s\\]/.test(src[i]!)) i++;
	};
	skipWs();
	if (src[i] !== '[') return undefined;
	i++;
	const out: Token[] = [];
	for (;;) {
		skipWs();
		if (src[i] === ']') return out;
		if (src[i] !== '"') return undefined;
		const open = i++;
		let text = '';
		const offsets: number[] = [];
		while (i < end && src[i] !== '"') {
			if (src[i] === '\\') {
				const e = src[i + 1] ?? '';
				if (e === 'u') {
					text += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
					offsets.push(i);
					i += 6;
					continue;
				}
				text += ESCAPES[e] ?? e;
				offsets.push(i + 1);
				i += 2;
			} else {
				text += src[i];
				offsets.push(i++);
			}
		}
		if (i >= end) return undefined;
		i++;
		const span = { offset: open, length: i - open };
		out.push(literalToken(text, span, src.slice(open, i), offsets));
		skipWs();
		if (src[i] === ',') i++;
		else if (src[i] !== ']') return undefined;
	}
}
