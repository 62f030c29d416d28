/**
 * Inline suppression comments, in each format's own comment syntax:
 *   # inference-meter-disable-next-line CODE[, CODE] [-- why]
 *   # inference-meter-disable-line CODE
 *   # inference-meter-disable-file CODE      (within the first FILE_DIRECTIVE_LINES lines)
 * `//` and `/* … *\/` in JavaScript/TypeScript. Formats whose comments must start a line (Dockerfile,
 * systemd units, .env files, Modelfiles) only read directives from whole-line comments: there a `#` after
 * text is part of the value, not a comment.
 */
import type { FileKind } from '../extract/types';
import type { Span } from '../types';

export type CommentStyle = 'hash' | 'hash-line-start' | 'slash';
export type DirectiveKind = 'next-line' | 'line' | 'file';

export interface SuppressionDirective {
	kind: DirectiveKind;
	codes: { code: string; span: Span }[];
	/** The directive from its comment marker to the end of the comment. */
	span: Span;
	/** 0-based line the comment is on. */
	line: number;
	/** The comment is the whole line (apart from indentation). */
	wholeLine: boolean;
	/** First and last line (0-based, inclusive) whose findings it suppresses; the whole file for `file`. */
	lines: [number, number];
	/** Text after ` -- `: why the finding is accepted (SARIF justification). */
	reason?: string;
	/** Why it cannot apply (a file directive too far down), when it cannot. */
	misplaced?: string;
}

export const DIRECTIVE_PREFIX = 'inference-meter-disable';
/** `disable-file` directives count only near the top, so a reader sees them when opening the file. */
export const FILE_DIRECTIVE_LINES = 10;

export function commentStyleFor(kind: FileKind): CommentStyle | undefined {
	switch (kind) {
		case 'shell':
		case 'yaml':
		case 'python':
			return 'hash';
		case 'dockerfile':
		case 'systemd':
		case 'env':
		case 'modelfile':
			return 'hash-line-start';
		case 'javascript':
			return 'slash';
		default:
			return undefined;
	}
}

/** Start offsets of every line. */
export function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
	return starts;
}

export function lineText(text: string, starts: number[], line: number): string {
	const end = line + 1 < starts.length ? starts[line + 1]! - 1 : text.length;
	return text.slice(starts[line], end).replace(/\r$/, '');
}

export function lineOf(starts: number[], offset: number): number {
	let lo = 0;
	let hi = starts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid]! <= offset) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

const indentOf = (s: string) => /^[ \t]*/.exec(s)![0].length;
const continues = (s: string) => /\\\s*$/.test(s);
/** `key: |`, `- >-`, `command: |2` : a YAML block scalar starts on the next line. */
const opensBlockScalar = (s: string) => /(?:^|[:-]\s)\s*[|>][-+0-9]*\s*(?:#.*)?$/.test(s.trimEnd());

/**
 * The lines one statement spans from `line`: backslash continuations (shell, Dockerfile, Python) and, in
 * YAML-like text, the block scalar a `key: |` line opens. Commands spread this way cannot carry a comment
 * on each line, so one directive above them covers them all.
 */
export function statementEnd(text: string, starts: number[], line: number): number {
	let last = line;
	const first = lineText(text, starts, line);
	if (opensBlockScalar(first)) {
		const indent = indentOf(first);
		for (let l = line + 1; l < starts.length; l++) {
			const t = lineText(text, starts, l);
			if (t.trim() === '') continue;
			if (indentOf(t) <= indent) break;
			last = l;
		}
		return last;
	}
	while (last + 1 < starts.length && continues(lineText(text, starts, last))) last++;
	return last;
}

/** The first line of the statement that contains `line` (walking back over continuations and block scalars). */
export function statementStart(text: string, starts: number[], line: number): number {
	let l = line;
	while (l > 0 && continues(lineText(text, starts, l - 1))) l--;
	const t = lineText(text, starts, l);
	const indent = indentOf(t);
	// Inside a block scalar: the nearest less-indented line above opens it.
	for (let up = l - 1; up >= 0 && indent > 0; up--) {
		const u = lineText(text, starts, up);
		if (u.trim() === '') continue;
		if (indentOf(u) < indent) {
			if (opensBlockScalar(u)) return statementStart(text, starts, up);
			break;
		}
	}
	return l;
}

const MARKERS: Record<CommentStyle, RegExp> = {
	hash: /(^|\s)#\s*inference-meter-disable(-next-line|-line|-file)?\b/g,
	'hash-line-start': /^(\s*)#\s*inference-meter-disable(-next-line|-line|-file)?\b/g,
	slash: /(^|[^:])(?:\/\/|\/\*)\s*inference-meter-disable(-next-line|-line|-file)?\b/g,
};

export function scanDirectives(text: string, style: CommentStyle): SuppressionDirective[] {
	if (!text.includes(DIRECTIVE_PREFIX)) return [];
	const starts = lineStarts(text);
	const out: SuppressionDirective[] = [];
	for (let line = 0; line < starts.length; line++) {
		const t = lineText(text, starts, line);
		if (!t.includes(DIRECTIVE_PREFIX)) continue;
		const re = new RegExp(MARKERS[style].source, 'g');
		const m = re.exec(t);
		if (!m) continue;
		const markerAt = m.index + m[1]!.length;
		const kindWord = m[2];
		const afterKeyword = m.index + m[0].length;
		// The comment ends at `*/` for block comments, else at the line end.
		const closeAt =
			style === 'slash' && t.slice(markerAt, markerAt + 2) === '/*' ? t.indexOf('*/', afterKeyword) : -1;
		const commentEnd = closeAt >= 0 ? closeAt + 2 : t.length;
		const body = t.slice(afterKeyword, closeAt >= 0 ? closeAt : t.length);
		const [codePart, reason] = splitReason(body);
		const codes: SuppressionDirective['codes'] = [];
		const codeRe = /[A-Za-z0-9_-]+/g;
		for (let c = codeRe.exec(codePart); c; c = codeRe.exec(codePart))
			codes.push({
				code: c[0].toLowerCase(),
				span: { offset: starts[line]! + afterKeyword + c.index, length: c[0].length },
			});
		const kind: DirectiveKind = kindWord === '-line' ? 'line' : kindWord === '-file' ? 'file' : 'next-line';
		const base = starts[line]!;
		const d: SuppressionDirective = {
			kind,
			codes,
			span: { offset: base + markerAt, length: commentEnd - markerAt },
			line,
			wholeLine: t.slice(0, markerAt).trim() === '',
			lines: [line, line],
			...(reason ? { reason } : {}),
		};
		if (kindWord === undefined)
			d.misplaced = `write inference-meter-disable-next-line, -line or -file; "${DIRECTIVE_PREFIX}" alone suppresses nothing`;
		if (kind === 'file') {
			d.lines = [0, starts.length - 1];
			if (line >= FILE_DIRECTIVE_LINES)
				d.misplaced = `inference-meter-disable-file counts only in the first ${FILE_DIRECTIVE_LINES} lines`;
		} else if (kind === 'line') {
			d.lines = [statementStart(text, starts, line), line];
		} else {
			// The next line that is not itself a comment holding another directive.
			let next = line + 1;
			while (
				next < starts.length &&
				lineText(text, starts, next).includes(DIRECTIVE_PREFIX) &&
				isCommentLine(lineText(text, starts, next), style)
			)
				next++;
			d.lines = next < starts.length ? [next, statementEnd(text, starts, next)] : [line, line];
		}
		out.push(d);
	}
	return out;
}

function isCommentLine(t: string, style: CommentStyle): boolean {
	const s = t.trimStart();
	return style === 'slash' ? s.startsWith('//') || s.startsWith('/*') : s.startsWith('#');
}

/** `CODE, CODE -- reason` → codes part and reason. */
function splitReason(body: string): [string, string | undefined] {
	const i = body.search(/\s--\s/);
	if (i < 0) return [body, undefined];
	return [
		body.slice(0, i),
		body
			.slice(i)
			.replace(/^\s--\s/, '')
			.trim() || undefined,
	];
}
