/**
 * Out-of-ledger (held-out) decode runs: server/data/measurements/decode-holdout.csv, published runs from
 * sources the tuning ledger does not cite, collected before they were scored. They are scored here with the
 * committed constants only — no re-calibration — so the figure says how the estimator does on measurements
 * that never influenced a constant. `npm run calibrate` (calibrateFile.ts) and the cross-validation read
 * decode.csv only; this module is the one reader of the holdout file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from './csv';
import { loadLedger, type SkippedRow } from './ledger';
import { predict, scoreRow, stats, statsBy, type ScoredRow, type Stats } from './score';

export const HOLDOUT_FILE = path.join('server', 'data', 'measurements', 'decode-holdout.csv');

/** How many of the largest misses the report lists, so a reader sees where the estimator is weakest. */
export const WORST_LISTED = 10;

export interface HoldoutSection {
	file: string;
	/** Records in the file, usable (scored) rows and the file's hash (which version was scored). */
	rows: number;
	usable: number;
	sha256: string;
	overall: Stats;
	byClass: { group: string; stats: Stats }[];
	byEngine: { group: string; stats: Stats }[];
	byRegime: { group: string; stats: Stats }[];
	/** Largest |error| first. */
	worst: ScoredRow[];
	above: ScoredRow[];
	scored: ScoredRow[];
	skipped: SkippedRow[];
}

/** Scores held-out records with the active (committed) constants; nothing here chooses a constant. */
export function scoreHoldout(records: Record<string, string>[], file: string, text = ''): HoldoutSection {
	const loaded = loadLedger(records);
	const skipped = [...loaded.skipped];
	const scored: ScoredRow[] = [];
	for (const row of loaded.rows) {
		const p = predict(row);
		// A row the estimator refuses is listed with the reason, never scored as a silent NaN.
		if (Number.isFinite(p.predicted) && p.predicted > 0) scored.push(scoreRow(row, p));
		else skipped.push({ id: row.id, reason: `estimator error: ${p.error ?? 'no prediction'}` });
	}
	const worst = [...scored]
		.sort((a, b) => Math.abs(b.errorPct) - Math.abs(a.errorPct))
		.slice(0, WORST_LISTED);
	return {
		file,
		rows: records.length,
		usable: scored.length,
		sha256: createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex'),
		overall: stats(scored),
		byClass: statsBy(scored, (r) => r.deviceClass),
		byEngine: statsBy(scored, (r) => r.engine),
		byRegime: statsBy(scored, (r) => r.regime),
		worst,
		above: scored.filter((r) => r.aboveRoofline),
		scored,
		skipped,
	};
}

/** The holdout section for a repository root; undefined when the file is absent or holds no rows. */
export function holdoutSection(root: string): HoldoutSection | undefined {
	const file = path.join(root, HOLDOUT_FILE);
	if (!existsSync(file)) return undefined;
	const text = readFileSync(file, 'utf8');
	const records = parseCsv(text);
	if (!records.length) return undefined;
	return scoreHoldout(records, HOLDOUT_FILE.split(path.sep).join('/'), text);
}
