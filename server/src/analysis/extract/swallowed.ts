/**
 * An unterminated string or unclosed bracket can swallow an engine command: tree-sitter folds the rest of
 * the file into an ERROR node (or a string with a MISSING quote), no command or call is left to read, and
 * the file would otherwise yield no workload and no word about why. This finds such a region, names the
 * opener that was never closed, and reports it as `unparseable-config` when an engine keyword sits in what
 * it swallowed (or the opener cut an extracted command short). It stays quiet unless a scan of the region
 * confirms an opener that is still open at its end, so grammar gaps elsewhere in a file are not blamed.
 */
import type { SyntaxNode } from '../parse/treeSitter';
import type { Finding, Span, Workload } from '../types';
import { ENGINE_KEYWORDS } from './keywords';

export type Dialect = 'bash' | 'python';

/** A string or bracket opened in `text[from, to)` and still open at `to`. */
interface Opener {
	offset: number;
	kind: 'string' | 'bracket';
	written: string;
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Lexical scan (quotes, escapes, comments, brackets): the outermost opener left open at `to`. */
export function openAtEnd(text: string, from: number, to: number, dialect: Dialect): Opener | undefined {
	const stack: Opener[] = [];
	let k = from;
	while (k < to) {
		const c = text[k]!;
		if (c === '\\') {
			k += 2;
			continue;
		}
		if (c === '#' && (dialect === 'python' || k === from || /\s/.test(text[k - 1]!))) {
			const nl = text.indexOf('\n', k);
			k = nl < 0 ? to : nl;
			continue;
		}
		if (c === '"' || c === "'") {
			const quote = dialect === 'python' && text.startsWith(c.repeat(3), k) ? c.repeat(3) : c;
			const end = closingQuote(text, k + quote.length, to, quote, dialect);
			if (end < 0) return stack[0] ?? { offset: k, kind: 'string', written: quote };
			k = end + quote.length;
			continue;
		}
		if (c in CLOSE) stack.push({ offset: k, kind: 'bracket', written: c });
		else if (c === ')' || c === ']' || c === '}') {
			const top = stack[stack.length - 1];
			if (top && CLOSE[top.written] === c) stack.pop();
		}
		k++;
	}
	return stack[0];
}

function closingQuote(text: string, from: number, to: number, quote: string, dialect: Dialect): number {
	// Bash single quotes have no escapes; a Python one-line string ends at the line's end.
	const escapes = !(dialect === 'bash' && quote === "'");
	for (let k = from; k < to; k++) {
		if (escapes && text[k] === '\\') {
			k++;
			continue;
		}
		if (dialect === 'python' && quote.length === 1 && text[k] === '\n') return -1;
		if (text.startsWith(quote, k)) return k;
	}
	return -1;
}

/** ERROR nodes and the parents of MISSING ones, descending only where the tree reports an error. */
function errorRegions(root: SyntaxNode, limit = 20): SyntaxNode[] {
	const out: SyntaxNode[] = [];
	const visit = (n: SyntaxNode) => {
		if (out.length >= limit) return;
		if (n.type === 'ERROR') return void out.push(n);
		if (n.isMissing) return void out.push(n.parent ?? n);
		for (const c of n.children) if (c && (c.hasError || c.isMissing)) visit(c);
	};
	if (root.hasError) visit(root);
	return out;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const lineEnd = (text: string, offset: number) => {
	const nl = text.indexOf('\n', offset);
	return nl < 0 ? text.length : nl;
};
const covers = (s: Span, offset: number) => offset >= s.offset && offset < s.offset + s.length;

/** The first engine keyword in `text[from, to)` that no extracted workload covers. */
function swallowedKeyword(text: string, from: number, to: number, workloads: Workload[]): number | undefined {
	let best: number | undefined;
	for (const kw of ENGINE_KEYWORDS) {
		for (let at = text.indexOf(kw, from); at >= 0 && at < to; at = text.indexOf(kw, at + 1)) {
			if (workloads.some((w) => covers(w.span, at))) continue;
			if (best === undefined || at < best) best = at;
			break;
		}
	}
	return best;
}

/** What the keyword starts, as written: `vllm serve`, `LLM(…)`. */
function commandLabel(text: string, at: number, dialect: Dialect): string {
	let start = at;
	while (start > 0 && /[\w.\-/]/.test(text[start - 1]!)) start--;
	const line = text.slice(start, lineEnd(text, at));
	if (dialect === 'python') {
		const m = /^[\w.]+\(?/.exec(line);
		const name = m ? m[0] : line.slice(0, 40);
		return name.endsWith('(') ? `${name}…)` : name;
	}
	const m = /^\S+(?:\s+[a-z][\w-]*)?/.exec(line);
	return (m ? m[0] : line).slice(0, 60);
}

/**
 * One finding per region whose unclosed opener swallows an engine keyword no workload covers, or cuts an
 * extracted command short on its own line. Regions already reported as `unparseable-config` are skipped.
 */
export function swallowedCommandFindings(
	root: SyntaxNode,
	text: string,
	workloads: Workload[],
	findings: readonly Finding[],
	dialect: Dialect,
): Finding[] {
	const out: Finding[] = [];
	const reported = findings.filter((f) => f.code === 'unparseable-config').map((f) => f.span);
	for (const region of errorRegions(root)) {
		const from = region.startIndex;
		const to = Math.max(region.endIndex, from);
		const opener = openAtEnd(text, from, to, dialect);
		if (!opener) continue;
		const regionSpan = { offset: from, length: to - from };
		if (reported.some((s) => covers(regionSpan, s.offset) || covers(s, opener.offset))) continue;
		const kwAt = swallowedKeyword(text, lineStart(text, opener.offset), to, workloads);
		const cut = workloads.find(
			(w) =>
				opener.offset >= w.span.offset + w.span.length &&
				lineStart(text, opener.offset) <= w.span.offset + w.span.length,
		);
		if (kwAt === undefined && !cut) continue;
		const label = commandLabel(text, kwAt ?? cut!.span.offset, dialect);
		const what =
			opener.kind === 'string' ? 'Unterminated string starting here' : `Unclosed \`${opener.written}\` here`;
		const effect =
			kwAt !== undefined
				? `swallows the \`${label}\` ${dialect === 'python' ? 'call' : 'command'}: nothing after it was analyzed`
				: `cuts the \`${label}\` command short: its arguments from here on were not analyzed`;
		const refusal =
			dialect === 'python'
				? 'Python itself would refuse to run the file'
				: 'the shell would stop there with a syntax error';
		out.push({
			code: 'unparseable-config',
			severity: 'error',
			message: `${what} ${effect} (${refusal}).`,
			// From the opener to its line's end: visible, and it points at the cause, not at the whole rest.
			span: { offset: opener.offset, length: Math.max(1, lineEnd(text, opener.offset) - opener.offset) },
			data: { language: dialect },
		});
		reported.push(regionSpan);
	}
	return out;
}
