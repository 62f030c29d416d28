/**
 * The accuracy report over the decode ledger: fit (committed constants) and cross-validated figures,
 * overall and per device class, family, engine and batch regime, next to the naive baseline. Rendered as
 * terminal text and as docs/accuracy.md.
 */
import type { CrossValidation } from './crossValidate';
import {
	cvMissesMarkdown,
	cvMissesText,
	largestCvMisses,
	type ConstantEffect,
	type CvMiss,
} from './cvMisses';
import type { HoldoutSection } from './holdout';
import type { SkippedRow } from './ledger';
import { NAIVE_EFFICIENCY, stats, statsBy, type ScoredRow, type Stats } from './score';

export interface AccuracyReport {
	ledger: { file: string; rows: number; usable: number; date: string; sha256: string };
	fit: Stats;
	byClass: { group: string; stats: Stats }[];
	byFamily: { group: string; stats: Stats }[];
	byEngine: { group: string; stats: Stats }[];
	byRegime: { group: string; stats: Stats }[];
	cvFamily?: {
		overall: Stats;
		groups: { group: string; stats: Stats }[];
		byClass: { group: string; stats: Stats }[];
		worst: CvMiss[];
	};
	cvEngine?: { overall: Stats; groups: { group: string; stats: Stats }[] };
	/** Every row with its fit error and, when cross-validated, its leave-one-family-out error. */
	rows: (ScoredRow & { cvFamilyErrorPct?: number })[];
	skipped: SkippedRow[];
}

export function buildReport(
	ledger: AccuracyReport['ledger'],
	rows: ScoredRow[],
	skipped: SkippedRow[],
	cv?: { family: CrossValidation; engine: CrossValidation },
	full: Record<string, number> = {},
	effect?: ConstantEffect,
): AccuracyReport {
	const cvById = new Map(cv?.family.rows.map((r) => [r.id, r.errorPct]));
	return {
		ledger,
		fit: stats(rows),
		byClass: statsBy(rows, (r) => r.deviceClass),
		byFamily: statsBy(rows, (r) => r.family),
		byEngine: statsBy(rows, (r) => r.engine),
		byRegime: statsBy(rows, (r) => r.regime),
		cvFamily: cv && {
			overall: stats(cv.family.rows),
			groups: statsBy(cv.family.rows, (r) => r.family),
			byClass: statsBy(cv.family.rows, (r) => r.deviceClass),
			worst: largestCvMisses(rows, cv.family, full, 15, effect),
		},
		cvEngine: cv && { overall: stats(cv.engine.rows), groups: statsBy(cv.engine.rows, (r) => r.engine) },
		rows: cv ? rows.map((r) => ({ ...r, cvFamilyErrorPct: cvById.get(r.id) })) : rows,
		skipped,
	};
}

function pct(x: number, signed = false): string {
	if (!Number.isFinite(x)) return '—';
	return `${signed && x > 0 ? '+' : ''}${x.toFixed(1)} %`;
}

function share(x: number): string {
	return `${Math.round(x * 100)} %`;
}

function statCells(s: Stats): string[] {
	return [
		String(s.rows),
		pct(s.medianAbsErrorPct),
		pct(s.medianErrorPct, true),
		share(s.within25Share),
		String(s.aboveRoofline),
		pct(s.naiveMedianAbsErrorPct),
		share(s.naiveWithin25Share),
	];
}

const STAT_HEAD = [
	'rows',
	'median |error|',
	'median error',
	'within ±25 %',
	'above roofline',
	'naive median |error|',
	'naive within ±25 %',
];

function mdTable(title: string, groups: { group: string; stats: Stats }[]): string[] {
	const head = STAT_HEAD.map((h) => h.replace(/\|/g, '\\|'));
	const out = [`| ${title} | ${head.join(' | ')} |`, `|${'---|'.repeat(STAT_HEAD.length + 1)}`];
	for (const g of groups) out.push(`| ${g.group} | ${statCells(g.stats).join(' | ')} |`);
	return out;
}

/** One line: "median |error| 9.1 %, 84 % within ±25 % (naive: 30.2 %, 41 %)". */
export function headline(s: Stats): string {
	return `median |error| ${pct(s.medianAbsErrorPct)}, ${share(s.within25Share)} within ±25 %, ${s.aboveRoofline} above roofline (naive bandwidth × ${NAIVE_EFFICIENCY}: ${pct(s.naiveMedianAbsErrorPct)}, ${share(s.naiveWithin25Share)})`;
}

export function renderText(r: AccuracyReport, verbose: boolean): string {
	const out: string[] = [];
	out.push(
		`Decode accuracy over ${r.ledger.file} (${r.ledger.rows} rows, ${r.ledger.usable} usable, ${r.ledger.date})`,
	);
	out.push('Predicted vs measured decode tok/s per user; error > 0 means the estimate is too fast.');
	out.push('');
	out.push(`fit (committed constants):        ${headline(r.fit)}`);
	if (r.cvFamily) out.push(`cross-validated, leave-one-family-out: ${headline(r.cvFamily.overall)}`);
	if (r.cvEngine) out.push(`cross-validated, leave-one-engine-out: ${headline(r.cvEngine.overall)}`);
	const section = (title: string, groups: { group: string; stats: Stats }[]) => {
		out.push('');
		out.push(title);
		for (const g of groups)
			out.push(`  ${g.group.padEnd(22)} ${String(g.stats.rows).padStart(4)} rows  ${headline(g.stats)}`);
	};
	section('per device class (fit):', r.byClass);
	section('per engine (fit):', r.byEngine);
	section('per batch regime (fit):', r.byRegime);
	if (r.cvFamily) section('per device family, held out:', r.cvFamily.groups);
	if (r.cvEngine) section('per engine, held out:', r.cvEngine.groups);
	if (r.cvFamily) out.push(...cvMissesText(r.cvFamily.worst));
	if (verbose) {
		out.push('');
		out.push(
			'id        family              engine            measured  predicted   error  cv error  roofline  hardware',
		);
		for (const x of r.rows)
			out.push(
				`${x.id.padEnd(9)} ${x.family.padEnd(19)} ${x.engine.padEnd(16)} ${x.measured.toFixed(1).padStart(9)} ${x.predicted.toFixed(1).padStart(10)} ${pct(x.errorPct, true).padStart(8)} ${(x.cvFamilyErrorPct === undefined ? '' : pct(x.cvFamilyErrorPct, true)).padStart(9)} ${x.roofline.toFixed(1).padStart(9)}  ${x.hardware.slice(0, 40)}${x.aboveRoofline ? '  ABOVE ROOFLINE' : ''}`,
			);
	}
	if (r.skipped.length) {
		out.push('');
		out.push(`skipped (${r.skipped.length}):`);
		const reasons = new Map<string, string[]>();
		for (const s of r.skipped) reasons.set(s.reason, [...(reasons.get(s.reason) ?? []), s.id]);
		for (const [reason, ids] of reasons)
			out.push(
				`  ${reason}: ${ids.length} row${ids.length > 1 ? 's' : ''} (${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ', …' : ''})`,
			);
	}
	return `${out.join('\n')}\n`;
}

/** The out-of-ledger section of the terminal report: held-out runs scored with the committed constants. */
export function renderHoldoutText(h: HoldoutSection): string {
	const out: string[] = [];
	out.push(
		`Out-of-ledger (held-out) decode runs: ${h.file} (${h.rows} rows, ${h.usable} usable; never read by npm run calibrate, scored with the committed constants)`,
	);
	out.push(`held out (committed constants):   ${headline(h.overall)}`);
	const section = (title: string, groups: { group: string; stats: Stats }[]) => {
		out.push(title);
		for (const g of groups)
			out.push(`  ${g.group.padEnd(22)} ${String(g.stats.rows).padStart(4)} rows  ${headline(g.stats)}`);
	};
	section('per device class (held out):', h.byClass);
	section('per engine (held out):', h.byEngine);
	section('per batch regime (held out):', h.byRegime);
	out.push(`largest misses (held out):`);
	for (const x of h.worst)
		out.push(
			`  ${x.id.padEnd(6)} ${pct(x.errorPct, true).padStart(9)}  measured ${x.measured.toFixed(1)}, predicted ${x.predicted.toFixed(1)} tok/s  ${x.engine}  ${x.hardware.slice(0, 50)}  ${x.model}${x.aboveRoofline ? '  ABOVE ROOFLINE' : ''}`,
		);
	if (h.above.length) out.push(`above roofline (held out): ${h.above.map((x) => x.id).join(', ')}`);
	if (h.skipped.length)
		out.push(`skipped (held out): ${h.skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}`);
	return `${out.join('\n')}\n`;
}

/** The out-of-ledger section of docs/accuracy.md. */
export function holdoutMarkdown(h: HoldoutSection): string[] {
	const out: string[] = [];
	out.push('## Out-of-ledger (held-out) decode runs');
	out.push('');
	out.push(
		`\`${h.file}\`: ${h.rows} published runs (${h.usable} usable, sha256 \`${h.sha256.slice(0, 12)}\`) from sources the ledger does not cite, recorded before they were scored and never read by \`npm run calibrate\`. They are scored with the committed constants — no re-calibration — so this is the figure for measurements no constant was chosen on. The gate records it but does not fail on it.`,
	);
	out.push('');
	out.push(`- **Held out**: ${headline(h.overall)}.`);
	out.push('');
	out.push(...mdTable('class', h.byClass));
	out.push('');
	out.push(...mdTable('engine', h.byEngine));
	out.push('');
	out.push(...mdTable('regime', h.byRegime));
	out.push('');
	out.push('Largest misses:');
	out.push('');
	out.push(
		'| id | hardware | engine | model | batch | measured tok/s | predicted tok/s | error | above roofline |',
	);
	out.push('|---|---|---|---|---|---|---|---|---|');
	for (const x of h.worst)
		out.push(
			`| ${x.id} | ${x.hardware} | ${x.engine} | ${x.model} | ${x.batch} | ${x.measured.toFixed(1)} | ${x.predicted.toFixed(1)} | ${pct(x.errorPct, true)} | ${x.aboveRoofline ? 'yes' : ''} |`,
		);
	if (h.above.length) {
		out.push('');
		out.push(
			`Above the roofline (the row, the catalog spec or the physics is wrong for that run): ${h.above.map((x) => `${x.id} (${x.hardware}, ${x.model}, measured ${x.measured.toFixed(1)} vs roofline ${x.roofline.toFixed(1)} tok/s)`).join('; ')}.`,
		);
	}
	if (h.skipped.length) {
		out.push('');
		out.push(`Skipped: ${h.skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}.`);
	}
	out.push('');
	return out;
}

/**
 * docs/accuracy.md. `holdout` is the out-of-ledger decode section; `sections` are further markdown sections
 * (e.g. the held-out start-up logs) placed before the notes.
 */
export function renderMarkdown(r: AccuracyReport, holdout?: HoldoutSection, sections: string[] = []): string {
	const out: string[] = [];
	out.push('# Decode speed accuracy');
	out.push('');
	out.push(
		'Generated by `npm run accuracy` from the public measurement ledger; do not edit by hand. Each ledger row is one',
	);
	out.push(
		'published decode run (source title and URL in the ledger); the estimator predicts its tok/s per user from the',
	);
	out.push(
		"row's hardware, model, format, engine, batch and context. Error = (predicted − measured) / measured; > 0 means too fast.",
	);
	out.push('');
	out.push(
		`Ledger: \`${r.ledger.file}\`, ${r.ledger.rows} rows, ${r.ledger.usable} usable, dated ${r.ledger.date}, sha256 \`${r.ledger.sha256.slice(0, 12)}\`.`,
	);
	out.push('');
	out.push('## Headline');
	out.push('');
	out.push(`- **Fit** (constants chosen by \`npm run calibrate\` on all rows): ${headline(r.fit)}.`);
	if (r.cvFamily)
		out.push(
			`- **Cross-validated, leave one device family out** (constants re-chosen without the family, then scored on it): ${headline(r.cvFamily.overall)}.`,
		);
	if (r.cvEngine) out.push(`- **Cross-validated, leave one engine out**: ${headline(r.cvEngine.overall)}.`);
	out.push(
		`- The naive baseline is spec bandwidth × ${NAIVE_EFFICIENCY} × devices / weight bytes, the rule most calculators use.`,
	);
	if (holdout)
		out.push(
			`- **Out-of-ledger (held-out) runs** (${holdout.usable} runs the calibration never read, committed constants): ${headline(holdout.overall)}.`,
		);
	out.push('');
	if (holdout) out.push(...holdoutMarkdown(holdout));
	if (r.cvFamily) {
		out.push('## Cross-validated, per device family (each family held out in turn)');
		out.push('');
		out.push(...mdTable('family', r.cvFamily.groups));
		out.push('');
		out.push('## Cross-validated, per device class (leave-one-family-out predictions)');
		out.push('');
		out.push(...mdTable('class', r.cvFamily.byClass));
		out.push('');
		out.push(...cvMissesMarkdown(r.cvFamily.worst));
	}
	if (r.cvEngine) {
		out.push('## Cross-validated, per engine (each engine held out in turn)');
		out.push('');
		out.push(...mdTable('engine', r.cvEngine.groups));
		out.push('');
	}
	out.push('## Fit, per device class');
	out.push('');
	out.push(...mdTable('class', r.byClass));
	out.push('');
	out.push('## Fit, per engine');
	out.push('');
	out.push(...mdTable('engine', r.byEngine));
	out.push('');
	out.push('## Fit, per batch regime');
	out.push('');
	out.push(...mdTable('regime', r.byRegime));
	out.push('');
	out.push('## Runs above the roofline');
	out.push('');
	const above = r.rows.filter((x) => x.aboveRoofline);
	if (!above.length) out.push('None.');
	else {
		out.push(
			'A measured run faster than its roofline means the row, the catalog spec or the physics is wrong for that run; each is listed so it can be corrected with a source, not hidden.',
		);
		out.push('');
		out.push('| id | hardware | model | batch | measured tok/s | roofline tok/s |');
		out.push('|---|---|---|---|---|---|');
		for (const x of above)
			out.push(
				`| ${x.id} | ${x.hardware} | ${x.model} | ${x.batch} | ${x.measured.toFixed(1)} | ${x.roofline.toFixed(1)} |`,
			);
	}
	out.push('');
	for (const sec of sections) out.push(sec.trimEnd(), '');
	out.push('## How to read this');
	out.push('');
	out.push(
		'- Data-chosen constants (bandwidth shares per kernel stack, per-layer engine costs, collective latencies, CPU per-core dot rates, per-thread bandwidth, the llama.cpp per-SM stream) are chosen by `npm run calibrate` and listed with their row counts in `server/data/decode-constants.json`; hand-derived constants stay in the physics code with their sources (docs/physics.md).',
	);
	out.push(
		'- The fit scores the committed constants on the rows that chose them. The cross-validated figures re-run the calibration without one device family (or engine) and score that family with the result: the figure to expect on hardware or an engine the ledger does not cover.',
	);
	out.push(
		"- Vendor accelerators (Groq, Cerebras, SambaNova) take their per-layer token latency from the vendor's own 8B/70B claims, which are ledger rows: those rows reproduce their source and are not independent evidence.",
	);
	out.push('');
	out.push('## Skipped rows');
	out.push('');
	if (!r.skipped.length) out.push('None.');
	else {
		out.push('| id | reason |');
		out.push('|---|---|');
		for (const s of r.skipped) out.push(`| ${s.id} | ${s.reason} |`);
	}
	out.push('');
	out.push('## Reproduce');
	out.push('');
	out.push('```sh');
	out.push('npm run calibrate   # choose the data-chosen constants → server/data/decode-constants.json');
	out.push('npm run accuracy    # this report + server/data/accuracy-baseline.json');
	out.push(
		'npx inference-meter accuracy --check   # the CI gate: fails when cross-validated accuracy regresses',
	);
	out.push('npx inference-meter accuracy --rows    # every row with its prediction');
	out.push('```');
	out.push('');
	return out.join('\n');
}

/** The README's "How good are the numbers" block (between its accuracy markers), from the same report. */
export function renderReadmeBlock(r: AccuracyReport, holdout?: HoldoutSection): string {
	const row = (label: string, st: Stats, bold = false) => {
		const b = (x: string) => (bold ? `**${x}**` : x);
		return `| ${label} | ${b(pct(st.medianAbsErrorPct))} | ${b(share(st.within25Share))} |`;
	};
	const out: string[] = [];
	out.push(
		`Measured against a public ledger of decode runs (\`${r.ledger.file}\`: ${r.ledger.rows} runs from llama.cpp discussions, MLC, gpt-fast, TensorRT-LLM, vLLM and vendor pages, each with its source; ${r.ledger.usable} usable, dated ${r.ledger.date}) on Apple, NVIDIA consumer and datacenter, AMD, unified-memory SoCs, CPUs and dataflow/SRAM accelerators. The figure that matters is **cross-validated**: the data-chosen constants are chosen again without one device family (or engine), and that group is scored with them — how the estimator does on hardware or an engine it was not tuned on.`,
	);
	out.push('');
	out.push('| | median abs. error | within ±25 % |');
	out.push('|---|---|---|');
	if (r.cvFamily) out.push(row('cross-validated, leave one device family out', r.cvFamily.overall, true));
	if (r.cvEngine) out.push(row('cross-validated, leave one engine out', r.cvEngine.overall));
	if (holdout)
		out.push(row(`out-of-ledger runs never used for tuning (${holdout.usable} runs)`, holdout.overall));
	out.push(row('fit (constants chosen on all rows)', r.fit));
	out.push(
		`| naive "spec bandwidth × ${NAIVE_EFFICIENCY}" | ${pct(r.fit.naiveMedianAbsErrorPct)} | ${share(r.fit.naiveWithin25Share)} |`,
	);
	return out.join('\n');
}

/** Replaces the block between the README's accuracy markers; undefined when the markers are missing. */
export function withReadmeBlock(readme: string, block: string): string | undefined {
	const start = readme.indexOf('<!-- accuracy:start');
	const end = readme.indexOf('<!-- accuracy:end -->');
	if (start < 0 || end < start) return undefined;
	const open = readme.indexOf('-->', start) + 3;
	return `${readme.slice(0, open)}\n${block}\n${readme.slice(end)}`;
}
