import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../../server/src/cli/accuracyCommand';
import type { CliIO } from '../../../server/src/cli/io';
import { parseCsv } from '../../../server/src/cli/accuracy/csv';
import { buildReport, renderMarkdown } from '../../../server/src/cli/accuracy/report';
import {
	STARTUP_HOLDOUT_FILE,
	HOLDOUT_TITLE,
	evaluateMemoryHoldout,
	memoryHoldoutSection,
	renderMemoryHoldoutMarkdown,
} from '../../../server/src/cli/accuracy/memoryHoldout';

const DIR = path.join('server', 'data', 'measurements');
const read = (name: string) => parseCsv(readFileSync(path.join(DIR, name), 'utf8'));
const holdout = read(STARTUP_HOLDOUT_FILE);
const tuning = read('startup.csv');

async function cli(argv: string[]) {
	let stdout = '';
	const io: CliIO = { stdout: (t) => (stdout += t), stderr: () => {}, cwd: process.cwd(), env: {} };
	const code = await run(argv, io);
	return { code, stdout };
}

test('the held-out file has the tuning ledger columns and shares no row or source with it', () => {
	assert.deepEqual(Object.keys(holdout[0]), Object.keys(tuning[0]));
	const ids = new Set(tuning.map((r) => r.id));
	const sources = new Set(tuning.map((r) => r.source_url));
	for (const r of holdout) {
		assert.ok(!ids.has(r.id), `${r.id} is also a tuning row`);
		assert.ok(!sources.has(r.source_url), `${r.id} reuses a tuning source: ${r.source_url}`);
		assert.ok(r.source_title && r.source_url, `${r.id} has no source`);
	}
	assert.equal(new Set(holdout.map((r) => r.id)).size, holdout.length, 'duplicate ids');
});

test('accuracy prints the held-out section and its JSON under memoryHoldout, with the file’s counts', async () => {
	const text = await cli(['--no-cv']);
	assert.equal(text.code, 0);
	assert.match(
		text.stdout,
		new RegExp(`${HOLDOUT_TITLE} \\(.*${STARTUP_HOLDOUT_FILE}: ${holdout.length} rows`),
	);
	const j = JSON.parse((await cli(['--no-cv', '--json'])).stdout);
	assert.equal(j.memoryHoldout.rows, holdout.length);
	const perEngine = (e: string) => holdout.filter((r) => r.engine === e).length;
	for (const e of ['vllm', 'ollama', 'llama.cpp'])
		assert.equal(j.memoryHoldout.byEngine[e] ?? 0, perEngine(e), e);
	// The tuning ledger's section is still there and is a different file.
	assert.notEqual(j.memory.file, j.memoryHoldout.accuracy.file);
});

test('every held-out row is scored or reported as skipped, and the summary counts what it lists', () => {
	const h = evaluateMemoryHoldout(holdout, STARTUP_HOLDOUT_FILE);
	const a = h.accuracy;
	const seen = new Set([
		...a.vllm.rows.map((r) => r.id),
		...a.ollama.rows.map((r) => r.id),
		...a.llamaCpp.rows.map((r) => r.id),
		...a.skipped.map((r) => r.id),
	]);
	for (const r of holdout) assert.ok(seen.has(r.id), `${r.id} neither scored nor skipped`);
	assert.equal(h.summary.ollamaRows, a.ollama.rows.length);
	assert.equal(h.summary.ollamaHits, a.ollama.rows.filter((o) => o.logged === o.predicted).length);
	assert.equal(h.summary.refusalsLogged, holdout.filter((r) => r.engine === 'vllm' && r.refusal).length);
	assert.equal(h.summary.llamaCppRows, a.llamaCpp.rows.length);
});

test('the "Done when" verdicts follow the rows: a wrong logged layer count fails the Ollama clause', () => {
	const ollama = holdout.filter((r) => r.engine === 'ollama' && r.layers_offloaded !== '');
	assert.ok(ollama.length > 0);
	const honest = evaluateMemoryHoldout(ollama);
	// Shift every logged count by one. The estimate reads only the estimator inputs, never the logged answer,
	// so its predictions stay put and the shifted rows cannot all match.
	const shifted = ollama.map((r) => ({ ...r, layers_offloaded: String(Number(r.layers_offloaded) + 1) }));
	const bad = evaluateMemoryHoldout(shifted);
	assert.deepEqual(
		bad.accuracy.ollama.rows.map((o) => o.predicted),
		honest.accuracy.ollama.rows.map((o) => o.predicted),
	);
	assert.ok(bad.summary.ollamaHits < ollama.length);
	assert.equal(bad.meets.ollamaLayers, bad.summary.ollamaHits / ollama.length >= 0.9);
	assert.equal(evaluateMemoryHoldout([]).meets.ollamaLayers, undefined, 'no rows, no verdict');
});

test('docs/accuracy.md gets the held-out section from renderMarkdown', () => {
	const section = memoryHoldoutSection(process.cwd(), false);
	assert.ok(section);
	const md = renderMarkdown(
		buildReport({ file: 'x.csv', rows: 0, usable: 0, date: '2026-01-01', sha256: '0'.repeat(64) }, [], []),
		undefined,
		[section.markdown],
	);
	assert.match(md, new RegExp(`## ${HOLDOUT_TITLE}`));
	assert.ok(md.indexOf(`## ${HOLDOUT_TITLE}`) < md.indexOf('## How to read this'));
	assert.equal(renderMemoryHoldoutMarkdown(section.data), section.markdown);
});

/** Every .ts/.mjs file under a directory. */
function sources(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = path.join(dir, name);
		if (statSync(p).isDirectory()) sources(p, out);
		else if (/\.(ts|mjs|js)$/.test(name)) out.push(p);
	}
	return out;
}

test('only the accuracy section reads the held-out file: no physics, calibration or script names it', () => {
	const readers = [...sources(path.join('server', 'src')), ...sources('scripts')].filter((f) => {
		const text = readFileSync(f, 'utf8');
		return (
			text.includes(STARTUP_HOLDOUT_FILE) ||
			text.includes('STARTUP_HOLDOUT_FILE') ||
			text.includes('startup-holdout')
		);
	});
	assert.deepEqual(readers, [path.join('server', 'src', 'cli', 'accuracy', 'memoryHoldout.ts')]);
});
