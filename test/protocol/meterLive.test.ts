// inferenceMeter/meterLive over stdio against a REAL loopback HTTP server (127.0.0.1, port 0) that serves
// vLLM Prometheus text whose counters move on every scrape. Build first: node scripts/build.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CatalogSummary, MeterLiveResult } from '../../server/src/shared/protocol';
import { TestClient } from './harness';

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

/** Each scrape adds 800 generated tokens in 200 engine steps (4 sequences decoding together). */
function vllmText(n: number): string {
	return [
		'# HELP vllm:generation_tokens_total Number of generation tokens processed.',
		'# TYPE vllm:generation_tokens_total counter',
		`vllm:generation_tokens_total{model_name="${MODEL}"} ${800 * n}`,
		'# TYPE vllm:iteration_tokens_total histogram',
		`vllm:iteration_tokens_total_count{model_name="${MODEL}"} ${200 * n}`,
		`vllm:iteration_tokens_total_sum{model_name="${MODEL}"} ${800 * n}`,
		'# TYPE vllm:num_requests_running gauge',
		`vllm:num_requests_running{model_name="${MODEL}"} 4`,
		'# TYPE vllm:num_requests_waiting gauge',
		`vllm:num_requests_waiting{model_name="${MODEL}"} 0`,
		'',
	].join('\n');
}

describe('inferenceMeter/meterLive (real loopback /metrics)', () => {
	let client: TestClient;
	let server: http.Server;
	let url = '';
	let scrapes = 0;
	let dir = '';

	before(async () => {
		server = http.createServer((req, res) => {
			if (req.url !== '/metrics') {
				res.writeHead(404).end('not found');
				return;
			}
			scrapes++;
			res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
			res.end(vllmText(scrapes));
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
		dir = mkdtempSync(path.join(os.tmpdir(), 'im-meter-'));
		client = await TestClient.start({ settings: { hardware: 'h100-sxm' }, workspaceFolder: dir });
	});
	after(async () => {
		await client?.close();
		server.closeAllConnections();
		await new Promise<void>((r) => server.close(() => r()));
		rmSync(dir, { recursive: true, force: true });
	});

	test('set against the open document’s workload: tok/s, MBU and verdict, with the arithmetic', async () => {
		const uri = pathToFileURL(path.join(dir, 'serve.sh')).href;
		client.open(uri, 'shellscript', `vllm serve ${MODEL} --max-num-seqs 4 --max-model-len 8192\n`);
		await client.diagnosticsFor(uri, 1);
		const before = scrapes;
		const r = await client.request<MeterLiveResult | { error: string }>('inferenceMeter/meterLive', {
			url,
			intervalSeconds: 0.2,
			textDocument: { uri },
		});
		assert.ok(!('error' in r), JSON.stringify(r));
		assert.equal(scrapes - before, 2, 'one measurement is exactly two GETs');
		const rep = r.report;
		assert.equal(r.workload, 0);
		assert.equal(r.uri, uri);
		assert.match(r.basis, /serve\.sh workload 1 \(meta-llama\/Llama-3\.1-8B, bf16, h100-sxm\)/);
		assert.equal(rep.model, 'meta-llama/Llama-3.1-8B');
		assert.equal(rep.server, 'vllm');
		assert.equal(rep.runningRequests, 4);
		// 800 tokens between the scrapes, over the measured interval (≥ the 0.2 s sleep).
		assert.ok(rep.intervalSeconds >= 0.19 && rep.intervalSeconds < 5, String(rep.intervalSeconds));
		assert.ok(Math.abs(rep.generationTokensPerSecond - 800 / rep.intervalSeconds) < 1e-6);
		// 200 engine steps between the scrapes: 800 / 200 = 4 tokens per step, so batch 4.
		assert.ok(Math.abs(rep.stepsPerSecond! - 200 / rep.intervalSeconds) < 1e-6);
		assert.equal(rep.run.batch, 4);
		// Bytes per step: the weights decode streams — 8,030,261,248 params less the input embedding table
		// (128,256 vocab × 4,096 = 525,336,576, only 4 rows of it are read) = 7,504,924,672 × 2 B = 15.01 GB —
		// plus KV 4 sequences × 1,024 assumed tokens × 131,072 B = 0.537 GB: 15.55 GB (activations add < 1 %).
		const handBytes = (8_030_261_248 - 128_256 * 4096) * 2 + 4 * 1024 * 131_072;
		const bytes = rep.run.bytesPerStep!;
		assert.ok(Math.abs(bytes / handBytes - 1) < 0.01, `${bytes} vs ${handBytes}`);
		// MBU = bytes per step × steps per second ÷ 3,350 GB/s (H100 SXM spec).
		assert.equal(rep.peakBandwidthGBs, 3350);
		assert.ok(Math.abs(rep.mbu! - (bytes * rep.stepsPerSecond!) / 3350e9) < 1e-9);
		// 200 steps in Δt s × 15.55 GB ÷ 3,350 GB/s = 0.93 / Δt: above the 1.1 plausibility limit for any
		// Δt under 0.84 s — more than an H100 can stream, so the verdict says measurement and assumptions disagree.
		assert.ok(rep.mbu! > 1.1, String(rep.mbu));
		assert.equal(rep.verdict, 'inconsistent');
		assert.ok(rep.verdictText.length > 0);
	});

	test('without a document: model from the metrics labels, hardware from the settings', async () => {
		const r = await client.request<MeterLiveResult | { error: string }>('inferenceMeter/meterLive', {
			url,
			intervalSeconds: 0.1,
		});
		assert.ok(!('error' in r), JSON.stringify(r));
		assert.match(r.basis, /the model the metrics name, on h100-sxm/);
		assert.equal(r.report.model, 'meta-llama/Llama-3.1-8B');
		assert.equal(r.uri, undefined);
	});

	test('refused, non-http and non-Prometheus URLs give clear errors and the server keeps answering', async () => {
		// A port that was just listening and is now closed: connection refused.
		const gone = http.createServer();
		await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
		const port = (gone.address() as AddressInfo).port;
		await new Promise<void>((r) => gone.close(() => r()));
		const refused = await client.request<{ error?: string }>('inferenceMeter/meterLive', {
			url: `http://127.0.0.1:${port}/metrics`,
			intervalSeconds: 0.1,
		});
		assert.match(refused.error ?? '', /refused/i);
		assert.match(refused.error ?? '', new RegExp(String(port)));
		const file = await client.request<{ error?: string }>('inferenceMeter/meterLive', {
			url: 'file:///etc/passwd',
		});
		assert.match(file.error ?? '', /only http:\/\/ and https:\/\//);
		const notFound = await client.request<{ error?: string }>('inferenceMeter/meterLive', {
			url: url.replace('/metrics', '/nope'),
			intervalSeconds: 0.1,
		});
		assert.match(notFound.error ?? '', /404/);
		const interval = await client.request<{ error?: string }>('inferenceMeter/meterLive', {
			url,
			intervalSeconds: 0,
		});
		assert.match(interval.error ?? '', /interval/);
		const catalog = await client.request<CatalogSummary>('inferenceMeter/catalog', {});
		assert.ok(catalog.hardware.some((h) => h.id === 'h100-sxm'));
		assert.equal(client.proc.exitCode, null);
	});
});
