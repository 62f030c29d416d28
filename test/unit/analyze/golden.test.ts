/**
 * Golden JSON and SARIF output of `analyze` for three samples (vLLM shell script, llama.cpp partial offload,
 * transformers.js in the browser). Regenerate with `UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden`
 * and read the diff before committing: every number in it is a claim the tool makes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../../server/src/cli/analyzeCommand';

const root = path.join(__dirname, '../../..');
const golden = path.join(root, 'test/fixtures/golden');
const SAMPLES = [
	'samples/vllm/serve-llama-8b.sh',
	'samples/llama.cpp/partial-offload-70b.sh',
	'samples/transformers.js/too-big-for-browser.ts',
];

async function analyze(format: string): Promise<{ code: number; out: string }> {
	let out = '';
	const io = { stdout: (t: string) => void (out += t), stderr: () => {}, cwd: root, env: {} };
	// The stand-in, not this machine: the golden files must not depend on the CPU the tests run on.
	const code = await run(['--format', format, '--local-hardware', 'stand-in', ...SAMPLES], io);
	return { code, out };
}

for (const [format, file] of [
	['json', 'analyze.json'],
	['sarif', 'analyze.sarif'],
] as const) {
	test(`analyze --format ${format} matches ${file}`, async () => {
		const { code, out } = await analyze(format);
		// too-big-for-browser.ts has an error-level finding.
		assert.equal(code, 1);
		const target = path.join(golden, file);
		if (process.env.UPDATE_GOLDEN === '1') writeFileSync(target, out);
		const expected = readFileSync(target, 'utf8');
		assert.deepEqual(
			JSON.parse(out),
			JSON.parse(expected),
			`${file} differs: UPDATE_GOLDEN=1 regenerates it`,
		);
	});
}

test('the golden SARIF is SARIF 2.1.0 with 1-based regions and relative URIs', () => {
	const sarif = JSON.parse(readFileSync(path.join(golden, 'analyze.sarif'), 'utf8'));
	assert.equal(sarif.version, '2.1.0');
	const run0 = sarif.runs[0];
	assert.ok(
		run0.tool.driver.rules.some((r: { helpUri: string }) =>
			r.helpUri.endsWith('#kv-cache-limits-concurrency'),
		),
	);
	for (const r of run0.results) {
		const loc = r.locations[0].physicalLocation;
		assert.ok(!loc.artifactLocation.uri.startsWith('/'), loc.artifactLocation.uri);
		assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
		assert.equal(run0.tool.driver.rules[r.ruleIndex].id, r.ruleId);
	}
	// serve-llama-8b.sh line 14 is `    --max-num-seqs 64 \`: the value starts at column 20 (1-based).
	const seqs = run0.results.find((r: { ruleId: string }) => r.ruleId === 'kv-cache-limits-concurrency');
	const text = readFileSync(path.join(root, SAMPLES[0]), 'utf8').split('\n');
	const { startLine, startColumn, endColumn } = seqs.locations[0].physicalLocation.region;
	assert.equal(text[startLine - 1].slice(startColumn - 1, endColumn - 1), '64');
});
