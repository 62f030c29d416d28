/** The built CLI, spawned: exit codes 0/1/2, the three formats, directory walking and its skips. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../../..');
const cliJs = path.join(root, 'dist', 'cli.js');
let dir = '';

before(() => {
	// `npm test` builds first; a lone run of this file builds here if dist is missing.
	if (!existsSync(cliJs)) {
		const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
		assert.equal(b.status, 0, b.stderr);
	}
	dir = mkdtempSync(path.join(os.tmpdir(), 'im-analyze-'));
	const w = (p: string, text: string | Buffer) => {
		mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
		writeFileSync(path.join(dir, p), text);
	};
	w('ok/serve.sh', 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n');
	w('bad/serve.sh', 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 3\n');
	// Skipped by the walk: dependencies, hidden folders, binaries.
	w('bad/node_modules/x/serve.sh', 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 5\n');
	w('bad/.cache/serve.sh', 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 6\n');
	w('bad/blob.sh', Buffer.from([0x76, 0x6c, 0x6c, 0x6d, 0x00, 0x01]));
	w('big/serve.sh', `# ${'x'.repeat(5 * 1024 * 1024 + 10)}\n`);
	process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
});

function cli(...args: string[]) {
	return spawnSync(process.execPath, [cliJs, 'analyze', ...args], { cwd: dir, encoding: 'utf8' });
}

test('exit 0 with no error-level finding; text lists the estimate', () => {
	const r = cli('ok');
	assert.equal(r.status, 0, r.stderr);
	assert.match(
		r.stdout,
		/^ok\/serve\.sh:1:1 {2}vllm meta-llama\/Llama-3\.1-8B: ≈ \d+ tok\/s per user \(roofline \d+\) · [\d.]+ GB per step · memory-bound · /m,
	);
	assert.match(r.stdout, /1 workload in 1 file: 0 errors/);
});

test('exit 1 with an error; only files under the walk rules are read', () => {
	const r = cli('bad', '--format', 'json');
	assert.equal(r.status, 1, r.stderr);
	const report = JSON.parse(r.stdout);
	assert.deepEqual(
		report.files.map((f: { path: string }) => f.path),
		['bad/serve.sh'],
	);
	const d = report.files[0].diagnostics.find((x: { code: string }) => x.code === 'invalid-parallelism');
	// `vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size ` is 67 characters: the 3 is at 67.
	assert.deepEqual(d.range, { start: { line: 0, character: 67 }, end: { line: 0, character: 68 } });
	assert.equal(report.tool.name, 'inference-meter');
});

test('--severity turns an error off (exit 0) and --format sarif is SARIF 2.1.0', () => {
	const r = cli(
		'bad',
		'--severity',
		'invalid-parallelism=off',
		'--severity=decode-compute-idle=off',
		'--format=sarif',
	);
	assert.equal(r.status, 0, r.stderr);
	const sarif = JSON.parse(r.stdout);
	assert.equal(sarif.version, '2.1.0');
	assert.deepEqual(sarif.runs[0].results, []);
});

test('a file over 5 MB gets file-too-large without being parsed', () => {
	const r = cli('big/serve.sh', '--format', 'json');
	assert.equal(r.status, 0, r.stderr);
	const f = JSON.parse(r.stdout).files[0];
	assert.deepEqual(
		f.diagnostics.map((d: { code: string }) => d.code),
		['file-too-large'],
	);
});

test('usage errors exit 2: no path, a missing path, an unknown flag, unknown hardware, a bad severity', () => {
	for (const [args, msg] of [
		[[], /needs at least one file or directory/],
		[['nope/'], /no such file or directory: nope\//],
		[['ok', '--colour'], /unknown flag --colour/],
		[['ok', '--hardware', 'h1OO-x'], /--hardware: /],
		[['ok', '--severity', 'nonsense=off'], /unknown code "nonsense"/],
		[['ok', '--severity', 'unknown-model=loud'], /level must be one of/],
		[['ok', '--format', 'xml'], /--format must be one of text, json, sarif/],
	] as const) {
		const r = cli(...args);
		assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
		assert.match(r.stderr, msg);
	}
	const help = cli('--help');
	assert.equal(help.status, 0);
	assert.match(help.stdout, /usage: inference-meter analyze PATH/);
});
