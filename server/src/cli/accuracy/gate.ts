/**
 * The accuracy regression gate. The committed baseline (server/data/accuracy-baseline.json) records the
 * cross-validated figures for one ledger (by hash). `accuracy --check` fails when, on that same ledger, the
 * cross-validated accuracy is worse than the baseline, a measured run sits above its roofline where it did
 * not before, the baseline is for another ledger, or the committed constants are not what calibration
 * chooses from the committed ledger (someone edited the file or forgot `npm run calibrate`).
 */
import type { HoldoutSection } from './holdout';
import type { AccuracyReport } from './report';
import type { Stats } from './score';

/** Slack for floating-point noise across platforms; a real regression is larger. */
export const TOLERANCE = { medianAbsErrorPct: 0.25, within25Share: 0.005 } as const;

export interface Figures {
	medianAbsErrorPct: number;
	within25Share: number;
	aboveRoofline: number;
}

export interface Baseline {
	about: string;
	ledger: { rows: number; usable: number; date: string; sha256: string };
	fit: Figures;
	cvFamily: Figures;
	cvEngine: Figures;
	/**
	 * The out-of-ledger (held-out) figures, recorded for the record only: `regressions` does not compare them,
	 * so adding held-out rows (which may well score worse) never fails CI, and nobody is pushed to tune on them.
	 */
	holdout?: Figures & { rows: number; usable: number; sha256: string };
}

function figures(s: Stats): Figures {
	return {
		medianAbsErrorPct: Number(s.medianAbsErrorPct.toFixed(2)),
		within25Share: Number(s.within25Share.toFixed(4)),
		aboveRoofline: s.aboveRoofline,
	};
}

export function baselineOf(r: AccuracyReport, holdout?: HoldoutSection): Baseline {
	if (!r.cvFamily || !r.cvEngine) throw new Error('baseline needs the cross-validated figures');
	const base: Baseline = {
		about:
			'Accuracy regression baseline for `inference-meter accuracy --check`, written by `npm run accuracy`. Update it on purpose: re-run that script after a ledger refresh or a physics improvement.',
		ledger: { rows: r.ledger.rows, usable: r.ledger.usable, date: r.ledger.date, sha256: r.ledger.sha256 },
		fit: figures(r.fit),
		cvFamily: figures(r.cvFamily.overall),
		cvEngine: figures(r.cvEngine.overall),
	};
	if (holdout)
		base.holdout = {
			rows: holdout.rows,
			usable: holdout.usable,
			sha256: holdout.sha256,
			...figures(holdout.overall),
		};
	return base;
}

/** Ways `now` is worse than `base`, in words; empty when it is not worse. */
export function regressions(base: Baseline, now: Baseline): string[] {
	const out: string[] = [];
	if (base.ledger.sha256 !== now.ledger.sha256) {
		out.push(
			`the baseline is for another ledger (${base.ledger.rows} rows, ${base.ledger.sha256.slice(0, 12)}; now ${now.ledger.rows} rows, ${now.ledger.sha256.slice(0, 12)}): run npm run calibrate && npm run accuracy`,
		);
		return out;
	}
	const cmp = (name: string, b: Figures, n: Figures) => {
		if (n.medianAbsErrorPct > b.medianAbsErrorPct + TOLERANCE.medianAbsErrorPct)
			out.push(`${name}: median |error| ${n.medianAbsErrorPct} % > baseline ${b.medianAbsErrorPct} %`);
		if (n.within25Share < b.within25Share - TOLERANCE.within25Share)
			out.push(
				`${name}: within ±25 % ${(n.within25Share * 100).toFixed(1)} % < baseline ${(b.within25Share * 100).toFixed(1)} %`,
			);
		if (n.aboveRoofline > b.aboveRoofline)
			out.push(`${name}: ${n.aboveRoofline} runs above the roofline > baseline ${b.aboveRoofline}`);
	};
	cmp('cross-validated (leave-one-family-out)', base.cvFamily, now.cvFamily);
	cmp('cross-validated (leave-one-engine-out)', base.cvEngine, now.cvEngine);
	return out;
}

/** Constants whose committed value differs from a fresh calibration by more than 1 %. */
export function staleConstants(committed: Record<string, number>, fresh: Record<string, number>): string[] {
	const out: string[] = [];
	for (const [k, v] of Object.entries(fresh)) {
		const c = committed[k];
		if (c === undefined || Math.abs(c - v) > 0.01 * Math.max(Math.abs(v), 1e-9))
			out.push(`${k}: committed ${c ?? 'missing'}, calibration chooses ${v}`);
	}
	return out;
}
