/** The built CLI, spawned: exit codes 0/1/2, the three formats, directory walking and its skips. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACME_MODEL } from '../userCatalogModel';

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
	w('acme/serve.sh', 'vllm serve acme/Acme-Chat-8B --max-model-len 8192\n');
	w('acme/catalog.json', JSON.stringify({ models: [ACME_MODEL] }));
	w('acme/mixed.json', JSON.stringify({ models: [ACME_MODEL, { id: 'acme/Broken-1B', layers: 'many' }] }));
	w('acme/broken.json', '{ "models": [');
	// A GGUF model next to the script is read; one outside the analyzed folder is not.
	const gguf = readFileSync(path.join(root, 'samples/gguf/tiny-moe-Q8_0.gguf'));
	w('local/run.sh', 'llama-server -m ./tiny.gguf -c 2048\n');
	w('local/tiny.gguf', gguf);
	w('outside/tiny.gguf', gguf);
	w('peek/run.sh', 'llama-server -m ../outside/tiny.gguf -c 2048\n');
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

test('--catalog teaches a model: unknown-model without it, an estimate with it', () => {
	const without = JSON.parse(cli('acme', '--format', 'json').stdout).files[0];
	assert.ok(without.diagnostics.some((d: { code: string }) => d.code === 'unknown-model'));
	const r = cli('acme/serve.sh', '--catalog', 'acme/catalog.json', '--format', 'json');
	assert.equal(r.status, 0, r.stderr);
	const w = JSON.parse(r.stdout).files[0].workloads[0];
	assert.equal(w.resolvedModel, 'acme/Acme-Chat-8B');
	// 8,030,261,248 params × 2 bytes (bf16) = 16.06 GB.
	assert.equal(w.estimate.memory.weightsBytes, 16060522496);
	const bad = cli('acme', '--catalog', 'acme/serve.sh');
	assert.equal(bad.status, 2);
	assert.match(bad.stderr, /--catalog: catalog file acme\/serve\.sh is not valid JSON/);
});

test('--catalog: a broken JSON file exits 2 naming it; a bad entry warns and the good one still applies', () => {
	const broken = cli('acme/serve.sh', '--catalog', 'acme/broken.json');
	assert.equal(broken.status, 2);
	assert.match(
		broken.stderr,
		/^inference-meter: --catalog: catalog file acme\/broken\.json is not valid JSON/,
	);
	assert.equal(broken.stdout, '');
	const mixed = cli('acme/serve.sh', '--catalog', 'acme/mixed.json', '--format', 'json');
	assert.equal(mixed.status, 0, mixed.stderr);
	assert.match(mixed.stderr, /^inference-meter: user catalog: model "acme\/Broken-1B": /m);
	assert.equal(JSON.parse(mixed.stdout).files[0].workloads[0].resolvedModel, 'acme/Acme-Chat-8B');
});

test('a local GGUF header is read inside the analyzed paths only', () => {
	const inside = JSON.parse(cli('local', '--format', 'json').stdout).files[0];
	assert.equal(inside.diagnostics.filter((d: { code: string }) => d.code === 'unknown-model').length, 0);
	assert.ok(inside.workloads[0].estimate, 'estimated from the header');
	const outside = JSON.parse(cli('peek', '--format', 'json').stdout).files[0];
	assert.equal(outside.workloads[0].estimate, undefined);
	assert.ok(outside.diagnostics.some((d: { code: string }) => d.code === 'unknown-model'));
});
