// `npm run test:e2e`: builds the production bundles, packages the .vsix, installs code-server on first
// use (cached under .cache/), then runs test/e2e/*.test.ts on node's test runner.
// `--screenshots` also copies the milestone screenshots into docs/images/ for the README.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';

function sh(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
	if (r.status !== 0) {
		console.error(`run-e2e: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
		process.exit(r.status ?? 1);
	}
}

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = `inference-meter-${version}.vsix`;
sh('npm', ['run', 'package', '--silent']);
if (!existsSync(vsix)) {
	console.error(`run-e2e: ${vsix} was not produced`);
	process.exit(1);
}
sh('bash', ['scripts/install-code-server.sh']);
const env = { ...process.env, INFERENCE_METER_VSIX: `${process.cwd()}/${vsix}` };
const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', '--e2e'], { stdio: 'inherit', env });
if (process.argv.includes('--screenshots') && r.status === 0) {
	mkdirSync('docs/images', { recursive: true });
	for (const [from, to] of [
		['test-results/e2e/1-diagnostics.png', 'docs/images/diagnostics.png'],
		['test-results/e2e/2-hover.png', 'docs/images/hover.png'],
		['test-results/e2e/4-panel.png', 'docs/images/panel.png'],
		['test-results/e2e/4-roofline.png', 'docs/images/roofline.png'],
		['test-results/e2e/4-comparison.png', 'docs/images/comparison.png'],
	]) {
		if (existsSync(from)) copyFileSync(from, to);
	}
}
process.exit(r.status ?? 1);
