/**
 * `inference-meter accuracy`: predicted vs measured decode tok/s over the public measurement ledger
 * (server/data/measurements/decode.csv): fit, leave-one-family-out and leave-one-engine-out cross-validation,
 * the naive peer baseline (bandwidth × 0.75 / weight bytes) and the regression gate (--check). A file in the
 * older calibration format (server/data/calibration-decode.csv) is still scored row by row.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adHocHardware, getCatalog, resolveFormat, resolveModel } from '../analysis/catalog/index';
import type { DeviceClass, FormatSpec, KvDtypeSpec } from '../analysis/catalog/types';
import { estimate, weightBytes } from '../analysis/physics/index';
import type { Engine } from '../analysis/physics/types';
import { committedConstants, withConstants } from '../analysis/physics/calibration';
import { calibrate, valuesOf } from './accuracy/calibrate';
import { crossValidate } from './accuracy/crossValidate';
import { baselineOf, regressions, staleConstants, type Baseline } from './accuracy/gate';
import { holdoutSection } from './accuracy/holdout';
import { LEDGER_COLUMNS, loadLedger } from './accuracy/ledger';
import {
	buildReport,
	renderHoldoutText,
	renderMarkdown,
	renderReadmeBlock,
	renderText,
	withReadmeBlock,
} from './accuracy/report';
import { predict, scoreRow } from './accuracy/score';
import { parseCsv } from './accuracy/csv';
import { memoryAccuracySection } from './accuracy/memory';
import { memoryHoldoutSection } from './accuracy/memoryHoldout';
import { defaultServingFile, renderServing, servingAccuracy } from './accuracy/serving';
import { formatHelp, parseArgs, type FlagSpec } from './args';
import { UsageError, type CliIO } from './io';

const FLAGS: Record<string, FlagSpec> = {
	file: {
		kind: 'string',
		help: 'ledger CSV (default: server/data/measurements/decode.csv); a calibration-format CSV is scored row by row',
	},
	json: { kind: 'boolean', help: 'print JSON' },
	rows: { kind: 'boolean', help: 'list every row with its prediction' },
	'no-cv': { kind: 'boolean', help: 'skip cross-validation (fit figures only, fast)' },
	check: {
		kind: 'boolean',
		help: 'regression gate: exit 1 when cross-validated accuracy is worse than server/data/accuracy-baseline.json, the baseline is for another ledger, or the committed constants are stale (calibration format: exit 1 when a target is missed)',
	},
	write: {
		kind: 'boolean',
		help: 'write docs/accuracy.md and the baseline (refuses to record a regression on an unchanged ledger)',
	},
	help: { kind: 'boolean', help: 'show this help', alias: 'h' },
};

/** The naive peer approach: decode tok/s = bandwidth × 0.75 / weight bytes (peers.md §9). */
export const NAIVE_EFFICIENCY = 0.75;
export { parseCsv };
export const TARGETS = { medianAbsErrorPct: 10, within25Share: 0.85, aboveRoofline: 0 } as const;

export interface AccuracyRow {
	id: string;
	model: string;
	format: string;
	hardware: string;
	deviceClass: DeviceClass;
	bandwidthGBs: number;
	measured: number;
	expected: number;
	roofline: number;
	naive: number;
	errorPct: number;
	naiveErrorPct: number;
	aboveRoofline: boolean;
}

export interface AccuracySummary {
	rows: number;
	skipped: { id: string; reason: string }[];
	model: {
		medianAbsErrorPct: number;
		within25Share: number;
		atOrBelowRooflineShare: number;
		aboveRoofline: number;
	};
	naive: { medianAbsErrorPct: number; within25Share: number };
	targets: typeof TARGETS;
	meetsTargets: boolean;
}

/** Device class from the row's backend/hardware text (Metal → Apple GPU, CPU → CPU, else discrete GPU). */
export function deviceClassOf(backend: string, hardware: string): DeviceClass {
	const b = backend.toLowerCase();
	if (/\bcpu\b/.test(b)) return 'cpu';
	if (/metal|mps/.test(b) || (/apple/i.test(hardware) && !/cpu/i.test(b))) return 'apple-gpu';
	return 'gpu';
}

function engineOf(backend: string): Engine {
	const b = backend.toLowerCase();
	if (b.includes('vllm')) return 'vllm';
	if (b.includes('sglang')) return 'sglang';
	if (b.includes('tensorrt') || b.includes('trt-llm')) return 'trt-llm';
	if (b.includes('mlc')) return 'mlc';
	if (b.includes('transformers.js')) return 'transformers.js';
	return 'llama.cpp';
}

const F16_KV: KvDtypeSpec = {
	id: 'f16',
	label: 'f16',
	bytesPerElement: 2,
	aliases: [],
	sources: ['llama.cpp default'],
};

function median(xs: number[]): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Evaluates every usable row; rows the catalog cannot map are listed as skipped with the reason. */
export function evaluateRows(records: Record<string, string>[]): {
	rows: AccuracyRow[];
	summary: AccuracySummary;
} {
	const catalog = getCatalog();
	const rows: AccuracyRow[] = [];
	const skipped: { id: string; reason: string }[] = [];
	for (const r of records) {
		const id = r.id || '?';
		const modelName = (r.model ?? '').replace(/\s*\(.*\)\s*$/, '');
		const res = resolveModel(modelName, catalog);
		const measured = Number(r.decode_tok_s_per_user);
		const bw = Number(r.mem_bw_gbs);
		const bits = Number(r.bits_per_weight_if_known);
		if (!res.ok) {
			skipped.push({ id, reason: `model "${modelName}" not in the catalog` });
			continue;
		}
		if (!(measured > 0) || !(bw > 0) || !(bits > 0)) {
			skipped.push({ id, reason: 'missing measured tok/s, bandwidth or bits per weight' });
			continue;
		}
		const fmtName = (
			r.weight_format.match(/GGUF\s+(\S+)/i)?.[1] ?? r.weight_format.split(/\s/)[0]
		).toLowerCase();
		const base: FormatSpec | undefined = resolveFormat(fmtName, catalog);
		const weights: FormatSpec = {
			...(base ?? {
				id: fmtName,
				label: fmtName,
				computeDtype: 'fp16',
				family: 'gguf',
				aliases: [],
				sources: [],
			}),
			bitsPerWeight: bits,
			quantized: bits < 16,
		};
		const deviceClass = deviceClassOf(r.backend ?? '', r.hardware ?? '');
		const hardware = {
			...adHocHardware({ bandwidthGBs: bw, deviceClass }),
			id: `row-${id}`,
			origin: 'measured' as const,
		};
		const threads = Number(/(\d+)\s*threads/i.exec(r.backend ?? '')?.[1]) || undefined;
		const batch = Math.max(1, Number(r.batch) || 1);
		const context = (Number(r.ctx_tokens) || 0) + (Number(r.gen_tokens) || 0) / 2;
		const e = estimate({
			model: res.model,
			weights,
			kvDtype: F16_KV,
			hardware,
			devices: Math.max(1, Number(r.devices) || 1),
			batch,
			context,
			prompt: Math.max(1, Number(r.ctx_tokens) || 512),
			engine: engineOf(r.backend ?? ''),
			threads,
		});
		const expected = e.decode.expectedTokensPerSecondPerUser;
		const roofline = e.decode.rooflineTokensPerSecondPerUser;
		const naive = (bw * 1e9 * NAIVE_EFFICIENCY) / weightBytes(res.model, weights);
		rows.push({
			id,
			model: res.model.id,
			format: weights.id,
			hardware: r.hardware,
			deviceClass,
			bandwidthGBs: bw,
			measured,
			expected,
			roofline,
			naive,
			errorPct: ((expected - measured) / measured) * 100,
			naiveErrorPct: ((naive - measured) / measured) * 100,
			aboveRoofline: measured > roofline,
		});
	}
	const n = rows.length;
	const abs = rows.map((x) => Math.abs(x.errorPct));
	const nabs = rows.map((x) => Math.abs(x.naiveErrorPct));
	const above = rows.filter((x) => x.aboveRoofline).length;
	const model = {
		medianAbsErrorPct: median(abs),
		within25Share: n ? abs.filter((x) => x <= 25).length / n : 0,
		atOrBelowRooflineShare: n ? (n - above) / n : 0,
		aboveRoofline: above,
	};
	const summary: AccuracySummary = {
		rows: n,
		skipped,
		model,
		naive: { medianAbsErrorPct: median(nabs), within25Share: n ? nabs.filter((x) => x <= 25).length / n : 0 },
		targets: TARGETS,
		meetsTargets:
			n > 0 &&
			model.medianAbsErrorPct <= TARGETS.medianAbsErrorPct &&
			model.within25Share >= TARGETS.within25Share &&
			above <= TARGETS.aboveRoofline,
	};
	return { rows, summary };
}

/** The repository root the built CLI (dist/) or the sources (server/src/cli) sit in. */
function repoRoot(io: CliIO): string {
	const candidates = [path.resolve(__dirname, '..'), path.resolve(__dirname, '..', '..', '..'), io.cwd];
	return (
		candidates.find((p) => existsSync(path.join(p, 'server', 'data', 'measurements', 'decode.csv'))) ?? io.cwd
	);
}

const LEDGER = path.join('server', 'data', 'measurements', 'decode.csv');
const BASELINE = path.join('server', 'data', 'accuracy-baseline.json');
const DOC = path.join('docs', 'accuracy.md');

function isLedger(records: Record<string, string>[]): boolean {
	return records.length > 0 && LEDGER_COLUMNS.every((c) => c in records[0]);
}

function readBaseline(file: string): Baseline | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as Baseline;
	} catch {
		return undefined;
	}
}

/** The ledger's date: the newest source_date in it, else the file's modification day. */
function ledgerDate(records: Record<string, string>[], file: string): string {
	const dates = records.map((r) => r.source_date ?? '').filter((d) => /^\d{4}-\d{2}(-\d{2})?$/.test(d));
	if (dates.length) return dates.sort().at(-1) as string;
	return statSync(file).mtime.toISOString().slice(0, 10);
}

async function runLedger(
	records: Record<string, string>[],
	text: string,
	file: string,
	flags: Record<string, unknown>,
	io: CliIO,
): Promise<number> {
	const root = repoRoot(io);
	const loaded = loadLedger(records);
	const skipped = [...loaded.skipped];
	// A row the estimator refuses is reported, never scored as a silent NaN.
	const rows = loaded.rows.filter((r) => {
		const p = predict(r);
		if (Number.isFinite(p.predicted) && p.predicted > 0) return true;
		skipped.push({ id: r.id, reason: `estimator error: ${p.error ?? 'no prediction'}` });
		return false;
	});
	if (!rows.length) throw new UsageError(`--file ${file}: no usable ledger rows (${skipped.length} skipped)`);
	const scored = rows.map((r) => scoreRow(r));
	const wantCv = !flags['no-cv'] || flags.check || flags.write;
	const committed = committedConstants();
	const cv = wantCv
		? { family: crossValidate(rows, 'family', committed), engine: crossValidate(rows, 'engine', committed) }
		: undefined;
	const ledger = {
		file: path.relative(root, file) || file,
		rows: records.length,
		usable: rows.length,
		date: ledgerDate(records, file),
		sha256: createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex'),
	};
	// Which re-chosen constants explain a cross-validated miss: the run re-predicted with one constant put back.
	const byId = new Map(rows.map((r) => [r.id, r]));
	const effect = (id: string, values: Record<string, number>, name: string) => {
		const row = byId.get(id);
		if (!row) return undefined;
		const a = withConstants(values, () => predict(row).predicted);
		const b = withConstants({ ...values, [name]: committed[name] }, () => predict(row).predicted);
		return Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0 ? Math.abs(Math.log(a / b)) : undefined;
	};
	const report = buildReport(ledger, scored, skipped, cv, committed, effect);
	// Memory accuracy (issue #14) and serving accuracy (issue #13) ride along as their own sections, each over
	// its own ledger (server/data/measurements/startup.csv, serving.csv); the decode gate below ignores them.
	const memory = flags.file ? undefined : memoryAccuracySection(io.cwd, Boolean(flags.json));
	// The held-out start-up logs: scored like startup.csv, never read by the memory plans' constants.
	const memoryHoldout = flags.file ? undefined : memoryHoldoutSection(io.cwd, Boolean(flags.json));
	const servingFile = defaultServingFile(io.cwd);
	const serving = flags.file ? undefined : servingAccuracy(servingFile);
	// Out-of-ledger (held-out) runs (issue #12): scored with the committed constants, never calibrated on.
	const holdout = flags.file ? undefined : holdoutSection(root);
	if (flags.json)
		io.stdout(
			`${JSON.stringify({ ...report, holdout: holdout ?? null, memory: memory?.data, memoryHoldout: memoryHoldout?.data ?? null, serving: serving ?? null }, null, 2)}
`,
		);
	else {
		io.stdout(renderText(report, Boolean(flags.rows)));
		if (holdout) io.stdout(`\n${renderHoldoutText(holdout)}`);
		if (memory) io.stdout(`\n${memory.text}`);
		if (memoryHoldout) io.stdout(`\n${memoryHoldout.text}`);
		if (serving) io.stdout(renderServing(serving.rows, serving.summary, path.relative(io.cwd, servingFile)));
	}
	let code = 0;
	const baselineFile = path.join(root, BASELINE);
	if (flags.check) {
		const problems: string[] = [];
		const base = readBaseline(baselineFile);
		if (!base) problems.push(`no baseline at ${BASELINE}: run npm run accuracy`);
		else problems.push(...regressions(base, baselineOf(report, holdout)));
		const stale = staleConstants(committed, valuesOf(calibrate(rows)));
		if (stale.length)
			problems.push(`committed constants are not what npm run calibrate chooses: ${stale.join('; ')}`);
		if (problems.length) {
			io.stderr(`accuracy --check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
			code = 1;
		} else io.stdout('accuracy --check: no regression against the committed baseline\n');
	}
	if (flags.write) {
		writeFileSync(
			path.join(root, DOC),
			renderMarkdown(report, holdout, memoryHoldout ? [memoryHoldout.markdown] : []),
		);
		const readmeFile = path.join(root, 'README.md');
		const readme = existsSync(readmeFile)
			? withReadmeBlock(readFileSync(readmeFile, 'utf8'), renderReadmeBlock(report, holdout))
			: undefined;
		if (readme !== undefined) writeFileSync(readmeFile, readme);
		const now = baselineOf(report, holdout);
		const base = readBaseline(baselineFile);
		const worse = base && base.ledger.sha256 === now.ledger.sha256 ? regressions(base, now) : [];
		if (worse.length) {
			io.stderr(
				`accuracy --write: not recording a regression on an unchanged ledger:\n${worse.map((p) => `  - ${p}`).join('\n')}\n`,
			);
			code = 1;
		} else {
			writeFileSync(baselineFile, `${JSON.stringify(now, null, '\t')}\n`);
			io.stdout(`wrote ${DOC}, ${BASELINE}${readme !== undefined ? ' and the README accuracy block' : ''}\n`);
		}
	}
	return code;
}

function pct(x: number, signed = false): string {
	return `${signed && x > 0 ? '+' : ''}${x.toFixed(1)} %`;
}

function renderTable(rows: AccuracyRow[], s: AccuracySummary, file: string): string {
	const out: string[] = [];
	out.push(
		`Decode accuracy over ${file} (batch and context per row, llama.cpp unless the row says otherwise)`,
	);
	out.push("Measured and predicted values are tok/s per user; bandwidth is the row's spec GB/s.");
	out.push('');
	const head = [
		'id',
		'class',
		'format',
		'GB/s',
		'measured',
		'expected',
		'error',
		'roofline',
		'naive',
		'naive err',
		'hardware',
	];
	const w = [5, 9, 6, 7, 9, 9, 9, 9, 8, 10, 0];
	const line = (cells: string[]) =>
		cells.map((c, i) => (w[i] ? (i >= 3 && i <= 9 ? c.padStart(w[i]) : c.padEnd(w[i])) : c)).join(' ');
	out.push(line(head));
	for (const r of rows) {
		out.push(
			line([
				r.id,
				r.deviceClass,
				r.format,
				String(r.bandwidthGBs),
				r.measured.toFixed(1),
				r.expected.toFixed(1),
				pct(r.errorPct, true),
				r.roofline.toFixed(1),
				r.naive.toFixed(1),
				pct(r.naiveErrorPct, true),
				`${r.hardware.slice(0, 48)}${r.aboveRoofline ? '  ABOVE ROOFLINE' : ''}`,
			]),
		);
	}
	for (const k of s.skipped) out.push(`${k.id.padEnd(5)} skipped: ${k.reason}`);
	out.push('');
	const t = s.targets;
	out.push(`rows: ${s.rows}${s.skipped.length ? ` (${s.skipped.length} skipped)` : ''}`);
	out.push(
		`this model:  median |error| ${pct(s.model.medianAbsErrorPct)} (target ≤ ${t.medianAbsErrorPct} %), within ±25 %: ${pct(s.model.within25Share * 100)} (target ≥ ${t.within25Share * 100} %), at or below roofline: ${pct(s.model.atOrBelowRooflineShare * 100)} (${s.model.aboveRoofline} above)`,
	);
	out.push(
		`naive peer:  median |error| ${pct(s.naive.medianAbsErrorPct)}, within ±25 %: ${pct(s.naive.within25Share * 100)}  (bandwidth × ${NAIVE_EFFICIENCY} / weight bytes)`,
	);
	out.push(s.meetsTargets ? 'targets: met' : 'targets: NOT met');
	return `${out.join('\n')}\n`;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { flags, positionals } = parseArgs(argv, FLAGS);
	if (flags.help) {
		io.stdout(
			formatHelp(
				'usage: inference-meter accuracy [--file CSV] [--json] [--rows] [--no-cv] [--check] [--write]\n\nPredicted vs measured decode tok/s over the measurement ledger, with cross-validation.',
				FLAGS,
			),
		);
		return 0;
	}
	if (positionals.length) throw new UsageError(`accuracy: unexpected argument "${positionals[0]}"`);
	const file = flags.file ? path.resolve(io.cwd, flags.file as string) : path.join(repoRoot(io), LEDGER);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		throw new UsageError(`--file: cannot read ${file}`);
	}
	const records = parseCsv(text);
	if (isLedger(records)) return runLedger(records, text, file, flags, io);
	const required = [
		'id',
		'model',
		'weight_format',
		'bits_per_weight_if_known',
		'backend',
		'hardware',
		'mem_bw_gbs',
		'decode_tok_s_per_user',
	];
	const missing = required.filter((c) => records.length && !(c in records[0]));
	if (!records.length || missing.length)
		throw new UsageError(
			`--file ${file}: not a measurement ledger or a calibration CSV (missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ') || 'rows'})`,
		);
	const { rows, summary } = evaluateRows(records);
	if (flags.json) io.stdout(`${JSON.stringify({ file, summary, rows }, null, 2)}\n`);
	else io.stdout(renderTable(rows, summary, path.relative(io.cwd, file) || file));
	return flags.check && !summary.meetsTargets ? 1 : 0;
}
