/**
 * Scores the estimator on ledger rows: each row's predicted vs measured decode tok/s per user, the roofline
 * check, and the naive "spec bandwidth × 0.75 / weight bytes" baseline, summarized per group.
 */
import { estimate, weightBytes } from '../../analysis/physics/index';
import type { LedgerRow } from './ledger';

/** The naive peer approach: decode tok/s = spec bandwidth × 0.75 / weight bytes (peers.md §9). */
export const NAIVE_EFFICIENCY = 0.75;

export interface ScoredRow {
	id: string;
	family: string;
	deviceClass: string;
	engine: string;
	regime: string;
	hardware: string;
	model: string;
	format: string;
	batch: number;
	devices: number;
	measured: number;
	predicted: number;
	roofline: number;
	naive: number;
	errorPct: number;
	naiveErrorPct: number;
	aboveRoofline: boolean;
}

/** Predicted tok/s per user for one row with the active constants; NaN (and why) when the estimator refuses it. */
export function predict(row: LedgerRow): { predicted: number; roofline: number; error?: string } {
	try {
		const e = estimate(row.input);
		return {
			predicted: e.decode.expectedTokensPerSecondPerUser,
			roofline: e.decode.rooflineTokensPerSecondPerUser,
		};
	} catch (e) {
		return { predicted: NaN, roofline: NaN, error: e instanceof Error ? e.message : String(e) };
	}
}

export function scoreRow(row: LedgerRow, p = predict(row)): ScoredRow {
	const { input } = row;
	const totalBw = input.hardware.bandwidthGBs * 1e9 * input.devices;
	const naive = (totalBw * NAIVE_EFFICIENCY) / weightBytes(input.model, input.weights);
	return {
		id: row.id,
		family: row.family,
		deviceClass: row.deviceClass,
		engine: row.engineName,
		regime: row.regime,
		hardware: row.hardwareLabel,
		model: input.model.id,
		format: input.weights.id,
		batch: input.batch,
		devices: input.devices,
		measured: row.measured,
		predicted: p.predicted,
		roofline: p.roofline,
		naive,
		errorPct: ((p.predicted - row.measured) / row.measured) * 100,
		naiveErrorPct: ((naive - row.measured) / row.measured) * 100,
		aboveRoofline: row.measured > p.roofline * 1.0001,
	};
}

export interface Stats {
	rows: number;
	medianAbsErrorPct: number;
	/** Median signed error: > 0 means the estimator is too fast. */
	medianErrorPct: number;
	within25Share: number;
	aboveRoofline: number;
	naiveMedianAbsErrorPct: number;
	naiveWithin25Share: number;
}

export function median(xs: number[]): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function stats(rows: ScoredRow[]): Stats {
	const n = rows.length;
	const abs = rows.map((r) => (Number.isFinite(r.errorPct) ? Math.abs(r.errorPct) : Infinity));
	const nabs = rows.map((r) => Math.abs(r.naiveErrorPct));
	return {
		rows: n,
		medianAbsErrorPct: median(abs),
		medianErrorPct: median(rows.map((r) => r.errorPct)),
		within25Share: n ? abs.filter((x) => x <= 25).length / n : 0,
		aboveRoofline: rows.filter((r) => r.aboveRoofline).length,
		naiveMedianAbsErrorPct: median(nabs),
		naiveWithin25Share: n ? nabs.filter((x) => x <= 25).length / n : 0,
	};
}

/** Stats per value of `key`, largest group first. */
export function statsBy(rows: ScoredRow[], key: (r: ScoredRow) => string): { group: string; stats: Stats }[] {
	const groups = new Map<string, ScoredRow[]>();
	for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
	return [...groups.entries()]
		.map(([group, rs]) => ({ group, stats: stats(rs) }))
		.sort((a, b) => b.stats.rows - a.stats.rows || a.group.localeCompare(b.group));
}
