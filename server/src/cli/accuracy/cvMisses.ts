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
	/**
	 * "name full → held-out" for the constants that moved ≥ 5 % without the family: those that change this run's
	 * prediction, by how much (largest first), where the run can be re-predicted; else the largest moves.
	 */
	moved: string[];
}

/**
 * How much one re-chosen constant changes a run's prediction: |log(prediction with the family-out values /
 * prediction with that one constant back at its full-fit value)|, or undefined when the run cannot be re-predicted.
 */
export type ConstantEffect = (id: string, values: Record<string, number>, name: string) => number | undefined;

/** Moves smaller than this are refitting noise, not a constant the family chose. */
const MOVED_SHARE = 0.05;
const MOVED_SHOWN = 3;

/** A re-chosen constant that moves a run's prediction by less than this does not explain its miss. */
const EFFECT_SHOWN = Math.log(1.01);

function movedConstants(
	changed: Record<string, number>,
	full: Record<string, number>,
	effectOn?: (name: string) => number | undefined,
): string[] {
	const moved = Object.entries(changed)
		.map(([name, v]) => ({
			name,
			v,
			f: full[name],
			rel: full[name] ? Math.abs(Math.log(v / full[name])) : 0,
		}))
		.filter((c) => c.rel >= Math.log(1 + MOVED_SHARE));
	const fmt = (c: { name: string; v: number; f: number }) =>
		`${c.name} ${Number(c.f.toPrecision(3))} → ${Number(c.v.toPrecision(3))}`;
	const effects = effectOn ? moved.map((c) => ({ ...c, effect: effectOn(c.name) })) : [];
	// Where the run can be re-predicted: the constants that change its prediction, by how much.
	if (effects.length && effects.every((c) => c.effect !== undefined))
		return effects
			.filter((c) => (c.effect ?? 0) >= EFFECT_SHOWN)
			.sort((a, b) => (b.effect ?? 0) - (a.effect ?? 0) || a.name.localeCompare(b.name))
			.slice(0, MOVED_SHOWN)
			.map((c) => `${fmt(c)} (${Math.round((Math.exp(c.effect ?? 0) - 1) * 100)} %)`);
	return moved
		.sort((a, b) => b.rel - a.rel || a.name.localeCompare(b.name))
		.slice(0, MOVED_SHOWN)
		.map(fmt);
}

/** The `count` rows with the largest |cross-validated error|, each with its fit error and moved constants. */
export function largestCvMisses(
	fit: ScoredRow[],
	cv: CrossValidation,
	full: Record<string, number>,
	count = 15,
	effect?: ConstantEffect,
): CvMiss[] {
	const fitById = new Map(fit.map((r) => [r.id, r.errorPct]));
	const changedByGroup = new Map(cv.groups.map((g) => [g.group, g.changed]));
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
			moved: movedConstants(
				changedByGroup.get(r.family) ?? {},
				full,
				effect && ((name) => effect(r.id, { ...full, ...changedByGroup.get(r.family) }, name)),
			),
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
		'rests on a constant only its own family chooses (listed: value in the full fit → value without the family, and',
		"how much putting that one constant back changes this row's prediction; moves under 1 % are left out).",
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
