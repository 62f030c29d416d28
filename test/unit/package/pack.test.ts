/**
 * The CLI as an npm package: `npm pack` ships only what runs, and the tarball installs into an empty
 * folder with no network and an empty npm cache (so it cannot need a registry dependency), after which
 * `npx inference-meter analyze` works on shell, Python (tree-sitter WebAssembly) and TypeScript (ts-morph
 * bundle) samples.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../../..');
let work = '';
let tarball = '';
let packed: string[] = [];

/** npm without the variables `npm test` sets for its own run (prefix, cache, config of this repo). */
function npm(args: string[], cwd: string, cache: string) {
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
	env.npm_config_cache = cache;
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	return spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
		cwd,
		env,
		encoding: 'utf8',
		timeout: 180_000,
	});
}

before(() => {
	if (!existsSync(path.join(root, 'dist', 'cli.js'))) {
		const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
		assert.equal(b.status, 0, b.stderr);
	}
	work = mkdtempSync(path.join(os.tmpdir(), 'im-pack-'));
	process.on('exit', () => rmSync(work, { recursive: true, force: true }));
	// dist/ is already built: skip `prepare` so packing does not rebuild.
	const r = npm(
		['pack', '--ignore-scripts', '--json', '--pack-destination', work],
		root,
		path.join(work, 'cache-pack'),
	);
	assert.equal(r.status, 0, r.stderr);
	const info = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
	tarball = path.join(work, info[0]!.filename);
	packed = info[0]!.files.map((f) => f.path);
});

test('the tarball holds the launcher, the CLI bundles, the grammars and the data it reads — nothing else', () => {
	// The measurement ledgers `accuracy` reads (dist/../server/data).
	assert.ok(packed.includes('server/data/calibration-decode.csv'));
	for (const must of [
		'package.json',
		'bin/inference-meter.js',
		'dist/cli.js',
		'dist/tsMorph.js',
		'dist/mcp.js',
		'dist/diagnostics.md',
		'dist/wasm/tree-sitter.wasm',
	])
		assert.ok(packed.includes(must), `missing ${must}`);
	assert.ok(
		packed.includes('dist/wasm/tree-sitter-python.wasm') &&
			packed.includes('dist/wasm/tree-sitter-bash.wasm'),
	);
	const allowed =
		/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|bin\/inference-meter\.js|dist\/(cli|mcp|tsMorph)\.js|dist\/diagnostics\.md|dist\/wasm\/[\w.-]+\.wasm|server\/data\/([\w.-]+\/)*[\w.-]+\.csv)$/;
	const extra = packed.filter((p) => !allowed.test(p));
	assert.deepEqual(extra, [], 'files that do not run');
	// The editor's bundles, source maps and sources stay out.
	assert.ok(
		!packed.some((p) => p.endsWith('.map') || p.startsWith('server/src') || p === 'dist/extension.js'),
	);
});

test('installs offline from the tarball alone and `npx inference-meter analyze` prints findings', () => {
	const consumer = path.join(work, 'consumer');
	mkdirSync(consumer);
	writeFileSync(
		path.join(consumer, 'package.json'),
		JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
	);
	// An empty cache and --offline: any registry dependency would make this fail.
	const install = npm(
		['install', '--offline', '--no-package-lock', tarball],
		consumer,
		path.join(work, 'cache-empty'),
	);
	assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
	for (const f of [
		'samples/vllm/serve-70b-bf16-1xh100.sh',
		'samples/python/vllm_offline.py',
		'samples/transformers.js/chat.ts',
	])
		copyFileSync(path.join(root, f), path.join(consumer, path.basename(f)));
	const run = npm(
		[
			'exec',
			'--offline',
			'--',
			'inference-meter',
			'analyze',
			'serve-70b-bf16-1xh100.sh',
			'vllm_offline.py',
			'chat.ts',
			'--format',
			'json',
		],
		consumer,
		path.join(work, 'cache-empty'),
	);
	// 70B in bf16 on one H100 does not fit: an error, so exit 1.
	assert.equal(run.status, 1, run.stderr);
	const report = JSON.parse(run.stdout) as {
		files: { path: string; workloads: unknown[]; diagnostics: { code: string }[] }[];
	};
	const byPath = new Map(report.files.map((f) => [f.path, f]));
	assert.ok(byPath.get('serve-70b-bf16-1xh100.sh')!.diagnostics.some((d) => d.code === 'weights-do-not-fit'));
	assert.ok(
		byPath.get('vllm_offline.py')!.workloads.length > 0,
		'Python needs the tree-sitter grammar from dist/wasm',
	);
	assert.ok(byPath.get('chat.ts')!.workloads.length > 0, 'TypeScript needs dist/tsMorph.js');
	const text = npm(
		['exec', '--offline', '--', 'inference-meter', 'analyze', 'serve-70b-bf16-1xh100.sh'],
		consumer,
		path.join(work, 'cache-empty'),
	);
	assert.match(text.stdout, /serve-70b-bf16-1xh100\.sh:\d+:\d+ {2}error {2}.*\[weights-do-not-fit\]/);
	// The MCP server is its own bundle (dist/mcp.js, SDK inside): it must load from the installed package.
	const mcp = npm(
		['exec', '--offline', '--', 'inference-meter', 'mcp', '--help'],
		consumer,
		path.join(work, 'cache-empty'),
	);
	assert.equal(mcp.status, 0, mcp.stderr);
	assert.match(mcp.stdout, /Model Context Protocol/);
});
