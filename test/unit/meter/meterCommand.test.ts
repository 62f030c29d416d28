/** `inference-meter meter` in-process, over the real catalog and physics engine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../server/src/cli/main';

const FIX = path.join(__dirname, '../../fixtures/meter');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
	let out = '';
	let err = '';
	const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: FIX, env: {} });
	return { code, out, err };
}

test('llama-bench JSON → runs[] with the contract fields; tg128 on an RTX 3090 at ~64 % MBU', async () => {
	const r = await cli(['meter', '--llama-bench', 'llama-bench.json', '--json']);
	assert.equal(r.code, 0, r.err);
	const rep = JSON.parse(r.out);
	assert.equal(rep.input.format, 'json');
	const tg = rep.runs.find((x: { test: string }) => x.test === 'tg128');
	for (const k of [
		'model',
		'test',
		'tokensPerSecond',
		'achievedBandwidthGBs',
		'mbu',
		'mfu',
		'expectedTokensPerSecond',
	])
		assert.ok(k in tg, k);
	assert.equal(tg.model, 'meta-llama/Llama-2-7b-hf');
	assert.equal(tg.hardware, 'rtx-3090');
	assert.equal(tg.peakBandwidthGBs, 936);
	assert.equal(tg.tokensPerSecond, 158.16);
	// Internal consistency: achieved = bytes/step × 158.16 steps/s; MBU = achieved ÷ 936 GB/s.
	assert.ok(Math.abs(tg.achievedBandwidthGBs - (tg.bytesPerStep * 158.16) / 1e9) < 1e-6);
	assert.ok(Math.abs(tg.mbu - tg.achievedBandwidthGBs / 936) < 1e-12);
	// The file's 3,825,065,984 B of weights + a little KV: 3.8–3.9 GB per step → MBU 0.64–0.66.
	assert.ok(tg.bytesPerStep > 3.7e9 && tg.bytesPerStep < 3.9e9, String(tg.bytesPerStep));
	assert.ok(tg.mbu > 0.62 && tg.mbu < 0.67, String(tg.mbu));
	assert.ok(tg.expectedTokensPerSecond > 50 && tg.expectedTokensPerSecond < tg.rooflineTokensPerSecond);
	const pp = rep.runs.find((x: { test: string }) => x.test === 'pp512');
	assert.equal(pp.bound, 'compute');
	assert.ok(pp.mfu > 0 && pp.mfu < 2);
});

test('text output labels measured vs spec and gives units', async () => {
	const r = await cli(['meter', '--llama-bench', 'llama-bench.md', '--hardware', 'rtx-3090']);
	assert.equal(r.code, 0, r.err);
	assert.match(r.out, /measured tok\/s/);
	assert.match(r.out, /936 GB\/s spec/);
	assert.match(r.out, /tg128 @ d4096/);
	assert.match(r.out, /GB = 10\^9 bytes/);
	assert.match(r.out, /matched by parameter count/);
});

test('--bandwidth-gbs is a flag-origin peak; --catalog with a measured entry is "measured"', async () => {
	const flag = JSON.parse(
		(await cli(['meter', '--llama-bench', 'llama-bench.csv', '--bandwidth-gbs', '60', '--json'])).out,
	);
	assert.equal(flag.runs[0].peakBandwidthGBs, 60);
	assert.equal(flag.runs[0].peakBandwidthOrigin, 'flag');
	const dir = mkdtempSync(path.join(os.tmpdir(), 'im-meter-'));
	try {
		const cat = path.join(dir, 'c.json');
		writeFileSync(
			cat,
			JSON.stringify({
				hardware: [
					{
						id: 'local-machine',
						name: 'This machine',
						vendor: 'local',
						deviceClass: 'cpu',
						spectrum: 'cpu',
						memoryType: 'system memory (measured)',
						memoryGB: 64,
						bandwidthGBs: 62.5,
						peakTflops: {},
						sources: ['measured 2026-01-02 by `inference-meter probe-bandwidth`: test'],
						origin: 'measured',
					},
					// Skipped with a warning; the entry above still applies.
					{ id: 'half-typed', name: 'x', bandwidthGBs: 'fast' },
				],
			}),
		);
		const r = await cli([
			'meter',
			'--llama-bench',
			'llama-bench.csv',
			'--catalog',
			cat,
			'--hardware',
			'local-machine',
			'--json',
		]);
		assert.equal(r.code, 0, r.err);
		const tg = JSON.parse(r.out).runs[0];
		assert.equal(tg.peakBandwidthOrigin, 'measured');
		assert.ok(Math.abs(tg.mbu - tg.achievedBandwidthGBs / 62.5) < 1e-12);
		assert.match(r.err, /^inference-meter: user catalog: hardware "half-typed": field/m);
		const broken = path.join(dir, 'broken.json');
		writeFileSync(broken, '{"hardware": [');
		const b = await cli(['meter', '--llama-bench', 'llama-bench.csv', '--catalog', broken]);
		assert.equal(b.code, 2);
		assert.ok(b.err.includes(`--catalog: catalog file ${broken} is not valid JSON`), b.err);
		assert.equal(b.out, '');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('usage errors exit 2 with one clear line', async () => {
	const none = await cli(['meter']);
	assert.equal(none.code, 2);
	assert.match(none.err, /exactly one of --llama-bench FILE, --vllm-bench FILE, --metrics-url URL/);
	const both = await cli(['meter', '--llama-bench', 'a', '--vllm-bench', 'b']);
	assert.equal(both.code, 2);
	const hw = await cli(['meter', '--llama-bench', 'llama-bench.json', '--hardware', 'rtx-3099']);
	assert.equal(hw.code, 2);
	assert.match(hw.err, /rtx-3099/);
	const missing = await cli(['meter', '--vllm-bench', 'nope.json']);
	assert.equal(missing.code, 2);
	assert.match(missing.err, /cannot read .*nope\.json/);
	const help = await cli(['meter', '--help']);
	assert.equal(help.code, 0);
	assert.match(help.out, /--metrics-url/);
});

test('vllm bench serve and latency files through the CLI', async () => {
	const s = await cli(['meter', '--vllm-bench', 'vllm-serve.json', '--hardware', 'h100-sxm', '--json']);
	assert.equal(s.code, 0, s.err);
	const run = JSON.parse(s.out).runs[0];
	assert.equal(run.model, 'meta-llama/Llama-3.1-8B');
	assert.ok(Math.abs(run.stepsPerSecond - 1000 / 30) < 1e-9);
	assert.ok(run.mbu > 0 && run.mbu < 1);
	const l = await cli(['meter', '--vllm-bench', 'vllm-latency.json', '--json']);
	assert.equal(l.code, 0);
	const lr = JSON.parse(l.out).runs[0];
	assert.equal(lr.model, null);
	assert.ok(lr.errors.some((e: string) => /--model/.test(e)));
});

test('--metrics-url: JSON with generationTokensPerSecond, runningRequests, mbu, verdict; refused port exits 1', async () => {
	let n = 0;
	const server = http.createServer((_req, res) => {
		n++;
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end(
			[
				'# TYPE vllm:generation_tokens_total counter',
				`vllm:generation_tokens_total{model_name="meta-llama/Llama-3.1-8B-Instruct"} ${10 * n}`,
				'# TYPE vllm:num_requests_running gauge',
				'vllm:num_requests_running{model_name="meta-llama/Llama-3.1-8B-Instruct"} 4',
				'',
			].join('\n'),
		);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	try {
		const r = await cli([
			'meter',
			'--metrics-url',
			`http://127.0.0.1:${port}/metrics`,
			'--interval',
			'0.2',
			'--hardware',
			'h100-sxm',
			'--json',
		]);
		assert.equal(r.code, 0, r.err);
		const rep = JSON.parse(r.out);
		assert.equal(rep.model, 'meta-llama/Llama-3.1-8B');
		assert.equal(rep.runningRequests, 4);
		assert.ok(Math.abs(rep.generationTokensPerSecond - 10 / rep.intervalSeconds) < 1e-9);
		assert.ok(typeof rep.mbu === 'number' && rep.mbu > 0);
		// ~50 tok/s over 4 sequences of an 8B bf16 model on an H100: a few % of 3350 GB/s.
		assert.ok(rep.mbu < 0.2, String(rep.mbu));
		assert.equal(rep.verdict, 'bandwidth-underused');
		const text = await cli([
			'meter',
			'--metrics-url',
			`http://127.0.0.1:${port}/metrics`,
			'--interval',
			'0.2',
			'--hardware',
			'h100-sxm',
		]);
		assert.match(text.out, /verdict: /);
		assert.match(text.out, /measured/);
	} finally {
		server.closeAllConnections();
		await new Promise<void>((r) => server.close(() => r()));
	}
	const refused = await cli([
		'meter',
		'--metrics-url',
		`http://127.0.0.1:${port}/metrics`,
		'--interval',
		'0.2',
	]);
	assert.equal(refused.code, 1);
	assert.match(refused.err, /connection refused at 127\.0\.0\.1/);
	// One progress line, then exactly one error line.
	const lines = refused.err.trim().split('\n');
	assert.match(lines[0], /^scraping http:\/\/127\.0\.0\.1:\d+\/metrics twice, 0\.2 s apart/);
	assert.equal(lines.filter((l) => l.startsWith('inference-meter:')).length, 1);
});
