/**
 * Serving accuracy: the serving model against published throughput/latency runs
 * (server/data/measurements/serving.csv). Each row names engine, hardware, devices, model, format, ISL/OSL
 * and concurrency ("max" = offline, all requests queued); the model is run with the engine's default
 * scheduler caps and compared on output tok/s total, TTFT and ITL where the source publishes them.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
	getCatalog,
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
} from '../../analysis/catalog/index';
import type { KvDtypeSpec } from '../../analysis/catalog/types';
import { estimate } from '../../analysis/physics/index';
import { estimateServing, speculativeMethodOf, type ServingEstimate } from '../../analysis/physics/serving';
import type { Engine, EstimateInput } from '../../analysis/physics/types';
import { vllmEngineOfRow } from './ledgerLabels';
import { parseCsv } from './csv';

/** The issue's goal: median |error| ≤ 20 % on each published metric; no non-speculative run above the roofline. */
export const SERVING_TARGETS = { medianAbsErrorPct: 20, aboveRoofline: 0 } as const;

export interface ServingRow {
	id: string;
	model: string;
	hardware: string;
	engine: string;
	isl: number;
	osl: number;
	concurrency: number | null;
	devices: number;
	measured: { throughput?: number; ttftMs?: number; itlMs?: number };
	/** What `estimate` printed before the serving model: decode-only batch ÷ step time at the same batch. */
	decodeOnly: number;
	predicted: {
		throughput: number;
		ttftMs: number | null;
		itlMs: number;
		roofline: number;
		limitedBy: string;
	};
	errorPct: { throughput?: number; ttft?: number; itl?: number };
	aboveRoofline: boolean;
	speculative: boolean;
}

export interface ServingSummary {
	rows: number;
	skipped: { id: string; reason: string }[];
	throughput: { n: number; medianAbsErrorPct: number; medianSignedErrorPct: number };
	ttft: { n: number; medianAbsErrorPct: number; medianSignedErrorPct: number };
	itl: { n: number; medianAbsErrorPct: number; medianSignedErrorPct: number };
	aboveRoofline: number;
	/** The decode-only total (batch ÷ step time, no prefill, no scheduler) over the same rows: the "before". */
	decodeOnly: { n: number; medianAbsErrorPct: number; medianSignedErrorPct: number };
	targets: typeof SERVING_TARGETS;
	meetsTargets: boolean;
}

function median(xs: number[]): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const pct = (pred: number, meas: number) => ((pred - meas) / meas) * 100;

function num(x: string | undefined): number | undefined {
	const v = Number(x);
	return x !== undefined && x.trim() !== '' && Number.isFinite(v) ? v : undefined;
}

/** Evaluates every row the catalog can map; the rest are listed as skipped with the reason. */
export function evaluateServingRows(
	records: Record<string, string>[],
	overlapPenalty?: number,
): {
	rows: ServingRow[];
	summary: ServingSummary;
} {
	const catalog = getCatalog();
	const rows: ServingRow[] = [];
	const skipped: { id: string; reason: string }[] = [];
	for (const r of records) {
		const id = r.id || '?';
		const model = resolveModel(r.model ?? '', catalog);
		const hw = resolveHardware(r.hardware ?? '', catalog);
		const fmt = resolveFormat(r.format ?? '', catalog);
		if (!model.ok || !hw.ok || !fmt) {
			skipped.push({ id, reason: `cannot map ${!model.ok ? 'model' : !hw.ok ? 'hardware' : 'format'}` });
			continue;
		}
		const engine = (r.engine || 'vllm') as Engine;
		const kvName = r.kv_dtype || (fmt.computeDtype === 'fp16' ? 'fp16' : 'bf16');
		const kvDtype = resolveKvDtype(kvName, catalog) as KvDtypeSpec;
		const tp = num(r.tp) ?? 1;
		const devices = num(r.devices) ?? tp;
		const dp = num(r.dp) ?? 1;
		const isl = num(r.isl) ?? 0;
		const osl = num(r.osl) ?? 0;
		const conc = r.concurrency === 'max' ? Infinity : (num(r.concurrency) ?? NaN);
		if (!(isl > 0 && osl > 0) || Number.isNaN(conc)) {
			skipped.push({ id, reason: 'missing ISL, OSL or concurrency' });
			continue;
		}
		const input: EstimateInput = {
			model: model.model,
			weights: fmt,
			kvDtype,
			hardware: hw.hardware,
			devices,
			tensorParallel: tp,
			batch: 1,
			context: isl,
			prompt: isl,
			engine,
			// vLLM V0 (before 0.8.0, or a source dated before V1 became the default) pays its per-sequence host cost.
			vllmEngine: vllmEngineOfRow(engine, r.engine_version ?? '', r.source_date ?? ''),
		};
		const spec = r.speculative && r.speculative !== 'off' ? speculativeMethodOf(r.speculative) : undefined;
		const est: ServingEstimate = estimateServing(input, {
			inputTokens: isl,
			outputTokens: osl,
			concurrency: conc,
			scheduler: { engineVersion: r.engine_version },
			layout: { attentionDataParallel: dp > 1 ? dp : 1, expertParallel: num(r.ep) ?? 1 },
			speculative: spec ? { method: spec, tokens: 3 } : undefined,
			overlapPenalty,
		});
		const measured = {
			throughput: num(r.output_tok_s_total),
			ttftMs: num(r.ttft_ms),
			itlMs: num(r.itl_ms),
		};
		const predicted = {
			throughput: est.outputTokensPerSecondTotal,
			ttftMs: est.ttftSeconds === null ? null : est.ttftSeconds * 1000,
			itlMs: est.interTokenLatencySeconds * 1000,
			roofline: est.rooflineOutputTokensPerSecondTotal,
			limitedBy: est.limitedBy,
		};
		// The pre-serving estimate: decode at batch = concurrency (capped by what the KV budget holds), context ISL + OSL/2.
		const ctx = isl + osl / 2;
		const fits = estimate({ ...input, batch: 1, context: ctx }).memory.maxBatchAtContext;
		const decodeBatch = Math.max(1, Math.min(Number.isFinite(conc) ? conc : fits, fits));
		const decodeOnly = estimate({ ...input, batch: decodeBatch, context: ctx }).decode.tokensPerSecondTotal;
		const errorPct: ServingRow['errorPct'] = {};
		if (measured.throughput) errorPct.throughput = pct(predicted.throughput, measured.throughput);
		if (measured.ttftMs && predicted.ttftMs !== null) errorPct.ttft = pct(predicted.ttftMs, measured.ttftMs);
		if (measured.itlMs) errorPct.itl = pct(predicted.itlMs, measured.itlMs);
		rows.push({
			id,
			model: model.model.id,
			hardware: hw.hardware.id,
			engine,
			isl,
			osl,
			concurrency: Number.isFinite(conc) ? conc : null,
			devices,
			measured,
			predicted,
			decodeOnly,
			errorPct,
			aboveRoofline: !spec && measured.throughput !== undefined && measured.throughput > predicted.roofline,
			speculative: spec !== undefined,
		});
	}
	const stat = (k: 'throughput' | 'ttft' | 'itl') => {
		const xs = rows.map((x) => x.errorPct[k]).filter((x): x is number => x !== undefined);
		return { n: xs.length, medianAbsErrorPct: median(xs.map(Math.abs)), medianSignedErrorPct: median(xs) };
	};
	const throughput = stat('throughput');
	const ttft = stat('ttft');
	const itl = stat('itl');
	const above = rows.filter((x) => x.aboveRoofline).length;
	const base = rows
		.filter((x) => x.measured.throughput)
		.map((x) => pct(x.decodeOnly, x.measured.throughput as number));
	const decodeOnly = {
		n: base.length,
		medianAbsErrorPct: median(base.map(Math.abs)),
		medianSignedErrorPct: median(base),
	};
	const ok = (m: { n: number; medianAbsErrorPct: number }) =>
		m.n === 0 || m.medianAbsErrorPct <= SERVING_TARGETS.medianAbsErrorPct;
	return {
		rows,
		summary: {
			rows: rows.length,
			skipped,
			throughput,
			ttft,
			itl,
			aboveRoofline: above,
			decodeOnly,
			targets: SERVING_TARGETS,
			meetsTargets:
				rows.length > 0 && ok(throughput) && ok(ttft) && ok(itl) && above <= SERVING_TARGETS.aboveRoofline,
		},
	};
}

/** The ledger next to the bundled CLI or in the working tree. */
export function defaultServingFile(cwd: string): string {
	const candidates = [
		path.resolve(__dirname, '..', 'server', 'data', 'measurements', 'serving.csv'),
		path.resolve(cwd, 'server', 'data', 'measurements', 'serving.csv'),
	];
	return candidates.find((p) => existsSync(p)) ?? candidates[1];
}

function signed(x: number | undefined): string {
	if (x === undefined || !Number.isFinite(x)) return '—';
	return `${x > 0 ? '+' : ''}${x.toFixed(0)} %`;
}

/** The serving section of `inference-meter accuracy` (table + summary lines). */
export function renderServing(rows: ServingRow[], s: ServingSummary, file: string): string {
	const out: string[] = [];
	out.push('');
	out.push(
		`Serving accuracy over ${file} (output tok/s total, mean TTFT and ITL; engine default scheduler caps)`,
	);
	const w = [6, 8, 10, 11, 6, 10, 10, 8, 8, 8, 22];
	const line = (c: string[]) => c.map((x, i) => (i < 4 ? x.padEnd(w[i]) : x.padStart(w[i]))).join(' ');
	out.push(
		line([
			'id',
			'engine',
			'hardware',
			'ISL/OSL',
			'conc',
			'measured',
			'predicted',
			'thr err',
			'TTFT err',
			'ITL err',
			'limited by',
		]),
	);
	for (const r of rows) {
		out.push(
			line([
				r.id,
				r.engine,
				r.hardware.slice(0, 10),
				`${r.isl}/${r.osl}`,
				r.concurrency === null ? 'max' : String(r.concurrency),
				r.measured.throughput?.toFixed(0) ?? '—',
				r.predicted.throughput.toFixed(0),
				signed(r.errorPct.throughput),
				signed(r.errorPct.ttft),
				signed(r.errorPct.itl),
				`${r.predicted.limitedBy}${r.aboveRoofline ? ' ABOVE ROOFLINE' : ''}`,
			]),
		);
	}
	for (const k of s.skipped) out.push(`${k.id.padEnd(6)} skipped: ${k.reason}`);
	const m = (x: ServingSummary['throughput']) =>
		x.n
			? `median |error| ${x.medianAbsErrorPct.toFixed(1)} % (signed ${x.medianSignedErrorPct.toFixed(1)} %, n=${x.n})`
			: 'no rows';
	out.push('');
	out.push(`serving rows: ${s.rows}${s.skipped.length ? ` (${s.skipped.length} skipped)` : ''}`);
	out.push(`  output tok/s: ${m(s.throughput)}`);
	out.push(`  TTFT:         ${m(s.ttft)}`);
	out.push(`  ITL:          ${m(s.itl)}`);
	out.push(`  above roofline without speculation: ${s.aboveRoofline}`);
	out.push(`  before (decode-only batch ÷ step time): output tok/s ${m(s.decodeOnly)}`);
	out.push(
		`serving targets (median ≤ ${s.targets.medianAbsErrorPct} %, none above roofline): ${s.meetsTargets ? 'met' : 'NOT met'}`,
	);
	return `${out.join('\n')}\n`;
}

/** Reads and evaluates the serving ledger; undefined when the file is absent. */
export function servingAccuracy(file: string): { rows: ServingRow[]; summary: ServingSummary } | undefined {
	if (!existsSync(file)) return undefined;
	return evaluateServingRows(parseCsv(readFileSync(file, 'utf8')));
}
