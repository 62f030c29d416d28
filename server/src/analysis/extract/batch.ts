/**
 * Windows batch files (`.bat`, `.cmd`): `set VAR=value` / `set "VAR=value"` (every variable is in the
 * environment of the programs the script starts), `%VAR%` and `!VAR!` expansion, `^` line continuations
 * and escapes, CRLF line ends, `rem` / `::` comments, `call` and `start "" /b` wrappers. Backslashes are
 * path separators, not escapes. `%1`…`%9` and `%*` are the script's arguments (set at run time);
 * `%~dp0` is the script's own folder. Each command keeps per-character document offsets.
 */
import type { Span } from '../types';
import { matchCommand } from './commands';
import { workloadFromMatch, type Extracted, type FileContext } from './fromCommand';
import { positionalMessage, type EnvValue, type Token } from './tokens';

const batchPositional = (n: string) => positionalMessage(n).replace(/`\$(.)`/, '`%$1`');
import type { ExtractInput, ExtractResult } from './types';

interface Line {
	text: string;
	offsets: number[];
	start: number;
	end: number;
	line: number;
}

/** Logical lines: a `^` at the end of a line joins the next one (the `^` and the line break vanish). */
function logicalLines(doc: string): Line[] {
	const out: Line[] = [];
	let text = '';
	let offsets: number[] = [];
	let start = -1;
	let lineNo = 1;
	let startLine = 1;
	let pos = 0;
	while (pos <= doc.length) {
		let eol = doc.indexOf('\n', pos);
		if (eol < 0) eol = doc.length;
		let end = eol > pos && doc[eol - 1] === '\r' ? eol - 1 : eol;
		if (start < 0) {
			start = pos;
			startLine = lineNo;
		}
		const continued = end > pos && doc[end - 1] === '^' && doc[end - 2] !== '^';
		if (continued) end--;
		for (let k = pos; k < end; k++) {
			text += doc[k];
			offsets.push(k);
		}
		if (!continued || eol >= doc.length) {
			out.push({ text, offsets, start, end: end + (continued ? 1 : 0), line: startLine });
			text = '';
			offsets = [];
			start = -1;
		}
		lineNo++;
		if (eol >= doc.length) break;
		pos = eol + 1;
	}
	return out;
}

interface Piece {
	text: string;
	/** Where each character's value is written (a `set` line for an expanded variable), or -1. */
	offsets: number[];
	/** Where each character comes from on this line (the `%VAR%` reference for an expanded one). */
	written: number[];
	/** Index in `text` of a placeholder (NUL) for an expansion only known at run time → why and where. */
	unknownAt: Map<number, { reason: string; span: Span }>;
	notes: string[];
}

const HOLE = '\u0000';

function hole(p: Piece, reason: string, l: Line, i: number, length: number): void {
	p.unknownAt.set(p.text.length, {
		reason,
		span: { offset: l.offsets[i]!, length: l.offsets[i + length - 1]! + 1 - l.offsets[i]! },
	});
	p.text += HOLE;
	p.offsets.push(l.offsets[i]!);
	p.written.push(l.offsets[i]!);
}

/** `%VAR%`, `!VAR!`, `%%`, `%1`, `%*`, `%~dp0` expanded against the variables the script set so far. */
function expand(l: Line, env: ReadonlyMap<string, EnvValue>): Piece {
	const p: Piece = { text: '', offsets: [], written: [], unknownAt: new Map(), notes: [] };
	const s = l.text;
	for (let i = 0; i < s.length;) {
		const c = s[i]!;
		if (c === '%' && s[i + 1] === '%') {
			p.text += '%';
			p.offsets.push(l.offsets[i]!);
			p.written.push(l.offsets[i]!);
			i += 2;
			continue;
		}
		const tilde = c === '%' ? /^%~[a-z]*([0-9])/i.exec(s.slice(i)) : null;
		if (tilde) {
			if (tilde[1] === '0') {
				// The script's own folder: relative to the document, as the analysis resolves paths.
				p.text += './';
				p.offsets.push(-1, -1);
				p.written.push(l.offsets[i]!, l.offsets[i + tilde[0].length - 1]!);
				p.notes.push('%~dp0 is the folder of this script');
			} else hole(p, batchPositional(tilde[1]!), l, i, tilde[0].length);
			i += tilde[0].length;
			continue;
		}
		if (c === '%' && /[0-9*]/.test(s[i + 1] ?? '')) {
			hole(p, batchPositional(s[i + 1]!), l, i, 2);
			i += 2;
			continue;
		}
		const m =
			c === '%' || c === '!' ? new RegExp(`^\\${c}([A-Za-z_][A-Za-z0-9_.-]*)\\${c}`).exec(s.slice(i)) : null;
		if (m) {
			const v = env.get(m[1]!.toUpperCase());
			if (v) {
				const direct = v.span && v.span.length === v.value.length;
				p.text += v.value;
				for (let k = 0; k < v.value.length; k++) {
					p.offsets.push(direct ? v.span!.offset + k : -1);
					p.written.push(l.offsets[k === v.value.length - 1 ? i + m[0].length - 1 : i]!);
				}
				p.notes.push(`from %${m[1]}% (${v.origin})`);
			} else
				hole(
					p,
					`%${m[1]}% is read from the environment at run time and is not set in this script`,
					l,
					i,
					m[0].length,
				);
			i += m[0].length;
			continue;
		}
		p.text += c;
		p.offsets.push(l.offsets[i]!);
		p.written.push(l.offsets[i]!);
		i++;
	}
	return p;
}

/** Words split at spaces outside double quotes; `^` escapes the next character outside quotes. */
function words(p: Piece, doc: string): Token[] {
	const out: Token[] = [];
	let text = '';
	let offsets: number[] = [];
	let quoted = false;
	let first = -1;
	let last = -1;
	let unknown: string | undefined;
	const flush = () => {
		if (first >= 0 || text) {
			const a = first >= 0 ? first : 0;
			const b = last >= 0 ? last : a;
			out.push({
				text,
				offsets,
				span: { offset: a, length: b + 1 - a },
				raw: doc.slice(a, b + 1),
				note: p.notes.length ? p.notes.join('; ') : undefined,
				unknown,
			});
		}
		unknown = undefined;
		text = '';
		offsets = [];
		first = -1;
		last = -1;
	};
	for (let i = 0; i < p.text.length; i++) {
		const c = p.text[i]!;
		const o = p.offsets[i]!;
		if (!quoted && (c === ' ' || c === '\t')) {
			flush();
			continue;
		}
		const u = c === HOLE ? p.unknownAt.get(i) : undefined;
		if (u) {
			unknown ??= u.reason;
			if (first < 0) first = u.span.offset;
			last = u.span.offset + u.span.length - 1;
			continue;
		}
		const w = p.written[i]!;
		if (w >= 0) {
			if (first < 0) first = w;
			last = w;
		}
		if (c === '"') {
			quoted = !quoted;
			continue;
		}
		if (c === '^' && !quoted && i + 1 < p.text.length) {
			i++;
			text += p.text[i];
			offsets.push(p.offsets[i]!);
			if (p.written[i]! >= 0) last = p.written[i]!;
			continue;
		}
		text += c;
		offsets.push(o);
	}
	flush();
	return out;
}

/** `set VAR=value`, `set "VAR=value"`: the variable with where its value is written. */
function readSet(l: Line, env: Map<string, EnvValue>): boolean {
	const m = /^(\s*@?\s*set\s+)(?!\/)("?)([A-Za-z_][A-Za-z0-9_.-]*)=/i.exec(l.text);
	if (!m) return /^\s*@?\s*set\s/i.test(l.text);
	const nameStart = m[1]!.length + m[2]!.length;
	const valueStart = m[0].length;
	let valueEnd = l.text.length;
	if (m[2]) {
		const close = l.text.lastIndexOf('"');
		if (close >= valueStart) valueEnd = close;
	} else valueEnd = valueStart + l.text.slice(valueStart).trimEnd().length;
	const valueLine: Line = {
		...l,
		text: l.text.slice(valueStart, valueEnd),
		offsets: l.offsets.slice(valueStart, valueEnd),
	};
	const v = expand(valueLine, env);
	const name = m[3]!.toUpperCase();
	if (v.unknownAt.size) {
		env.delete(name);
		return true;
	}
	const exact = v.offsets.length > 0 && v.offsets.every((o, k) => o === v.offsets[0]! + k);
	env.set(name, {
		value: v.text,
		span: exact ? { offset: v.offsets[0]!, length: v.text.length } : undefined,
		keySpan: { offset: l.offsets[nameStart]!, length: m[3]!.length },
		origin: `set on line ${l.line}`,
		exported: true,
	});
	return true;
}

/** `call X`, `start "title" /b X`: the command they run. */
function unwrap(tokens: Token[]): Token[] {
	let t = tokens;
	for (;;) {
		const head = t[0]?.text.toLowerCase();
		if (head === 'call') t = t.slice(1);
		else if (head === 'start') {
			t = t.slice(1);
			if (t[0] && t[0].raw.startsWith('"')) t = t.slice(1);
			while (t[0]?.text.startsWith('/')) t = t.slice(1);
		} else return t;
	}
}

/** The program word with `\` as `/` and without `.exe`, so `C:\llama\llama-server.exe` is recognised. */
function program(tok: Token): Token {
	let text = tok.text.replace(/\\/g, '/');
	let offsets = tok.offsets;
	if (/\.exe$/i.test(text)) {
		text = text.slice(0, -4);
		offsets = offsets.slice(0, -4);
	}
	return { ...tok, text, offsets };
}

export function extractBatch(input: ExtractInput): ExtractResult {
	const doc = input.text;
	const env = new Map<string, EnvValue>();
	const ctx: FileContext = { path: input.path, doc, syntax: 'cli', host: input.host, fileEnv: env };
	const out: Extracted = { workloads: [], findings: [] };
	for (const l of logicalLines(doc)) {
		const body = l.text.trim();
		if (!body || /^@?(rem(\s|$)|::|:)/i.test(body)) continue;
		if (readSet(l, env)) continue;
		if (!/vllm|llama|ollama|python/i.test(body)) continue;
		const p = expand(l, env);
		const tokens = unwrap(words(p, doc));
		if (!tokens.length) continue;
		tokens[0] = program(tokens[0]!);
		const m = matchCommand(tokens, undefined, new Map());
		if (!m) continue;
		const span: Span = { offset: l.start, length: l.end - l.start };
		const r = workloadFromMatch(m, span, ctx);
		out.workloads.push(...r.workloads);
		out.findings.push(...r.findings);
	}
	return out;
}
