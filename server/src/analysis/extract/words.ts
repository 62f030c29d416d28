/**
 * A small POSIX-shell word lexer over document text, for command lines that are not whole shell files:
 * Dockerfile CMD/ENTRYPOINT/RUN, systemd ExecStart, `sh -c "…"` strings in YAML, tree-sitter argument
 * nodes. It keeps, for every character of a word's value, the document offset it was written at, so
 * values and flag names get exact spans even through quotes and escapes. Expansions stay symbolic
 * (`$VAR`, `${VAR:-default}`, Kubernetes `$(VAR)`) and are resolved later against what the file defines.
 */
import type { Span } from '../types';

export type WordPart =
	| { kind: 'lit'; text: string; offsets: number[] }
	| { kind: 'var'; name: string; span: Span; def?: { text: string; offsets: number[] } }
	| { kind: 'cmd'; span: Span };

export interface Word {
	parts: WordPart[];
	/** The word as written, quotes included. */
	span: Span;
}

export interface LexOptions {
	/** Treat `$(NAME)` as a Kubernetes env reference instead of command substitution. */
	k8sVars?: boolean;
	/** `#` at a word start begins a comment (true for shell; false for exec-form values). */
	comments?: boolean;
}

const SEPARATORS = new Set([';', '&', '|', '\n', '(', ')']);
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

class Lexer {
	private i: number;
	constructor(
		private readonly src: string,
		start: number,
		private readonly end: number,
		private readonly opts: LexOptions,
	) {
		this.i = start;
	}

	/** Splits the range into commands (lists of words) at `;`, `&&`, `||`, `|`, `&` and newlines. */
	commands(): Word[][] {
		const out: Word[][] = [];
		let cur: Word[] = [];
		const flush = () => {
			if (cur.length) out.push(cur);
			cur = [];
		};
		while (this.i < this.end) {
			const c = this.src[this.i]!;
			if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2;
			else if (c === '\\' && this.src[this.i + 1] === '\r' && this.src[this.i + 2] === '\n') this.i += 3;
			else if (c === ' ' || c === '\t' || c === '\r') this.i++;
			else if (SEPARATORS.has(c)) {
				flush();
				this.i++;
			} else if (c === '#' && this.opts.comments !== false) {
				while (this.i < this.end && this.src[this.i] !== '\n') this.i++;
			} else if (c === '>' || c === '<' || (/[0-9]/.test(c) && /[<>]/.test(this.src[this.i + 1] ?? ''))) {
				this.skipRedirect();
			} else {
				const alt = alternateAt(this.src, this.i, this.end);
				if (alt) {
					// `${VAR:+--flag "$VAR"}`: the words inside are arguments (present when VAR is set).
					cur.push(...new Lexer(this.src, alt.bodyStart, alt.bodyEnd, this.opts).commands().flat());
					this.i = alt.end;
				} else cur.push(this.word());
			}
		}
		flush();
		return out;
	}

	private skipRedirect(): void {
		while (this.i < this.end && /[0-9<>&]/.test(this.src[this.i]!)) this.i++;
		while (this.i < this.end && (this.src[this.i] === ' ' || this.src[this.i] === '\t')) this.i++;
		if (this.i < this.end && !SEPARATORS.has(this.src[this.i]!)) this.word();
	}

	private word(): Word {
		const start = this.i;
		const parts: WordPart[] = [];
		let lit: { kind: 'lit'; text: string; offsets: number[] } | undefined;
		const push = (ch: string, at: number) => {
			if (!lit) {
				lit = { kind: 'lit', text: '', offsets: [] };
				parts.push(lit);
			}
			lit.text += ch;
			lit.offsets.push(at);
		};
		const pushPart = (p: WordPart) => {
			parts.push(p);
			lit = undefined;
		};
		while (this.i < this.end) {
			const c = this.src[this.i]!;
			if (c === ' ' || c === '\t' || c === '\r' || SEPARATORS.has(c) || c === '>' || c === '<') break;
			if (c === '\\') {
				const next = this.src[this.i + 1];
				if (next === '\n' || (next === '\r' && this.src[this.i + 2] === '\n')) break;
				if (this.i + 1 < this.end) push(this.src[this.i + 1]!, this.i + 1);
				this.i += 2;
			} else if (c === "'") {
				this.i++;
				while (this.i < this.end && this.src[this.i] !== "'") push(this.src[this.i]!, this.i++);
				this.i++;
			} else if (c === '"') {
				this.i++;
				while (this.i < this.end && this.src[this.i] !== '"') {
					const d = this.src[this.i]!;
					if (d === '\\' && /["\\$`\n]/.test(this.src[this.i + 1] ?? '')) {
						if (this.src[this.i + 1] !== '\n') push(this.src[this.i + 1]!, this.i + 1);
						this.i += 2;
					} else if (d === '$' || d === '`') {
						const p = this.expansion();
						if (p) pushPart(p);
						else push(d, this.i++);
					} else push(d, this.i++);
				}
				this.i++;
			} else if (c === '$' || c === '`') {
				const p = this.expansion();
				if (p) pushPart(p);
				else push(c, this.i++);
			} else push(c, this.i++);
		}
		return { parts, span: { offset: start, length: Math.min(this.i, this.end) - start } };
	}

	/** `$NAME`, `${NAME}`, `${NAME:-def}`, `$(…)`, backticks; undefined when `$` is literal. */
	private expansion(): WordPart | undefined {
		const s = this.src;
		const start = this.i;
		if (s[start] === '`') {
			const close = s.indexOf('`', start + 1);
			this.i = close < 0 || close >= this.end ? this.end : close + 1;
			return { kind: 'cmd', span: { offset: start, length: this.i - start } };
		}
		const next = s[start + 1];
		// Positional and special parameters (`$@`, `$*`, `$1`, `${2}`): the script's own arguments.
		if (next !== undefined && /[@*0-9]/.test(next) && start + 2 <= this.end) {
			this.i = start + 2;
			return { kind: 'var', name: next, span: { offset: start, length: 2 } };
		}
		if (next === '{' && /^[@*0-9]\}$/.test(s.slice(start + 2, start + 4)) && start + 4 <= this.end) {
			this.i = start + 4;
			return { kind: 'var', name: s[start + 2]!, span: { offset: start, length: 4 } };
		}
		if (next === '{') {
			NAME.lastIndex = start + 2;
			const m = NAME.exec(s);
			const close = s.indexOf('}', start + 2);
			if (!m || close < 0 || close >= this.end) return undefined;
			const after = start + 2 + m[0].length;
			let def: { text: string; offsets: number[] } | undefined;
			const op = /^:?[-=]/.exec(s.slice(after, close));
			if (op) {
				const from = after + op[0].length;
				const text = s.slice(from, close).replace(/^["']|["']$/g, '');
				const lead = s[from] === '"' || s[from] === "'" ? 1 : 0;
				def = { text, offsets: Array.from(text, (_, k) => from + lead + k) };
			}
			this.i = close + 1;
			return { kind: 'var', name: m[0], span: { offset: start, length: this.i - start }, def };
		}
		if (next === '(') {
			const close = this.matchParen(start + 1);
			this.i = close + 1;
			const inner = s.slice(start + 2, close);
			if (this.opts.k8sVars && /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner))
				return { kind: 'var', name: inner, span: { offset: start, length: this.i - start } };
			return { kind: 'cmd', span: { offset: start, length: this.i - start } };
		}
		NAME.lastIndex = start + 1;
		const m = NAME.exec(s);
		if (!m || start + 1 + m[0].length > this.end) return undefined;
		this.i = start + 1 + m[0].length;
		return { kind: 'var', name: m[0], span: { offset: start, length: this.i - start } };
	}

	private matchParen(open: number): number {
		let depth = 0;
		for (let k = open; k < this.end; k++) {
			if (this.src[k] === '(') depth++;
			else if (this.src[k] === ')' && --depth === 0) return k;
		}
		return this.end - 1;
	}
}

/**
 * `${NAME:+words}` / `${NAME+words}` standing alone as a word: its body and where it ends. Scripts use it
 * to pass a flag only when a variable is set (`${MAX_LEN:+--max-model-len "$MAX_LEN"}`).
 */
export function alternateAt(
	src: string,
	at: number,
	end: number,
): { name: string; bodyStart: number; bodyEnd: number; end: number } | undefined {
	const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?\+/.exec(src.slice(at, Math.min(end, at + 200)));
	if (!m) return undefined;
	const bodyStart = at + m[0].length;
	let quote: string | undefined;
	for (let k = bodyStart; k < end; k++) {
		const c = src[k]!;
		if (quote) {
			if (c === '\\' && quote === '"') k++;
			else if (c === quote) quote = undefined;
		} else if (c === '"' || c === "'") quote = c;
		else if (c === '\\') k++;
		else if (c === '}') {
			// Only a whole word: `${A:+x}y` is one word with a suffix, left to the normal lexer.
			const after = src[k + 1];
			if (k + 1 < end && after !== undefined && !/[\s;&|()<>]/.test(after)) return undefined;
			return { name: m[1]!, bodyStart, bodyEnd: k, end: k + 1 };
		} else if (c === '$' && src[k + 1] === '{') {
			const inner = src.indexOf('}', k);
			if (inner < 0 || inner >= end) return undefined;
			k = inner;
		}
	}
	return undefined;
}

/** Splits `src[start, end)` into commands of words. */
export function lexCommands(src: string, start = 0, end = src.length, opts: LexOptions = {}): Word[][] {
	return new Lexer(src, start, end, opts).commands();
}

/** One word spanning exactly `src[start, end)` (a tree-sitter argument node, an exec-form string). */
export function lexWord(src: string, start: number, end: number, opts: LexOptions = {}): Word {
	const cmds = new Lexer(src, start, end, { ...opts, comments: false }).commands();
	const parts = cmds.flat().flatMap((w) => w.parts);
	return { parts, span: { offset: start, length: end - start } };
}

/**
 * Where the logical line whose first physical line spans `start`..`eol` ends: a line ending in `\`
 * continues onto the next (Dockerfile instructions, systemd settings). `lines` counts the physical lines
 * joined on after the first.
 */
export function continuedLineEnd(doc: string, start: number, eol: number): { end: number; lines: number } {
	let pos = start;
	let end = eol;
	let lines = 0;
	while (/\\\s*$/.test(doc.slice(pos, end)) && end < doc.length) {
		pos = end + 1;
		lines++;
		end = doc.indexOf('\n', pos);
		if (end < 0) end = doc.length;
	}
	return { end, lines };
}
