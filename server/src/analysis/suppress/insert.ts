/**
 * The edit behind the editor's "Suppress CODE on this line" quick fix: a whole-line
 * `inference-meter-disable-next-line CODE` comment above the statement the finding starts in, indented
 * like it, in the file's comment syntax; or `, CODE` appended to such a comment already there.
 */
import type { TextEdit } from '../types';
import {
	DIRECTIVE_PREFIX,
	lineOf,
	lineStarts,
	lineText,
	scanDirectives,
	statementStart,
	type CommentStyle,
} from './directives';

export function suppressionEdit(
	text: string,
	style: CommentStyle | undefined,
	offset: number,
	code: string,
): TextEdit | undefined {
	if (!style) return undefined;
	const starts = lineStarts(text);
	const line = statementStart(text, starts, lineOf(starts, Math.min(offset, text.length)));
	const above = line > 0 ? lineText(text, starts, line - 1) : '';
	if (above.includes(`${DIRECTIVE_PREFIX}-next-line`)) {
		const d = scanDirectives(above, style).find((x) => x.kind === 'next-line' && x.wholeLine);
		const last = d?.codes[d.codes.length - 1];
		if (d && last) {
			if (d.codes.some((c) => c.code === code)) return undefined;
			return {
				span: { offset: starts[line - 1]! + last.span.offset + last.span.length, length: 0 },
				newText: `, ${code}`,
			};
		}
	}
	const indent = /^[ \t]*/.exec(lineText(text, starts, line))![0];
	const comment = style === 'slash' ? '//' : '#';
	const eol = text.includes('\r\n') ? '\r\n' : '\n';
	return {
		span: { offset: starts[line]!, length: 0 },
		newText: `${indent}${comment} ${DIRECTIVE_PREFIX}-next-line ${code}${eol}`,
	};
}
