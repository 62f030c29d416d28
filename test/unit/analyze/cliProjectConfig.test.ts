/** The built CLI with a project config: target and severities from the file, flags over it, broken config exit 2, CI exit codes, SARIF suppressions. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../../..');
const cliJs = path.join(root, 'dist', 'cli.js');
let dir = '';

const w = (p: string, text: string) => {
	mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
	writeFileSync(path.join(dir, p), text);
};

before(() => {
	if (!existsSync(cliJs)) {
		const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
		assert.equal(b.status, 0, b.stderr);
	}
	dir = mkdtempSync(path.join(os.tmpdir(), 'im-config-'));
	// Each project is its own repository: the config search stops at the folder holding .git.
	for (const p of ['team', 'broken', 'plain']) mkdirSync(path.join(dir, p, '.git'), { recursive: true });
	w(
		'team/.inference-meter.yaml',
		[
			'# Deployed on 8 × H200; the edge boxes have one RTX 4090.',
			'hardware: h200',
			'devices: 8',
			'severity:',
			'  decode-compute-idle: off',
			'ignore: ["scratch/**"]',
			'overrides:',
			'  - files: ["edge/**"]',
			'    hardware: rtx-4090',
			'    devices: 1',
			'',
		].join('\n'),
	);
	w(
		'team/deploy/serve.sh',
		'vllm serve meta-llama/Llama-3.1-70B --tensor-parallel-size 2 --max-model-len 8192\n',
	);
	w('team/edge/run.sh', 'llama-server -m llama-3.1-8b-instruct-q4_k_m.gguf -c 8192 -ngl 99\n');
	w('team/scratch/serve.sh', 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 3\n');
	w(
		'team/suppressed/serve.sh',
		'# inference-meter-disable-next-line weights-do-not-fit\nvllm serve meta-llama/Llama-3.1-405B --max-model-len 8192\n',
	);
	w('broken/.inference-meter.yaml', 'hardware: h200\ndevices: eight\n');
	w('broken/serve.sh', 'vllm serve meta-llama/Llama-3.1-8B-Instruct\n');
	w(
		'plain/serve.sh',
		'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 256\n',
	);
	process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
});

function cli(cwd: string, ...args: string[]) {
	return spawnSync(process.execPath, [cliJs, 'analyze', ...args], {
		cwd: path.join(dir, cwd),
		encoding: 'utf8',
	});
}

interface Json {
	files: {
		path: string;
		diagnostics: { code: string; severity: string }[];
		suppressed?: { code: string; suppression: { kind: string; justification: string } }[];
		workloads: { target?: { hardwareId: string; devices: number; source: string; note: string } }[];
	}[];
}

test('the config sets target, devices and severities; overrides by glob; ignore skips files', () => {
	const r = cli('team', '.', '--format', 'json');
	const report = JSON.parse(r.stdout) as Json;
	const file = (p: string) => report.files.find((f) => f.path === p);
	const deploy = file('deploy/serve.sh')!.workloads[0]!.target!;
	assert.deepEqual(
		[deploy.hardwareId, deploy.source, deploy.note],
		['h200', 'config', 'from .inference-meter.yaml'],
	);
	const edge = file('edge/run.sh')!.workloads[0]!.target!;
	assert.equal(edge.hardwareId, 'rtx-4090');
	assert.equal(edge.devices, 1);
	assert.match(edge.note, /overrides\[0\] \(files: edge\/\*\*\)/);
	assert.equal(file('scratch/serve.sh'), undefined, 'ignored by the config');
	for (const f of report.files) assert.ok(!f.diagnostics.some((d) => d.code === 'decode-compute-idle'));
	const off = file('deploy/serve.sh')!.suppressed!.find((s) => s.code === 'decode-compute-idle')!;
	assert.equal(off.suppression.kind, 'external');
});

test('a command-line flag wins over the config for that run', () => {
	const r = cli(
		'team',
		'deploy',
		'--hardware',
		'a100-80gb-sxm',
		'--severity',
		'decode-compute-idle=warning',
		'--format',
		'json',
	);
	const f = (JSON.parse(r.stdout) as Json).files[0]!;
	assert.equal(f.workloads[0]!.target!.hardwareId, 'a100-80gb-sxm');
	assert.equal(f.workloads[0]!.target!.source, 'user-setting');
	assert.ok(f.diagnostics.some((d) => d.code === 'decode-compute-idle' && d.severity === 'warning'));
});

test('the same file without a config gets the engine default', () => {
	const r = cli('plain', 'serve.sh', '--format', 'json');
	const t = (JSON.parse(r.stdout) as Json).files[0]!.workloads[0]!.target!;
	assert.equal(t.source, 'default');
});

test('a broken config: exit 2 naming the key and its line', () => {
	const r = cli('broken', '.');
	assert.equal(r.status, 2);
	assert.match(r.stderr, /invalid project config \.inference-meter\.yaml/);
	assert.match(r.stderr, /\.inference-meter\.yaml:2:10 {2}`devices` must be a number/);
	assert.equal(r.stdout, '');
});

test('--fail-on and --max-warnings decide the exit code like eslint', () => {
	// plain/serve.sh: one warning (kv-cache-limits-concurrency) and information only.
	assert.equal(cli('plain', '.').status, 0);
	assert.equal(cli('plain', '.', '--fail-on', 'warning').status, 1);
	assert.equal(cli('plain', '.', '--fail-on', 'info').status, 1);
	assert.equal(cli('plain', '.', '--max-warnings', '0').status, 1);
	assert.equal(cli('plain', '.', '--max-warnings', '1').status, 0);
	// Errors fail by default; --fail-on none never fails on findings.
	assert.equal(cli('broken', '--fail-on', 'loud', '.').status, 2);
	const withError = cli('team', 'deploy', '--hardware', 'l4');
	assert.equal(withError.status, 1, withError.stdout);
	assert.equal(cli('team', 'deploy', '--hardware', 'l4', '--fail-on', 'none').status, 0);
});

test('SARIF carries suppressed results with suppressions (inSource, external)', () => {
	const r = cli('team', 'suppressed', 'deploy', '--format', 'sarif');
	const sarif = JSON.parse(r.stdout) as {
		runs: {
			results: {
				ruleId: string;
				suppressions?: { kind: string; justification: string; location?: unknown }[];
			}[];
		}[];
	};
	const results = sarif.runs[0]!.results;
	const inSource = results.find((x) => x.ruleId === 'weights-do-not-fit' && x.suppressions)!;
	assert.equal(inSource.suppressions![0]!.kind, 'inSource');
	assert.ok(inSource.suppressions![0]!.location, 'points at the comment');
	const external = results.find((x) => x.ruleId === 'decode-compute-idle')!;
	assert.equal(external.suppressions![0]!.kind, 'external');
	assert.match(external.suppressions![0]!.justification, /\.inference-meter\.yaml/);
	// Suppressed findings do not fail the run.
	assert.equal(r.status, 0);
	assert.match(cli('team', 'suppressed').stdout, /\d+ suppressed/);
});
