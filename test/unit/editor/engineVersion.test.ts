/**
 * `analyze --format json` says which engine version the file pins and where: `workloads[].engineVersion`
 * with its source, note and range (an image tag, a requirements pin next to the file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../../server/src/cli/analyzeCommand';

async function json(file: string) {
	let out = '';
	const io = {
		cwd: process.cwd(),
		env: {},
		stdout: (s: string) => void (out += s),
		stderr: () => undefined,
	};
	await run(['--format', 'json', '--local-hardware', 'stand-in', file], io as never);
	return JSON.parse(out) as {
		files: {
			workloads: {
				engineVersion?: { value: string; source: string; note?: string; raw?: string; range?: unknown };
			}[];
		}[];
	};
}

test('image tag: vllm/vllm-openai:v0.8.5 → 0.8.5 with its range', async () => {
	const v = (await json('samples/vllm/Dockerfile')).files[0]!.workloads[0]!.engineVersion;
	assert.ok(v);
	assert.equal(v.value, '0.8.5');
	assert.equal(v.source, 'file');
	assert.equal(v.raw, 'v0.8.5');
	assert.match(v.note ?? '', /image tag of vllm\/vllm-openai:v0\.8\.5/);
	assert.deepEqual(v.range, { start: { line: 1, character: 22 }, end: { line: 1, character: 28 } });
});

test('requirements pin next to the file, named relative to it (editor and CLI agree)', async () => {
	const v = (await json('samples/vllm/legacy/api-server-legacy.sh')).files[0]!.workloads[0]!.engineVersion;
	assert.ok(v);
	assert.equal(v.value, '0.6.3');
	assert.equal(v.note, 'pinned in requirements.txt');
});

test('no pin: no engineVersion', async () => {
	const w = (await json('samples/vllm/serve-llama-8b.sh')).files[0]!.workloads[0]!;
	assert.equal(w.engineVersion, undefined);
});
