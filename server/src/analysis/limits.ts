/**
 * Resource limits of the analysis, in one place: what a hostile or broken file can make us spend. Each
 * limit that trips leaves a finding that says which limit and what was skipped, and the rest of the file
 * is still analyzed. docs/security.md lists these numbers and the tests that check them.
 */
import { isAlias, isMap, isNode, isPair, isSeq } from 'yaml';
import type { Finding, Setting, Workload, WorkloadSettings } from './types';

export const LIMITS = {
	/** Files above this are not parsed at all (`file-too-large`). The language server's setting may lower it. */
	maxFileBytes: 5_000_000,
	/**
	 * A line longer than this is blanked before parsing (`input-limit`). No real config line is this
	 * long; minified JavaScript can be, so that kind is exempt (its parser copes, nesting aside).
	 */
	maxLineChars: 100_000,
	/**
	 * Brackets nested deeper than this make the parsers recurse until the stack runs out (TypeScript,
	 * yaml); CPython itself stops at 200 nested parentheses. Lines that reach past it are blanked.
	 */
	maxNesting: 500,
	/** The same across lines (brackets opened on earlier lines and not closed). */
	maxCarriedNesting: 5000,
	/** Findings kept per document; the rest are summarised in one finding. */
	maxFindings: 1000,
	/** Characters of one finding message (a 2 MB model name must not make a 2 MB message). */
	maxMessageChars: 1000,
	/** Default time budget per document for the CLI (the language server uses its setting). */
	cliTimeBudgetMs: 10_000,
	/** Nodes a YAML document's aliases may stand for before we report a bomb (they are never expanded). */
	maxYamlAliasNodes: 100_000,
} as const;

export const INPUT_LIMIT = 'input-limit';
export const TIME_BUDGET = 'analysis-time-budget';

function limitFinding(
	message: string,
	offset: number,
	length: number,
	data: Record<string, unknown>,
): Finding {
	return { code: INPUT_LIMIT, severity: 'warning', message, span: { offset, length }, data };
}

/**
 * A parser that recursed out of stack (statements nested thousands deep: `if (x)` 20,000 times in
 * TypeScript; brackets are caught earlier by `preflight`) is a limit of the file, not a bug of ours.
 */
export function parserOutOfStack(e: unknown): Finding | undefined {
	if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) return undefined;
	return limitFinding('The file nests too deeply for the parser (it ran out of stack): not analyzed.', 0, 0, {
		limit: 'parserStack',
	});
}

/** A file named like a config that holds binary data (a NUL byte near the start): not parsed. */
export function binaryFileFinding(): Finding {
	return limitFinding('Not a text file (a NUL byte in its first 8 KB): skipped.', 0, 0, { limit: 'binary' });
}

/** Char codes of ( [ { and ) ] }. */
const isOpen = (c: number): boolean => c === 40 || c === 91 || c === 123;
const isClose = (c: number): boolean => c === 41 || c === 93 || c === 125;

/**
 * Blanks (with spaces, so every offset stays valid) the lines that are too long or that reach too deep
 * a bracket nesting, and says so. Bracket counting ignores quotes on purpose: it is a cheap bound. Two
 * depths are kept: within the line (single-line attacks; no real line nests 500 deep), and carried
 * across lines with a ten times higher limit, so brackets inside strings that never close (`":("` in
 * 600 chat lines) cannot add up to a false alarm.
 */
export function preflight(
	text: string,
	opts: { exemptLongLines?: boolean } = {},
): {
	text: string;
	findings: Finding[];
} {
	const findings: Finding[] = [];
	const blank: [number, number][] = [];
	let carried = 0;
	let lineNo = 0;
	for (let start = 0; start <= text.length; lineNo++) {
		let end = text.indexOf('\n', start);
		if (end < 0) end = text.length;
		let local = 0;
		let maxLocal = 0;
		let maxCarried = carried;
		for (let i = start; i < end; i++) {
			const c = text.charCodeAt(i);
			if (isOpen(c)) {
				maxLocal = Math.max(maxLocal, ++local);
				maxCarried = Math.max(maxCarried, ++carried);
			} else if (isClose(c)) {
				if (local > 0) local--;
				if (carried > 0) carried--;
			}
		}
		const long = !opts.exemptLongLines && end - start > LIMITS.maxLineChars;
		const deep = maxLocal > LIMITS.maxNesting || maxCarried > LIMITS.maxCarriedNesting;
		if (long || deep) {
			blank.push([start, end]);
			const depth = maxLocal > LIMITS.maxNesting ? maxLocal : maxCarried;
			const limit = maxLocal > LIMITS.maxNesting ? LIMITS.maxNesting : LIMITS.maxCarriedNesting;
			const why = long
				? `line ${lineNo + 1} is ${end - start} characters long, over the ${LIMITS.maxLineChars}-character line limit`
				: `line ${lineNo + 1} nests brackets ${depth} deep, over the limit of ${limit}`;
			if (findings.length < 20)
				findings.push(
					limitFinding(`${capitalize(why)}: skipped; the rest of the file is analyzed.`, start, 0, {
						limit: long ? 'maxLineChars' : 'maxNesting',
						line: lineNo,
					}),
				);
		}
		start = end + 1;
	}
	if (blank.length === 0) return { text, findings };
	let out = '';
	let prev = 0;
	for (const [s, e] of blank) {
		out += text.slice(prev, s) + ' '.repeat(e - s);
		prev = e;
	}
	return { text: out + text.slice(prev), findings };
}

function capitalize(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Messages no longer than the limit; findings no more than the limit, with one summary in their place. */
export function capFindings(findings: Finding[]): Finding[] {
	const clipped = findings.map((f) =>
		f.message.length > LIMITS.maxMessageChars
			? { ...f, message: `${f.message.slice(0, LIMITS.maxMessageChars)}… (message shortened)` }
			: f,
	);
	if (clipped.length <= LIMITS.maxFindings) return clipped;
	const kept = clipped.slice(0, LIMITS.maxFindings);
	const last = kept[kept.length - 1]!.span;
	kept.push(
		limitFinding(
			`${clipped.length - LIMITS.maxFindings} more findings after the first ${LIMITS.maxFindings} were left out.`,
			last.offset,
			0,
			{ limit: 'maxFindings', omitted: clipped.length - LIMITS.maxFindings },
		),
	);
	return kept;
}

/** Elapsed-time checks between stages and workloads; the pipeline stops with one finding when over. */
export class TimeBudget {
	private readonly started = Date.now();
	constructor(readonly ms: number | undefined) {}
	get elapsed(): number {
		return Date.now() - this.started;
	}
	expired(): boolean {
		return this.ms !== undefined && this.elapsed > this.ms;
	}
	finding(done: number, total: number): Finding {
		return {
			code: TIME_BUDGET,
			severity: 'warning',
			message:
				`Analysis stopped after ${this.elapsed} ms, over its ${this.ms} ms budget: ${done} of ${total} ` +
				'workload(s) analyzed. Raise `inferenceMeter.analysisTimeoutMs` to analyze the rest.',
			span: { offset: 0, length: 0 },
			data: { budgetMs: this.ms, elapsedMs: this.elapsed, analyzed: done, total },
		};
	}
}

type NumericKey = {
	[K in keyof WorkloadSettings]-?: WorkloadSettings[K] extends Setting<number> | undefined ? K : never;
}[keyof WorkloadSettings];

/** Plausible ranges of the numeric settings; beyond them no engine starts, and the physics would lie. */
const RANGES: Record<NumericKey, { min: number; max: number; integer: boolean }> = {
	contextLength: { min: 0, max: 1e8, integer: true },
	maxConcurrency: { min: 1, max: 1e6, integer: true },
	tensorParallelSize: { min: 1, max: 65_536, integer: true },
	pipelineParallelSize: { min: 1, max: 65_536, integer: true },
	deviceCount: { min: 0, max: 1e6, integer: true },
	// llama.cpp reads -1 as "all layers" / "auto threads".
	gpuLayers: { min: -1, max: 1e6, integer: true },
	threads: { min: -1, max: 1e6, integer: true },
	batchTokens: { min: 0, max: 1e9, integer: true },
	gpuMemoryUtilization: { min: 0, max: 1, integer: false },
	speculativeTokens: { min: 0, max: 1024, integer: true },
	expertParallelSize: { min: 1, max: 65_536, integer: true },
	dataParallelSize: { min: 1, max: 65_536, integer: true },
};

/**
 * Drops numeric settings that are NaN, infinite, unsafe integers or out of any plausible range (they
 * become unknowns, so the engine default applies) and reports each with `invalid-flag-value`.
 */
export function checkSettingRanges(w: Workload, index: number): Finding[] {
	const findings: Finding[] = [];
	for (const key of Object.keys(RANGES) as NumericKey[]) {
		const s = w.settings[key];
		if (!s) continue;
		const r = RANGES[key];
		const v = s.value;
		const ok =
			typeof v === 'number' &&
			Number.isFinite(v) &&
			(!r.integer || Number.isSafeInteger(v)) &&
			v >= r.min &&
			v <= r.max;
		if (ok) continue;
		const written = s.raw ?? String(v);
		const reason = `value out of range: \`${written.slice(0, 40)}\` is not between ${r.min} and ${r.max}`;
		delete w.settings[key];
		w.unknowns.push({ name: key, reason, span: s.span });
		findings.push({
			code: 'invalid-flag-value',
			severity: 'warning',
			message: `${s.key ?? key}: ${reason}; the estimate ignores this value.`,
			span: s.span ?? s.keySpan ?? w.span,
			workload: index,
			data: { flag: s.key ?? key, setting: key, limit: 'range' },
		});
	}
	return findings;
}

/**
 * The extractors read YAML nodes and never expand aliases, so a "billion laughs" document costs nothing;
 * it still gets a finding, because what its aliases stand for is not analyzed. The expansion is counted
 * here in one pass in document order (an alias refers to the latest anchor of that name before it), with
 * saturating sizes: the `yaml` package's own `toJS({ maxAliasCount })` took 10 s on a chain of 2,000
 * anchors and never tripped.
 */
export function yamlAliasFinding(doc: { contents: unknown }, text: string): Finding | undefined {
	const cap = LIMITS.maxYamlAliasNodes + 1;
	const anchors = new Map<string, number>();
	let aliased = 0;
	const visit = (node: unknown, depth: number): number => {
		if (depth > 10_000) return cap;
		let size = 1;
		if (isAlias(node)) {
			size = anchors.get(node.source) ?? 1;
			aliased = Math.min(cap, aliased + size);
		} else if (isMap(node) || isSeq(node)) {
			for (const item of node.items) {
				size += isPair(item)
					? visit(item.key, depth + 1) + visit(item.value, depth + 1)
					: visit(item, depth + 1);
				if (size >= cap) break;
			}
		}
		size = Math.min(size, cap);
		const anchor = isNode(node) ? node.anchor : undefined;
		if (anchor) anchors.set(anchor, size);
		return size;
	};
	visit(doc.contents, 0);
	if (aliased <= LIMITS.maxYamlAliasNodes) return undefined;
	const start = isNode(doc.contents) ? Math.min(doc.contents.range?.[0] ?? 0, text.length) : 0;
	return limitFinding(
		`YAML alias expansion limit reached: the aliases in this document stand for more than ${LIMITS.maxYamlAliasNodes} ` +
			'nodes (an alias bomb); they are not followed, and the rest of the file is analyzed.',
		start,
		0,
		{ limit: 'maxYamlAliasNodes' },
	);
}
