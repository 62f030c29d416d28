/**
 * The largest leave-one-family-out misses: rows the estimator gets wrong once the constants are chosen without
 * their device family. Each names the constants that moved most when its family was held out, which is where a
 * mechanism only that family exercises (and so only its rows can choose) shows up; the fit error beside it tells
 * a transfer miss (fit fine, cross-validated far off) from a physics miss (both far off).
 */
import type { CrossValidation } from './crossValidate';
import type { ScoredRow } from './score';

export interface CvMiss {
	id: string;
	family: string;
	hardware: string;
	engine: string;
	model: string;
	format: string;
	batch: number;
	measured: number;
	fitErrorPct: number;
	cvErrorPct: number;
	/** "name full → held-out" for the constants that moved ≥ 5 % without the family, largest move first. */
	moved: string[];
}

/** Moves smaller than this are refitting noise, not a constant the family chose. */
const MOVED_SHARE = 0.05;
const MOVED_SHOWN = 3;

function movedConstants(changed: Record<string, number>, full: Record<string, number>): string[] {
	return Object.entries(changed)
		.map(([name, v]) => ({
			name,
			v,
			f: full[name],
			rel: full[name] ? Math.abs(Math.log(v / full[name])) : 0,
		}))
		.filter((c) => c.rel >= Math.log(1 + MOVED_SHARE))
		.sort((a, b) => b.rel - a.rel || a.name.localeCompare(b.name))
		.slice(0, MOVED_SHOWN)
		.map((c) => `${c.name} ${Number(c.f.toPrecision(3))} → ${Number(c.v.toPrecision(3))}`);
}

/** The `count` rows with the largest |cross-validated error|, each with its fit error and moved constants. */
export function largestCvMisses(
	fit: ScoredRow[],
	cv: CrossValidation,
	full: Record<string, number>,
	count = 15,
): CvMiss[] {
	const fitById = new Map(fit.map((r) => [r.id, r.errorPct]));
	const movedByGroup = new Map(cv.groups.map((g) => [g.group, movedConstants(g.changed, full)]));
	return [...cv.rows]
		.filter((r) => Number.isFinite(r.errorPct))
		.sort((a, b) => Math.abs(b.errorPct) - Math.abs(a.errorPct) || a.id.localeCompare(b.id))
		.slice(0, count)
		.map((r) => ({
			id: r.id,
			family: r.family,
			hardware: r.hardware,
			engine: r.engine,
			model: r.model,
			format: r.format,
			batch: r.batch,
			measured: r.measured,
			fitErrorPct: fitById.get(r.id) ?? NaN,
			cvErrorPct: r.errorPct,
			moved: movedByGroup.get(r.family) ?? [],
		}));
}

function signed(x: number): string {
	return Number.isFinite(x) ? `${x > 0 ? '+' : ''}${x.toFixed(1)} %` : '—';
}

export function cvMissesText(misses: CvMiss[]): string[] {
	if (!misses.length) return [];
	const out = [
		'',
		'largest misses, leave-one-family-out (cv error, fit error; constants re-chosen without the family):',
	];
	for (const m of misses)
		out.push(
			`  ${m.id.padEnd(6)} ${signed(m.cvErrorPct).padStart(9)} (fit ${signed(m.fitErrorPct)})  ${m.family}  ${m.engine}  ${m.hardware.slice(0, 40)}  ${m.model} ${m.format}${m.moved.length ? `  [${m.moved.join('; ')}]` : ''}`,
		);
	return out;
}

export function cvMissesMarkdown(misses: CvMiss[]): string[] {
	if (!misses.length) return [];
	const cell = (s: string) => s.replace(/\|/g, '\\|');
	const out = [
		'## Largest cross-validated misses (leave one device family out)',
		'',
		'Each row is predicted with the constants chosen without its device family. A row that fits well but misses here',
		'rests on a constant only its own family chooses (listed: value in the full fit → value without the family).',
		'',
		'| id | family | hardware | engine | model | batch | measured tok/s | fit error | cross-validated error | constants that moved without the family |',
		'|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const m of misses)
		out.push(
			`| ${m.id} | ${m.family} | ${cell(m.hardware)} | ${m.engine} | ${cell(m.model)} ${m.format} | ${m.batch} | ${m.measured.toFixed(1)} | ${signed(m.fitErrorPct)} | ${signed(m.cvErrorPct)} | ${cell(m.moved.join('; ') || '—')} |`,
		);
	out.push('');
	return out;
}
