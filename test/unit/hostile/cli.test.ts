/**
 * The built CLI (`dist/cli.js analyze --format json`) on every hostile file, written into a temp dir:
 * exit 0 or 1, valid JSON on stdout, a report entry for each file named on the command line, and a few
 * seconds at most. The 100 MB file and the lying GGUF headers are generated here, never committed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	rmSync,
	writeFileSync,
	writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeGguf } from '../../../scripts/make-sample-gguf.mjs';
import type { AnalyzeReport } from '../../../server/src/analysis/reportTypes';
import { assertJsonSafe } from '../../fuzz/invariants';
import { hostileCases, pseudoRandomBytes } from './corpus';

const CLI = path.resolve('dist/cli.js');
let dir = '';

function analyze(
	args: string[],
	timeoutMs = 20_000,
): { status: number | null; report: AnalyzeReport; ms: number } {
	const started = Date.now();
	const r = spawnSync(process.execPath, [CLI, 'analyze', '--format', 'json', ...args], {
		cwd: dir,
		encoding: 'utf8',
		timeout: timeoutMs,
		maxBuffer: 256 * 1024 * 1024,
	});
	const ms = Date.now() - started;
	assert.ok(
		r.status === 0 || r.status === 1,
		`exit ${r.status} (signal ${r.signal}): ${r.stderr.slice(0, 500)}`,
	);
	const report = JSON.parse(r.stdout) as AnalyzeReport;
	assert.ok(Array.isArray(report.files));
	assertJsonSafe(report);
	return { status: r.status, report, ms };
}

before(() => {
	if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run node scripts/build.mjs');
	dir = mkdtempSync(path.join(tmpdir(), 'im-hostile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('every hostile text file: exit 0/1, valid JSON, an entry per file, a few seconds each', () => {
	const names: string[] = [];
	hostileCases().forEach((c, i) => {
		const sub = path.join(dir, `case${i}`);
		mkdirSync(sub);
		writeFileSync(path.join(sub, c.path), c.text);
		names.push(`case${i}/${c.path}`);
	});
	const { report, ms } = analyze(names, 120_000);
	for (const n of names)
		assert.ok(
			report.files.some((f) => f.path === n),
			`no entry for ${n}`,
		);
	// One process for all 31 files: well under 3 s per file on average (measured ≈ 12 s in all).
	assert.ok(ms < names.length * 3000, `${ms} ms for ${names.length} files`);
	const bomb = report.files.find((f) => f.path.endsWith('compose.yaml'))!;
	assert.ok(bomb.diagnostics.some((d) => /alias expansion limit reached/.test(d.message)));
});

test('a 100 MB file is skipped without being read: "over the … analysis limit"', () => {
	const file = path.join(dir, 'huge.yaml');
	const fd = openSync(file, 'w');
	const chunk = Buffer.from('vllm: x\n'.repeat(128 * 1024)); // 1 MiB
	for (let i = 0; i < 100; i++) writeSync(fd, chunk);
	closeSync(fd);
	const { report, ms, status } = analyze(['huge.yaml']);
	assert.equal(status, 0);
	const d = report.files[0]!.diagnostics;
	assert.equal(d[0]?.code, 'file-too-large');
	// 100 MiB = 104,857,600 bytes = 104.9 MB.
	assert.match(d[0]!.message, /104\.9 MB, over the 5\.0 MB analysis limit/);
	assert.ok(ms < 5000, `${ms} ms`);
	rmSync(file);
});

test('binary bytes named Dockerfile and config.yaml get "not a text file" in the report', () => {
	mkdirSync(path.join(dir, 'bin'));
	const bytes = pseudoRandomBytes(256 * 1024, 7);
	bytes[10] = 0; // a NUL in the first 8 KB, whatever the generator gave
	writeFileSync(path.join(dir, 'bin/Dockerfile'), bytes);
	writeFileSync(path.join(dir, 'bin/config.yaml'), bytes);
	const { report } = analyze(['bin/Dockerfile', 'bin/config.yaml']);
	assert.equal(report.files.length, 2);
	for (const f of report.files) assert.match(f.diagnostics[0]!.message, /Not a text file/);
	// Scanning the folder (not named explicitly) skips them silently.
	assert.deepEqual(analyze(['bin']).report.files, []);
});

test('GGUF files with lying headers: the workload still analyzes and says why the header was not used', () => {
	mkdirSync(path.join(dir, 'gguf'));
	const lies: Record<string, Uint8Array> = {
		'count-2-62.gguf': writeGguf({ tensorCount: 2n ** 62n, kvCount: 2n ** 62n }),
		'kv-2-62.gguf': writeGguf({ kvCount: 2n ** 62n }),
		'empty.gguf': new Uint8Array(0),
		'truncated.gguf': writeGguf({ metadata: [['general.architecture', 8, 'llama']] }).subarray(0, 30),
		'not-gguf.gguf': pseudoRandomBytes(4096, 3),
	};
	const lines: string[] = [];
	for (const [name, bytes] of Object.entries(lies)) {
		writeFileSync(path.join(dir, 'gguf', name), bytes);
		lines.push(`llama-server -m ./${name} -c 4096`);
	}
	writeFileSync(path.join(dir, 'gguf/serve.sh'), lines.join('\n') + '\n');
	const { report, ms } = analyze(['gguf/serve.sh']);
	const f = report.files[0]!;
	assert.equal(f.workloads.length, 5, 'one workload per line, none lost to a bad header');
	const why = (name: string): string =>
		f.diagnostics.find((d) => d.code === 'unknown-model' && d.message.includes(name))?.message ?? '';
	// 2^62 = 4611686018427387904, far above the reader's limit of 2^20 = 1048576 tensors.
	assert.match(
		why('count-2-62'),
		/GGUF header not used: .*tensor count is 4611686018427387904, above the limit/,
	);
	assert.match(why('kv-2-62'), /GGUF header not used: .*metadata KV count is 4611686018427387904/);
	assert.match(why('empty.gguf'), /GGUF header not used: .*empty file/);
	assert.match(why('truncated.gguf'), /GGUF header not used: .*truncated/);
	assert.match(why('not-gguf.gguf'), /GGUF header not used: .*not a GGUF file/);
	assert.ok(ms < 5000, `${ms} ms`);
});
