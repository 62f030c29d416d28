/**
 * Chooses the data-chosen decode constants (physics/calibrationTable.ts) from ledger rows. Simple and robust:
 * each constant is fitted only on the rows it influences, minimizing a pseudo-Huber loss of the log error
 * (quadratic within ±5 %, absolute beyond: a median-like fit that one wild row cannot drag, yet smooth, so
 * coordinate descent does not stall at the kinks of a pure absolute loss), one constant at a time within its
 * physical bounds, round after round until no constant moves.
 * A constant that fewer than MIN_ROWS rows influence keeps its prior and says so.
 */
import { CALIBRATED, priorConstants, withConstants } from '../../analysis/physics/calibration';
import type { LedgerRow } from './ledger';
import { predict } from './score';

/** Rows a constant must influence before the data may choose it. */
export const MIN_ROWS = 3;
/** A row is influenced by a constant when doubling or halving it moves the prediction by more than this. */
const INFLUENCE = 0.01;
/** Coordinate-descent rounds at most; it stops earlier once a round changes no constant. */
const ROUNDS = 8;
const GRID = 20;
const REFINE = 14;

export interface Fitted {
	value: number;
	/** Rows that chose it (0 when the prior was kept; for a pooled value, the rows of the constants it borrowed from). */
	rows: number;
	chosenBy: 'calibrated' | 'pooled' | 'prior';
}

export interface CalibrationResult {
	constants: Record<string, Fitted>;
	/** Pseudo-Huber loss of log(predicted / measured) summed over the rows, after the fit. */
	loss: number;
}

/** Scale of the pseudo-Huber loss: log errors well below it count quadratically, above it linearly. */
const HUBER_DELTA = 0.05;

function logError(row: LedgerRow): number {
	const p = predict(row).predicted;
	const e = Number.isFinite(p) && p > 0 ? Math.log(p / row.measured) : 10;
	return HUBER_DELTA * (Math.sqrt(1 + (e / HUBER_DELTA) ** 2) - 1);
}

function lossOf(rows: LedgerRow[]): number {
	let s = 0;
	for (const r of rows) s += logError(r);
	return s;
}

/** Rows whose prediction moves when `name` is doubled or halved (within its bounds). */
function influenced(name: string, rows: LedgerRow[], values: Record<string, number>): LedgerRow[] {
	const c = CALIBRATED[name];
	const v = values[name];
	const up = { ...values, [name]: Math.min(c.max, v * 2) };
	const down = { ...values, [name]: Math.max(c.min, v / 2) };
	const out: LedgerRow[] = [];
	for (const r of rows) {
		const a = withConstants(values, () => predict(r).predicted);
		const moved = [up, down].some((vals) => {
			const b = withConstants(vals, () => predict(r).predicted);
			return Number.isFinite(a) && Number.isFinite(b) && Math.abs(b / a - 1) > INFLUENCE;
		});
		if (moved) out.push(r);
	}
	return out;
}

/** Minimizes the loss over `name` in log space: a coarse grid, then golden-section around the best point. */
function fitOne(name: string, rows: LedgerRow[], values: Record<string, number>): number {
	const c = CALIBRATED[name];
	const lo = Math.log(Math.max(c.min, 1e-6));
	const hi = Math.log(c.max);
	const at = (x: number) => withConstants({ ...values, [name]: Math.exp(x) }, () => lossOf(rows));
	let best = Math.log(values[name]);
	let bestLoss = at(best);
	const step = (hi - lo) / GRID;
	for (let i = 0; i <= GRID; i++) {
		const x = lo + i * step;
		const l = at(x);
		if (l < bestLoss - 1e-12) {
			best = x;
			bestLoss = l;
		}
	}
	let a = Math.max(lo, best - step);
	let b = Math.min(hi, best + step);
	const g = (Math.sqrt(5) - 1) / 2;
	let x1 = b - g * (b - a);
	let x2 = a + g * (b - a);
	let f1 = at(x1);
	let f2 = at(x2);
	for (let i = 0; i < REFINE; i++) {
		if (f1 < f2) {
			b = x2;
			x2 = x1;
			f2 = f1;
			x1 = b - g * (b - a);
			f1 = at(x1);
		} else {
			a = x1;
			x1 = x2;
			f1 = f2;
			x2 = a + g * (b - a);
			f2 = at(x2);
		}
	}
	const refined = f1 < f2 ? x1 : x2;
	const rl = Math.min(f1, f2);
	return Math.exp(rl < bestLoss ? refined : best);
}

/** Three significant digits: the data cannot tell more apart, and the committed file stays readable. */
function tidy(x: number): number {
	return Number(x.toPrecision(3));
}

/** Chooses every calibrated constant from `rows`, starting from the priors. */
export function calibrate(rows: LedgerRow[]): CalibrationResult {
	const values = priorConstants();
	const names = Object.keys(CALIBRATED);
	const rowsFor: Record<string, LedgerRow[]> = {};
	for (const n of names) rowsFor[n] = influenced(n, rows, values);
	const fitted = names.filter((n) => rowsFor[n].length >= MIN_ROWS);
	// The constants touching most rows first: they set the scale the narrower ones then correct.
	fitted.sort((x, y) => rowsFor[y].length - rowsFor[x].length || x.localeCompare(y));
	for (let round = 0; round < ROUNDS; round++) {
		let moved = false;
		for (const n of fitted) {
			const v = tidy(fitOne(n, rowsFor[n], values));
			if (v !== values[n]) moved = true;
			values[n] = v;
		}
		if (!moved) break;
	}
	const constants: Record<string, Fitted> = {};
	for (const n of names) {
		const chosen = fitted.includes(n);
		constants[n] = {
			value: values[n],
			rows: chosen ? rowsFor[n].length : 0,
			chosenBy: chosen ? 'calibrated' : 'prior',
		};
	}
	// A constant no row could choose borrows the median of its pool's chosen values (an ISA the ledger lacks is
	// more like the measured ones than like a guess); it then no longer changes any row here.
	for (const n of names) {
		const pool = CALIBRATED[n].pool;
		if (!pool || constants[n].chosenBy !== 'prior') continue;
		const peers = fitted.filter((m) => CALIBRATED[m].pool === pool);
		if (!peers.length) continue;
		const c = CALIBRATED[n];
		const v = tidy(Math.min(c.max, Math.max(c.min, medianOf(peers.map((m) => values[m])))));
		values[n] = v;
		constants[n] = { value: v, rows: peers.reduce((a, m) => a + rowsFor[m].length, 0), chosenBy: 'pooled' };
	}
	return { constants, loss: withConstants(values, () => lossOf(rows)) };
}

function medianOf(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function valuesOf(result: CalibrationResult): Record<string, number> {
	return Object.fromEntries(Object.entries(result.constants).map(([k, v]) => [k, v.value]));
}
