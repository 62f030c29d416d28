/**
 * Applies inline suppressions to a document's findings, once, in the core (so the CLI, the editor and the
 * MCP tools agree), and reports each suppression that suppressed nothing as `unused-suppression`, with a
 * fix that removes it, so stale ones get cleaned up.
 */
import { CODES } from '../rules/codes';
import type { Finding, Span, TextEdit } from '../types';
import {
	lineOf,
	lineStarts,
	lineText,
	scanDirectives,
	type CommentStyle,
	type SuppressionDirective,
} from './directives';

/** A finding kept out of the diagnostics, and why (SARIF `suppressions`). */
export interface SuppressedFinding {
	finding: Finding;
	/** `inSource`: a comment in the file; `external`: `severity: off` in the project config. */
	kind: 'inSource' | 'external';
	justification: string;
	/** The suppressing comment (inSource). */
	span?: Span;
}

export interface SuppressionResult {
	kept: Finding[];
	suppressed: SuppressedFinding[];
	/** `unused-suppression` findings (only when the analysis was complete). */
	unused: Finding[];
}

export const UNUSED_SUPPRESSION = 'unused-suppression';

const KNOWN = new Set(CODES.map((c) => c.code));

/**
 * @param complete false when the analysis stopped early (time budget, input limit, a failed stage): then
 *   an unmatched directive may only look unused, and none is reported.
 */
export function applySuppressions(
	findings: readonly Finding[],
	text: string,
	style: CommentStyle | undefined,
	complete: boolean,
): SuppressionResult {
	const directives = style ? scanDirectives(text, style) : [];
	if (directives.length === 0) return { kept: [...findings], suppressed: [], unused: [] };
	const starts = lineStarts(text);
	const used = new Set<string>();
	const kept: Finding[] = [];
	const suppressed: SuppressedFinding[] = [];
	for (const f of findings) {
		const line = lineOf(starts, f.span.offset);
		const hit = f.code === UNUSED_SUPPRESSION ? undefined : match(directives, f.code, line);
		if (!hit) {
			kept.push(f);
			continue;
		}
		used.add(`${hit.index}:${f.code}`);
		const d = hit.directive;
		suppressed.push({
			finding: f,
			kind: 'inSource',
			justification: d.reason ?? `inference-meter-disable-${d.kind} ${f.code} on line ${d.line + 1}`,
			span: d.span,
		});
	}
	const unused = complete ? unusedFindings(directives, used, text, starts) : [];
	return { kept, suppressed, unused };
}

function match(
	directives: SuppressionDirective[],
	code: string,
	line: number,
): { directive: SuppressionDirective; index: number } | undefined {
	for (let i = 0; i < directives.length; i++) {
		const d = directives[i]!;
		if (d.misplaced) continue;
		if (line < d.lines[0] || line > d.lines[1]) continue;
		if (d.codes.some((c) => c.code === code)) return { directive: d, index: i };
	}
	return undefined;
}

function unusedFindings(
	directives: SuppressionDirective[],
	used: Set<string>,
	text: string,
	starts: number[],
): Finding[] {
	const out: Finding[] = [];
	directives.forEach((d, i) => {
		const name = `inference-meter-disable-${d.kind}`;
		const dead = d.codes.filter((c) => !used.has(`${i}:${c.code}`));
		if (d.codes.length === 0 || d.misplaced) {
			out.push({
				code: UNUSED_SUPPRESSION,
				severity: 'information',
				message: d.misplaced
					? `This suppression does nothing: ${d.misplaced}`
					: `\`${name}\` names no diagnostic code, so it suppresses nothing; write the code after it`,
				span: d.span,
				data: { directive: d.kind, codes: d.codes.map((c) => c.code) },
				fixes: [{ title: 'Remove this suppression comment', edits: [removeDirective(d, text, starts)] }],
			});
			return;
		}
		for (const c of dead) {
			const where =
				d.kind === 'file'
					? 'in this file'
					: d.lines[0] === d.lines[1]
						? `on line ${d.lines[0] + 1}`
						: `on lines ${d.lines[0] + 1}–${d.lines[1] + 1}`;
			const why = KNOWN.has(c.code)
				? `no ${c.code} finding ${where}`
				: `"${c.code}" is not a diagnostic code of Inference Meter`;
			const all = dead.length === d.codes.length;
			out.push({
				code: UNUSED_SUPPRESSION,
				severity: 'information',
				message: `\`${name} ${c.code}\` suppresses nothing: ${why}; remove it`,
				span: c.span,
				data: { directive: d.kind, code: c.code, known: KNOWN.has(c.code) },
				fixes: [
					all && d.codes.length === 1
						? { title: 'Remove this suppression comment', edits: [removeDirective(d, text, starts)] }
						: { title: `Remove ${c.code} from this suppression`, edits: [removeCode(d, c)] },
				],
			});
		}
	});
	return out;
}

/** Deletes the whole comment line, or a trailing comment with the blanks before it. */
function removeDirective(d: SuppressionDirective, text: string, starts: number[]): TextEdit {
	if (d.wholeLine) {
		const start = starts[d.line]!;
		const end = d.line + 1 < starts.length ? starts[d.line + 1]! : text.length;
		return { span: { offset: start, length: end - start }, newText: '' };
	}
	const lineStart = starts[d.line]!;
	const before = lineText(text, starts, d.line).slice(0, d.span.offset - lineStart);
	const blanks = before.length - before.trimEnd().length;
	return { span: { offset: d.span.offset - blanks, length: d.span.length + blanks }, newText: '' };
}

/** Deletes one code and the comma that joined it to its neighbour. */
function removeCode(d: SuppressionDirective, c: { span: Span }): TextEdit {
	const i = d.codes.indexOf(c as SuppressionDirective['codes'][number]);
	if (i > 0) {
		const prev = d.codes[i - 1]!;
		const from = prev.span.offset + prev.span.length;
		return { span: { offset: from, length: c.span.offset + c.span.length - from }, newText: '' };
	}
	const next = d.codes[i + 1];
	const to = next ? next.span.offset : c.span.offset + c.span.length;
	return { span: { offset: c.span.offset, length: to - c.span.offset }, newText: '' };
}
