/**
 * The largest leave-one-family-out misses (issue #12): ranked by |cross-validated error|, each carrying its fit
 * error and only the constants that moved by ≥ 5 % when its family was held out; the report puts the per-row
 * cross-validated error beside the fit error and docs/accuracy.md gets the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CrossValidation } from '../../../server/src/cli/accuracy/crossValidate';
import { cvMissesMarkdown, largestCvMisses } from '../../../server/src/cli/accuracy/cvMisses';
import { buildReport, renderMarkdown, renderText } from '../../../server/src/cli/accuracy/report';
import type { ScoredRow } from '../../../server/src/cli/accuracy/score';

function row(id: string, family: string, errorPct: number): ScoredRow {
	const measured = 100;
	const predicted = measured * (1 + errorPct / 100);
	return {
		id,
		family,
		deviceClass: 'gpu',
		engine: 'llama.cpp',
		regime: 'batch 1',
		hardware: `hw ${id}`,
		model: 'm',
		format: 'q4_0',
		batch: 1,
		devices: 1,
		measured,
		predicted,
		roofline: 1000,
		naive: 100,
		errorPct,
		naiveErrorPct: 0,
		aboveRoofline: false,
	};
}

const FIT = [row('A1', 'a', 2), row('A2', 'a', -3), row('B1', 'b', 10), row('B2', 'b', -40)];
const CV: CrossValidation = {
	by: 'family',
	rows: [row('A1', 'a', 90), row('A2', 'a', -5), row('B1', 'b', 12), row('B2', 'b', -45)],
	groups: [
		// x moves +100 % without family a, y only 2 % (refitting noise, not shown).
		{ group: 'a', rows: 2, changed: { x: 2, y: 1.02 } },
		{ group: 'b', rows: 2, changed: {} },
	],
};
const FULL = { x: 1, y: 1 };

test('misses are ranked by |cross-validated error| and carry the fit error and the moved constants', () => {
	const m = largestCvMisses(FIT, CV, FULL, 3);
	assert.deepEqual(
		m.map((x) => x.id),
		['A1', 'B2', 'B1'],
	);
	assert.equal(m[0].fitErrorPct, 2);
	assert.equal(m[0].cvErrorPct, 90);
	assert.deepEqual(m[0].moved, ['x 1 → 2']);
	assert.deepEqual(m[1].moved, []);
});

test('where a run can be re-predicted, only the constants that change its prediction are named, by effect', () => {
	const cv: CrossValidation = {
		...CV,
		groups: [{ group: 'a', rows: 2, changed: { x: 2, z: 3 } }, CV.groups[1]],
	};
	const full = { x: 1, z: 1 };
	// x moved 2× but does not touch A1's prediction; z moved 3× and changes it by 50 %.
	const seen: Record<string, number>[] = [];
	const effect = (id: string, values: Record<string, number>, name: string) => {
		seen.push(values);
		return id === 'A1' && name === 'z' ? Math.log(1.5) : 0;
	};
	const [a1] = largestCvMisses(FIT, cv, full, 1, effect);
	assert.equal(a1.id, 'A1');
	assert.deepEqual(a1.moved, ['z 1 → 3 (50 %)']);
	// The run is re-predicted with its family's held-out values, not the full fit's.
	assert.ok(seen.every((v) => v.x === 2 && v.z === 3));
	// A run no constant explains names none.
	const none = largestCvMisses(FIT, cv, full, 4, () => 0).find((m) => m.id === 'A2');
	assert.deepEqual(none?.moved, []);
});

test('the report lists each row with its cross-validated error, and the docs carry the misses table', () => {
	const ledger = { file: 'l.csv', rows: 4, usable: 4, date: '2026-12-06', sha256: 'f'.repeat(64) };
	const report = buildReport(ledger, FIT, [], { family: CV, engine: { ...CV, by: 'engine' } }, FULL);
	assert.equal(report.rows.find((r) => r.id === 'A1')?.cvFamilyErrorPct, 90);
	const text = renderText(report, true);
	assert.match(text, /largest misses, leave-one-family-out/);
	assert.match(text, /A1 +\+90\.0 % \(fit \+2\.0 %\) {2}a/);
	const md = renderMarkdown(report);
	assert.match(md, /## Largest cross-validated misses/);
	assert.match(md, /\| A1 \| a \| hw A1 \|.*\| \+2\.0 % \| \+90\.0 % \| x 1 → 2 \|/);
	// Without cross-validation there is no per-row cv error and no table.
	const plain = buildReport(ledger, FIT, []);
	assert.equal(plain.rows[0].cvFamilyErrorPct, undefined);
	assert.equal(cvMissesMarkdown([]).length, 0);
	assert.doesNotMatch(renderMarkdown(plain), /Largest cross-validated misses/);
});
