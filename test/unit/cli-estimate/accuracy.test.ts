import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deviceClassOf, evaluateRows, parseCsv, run } from '../../../server/src/cli/accuracyCommand';
import type { CliIO } from '../../../server/src/cli/io';
import { UsageError } from '../../../server/src/cli/io';

async function cli(argv: string[]) {
	let stdout = '';
	let stderr = '';
	const io: CliIO = {
		stdout: (t) => (stdout += t),
		stderr: (t) => (stderr += t),
		cwd: process.cwd(),
		env: {},
	};
	const code = await run(argv, io);
	return { code, stdout, stderr };
}

test('CSV parser handles quotes, doubled quotes and commas inside fields', () => {
	const rows = parseCsv('a,b,c\n1,"x, ""y""",3\n\n');
	assert.deepEqual(rows, [{ a: '1', b: 'x, "y"', c: '3' }]);
});

test('device class from backend text', () => {
	assert.equal(deviceClassOf('llama.cpp Metal (llama-bench)', 'Apple M2'), 'apple-gpu');
	assert.equal(deviceClassOf('llama.cpp CPU (AVX2 path), 4 threads', 'AMD Ryzen 9 7950X'), 'cpu');
	assert.equal(deviceClassOf('llama.cpp CUDA, build c76b420', 'NVIDIA GeForce RTX 3090'), 'gpu');
});

test('one hand-checked row: M2 Ultra Q4_0 Llama 2 7B, roofline = 800 GB/s / bytes per step', () => {
	const { rows } = evaluateRows([
		{
			id: 'X1',
			model: 'meta-llama/Llama-2-7b-hf',
			weight_format: 'GGUF Q4_0',
			bits_per_weight_if_known: '4.5',
			ctx_tokens: '0',
			gen_tokens: '128',
			batch: '1',
			devices: '1',
			backend: 'llama.cpp Metal',
			hardware: 'Apple M2 Ultra',
			mem_bw_gbs: '800',
			decode_tok_s_per_user: '94.27',
		},
	]);
	assert.equal(rows.length, 1);
	const r = rows[0];
	// Weights read: body 6,476,271,616 × 4.5 b + output 131,072,000 × 6.5625 b = 3,750,533,376 B; KV at 64 tokens
	// 64 × 524,288 B; activations small. Roofline ≤ 800e9 / 3.79e9 ≈ 211 tok/s.
	const weights = (6_476_271_616 * 4.5 + 131_072_000 * 6.5625) / 8;
	assert.ok(r.roofline < 800e9 / (weights + 64 * 524288));
	assert.ok(r.roofline > 0.99 * (800e9 / (weights + 64 * 524288)));
	assert.ok(r.expected < r.roofline);
	// Naive peer: 800e9 × 0.75 / whole file (3.82 GB) ≈ 156.9 tok/s.
	const file = weights + (131_072_000 * 4.5) / 8;
	assert.ok(Math.abs(r.naive - (800e9 * 0.75) / file) < 1e-9);
});

const CALIBRATION_CSV = path.join('server', 'data', 'calibration-decode.csv');

test('accuracy over the shipped calibration CSV: table, summary and JSON', async () => {
	const t = await cli(['--file', CALIBRATION_CSV]);
	assert.equal(t.code, 0, t.stderr);
	assert.match(t.stdout, /median \|error\|/);
	assert.match(t.stdout, /within ±25 %/);
	assert.match(t.stdout, /at or below roofline/);
	assert.match(t.stdout, /naive peer/);
	const j = JSON.parse((await cli(['--file', CALIBRATION_CSV, '--json'])).stdout);
	assert.equal(j.summary.rows, 35);
	assert.equal(j.rows.length, 35);
	// No measurement may sit above its roofline: a roofline is a physical bound.
	assert.equal(j.summary.model.aboveRoofline, 0);
	for (const r of j.rows) assert.ok(r.measured <= r.roofline, r.id);
});

test('bad --file is a usage error naming the flag', async () => {
	await assert.rejects(
		() => cli(['--file', '/nonexistent/x.csv']),
		(e: unknown) => e instanceof UsageError && /--file/.test(e.message),
	);
	const dir = mkdtempSync(path.join(tmpdir(), 'im-acc-'));
	const f = path.join(dir, 'x.csv');
	writeFileSync(f, 'a,b\n1,2\n');
	await assert.rejects(() => cli(['--file', f]), /not a measurement ledger or a calibration CSV/);
});
