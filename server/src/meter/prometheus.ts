/**
 * A small, strict parser for the Prometheus text exposition format (0.0.4), with the OpenMetrics
 * bits servers actually emit (`# EOF`, `_created`). Malformed lines are reported with their line
 * number and skipped, so one bad exporter line never hides the metrics we need.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'info' | 'stateset';

export interface Sample {
	/** Full sample name as written, e.g. `vllm:inter_token_latency_seconds_bucket`. */
	name: string;
	labels: Record<string, string>;
	value: number;
	timestampMs?: number;
	line: number;
}

export interface MetricFamily {
	name: string;
	type: MetricType;
	help?: string;
	samples: Sample[];
}

export interface ParseIssue {
	line: number;
	message: string;
	text: string;
}

export interface PrometheusText {
	/** Families by name; samples without a TYPE line form an 'untyped' family of their own name. */
	families: Map<string, MetricFamily>;
	samples: Sample[];
	errors: ParseIssue[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES: readonly MetricType[] = [
	'counter',
	'gauge',
	'histogram',
	'summary',
	'untyped',
	'info',
	'stateset',
];
/** Suffixes a sample may carry on top of its family name, by family type. */
const SUFFIXES: Record<string, readonly string[]> = {
	histogram: ['_bucket', '_sum', '_count', '_created', '_gcount', '_gsum'],
	summary: ['_sum', '_count', '_created'],
	counter: ['_total', '_created'],
	info: ['_info'],
};

export function parsePrometheusText(text: string): PrometheusText {
	const families = new Map<string, MetricFamily>();
	const samples: Sample[] = [];
	const errors: ParseIssue[] = [];
	const typed = new Set<string>();
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i];
		const lineNo = i + 1;
		const line = raw.trim();
		if (line === '') continue;
		if (line === '# EOF') break;
		try {
			if (line.startsWith('#')) parseComment(line, families, typed);
			else {
				const s = parseSample(line, lineNo);
				samples.push(s);
				familyFor(s.name, families).samples.push(s);
			}
		} catch (e) {
			errors.push({ line: lineNo, message: (e as Error).message, text: raw.slice(0, 200) });
		}
	}
	return { families, samples, errors };
}

function parseComment(line: string, families: Map<string, MetricFamily>, typed: Set<string>): void {
	const m = /^#\s*(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
	if (!m) return; // an ordinary comment
	const [, kind, name, rest = ''] = m;
	if (!METRIC_NAME.test(name) || METRIC_NAME.exec(name)![0] !== name)
		throw new Error(`invalid metric name "${name}" in ${kind} line`);
	const fam = families.get(name) ?? { name, type: 'untyped' as MetricType, samples: [] };
	if (kind === 'HELP') {
		fam.help = unescapeHelp(rest);
	} else {
		const type = rest.trim() as MetricType;
		if (!TYPES.includes(type)) throw new Error(`unknown metric type "${rest.trim()}" for ${name}`);
		if (typed.has(name)) throw new Error(`second TYPE line for ${name}; the first one stands`);
		if (fam.samples.length > 0) throw new Error(`TYPE line for ${name} comes after its samples`);
		fam.type = type;
		typed.add(name);
	}
	families.set(name, fam);
}

/** The family a sample belongs to: the longest declared family whose name plus a valid suffix matches. */
function familyFor(sampleName: string, families: Map<string, MetricFamily>): MetricFamily {
	const exact = families.get(sampleName);
	if (exact && (exact.type === 'gauge' || exact.type === 'untyped' || exact.type === 'counter')) return exact;
	for (const [type, suffixes] of Object.entries(SUFFIXES)) {
		for (const suffix of suffixes) {
			if (!sampleName.endsWith(suffix)) continue;
			const fam = families.get(sampleName.slice(0, -suffix.length));
			if (fam && fam.type === type) return fam;
		}
	}
	if (exact) return exact;
	const fam: MetricFamily = { name: sampleName, type: 'untyped', samples: [] };
	families.set(sampleName, fam);
	return fam;
}

function parseSample(line: string, lineNo: number): Sample {
	const nameMatch = METRIC_NAME.exec(line);
	if (!nameMatch) throw new Error('line is neither a comment nor a sample (no metric name)');
	const name = nameMatch[0];
	let pos = name.length;
	let labels: Record<string, string> = {};
	if (line[pos] === '{') {
		const parsed = parseLabels(line, pos + 1);
		labels = parsed.labels;
		pos = parsed.end;
	}
	const rest = line.slice(pos);
	if (rest !== '' && !/^[ \t]/.test(rest)) throw new Error(`unexpected "${rest[0]}" after ${name}`);
	const parts = rest.trim().split(/[ \t]+/);
	if (parts.length === 0 || parts[0] === '') throw new Error(`sample ${name} has no value`);
	if (parts.length > 2) throw new Error(`sample ${name} has trailing text "${parts.slice(2).join(' ')}"`);
	const value = parseValue(parts[0]);
	if (value === undefined) throw new Error(`sample ${name} has a value that is not a number: "${parts[0]}"`);
	const sample: Sample = { name, labels, value, line: lineNo };
	if (parts.length === 2) {
		const ts = Number(parts[1]);
		if (!/^-?\d+(\.\d+)?$/.test(parts[1]) || !Number.isFinite(ts))
			throw new Error(`sample ${name} has a bad timestamp "${parts[1]}"`);
		sample.timestampMs = ts;
	}
	return sample;
}

/** Parses `a="x",b="y"}` starting after the `{`; returns labels and the index after the `}`. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
	const labels: Record<string, string> = {};
	let pos = start;
	for (;;) {
		while (line[pos] === ' ' || line[pos] === '\t') pos++;
		if (line[pos] === '}') return { labels, end: pos + 1 };
		const nm = LABEL_NAME.exec(line.slice(pos));
		if (!nm) throw new Error(`bad label name at column ${pos + 1}`);
		const key = nm[0];
		pos += key.length;
		while (line[pos] === ' ') pos++;
		if (line[pos] !== '=') throw new Error(`label ${key} has no "="`);
		pos++;
		while (line[pos] === ' ') pos++;
		if (line[pos] !== '"') throw new Error(`label ${key} value is not quoted`);
		pos++;
		let value = '';
		for (;;) {
			const c = line[pos];
			if (c === undefined) throw new Error(`label ${key} value is not terminated`);
			if (c === '"') break;
			if (c === '\\') {
				const n = line[pos + 1];
				if (n === 'n') value += '\n';
				else if (n === '\\' || n === '"') value += n;
				else throw new Error(`label ${key} has an unknown escape "\\${n ?? ''}"`);
				pos += 2;
				continue;
			}
			value += c;
			pos++;
		}
		pos++;
		if (key in labels) throw new Error(`label ${key} appears twice`);
		labels[key] = value;
		while (line[pos] === ' ') pos++;
		if (line[pos] === ',') pos++;
		else if (line[pos] !== '}') throw new Error(`expected "," or "}" after label ${key}`);
	}
}

function parseValue(s: string): number | undefined {
	switch (s) {
		case 'NaN':
			return NaN;
		case '+Inf':
		case 'Inf':
			return Infinity;
		case '-Inf':
			return -Infinity;
	}
	if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?0x[0-9a-fA-F]+$/.test(s))
		return undefined;
	const n = Number(s);
	return Number.isNaN(n) ? undefined : n;
}

function unescapeHelp(s: string): string {
	return s.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

// ---- queries over a parsed exposition ------------------------------------------------------

export type LabelFilter = Record<string, string>;

function matches(labels: Record<string, string>, filter?: LabelFilter): boolean {
	if (!filter) return true;
	return Object.entries(filter).every(([k, v]) => labels[k] === v);
}

/** Samples with exactly this name (and matching labels). */
export function samplesNamed(p: PrometheusText, name: string, filter?: LabelFilter): Sample[] {
	return p.samples.filter((s) => s.name === name && matches(s.labels, filter));
}

/** Sum over all label sets of a sample name; undefined when absent. NaN values are skipped. */
export function sumOf(p: PrometheusText, name: string, filter?: LabelFilter): number | undefined {
	const ss = samplesNamed(p, name, filter).filter((s) => !Number.isNaN(s.value));
	if (ss.length === 0) return undefined;
	return ss.reduce((a, s) => a + s.value, 0);
}

/** The first of several names that is present (metrics renamed across engine versions). */
export function firstPresent(p: PrometheusText, names: readonly string[]): string | undefined {
	return names.find((n) => p.samples.some((s) => s.name === n));
}

/** Histogram or summary totals: `_sum` and `_count` summed over label sets. */
export function sumAndCount(
	p: PrometheusText,
	family: string,
	filter?: LabelFilter,
): { sum: number; count: number } | undefined {
	const sum = sumOf(p, `${family}_sum`, filter);
	const count = sumOf(p, `${family}_count`, filter);
	if (sum === undefined || count === undefined) return undefined;
	return { sum, count };
}

/** Distinct values a label takes over the samples of some names. */
export function labelValues(p: PrometheusText, label: string, names?: readonly string[]): string[] {
	const out = new Set<string>();
	for (const s of p.samples) {
		if (names && !names.includes(s.name)) continue;
		const v = s.labels[label];
		if (v !== undefined) out.add(v);
	}
	return [...out];
}
