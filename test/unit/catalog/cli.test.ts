import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import { main } from '../../../server/src/cli/main';
import type { CliIO } from '../../../server/src/cli/io';
import { ACME_MODEL } from '../userCatalogModel';

async function cli(argv: string[], cwd = process.cwd()) {
	let stdout = '';
	let stderr = '';
	const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} };
	const code = await main(argv, io);
	return { code, stdout, stderr };
}

test('hardware: table with units legend, ridge points and unverified marks', async () => {
	const r = await cli(['hardware']);
	assert.equal(r.code, 0, r.stderr);
	const h100 = r.stdout.split('\n').find((l) => l.startsWith('h100-sxm '));
	assert.ok(h100);
	// ridge = 989 TFLOPS × 1000 / 3350 GB/s = 295.2 FLOP/B
	assert.match(h100, /\b295\b/);
	assert.match(h100, /3,350/);
	assert.match(h100, /\$30,000 \(2024\)/);
	const l4 = r.stdout.split('\n').find((l) => l.startsWith('l4 '));
	assert.match(l4 ?? '', /300\*/); // L4 bandwidth is unverified
	// A cloud rate from a third-party copy of the rate card carries the mark too.
	const a10g = r.stdout.split('\n').find((l) => l.startsWith('a10g '));
	assert.match(a10g ?? '', /\$1\.006\*\/h cloud/);
	assert.match(r.stdout, /decimal GB/);
	assert.match(r.stdout, /no 2:4 sparsity/);
	assert.match(r.stdout, /not measured/);
	assert.match(r.stdout, /\* = unverified/);
});

test('hardware --class filters by spectrum or device class; --json carries sources', async () => {
	const sram = await cli(['hardware', '--class', 'sram']);
	assert.equal(sram.code, 0);
	assert.match(sram.stdout, /cerebras-cs3/);
	assert.match(sram.stdout, /groq-lpu/);
	assert.doesNotMatch(sram.stdout, /h100-sxm/);
	const apple = await cli(['hardware', '--class=apple-gpu', '--json']);
	const json = JSON.parse(apple.stdout) as {
		hardware: { id: string; sources: string[]; ridgeFlopsPerByte: number | null }[];
	};
	// Counted from the catalog file, so appending a device never breaks this test.
	const catalogFile = JSON.parse(readFileSync(path.join('server', 'data', 'hardware.json'), 'utf8')) as {
		hardware: { deviceClass: string; spectrum: string }[];
	};
	const appleInCatalog = catalogFile.hardware.filter(
		(h) => h.deviceClass === 'apple-gpu' || h.spectrum === 'apple-gpu',
	).length;
	assert.ok(appleInCatalog >= 15);
	assert.equal(json.hardware.length, appleInCatalog);
	assert.ok(json.hardware.every((h) => h.id.startsWith('apple-') && h.sources.length > 0));
	const all = JSON.parse((await cli(['hardware', '--json'])).stdout) as {
		hardware: { id: string; ridgeFlopsPerByte: number | null }[];
	};
	const h100 = all.hardware.find((h) => h.id === 'h100-sxm');
	assert.ok(Math.abs((h100?.ridgeFlopsPerByte ?? 0) - (989 * 1000) / 3350) < 1e-9);
});

test('models: table, --search and --json', async () => {
	const r = await cli(['models']);
	assert.equal(r.code, 0);
	// The count the catalog holds (entries are appended over time), printed as the table's footer.
	assert.match(r.stdout, new RegExp(`\\b${getCatalog().models.length} models`));
	const ds = r.stdout.split('\n').find((l) => l.startsWith('deepseek-ai/DeepSeek-V3 '));
	// 671,026,419,200 total / 37,552,297,472 active → 671 / 37.55 B
	assert.match(ds ?? '', /671 \/ 37\.55/);
	assert.match(ds ?? '', /MoE\+MLA/);
	const s = await cli(['models', '--search', 'GEMMA-3']);
	assert.equal(s.stdout.split('\n').filter((l) => l.startsWith('google/gemma-3')).length, 4);
	assert.doesNotMatch(s.stdout, /gemma-2/);
	const j = JSON.parse((await cli(['models', '--search', 'qwen3:30b', '--json'])).stdout) as {
		models: { id: string }[];
	};
	assert.deepEqual(
		j.models.map((m) => m.id),
		['Qwen/Qwen3-30B-A3B'],
	);
	const none = await cli(['models', '--search', 'no-such-model']);
	assert.equal(none.code, 0);
	assert.match(none.stdout, /No models match/);
});

test('help and bad flags', async () => {
	for (const cmd of ['hardware', 'models']) {
		const h = await cli([cmd, '--help']);
		assert.equal(h.code, 0);
		assert.match(h.stdout, /--json/);
		const bad = await cli([cmd, '--bogus']);
		assert.equal(bad.code, 2);
		assert.match(bad.stderr, /unknown flag --bogus/);
		const pos = await cli([cmd, 'extra']);
		assert.equal(pos.code, 2);
	}
	const badClass = await cli(['hardware', '--class', 'tpu']);
	assert.equal(badClass.code, 2);
	assert.match(badClass.stderr, /--class must be one of/);
	const noValue = await cli(['models', '--search']);
	assert.equal(noValue.code, 2);
});

test('--catalog adds user entries, warns about bad ones, and fails on an unreadable file', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'im-cat-'));
	writeFileSync(
		path.join(dir, 'cat.json'),
		JSON.stringify({
			hardware: [
				{
					id: 'lab-box',
					name: 'Lab box',
					vendor: 'us',
					deviceClass: 'cpu',
					spectrum: 'cpu',
					memoryType: 'DDR5',
					memoryGB: 256,
					bandwidthGBs: 200,
					peakTflops: {},
					sources: ['measured'],
				},
				{ id: 'broken', name: 'x' },
			],
		}),
	);
	const r = await cli(['hardware', '--class', 'cpu', '--catalog', 'cat.json'], dir);
	assert.equal(r.code, 0);
	assert.match(r.stdout, /lab-box/);
	assert.match(r.stderr, /^inference-meter: user catalog: hardware "broken": field/m);
	const missing = await cli(['hardware', '--catalog', 'nope.json'], dir);
	assert.equal(missing.code, 2);
	assert.match(missing.stderr, /cannot read catalog file nope\.json \(ENOENT\)/);
	writeFileSync(path.join(dir, 'bad.json'), '{ not json');
	for (const cmd of ['hardware', 'models']) {
		const bad = await cli([cmd, '--catalog', 'bad.json'], dir);
		assert.equal(bad.code, 2, cmd);
		assert.match(bad.stderr, /^inference-meter: --catalog: catalog file bad\.json is not valid JSON/, cmd);
		assert.equal(bad.stdout, '', cmd);
	}
	// Valid JSON that is not an object has nothing to merge: an error, not a silent built-in catalog.
	writeFileSync(path.join(dir, 'list.json'), '[]');
	const list = await cli(['models', '--catalog', 'list.json'], dir);
	assert.equal(list.code, 2);
	assert.match(list.stderr, /catalog file list\.json must be a JSON object/);
});

test('models --catalog: a bad model entry warns, the good one is listed', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'im-cat-'));
	writeFileSync(
		path.join(dir, 'm.json'),
		JSON.stringify({ models: [ACME_MODEL, { id: 'acme/Broken', layers: -1 }] }),
	);
	const r = await cli(['models', '--search', 'acme', '--catalog', 'm.json'], dir);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /acme\/Acme-Chat-8B/);
	assert.doesNotMatch(r.stdout, /acme\/Broken/);
	assert.match(r.stderr, /^inference-meter: user catalog: model "acme\/Broken": /m);
});
