/**
 * The GitHub Action and the pre-commit hook, run the way their hosts run them: the composite step's `run`
 * line from action.yml, with its `env` filled from the inputs (defaults unless the test sets them), in a
 * temporary repository; and the hook's entry over the files its `files` pattern selects.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.join(__dirname, '../../..');
let repo = '';

interface ActionYml {
	inputs: Record<string, { default?: string }>;
	outputs: Record<string, { value: string }>;
	runs: { using: string; steps: { id: string; shell: string; env: Record<string, string>; run: string }[] };
}
const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as ActionYml;

before(() => {
	if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
		const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
		assert.equal(b.status, 0, b.stderr);
	}
	repo = mkdtempSync(path.join(os.tmpdir(), 'im-action-'));
	mkdirSync(path.join(repo, '.git'));
	mkdirSync(path.join(repo, 'deploy'));
	mkdirSync(path.join(repo, 'docs folder'));
	mkdirSync(path.join(repo, 'busy'));
	// One warning: 256 sequences × 8,192 tokens do not fit the KV budget of one H100.
	writeFileSync(
		path.join(repo, 'busy', 'serve.sh'),
		'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 256\n',
	);
	writeFileSync(
		path.join(repo, 'deploy', 'serve.sh'),
		'vllm serve meta-llama/Llama-3.1-70B --max-model-len 8192\n',
	);
	writeFileSync(
		path.join(repo, 'docs folder', 'run.sh'),
		'llama-server -m llama-3.1-8b-instruct-q4_k_m.gguf -c 8192\n',
	);
	process.on('exit', () => rmSync(repo, { recursive: true, force: true }));
});

/** Runs the step as the runner would: `${{ inputs.x }}` and `${{ github.action_path }}` substituted in env. */
function runAction(inputs: Record<string, string>) {
	const step = action.runs.steps.find((s) => s.id === 'analyze')!;
	const output = path.join(repo, `github-output-${Math.random().toString(36).slice(2)}`);
	writeFileSync(output, '');
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		HOME: os.homedir(),
		GITHUB_OUTPUT: output,
	};
	for (const [k, v] of Object.entries(step.env))
		env[k] = v.replace(
			/\$\{\{\s*(inputs\.([\w-]+)|github\.action_path)\s*\}\}/g,
			(_m, _all, input?: string) => (input ? (inputs[input] ?? action.inputs[input]?.default ?? '') : root),
		);
	const r = spawnSync(step.shell, ['-c', step.run], { cwd: repo, env, encoding: 'utf8' });
	const outputs = Object.fromEntries(
		readFileSync(output, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
	);
	return { ...r, outputs };
}

test('action.yml is a composite action whose outputs are the step outputs', () => {
	assert.equal(action.runs.using, 'composite');
	assert.match(action.outputs['sarif-file']!.value, /steps\.analyze\.outputs\.sarif-file/);
	assert.match(action.runs.steps[0]!.run, /scripts\/action-analyze\.sh/);
});

test('the action writes SARIF for the given paths and fails on an error by default', () => {
	const r = runAction({ paths: 'deploy\ndocs folder', 'sarif-file': 'out/results.sarif' });
	assert.equal(r.status, 1, r.stderr);
	assert.deepEqual(r.outputs, { 'sarif-file': 'out/results.sarif', 'exit-code': '1' });
	const sarif = JSON.parse(readFileSync(path.join(repo, 'out', 'results.sarif'), 'utf8')) as {
		version: string;
		runs: {
			results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
		}[];
	};
	assert.equal(sarif.version, '2.1.0');
	const uris = new Set(
		sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri),
	);
	assert.ok(uris.has('deploy/serve.sh'));
	assert.ok(uris.has('docs%20folder/run.sh'), [...uris].join(', '));
	assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'weights-do-not-fit'));
});

test('fail-on none still writes the report; extra args reach the CLI', () => {
	const r = runAction({ paths: 'deploy', 'fail-on': 'none', args: '--hardware h200' });
	assert.equal(r.status, 0, r.stderr);
	const sarif = readFileSync(path.join(repo, 'inference-meter.sarif'), 'utf8');
	// The target in the messages is the one --hardware named.
	assert.match(sarif, /NVIDIA H200/);
	assert.doesNotMatch(sarif, /H100/);
	const strict = runAction({ paths: 'busy', 'fail-on': 'none', 'max-warnings': '0' });
	assert.equal(strict.outputs['exit-code'], '1');
	assert.equal(runAction({ paths: 'busy', 'fail-on': 'none', 'max-warnings': '1' }).status, 0);
});

test('a usage error fails the step without leaving a SARIF file', () => {
	const r = runAction({ paths: 'missing-folder', 'sarif-file': 'bad.sarif' });
	assert.equal(r.status, 2);
	assert.equal(r.outputs['exit-code'], '2');
	assert.ok(!existsSync(path.join(repo, 'bad.sarif')));
	assert.match(r.stderr, /no such file or directory: missing-folder/);
});

test('the pre-commit hook selects serving configs and its entry runs the CLI on them', () => {
	const hooks = parse(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as {
		id: string;
		entry: string;
		language: string;
		files: string;
	}[];
	const hook = hooks.find((h) => h.id === 'inference-meter')!;
	assert.equal(hook.language, 'node');
	const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
		bin: Record<string, string>;
	};
	const [bin, ...args] = hook.entry.split(' ');
	assert.ok(pkg.bin[bin!], `${bin} is the package's bin`);
	// pre-commit patterns are Python regexes; this one uses only syntax JavaScript shares, bar the (?i) flag.
	const re = new RegExp(hook.files.replace(/^\(\?i\)/, ''), 'i');
	const samples: string[] = [];
	const walk = (d: string) => {
		for (const n of readdirSync(path.join(root, d), { withFileTypes: true }))
			if (n.isDirectory()) walk(path.join(d, n.name));
			else samples.push(path.join(d, n.name).split(path.sep).join('/'));
	};
	walk('samples');
	const selected = samples.filter((s) => re.test(s));
	for (const must of [
		'samples/vllm/Dockerfile',
		'samples/ollama/Modelfile',
		'samples/llama.cpp/server.env',
		'samples/llama.cpp/llama-server.service',
		'samples/vllm/Containerfile.shell',
		'samples/transformers.js/chat.ts',
	])
		assert.ok(selected.includes(must), `${must} not selected`);
	assert.ok(!selected.some((s) => s.endsWith('.md') || s.endsWith('.gguf')));
	const r = spawnSync(process.execPath, [path.join(root, pkg.bin[bin!]!), ...args, ...selected], {
		cwd: root,
		encoding: 'utf8',
	});
	assert.ok(r.status === 0 || r.status === 1, r.stderr);
	assert.match(r.stdout, /\d+ workloads in \d+ files/);
});
