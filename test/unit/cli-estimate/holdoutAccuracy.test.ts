/**
 * The out-of-ledger (held-out) decode runs (issue #12): the calibration never reads them, the scorer accounts
 * for every record, the report and docs generator carry the section, the gate records but never fails on it,
 * and the committed holdout file keeps its promise (ledger columns, X ids, no source the ledger cites).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { calibrationFile, LEDGER_FILE } from '../../../server/src/cli/accuracy/calibrateFile';
import { run } from '../../../server/src/cli/accuracyCommand';
import type { CliIO } from '../../../server/src/cli/io';
import { parseCsv } from '../../../server/src/cli/accuracy/csv';
import { regressions, type Baseline } from '../../../server/src/cli/accuracy/gate';
import { HOLDOUT_FILE, holdoutSection, scoreHoldout } from '../../../server/src/cli/accuracy/holdout';
import {
	buildReport,
	renderHoldoutText,
	renderMarkdown,
	renderReadmeBlock,
} from '../../../server/src/cli/accuracy/report';
import { ledgerRecord, type LedgerRecord } from './ledgerRecord';

const ROOT = process.cwd();

type Rec = LedgerRecord;
const rec = (id: string, o: Partial<Rec>): Rec =>
	ledgerRecord(id, {
		hardware_id: 'rtx-4090',
		hardware_label: 'NVIDIA GeForce RTX 4090',
		params_b: '8.03',
		bits_per_weight: '4.5',
		decode_tok_s_per_user: '150',
		...o,
	});

const SYNTHETIC: Rec[] = [
	rec('X001', {}),
	rec('X002', { backend: 'metal', hardware_id: 'apple-m2-max', hardware_label: 'Apple M2 Max' }),
	rec('X003', { batch: '8', decode_tok_s_per_user: '', decode_tok_s_total: '900' } as Partial<Rec>),
	rec('X004', { engine: 'no-such-engine' }),
	rec('X005', { decode_tok_s_per_user: '' }),
];

test('the scorer accounts for every held-out record: scored or skipped with a reason', () => {
	const h = scoreHoldout(SYNTHETIC, 'synthetic.csv');
	assert.equal(h.rows, 5);
	assert.equal(h.usable, 3);
	assert.equal(h.overall.rows, 3);
	assert.deepEqual(
		h.skipped.map((s) => s.id),
		['X004', 'X005'],
	);
	assert.ok(h.skipped.every((s) => s.reason.length > 0));
	// Each grouping partitions the scored rows.
	for (const groups of [h.byClass, h.byEngine, h.byRegime])
		assert.equal(
			groups.reduce((n, g) => n + g.stats.rows, 0),
			3,
		);
	assert.deepEqual(h.byRegime.map((g) => g.group).sort(), ['batch 1', 'batch > 1']);
	// Worst list is sorted by |error|, largest first.
	const errs = h.worst.map((r) => Math.abs(r.errorPct));
	assert.deepEqual(
		errs,
		[...errs].sort((a, b) => b - a),
	);
	assert.ok(h.overall.naiveMedianAbsErrorPct > 0);
});

test('the report, docs/accuracy.md generator and README block carry the held-out section', () => {
	const h = scoreHoldout(SYNTHETIC, 'synthetic.csv');
	const report = buildReport(
		{ file: 'decode.csv', rows: 3, usable: 3, date: '2026-01-01', sha256: 'f'.repeat(64) },
		h.scored,
		[],
	);
	const md = renderMarkdown(report, h);
	assert.match(md, /## Out-of-ledger \(held-out\) decode runs/);
	assert.match(md, /`synthetic\.csv`: 5 published runs \(3 usable/);
	assert.match(md, /\| X00[123] \|/);
	assert.doesNotMatch(renderMarkdown(report), /Out-of-ledger/);
	const text = renderHoldoutText(h);
	assert.match(text, /out-of-ledger \(held-out\) decode runs: synthetic\.csv \(5 rows, 3 usable/i);
	assert.match(text, /X004 \(engine "no-such-engine"/);
	assert.match(renderReadmeBlock(report, h), /out-of-ledger runs never used for tuning \(3 runs\)/);
});

test('the gate records the held-out figures but never fails on them', () => {
	const figures = { medianAbsErrorPct: 10, within25Share: 0.8, aboveRoofline: 0 };
	const ledger = { rows: 1, usable: 1, date: '2026-01-01', sha256: 'a' };
	const base: Baseline = {
		about: '',
		ledger,
		fit: figures,
		cvFamily: figures,
		cvEngine: figures,
		holdout: { ...figures, rows: 10, usable: 10, sha256: 'h1' },
	};
	const now: Baseline = {
		...base,
		holdout: {
			medianAbsErrorPct: 60,
			within25Share: 0.1,
			aboveRoofline: 5,
			rows: 20,
			usable: 20,
			sha256: 'h2',
		},
	};
	assert.deepEqual(regressions(base, now), []);
	// The decode figures still gate.
	assert.ok(regressions(base, { ...now, cvFamily: { ...figures, medianAbsErrorPct: 20 } }).length > 0);
});

test('calibration never reads the holdout file: constants identical with it absent or replaced by wild rows', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'holdout-cal-'));
	mkdirSync(path.join(dir, path.dirname(LEDGER_FILE)), { recursive: true });
	copyFileSync(path.join(ROOT, LEDGER_FILE), path.join(dir, LEDGER_FILE));
	const without = calibrationFile(dir, '2026-01-01').file;
	// Rows that would move every constant if a calibration read them: each 100× faster than physics allows.
	const header = readFileSync(path.join(ROOT, LEDGER_FILE), 'utf8').split('\n')[0];
	const cols = header.split(',');
	const real = parseCsv(readFileSync(path.join(ROOT, LEDGER_FILE), 'utf8')).slice(0, 200);
	const wild = real.map((r, i) =>
		cols
			.map((c) =>
				c === 'id'
					? `X${String(i + 1).padStart(3, '0')}`
					: c === 'decode_tok_s_per_user' || c === 'decode_tok_s_total'
						? String(Number(r[c] || 0) * 100)
						: `"${(r[c] ?? '').replace(/"/g, '""')}"`,
			)
			.join(','),
	);
	writeFileSync(path.join(dir, HOLDOUT_FILE), `${header}\n${wild.join('\n')}\n`);
	assert.ok((holdoutSection(dir)?.usable ?? 0) > 100, 'the wild holdout is itself scoreable');
	const withWild = calibrationFile(dir, '2026-01-01').file;
	assert.deepEqual(withWild, without);
});

test('the committed holdout file: ledger columns, X ids, ≥ 80 rows, no source the ledger cites', () => {
	const ledgerText = readFileSync(path.join(ROOT, LEDGER_FILE), 'utf8');
	const sourcesText = readFileSync(path.join(ROOT, 'server/data/measurements/decode-sources.md'), 'utf8');
	const text = readFileSync(path.join(ROOT, HOLDOUT_FILE), 'utf8');
	assert.equal(text.split('\n')[0], ledgerText.split('\n')[0], 'same header as decode.csv');
	const rows = parseCsv(text);
	assert.ok(rows.length >= 80, `${rows.length} rows`);
	const ids = rows.map((r) => r.id);
	assert.equal(new Set(ids).size, ids.length, 'unique ids');
	assert.ok(
		ids.every((id) => /^X\d{3}$/.test(id)),
		'X-prefixed ids',
	);
	for (const url of new Set(rows.map((r) => r.source_url))) {
		assert.ok(url.startsWith('http'), `${url}: a source URL`);
		assert.ok(!ledgerText.includes(url), `${url} is cited by decode.csv`);
		assert.ok(!sourcesText.includes(url), `${url} is cited by decode-sources.md`);
	}
	const h = holdoutSection(ROOT);
	assert.ok(h);
	assert.equal(h.rows, rows.length);
	assert.equal(h.usable + h.skipped.length, rows.length);
});

test('`accuracy --json` and the text report carry the held-out section for the committed file', async () => {
	const rows = parseCsv(readFileSync(path.join(ROOT, HOLDOUT_FILE), 'utf8')).length;
	const go = async (argv: string[]) => {
		let stdout = '';
		const io: CliIO = { stdout: (t) => (stdout += t), stderr: () => {}, cwd: ROOT, env: {} };
		assert.equal(await run(argv, io), 0);
		return stdout;
	};
	const json = JSON.parse(await go(['--no-cv', '--json'])) as {
		holdout: { rows: number; usable: number; overall: { rows: number } };
	};
	assert.equal(json.holdout.rows, rows);
	assert.equal(json.holdout.overall.rows, json.holdout.usable);
	const text = await go(['--no-cv']);
	assert.match(
		text,
		new RegExp(`Out-of-ledger \\(held-out\\) decode runs: .*decode-holdout\\.csv \\(${rows} rows`),
	);
});
