// Runs every test/**/*.test.ts file on node's built-in runner (through tsx for TypeScript).
// `--e2e` selects only test/e2e; by default e2e is left to `npm run test:e2e`.
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const args = process.argv.slice(2);
const e2e = args.includes('--e2e');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir, out = []) {
	for (const name of readdirSync(dir)) {
		const p = path.join(dir, name);
		if (name === 'fixtures' || name === 'node_modules') continue;
		if (statSync(p).isDirectory()) walk(p, out);
		else if (name.endsWith('.test.ts')) out.push(p);
	}
	return out;
}

let files = walk('test').filter((f) => (e2e ? f.startsWith('test/e2e') : !f.startsWith('test/e2e')));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
files.sort();
if (files.length === 0) {
	console.error('run-tests: no test files matched');
	process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
	stdio: 'inherit',
	env: { ...process.env, NODE_OPTIONS: '' },
});
process.exit(r.status ?? 1);
