import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../../server/src/cli/main';
import type { CliIO } from '../../../server/src/cli/io';

const root = path.resolve(__dirname, '..', '..', '..');
const cliJs = path.join(root, 'dist', 'cli.js');

// `npm test` builds first; a lone `node scripts/run-tests.mjs cli-estimate` builds here if dist is missing.
before(() => {
	if (!existsSync(cliJs)) {
		const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
		assert.equal(b.status, 0, b.stderr);
	}
});

/** In-process run through the same dispatcher (exit code and streams as the binary would give). */
async function inproc(...args: string[]) {
	let stdout = '';
	let stderr = '';
	const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, env: {} };
	const code = await main(['estimate', ...args], io);
	return { code, stdout, stderr };
}

function run(...args: string[]) {
	const r = spawnSync(process.execPath, [cliJs, 'estimate', ...args], { cwd: root, encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('issue example: Llama 3.1 8B bf16 on h100-sxm prints a table with units and provenance', () => {
	const r = run('--model', 'meta-llama/Llama-3.1-8B-Instruct', '--weights', 'bf16', '--hardware', 'h100-sxm');
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /3\.35 TB\/s per device \(spec\)/);
	assert.match(r.stdout, /989 TFLOPS dense bf16 peak/);
	// 8,030,261,248 × 2 B = 16.06 GB = 14.96 GiB, shown in both units.
	assert.match(r.stdout, /weights\s+16\.1 GB \(15 GiB\)/);
	assert.match(r.stdout, /KV per token\s+131 kB/);
	assert.match(r.stdout, /memory-bound/);
	assert.match(r.stdout, /tok\/s per user/);
	assert.match(r.stdout, /\$ per 1M output tok/);
	assert.match(r.stdout, /J\/token/);
	assert.match(r.stdout, /Coupling spectrum/);
	assert.equal(r.stderr, '');
});

test('--json carries the contract fields with consistent numbers', () => {
	const r = run(
		'--model',
		'meta-llama/Llama-3.1-8B',
		'--weights',
		'bf16',
		'--hardware',
		'h200',
		'--batch',
		'4',
		'--context',
		'2048',
		'--json',
	);
	assert.equal(r.code, 0, r.stderr);
	const j = JSON.parse(r.stdout);
	assert.equal(j.model.id, 'meta-llama/Llama-3.1-8B');
	assert.equal(j.model.paramsTotal, 8_030_261_248);
	assert.equal(j.model.paramsActive, 8_030_261_248);
	assert.equal(j.hardware.id, 'h200');
	assert.equal(j.hardware.bandwidthGBs, 4800);
	assert.equal(j.hardware.peakTflops, 989);
	// ridge = 989e12 / 4.8e12 B/s ≈ 206 FLOP/B
	assert.ok(Math.abs(j.hardware.ridgeFlopsPerByte - 989e12 / 4800e9) < 1e-9);
	assert.equal(j.memory.weightsBytes, 16_060_522_496);
	assert.equal(j.memory.kvBytesPerToken, 131072);
	assert.equal(j.memory.kvBytes, 4 * 2048 * 131072);
	assert.equal(j.memory.fits, true);
	for (const k of [
		'bytesPerStep',
		'flopsPerStep',
		'arithmeticIntensity',
		'rooflineTokensPerSecondPerUser',
		'expectedTokensPerSecondPerUser',
		'tokensPerSecondTotal',
	])
		assert.equal(typeof j.decode[k], 'number', k);
	assert.equal(j.decode.bound, 'memory');
	assert.ok(j.decode.rooflineTokensPerSecondPerUser >= j.decode.expectedTokensPerSecondPerUser);
	assert.ok(Math.abs(j.decode.tokensPerSecondTotal - 4 * j.decode.expectedTokensPerSecondPerUser) < 1e-6);
	assert.equal(typeof j.prefill.ttftSeconds, 'number');
	assert.ok(
		['cpu', 'gpu', 'dataflow', 'in-memory-compute', 'sram', 'hardwired'].includes(
			j.coupling.recommendedClass,
		),
	);
});

test('weights default to the format the name implies (GGUF quant, -AWQ)', () => {
	const gguf = JSON.parse(
		run('--model', 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', '--hardware', 'rtx-4090', '--json').stdout,
	);
	assert.equal(gguf.weights.id, 'q4_k_m');
	assert.equal(gguf.engine, 'llama.cpp');
	const awq = JSON.parse(
		run('--model', 'hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4', '--hardware', 'h100-sxm', '--json')
			.stdout,
	);
	assert.equal(awq.weights.id, 'awq');
	assert.ok(awq.memory.weightsBytes / 1e9 > 35 && awq.memory.weightsBytes / 1e9 < 42);
});

test('ad-hoc device from flags', async () => {
	const r = await inproc(
		'--model',
		'meta-llama/Llama-3.1-8B',
		'--bandwidth-gbs',
		'500',
		'--tflops',
		'100',
		'--memory-gb',
		'32',
		'--device-class',
		'gpu',
		'--json',
	);
	assert.equal(r.code, 0, r.stderr);
	const j = JSON.parse(r.stdout);
	assert.equal(j.hardware.bandwidthGBs, 500);
	assert.equal(j.hardware.origin, 'ad-hoc');
	// Roofline ≤ 500 GB/s / bytes per step.
	assert.ok(j.decode.rooflineTokensPerSecondPerUser <= 500e9 / j.decode.bytesPerStep + 1e-9);
});

test('bad flags and values: exit 2 with one line naming the flag', async () => {
	// Two through the built binary, the rest in-process through the same dispatcher.
	for (const args of [
		['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--batch', '0'],
		['--frobnicate'],
	]) {
		const r = run(...args);
		assert.equal(r.code, 2);
		assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
	}
	const cases: [string[], RegExp][] = [
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--batch', '0'],
			/--batch must be at least 1/,
		],
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--batch', 'two'],
			/--batch needs a number/,
		],
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--engine', 'tgi'],
			/--engine must be one of/,
		],
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--weights', 'q9'],
			/--weights: unknown format "q9"/,
		],
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--kv-dtype', 'int3'],
			/--kv-dtype: unknown KV dtype "int3"/,
		],
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--frobnicate'],
			/unknown flag --frobnicate/,
		],
		[['--model', 'meta-llama/Llama-3.1-8B'], /needs --hardware ID or --bandwidth-gbs/],
		[['--hardware', 'h100-sxm'], /needs --model/],
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--bandwidth-gbs', '100'],
			/either --hardware or --bandwidth-gbs/,
		],
		[
			['--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--tflops', '100'],
			/--tflops describes an ad-hoc device/,
		],
	];
	for (const [args, msg] of cases) {
		const r = await inproc(...args);
		assert.equal(r.code, 2, args.join(' '));
		assert.match(r.stderr, msg);
		assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
		assert.equal(r.stdout, '');
	}
});

test('unknown model or hardware: exit 2 naming the closest ids', async () => {
	const m = await inproc('--model', 'meta-llama/Llama-3.1-9B', '--hardware', 'h100-sxm');
	assert.equal(m.code, 2);
	assert.match(m.stderr, /Unknown model .*Closest known: .*meta-llama\//);
	const h = await inproc('--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h1000');
	assert.equal(h.code, 2);
	assert.match(h.stderr, /Unknown hardware "h1000".*Closest known: .*h200/);
});

test('--catalog: a user device applies, a bad entry warns, a broken file is a usage error', async () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'im-est-'));
	const good = path.join(dir, 'cat.json');
	writeFileSync(
		good,
		JSON.stringify({
			hardware: [
				{
					id: 'my-box',
					name: 'My box',
					vendor: 'me',
					deviceClass: 'cpu',
					spectrum: 'cpu',
					memoryType: 'DDR5',
					memoryGB: 256,
					bandwidthGBs: 200,
					peakTflops: { fp32: 2 },
					sources: ['me'],
				},
				// Invalid (no vendor, class, bandwidth …): skipped with a warning, my-box still applies.
				{ id: 'typo-box', name: 'Typo' },
			],
		}),
	);
	const r = await inproc(
		'--model',
		'meta-llama/Llama-3.1-8B',
		'--hardware',
		'my-box',
		'--catalog',
		good,
		'--json',
	);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(JSON.parse(r.stdout).hardware.origin, 'user');
	assert.match(r.stderr, /^inference-meter: user catalog: hardware "typo-box": field/m);
	const typo = await inproc(
		'--model',
		'meta-llama/Llama-3.1-8B',
		'--hardware',
		'typo-box',
		'--catalog',
		good,
	);
	assert.equal(typo.code, 2, 'the skipped entry is not in the catalog');
	const bad = path.join(dir, 'bad.json');
	writeFileSync(bad, '{ not json');
	const b = await inproc('--model', 'meta-llama/Llama-3.1-8B', '--hardware', 'h100-sxm', '--catalog', bad);
	assert.equal(b.code, 2);
	assert.ok(b.stderr.includes(`--catalog: catalog file ${bad} is not valid JSON`), b.stderr);
	assert.equal(b.stdout, '');
});

test('--help lists the contract flags and exits 0', async () => {
	const r = await inproc('--help');
	assert.equal(r.code, 0);
	for (const f of [
		'--model',
		'--weights',
		'--kv-dtype',
		'--hardware',
		'--bandwidth-gbs',
		'--tflops',
		'--memory-gb',
		'--device-class',
		'--devices',
		'--batch',
		'--context',
		'--prompt',
		'--engine',
		'--json',
		'--catalog',
		'--tp',
		'--gpu-memory-utilization',
		'--target-tps',
	])
		assert.ok(r.stdout.includes(f), f);
});
