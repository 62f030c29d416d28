/**
 * Leave-one-group-out cross-validation: for each device family (and, separately, each engine) in turn, the
 * constants are chosen again without that group's rows and the group is scored with them. Every row thus
 * gets a prediction from constants that never saw its family (or engine): the figure that says how the
 * estimator does on hardware and engines it was not tuned on.
 */
import { withConstants } from '../../analysis/physics/calibration';
import { calibrate, valuesOf } from './calibrate';
import type { LedgerRow } from './ledger';
import { scoreRow, type ScoredRow } from './score';

export interface HeldOutGroup {
	group: string;
	rows: number;
	/** Constants the calibration chose without this group, where they differ from the full fit. */
	changed: Record<string, number>;
}

export interface CrossValidation {
	by: 'family' | 'engine';
	/** Every row, scored by the constants chosen without its group. */
	rows: ScoredRow[];
	groups: HeldOutGroup[];
}

export function crossValidate(
	rows: LedgerRow[],
	by: 'family' | 'engine',
	full: Record<string, number>,
): CrossValidation {
	const key = (r: LedgerRow) => (by === 'family' ? r.family : r.engineName);
	const groups = [...new Set(rows.map(key))].sort();
	const scored: ScoredRow[] = [];
	const held: HeldOutGroup[] = [];
	for (const g of groups) {
		const test = rows.filter((r) => key(r) === g);
		const train = rows.filter((r) => key(r) !== g);
		const values = valuesOf(calibrate(train));
		withConstants(values, () => {
			for (const r of test) scored.push(scoreRow(r));
		});
		const changed: Record<string, number> = {};
		for (const [k, v] of Object.entries(values)) if (full[k] !== v) changed[k] = v;
		held.push({ group: g, rows: test.length, changed });
	}
	const order = new Map(rows.map((r, i) => [r.id, i]));
	scored.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
	return { by, rows: scored, groups: held };
}
