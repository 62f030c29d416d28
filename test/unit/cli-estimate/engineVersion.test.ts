/**
 * `estimate --engine-version` is the version a config file would pin: the decode estimate applies the same
 * engine rules as the editor (vLLM before 0.8.0 runs V0 and pays its per-sequence host cost every step).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIO } from '../../../server/src/cli/io';

const root = path.resolve(__dirname, '..', '..', '..');

async function decode(...extra: string[]) {
	let stdout = '';
	let stderr = '';
	const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, env: {} };
	const args = [
		'estimate',
		'-m',
		'meta-llama/Llama-3.1-8B',
		'-H',
		'h100-sxm',
		'--engine',
		'vllm',
		'--batch',
		'64',
	];
	const code = await main([...args, ...extra, '--json'], io);
	assert.equal(code, 0, stderr);
	return JSON.parse(stdout).decode;
}

test('a pinned vLLM V0 release slows a batched decode step by its host cost and says why', async () => {
	const current = await decode();
	const v0 = await decode('--engine-version', '0.6.3');
	const v1 = await decode('--engine-version', '0.10.1');
	assert.ok(v0.expectedTokensPerSecondPerUser < current.expectedTokensPerSecondPerUser);
	assert.equal(v1.expectedTokensPerSecondPerUser, current.expectedTokensPerSecondPerUser);
	assert.match(JSON.stringify(v0), /vLLM V0 engine: 64 sequences/);
	assert.doesNotMatch(JSON.stringify(current), /vLLM V0 engine/);
});
