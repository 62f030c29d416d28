/**
 * Turns lexed words into tokens: the value the program would see, resolved against the variables the
 * file itself defines (shell assignments, Dockerfile ENV, compose/Kubernetes env), with per-character
 * document offsets for exact spans, and an honest note when a value came from an env default or could
 * not be read at all.
 */
import type { Span } from '../types';
import type { Word } from './words';

/** A variable the file defines, with where its value is written (for spans and notes). */
export interface EnvValue {
	value: string;
	span?: Span;
	/** E.g. `ENV on line 3`, `environment: in compose`. */
	origin: string;
	/** Where the variable's name is written (flag-like occurrences of LLAMA_ARG_*). */
	keySpan?: Span;
	/** False for a plain shell variable: child processes (the engine) do not see it. */
	exported?: boolean;
}

export type Env = ReadonlyMap<string, EnvValue>;

export interface Token {
	/** The value as the program receives it; unresolvable parts are left out (see `unknown`). */
	text: string;
	/** Document offset of each character of `text`, or -1 when it has none. */
	offsets: number[];
	/** The word as written. */
	span: Span;
	raw: string;
	/** Set when part of the value is only known at run time. */
	unknown?: string;
	/** How the value was obtained, when not written literally (env default, variable). */
	note?: string;
}

/** A variable the file assigns on `line` whose value could not be read, and the first reason why. */
export interface UnreadableVar {
	line: number;
	reason: string;
}

export function unreadableMessage(name: string, u: UnreadableVar): string {
	return `$${name} is assigned on line ${u.line} but its value could not be read: ${u.reason}`;
}

/** `$@`, `$*`, `$0`…`$9`: the arguments the script or `sh -c` string is started with. */
export function isPositional(name: string): boolean {
	return /^[@*0-9]$/.test(name);
}

export function positionalMessage(name: string): string {
	return name === '@' || name === '*'
		? `\`$${name}\` is the arguments the script is started with, set at run time`
		: `\`$${name}\` is argument ${name} the script is started with, set at run time`;
}

/** Longest value a word may expand to through variables the file sets. */
export const MAX_WORD_CHARS = 100_000;

/**
 * `unreadable`: variables the file assigns but whose value could not be read (name → why), so a later
 * `$NAME` says so instead of blaming the environment.
 */
export function resolveWord(
	word: Word,
	doc: string,
	env: Env = new Map(),
	unreadable?: ReadonlyMap<string, UnreadableVar>,
): Token {
	let text = '';
	const offsets: number[] = [];
	const notes: string[] = [];
	let unknown: string | undefined;
	for (const p of word.parts) {
		if (p.kind === 'lit') {
			text += p.text;
			// A loop, not push(...): a spread of a 500k-character word overflows the stack.
			for (const o of p.offsets) offsets.push(o);
		} else if (p.kind === 'cmd') {
			unknown ??= `\`${doc.slice(p.span.offset, p.span.offset + p.span.length)}\` is a command substitution, only known at run time`;
		} else {
			const known = env.get(p.name);
			if (known && text.length + known.value.length > MAX_WORD_CHARS) {
				// `X="$X$X"` thirty times is a 1 GB string (and 8 GB of offsets): stop expanding instead.
				unknown ??= `$${p.name} expands past ${MAX_WORD_CHARS} characters here; not followed`;
			} else if (known) {
				text += known.value;
				const direct = known.span && known.span.length === known.value.length;
				for (let k = 0; k < known.value.length; k++) offsets.push(direct ? known.span!.offset + k : -1);
				notes.push(`from $${p.name} (${known.origin})`);
			} else if (isPositional(p.name)) {
				unknown ??= positionalMessage(p.name);
			} else if (unreadable?.has(p.name)) {
				// Checked before an env default: the assignment decides the value at run time, not the default.
				unknown ??= unreadableMessage(p.name, unreadable.get(p.name)!);
			} else if (p.def) {
				text += p.def.text;
				for (const o of p.def.offsets) offsets.push(o);
				notes.push(`from env default: $${p.name} is not set in this file, so the default applies`);
			} else {
				unknown ??= `$${p.name} is read from the environment at run time and is not set in this file`;
			}
		}
	}
	const raw = doc.slice(word.span.offset, word.span.offset + word.span.length);
	return { text, offsets, span: word.span, raw, unknown, note: notes.length ? notes.join('; ') : undefined };
}

/** A token whose value is known literally, e.g. a JSON-array entry or a YAML list item. */
export function literalToken(text: string, span: Span, raw: string, offsets?: number[]): Token {
	return { text, offsets: offsets ?? Array.from(text, (_, k) => span.offset + k), span, raw };
}

/**
 * The span of `text[start, end)` in the document: the characters' own stretch when they are all written
 * inside the word, or all in one run elsewhere (a variable's definition); otherwise the word as written.
 */
export function subSpan(tok: Token, start: number, end: number): Span {
	if (end <= start) return { offset: tok.offsets[start] ?? tok.span.offset + tok.span.length, length: 0 };
	const first = tok.offsets[start] ?? -1;
	const last = tok.offsets[end - 1] ?? -1;
	if (first < 0 || last < first) return tok.span;
	const wordEnd = tok.span.offset + tok.span.length;
	let inside = true;
	let contiguous = true;
	for (let k = start; k < end; k++) {
		const o = tok.offsets[k] ?? -1;
		if (o < 0) return tok.span;
		if (o < tok.span.offset || o >= wordEnd) inside = false;
		if (k > start && o !== (tok.offsets[k - 1] ?? -2) + 1) contiguous = false;
	}
	return inside || contiguous ? { offset: first, length: last + 1 - first } : tok.span;
}

export function tokenSpan(tok: Token): Span {
	return subSpan(tok, 0, tok.text.length);
}
