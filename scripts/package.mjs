// `npm run package`: a clean production build staged in .cache/vsix-stage/, packaged with vsce into
// inference-meter-<version>.vsix at the repository root, and checked against the 8 MiB budget.
// Staging keeps the dev dist/ (source maps, the CLI bundle) out of the package and undisturbed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MAX_BYTES = 8 * 1024 * 1024;
const root = process.cwd();
const stage = path.join(root, '.cache', 'vsix-stage');

function run(cmd, args, opts) {
	const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
	if (r.status !== 0) {
		console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
		process.exit(r.status ?? 1);
	}
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
run(process.execPath, ['scripts/build.mjs', '--production', `--outdir=${path.join(stage, 'dist')}`]);
// The CLI is for the npm package, not the editor.
rmSync(path.join(stage, 'dist', 'cli.js'), { force: true });

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
// The staged manifest needs no build scripts (already built) and no dependency lists (all bundled).
delete manifest.scripts;
delete manifest.devDependencies;
delete manifest.dependencies;
delete manifest.bin;
// `files` describes the npm package of the CLI; vsce refuses a manifest with both it and .vscodeignore.
delete manifest.files;
writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'images/icon.png']) {
	cpSync(f, path.join(stage, f), { recursive: true });
}

const out = path.join(root, `inference-meter-${manifest.version}.vsix`);
run(
	process.execPath,
	[path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out],
	{
		cwd: stage,
	},
);
const bytes = statSync(out).size;
console.log(`package: ${path.basename(out)} is ${(bytes / 1024 / 1024).toFixed(2)} MiB (budget 8 MiB)`);
if (bytes > MAX_BYTES) {
	console.error('package: the .vsix is over the 8 MiB budget');
	process.exit(1);
}
