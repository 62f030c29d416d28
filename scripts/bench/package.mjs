// The shipped artifacts: the .vsix (packaged by the product's own script in a copy of the working tree, so
// nothing in the shared tree is touched) and the client's activation time, measured on that production build.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Tracked and untracked-but-not-ignored files, i.e. what a clean checkout of this working tree holds. */
function copyTree(root, dest) {
	const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root })
		.toString()
		.split('\0')
		.filter((f) => f && existsSync(path.join(root, f)));
	for (const f of files) {
		mkdirSync(path.join(dest, path.dirname(f)), { recursive: true });
		cpSync(path.join(root, f), path.join(dest, f));
	}
	symlinkSync(path.join(root, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

/**
 * Runs the product's own `npm run package` (scripts/package.mjs: a production build staged in
 * .cache/vsix-stage/, then vsce) in a copy of the tree under `tmp`; returns the .vsix size and the staged
 * extension folder, whose dist/ is exactly what the .vsix holds.
 */
export function packageVsix(root, tmp) {
	const dir = path.join(tmp, 'package');
	copyTree(root, dir);
	const r = spawnSync(process.execPath, ['scripts/package.mjs'], {
		cwd: dir,
		encoding: 'utf8',
		timeout: 180_000,
	});
	const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
	const out = path.join(dir, `inference-meter-${version}.vsix`);
	if (!existsSync(out))
		throw new Error(`npm run package failed: ${(r.stderr || r.stdout || String(r.error)).slice(-800)}`);
	const stage = path.join(dir, '.cache', 'vsix-stage');
	const sizes = Object.fromEntries(
		['server.js', 'tsMorph.js', 'extension.js', 'languageClient.js', 'webview.js']
			.filter((f) => existsSync(path.join(stage, 'dist', f)))
			.map((f) => [f, statSync(path.join(stage, 'dist', f)).size]),
	);
	return { bytes: statSync(out).size, extensionPath: stage, distBytes: sizes };
}

function child(extensionPath, which) {
	const r = spawnSync(process.execPath, [path.join(here, 'activateChild.mjs'), extensionPath, which], {
		encoding: 'utf8',
		timeout: 30_000,
	});
	if (r.status !== 0) throw new Error(`activation run failed: ${(r.stderr || '').slice(-800)}`);
	return JSON.parse(r.stdout);
}

/**
 * `runs` cold activations, each in a fresh process: require dist/extension.js + activate(). The language
 * client bundle, which extension.js requires on the next tick before starting the client, is timed apart.
 */
export function measureActivation(extensionPath, runs) {
	const rows = Array.from({ length: runs }, () => child(extensionPath, 'extension'));
	const client = Array.from({ length: Math.max(3, Math.floor(runs / 2)) }, () =>
		child(extensionPath, 'languageClient'),
	);
	return {
		total: summarize(rows.map((r) => r.totalMs)),
		require: summarize(rows.map((r) => r.requireMs)),
		activate: summarize(rows.map((r) => r.activateMs)),
		deferredClientRequire: summarize(client.map((r) => r.requireMs)),
		subscriptions: rows[0].subscriptions,
	};
}
