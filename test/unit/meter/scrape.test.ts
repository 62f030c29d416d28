/**
 * A real HTTP server on 127.0.0.1 (port 0) serving Prometheus text that changes between scrapes,
 * plus the failure modes: malformed lines, a body over the cap, a slow answer, a closed port,
 * non-200, HTML, redirects. Each gives a clear one-line message and nothing hangs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { scrapeMetrics } from '../../../server/src/meter/scrape';
import type { LiveEnv } from '../../../server/src/meter/liveMeter';
import { meterLive } from '../../../server/src/meter/liveMeter';
import { GPU, STUB_DEPS } from './stubDeps';

let server: http.Server;
let base = '';
let vllmScrapes = 0;
let llamaScrapes = 0;
const timers = new Set<NodeJS.Timeout>();

function vllmBody(n: number): string {
	// Each scrape: +500 generated tokens, +100 prompt tokens, +25 ITL observations summing 0.5 s
	// (mean 20 ms), +25 engine iterations. Two malformed lines on every scrape.
	return [
		'# HELP vllm:generation_tokens_total Number of generation tokens processed.',
		'# TYPE vllm:generation_tokens_total counter',
		`vllm:generation_tokens_total{engine="0",model_name="llama-2-7b"} ${10000 + 500 * n}`,
		'# TYPE vllm:prompt_tokens_total counter',
		`vllm:prompt_tokens_total{engine="0",model_name="llama-2-7b"} ${4000 + 100 * n}`,
		'# TYPE vllm:num_requests_running gauge',
		'vllm:num_requests_running{engine="0",model_name="llama-2-7b"} 20',
		'# TYPE vllm:num_requests_waiting gauge',
		'vllm:num_requests_waiting{engine="0",model_name="llama-2-7b"} 0',
		'# TYPE vllm:kv_cache_usage_perc gauge',
		'vllm:kv_cache_usage_perc{engine="0",model_name="llama-2-7b"} 0.25',
		'# TYPE vllm:inter_token_latency_seconds histogram',
		`vllm:inter_token_latency_seconds_bucket{engine="0",le="+Inf",model_name="llama-2-7b"} ${25 * n}`,
		`vllm:inter_token_latency_seconds_count{engine="0",model_name="llama-2-7b"} ${25 * n}`,
		`vllm:inter_token_latency_seconds_sum{engine="0",model_name="llama-2-7b"} ${0.5 * n}`,
		'# TYPE vllm:iteration_tokens_total histogram',
		`vllm:iteration_tokens_total_count{engine="0",model_name="llama-2-7b"} ${25 * n}`,
		`vllm:iteration_tokens_total_sum{engine="0",model_name="llama-2-7b"} ${600 * n}`,
		'this line is garbage',
		'vllm:broken{model_name="x} 1',
		'',
	].join('\n');
}

function llamaBody(n: number): string {
	return [
		'# HELP llamacpp:tokens_predicted_total Number of generation tokens processed.',
		'# TYPE llamacpp:tokens_predicted_total counter',
		`llamacpp:tokens_predicted_total ${300 + 60 * n}`,
		'# TYPE llamacpp:tokens_predicted_seconds_total counter',
		`llamacpp:tokens_predicted_seconds_total ${3 + 0.5 * n}`,
		'# TYPE llamacpp:prompt_tokens_total counter',
		`llamacpp:prompt_tokens_total ${50 + 10 * n}`,
		'# TYPE llamacpp:n_decode_total counter',
		`llamacpp:n_decode_total ${200 + 60 * n}`,
		'# TYPE llamacpp:predicted_tokens_seconds gauge',
		'llamacpp:predicted_tokens_seconds 120',
		'# TYPE llamacpp:requests_processing gauge',
		'llamacpp:requests_processing 1',
		'# TYPE llamacpp:requests_deferred gauge',
		'llamacpp:requests_deferred 0',
		'# TYPE llamacpp:kv_cache_usage_ratio gauge',
		'llamacpp:kv_cache_usage_ratio 0.1',
		'# TYPE llamacpp:kv_cache_tokens gauge',
		'llamacpp:kv_cache_tokens 2048',
		'',
	].join('\n');
}

before(async () => {
	server = http.createServer((req, res) => {
		const url = req.url ?? '/';
		if (url === '/metrics') {
			res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
			res.end(vllmBody(++vllmScrapes));
		} else if (url === '/llama/metrics') {
			res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
			res.end(llamaBody(++llamaScrapes));
		} else if (url === '/huge') {
			// 9 MiB streamed without a content-length: the cap has to stop it mid-body.
			res.writeHead(200, { 'content-type': 'text/plain' });
			const line = `${'x_total 1\n'.repeat(1024)}`;
			let sent = 0;
			const push = () => {
				while (sent < 9 * 2 ** 20) {
					sent += line.length;
					if (!res.write(line)) return void res.once('drain', push);
				}
				res.end();
			};
			res.on('error', () => {});
			push();
		} else if (url === '/huge-declared') {
			res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(9 * 2 ** 20) });
			res.write('a 1\n');
		} else if (url === '/slow') {
			const t = setTimeout(() => res.end('late 1\n'), 5000);
			timers.add(t);
		} else if (url === '/html') {
			res.writeHead(200, { 'content-type': 'text/html' });
			res.end('<!doctype html><html><body>Grafana</body></html>');
		} else if (url === '/empty') {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end('# nothing here\n');
		} else if (url === '/gzip') {
			res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
			res.end(Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
		} else if (url === '/other-host') {
			res.writeHead(302, { location: 'http://example.invalid/metrics' });
			res.end();
		} else if (url === '/same-host') {
			res.writeHead(301, { location: '/metrics' });
			res.end();
		} else {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('not found');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
	for (const t of timers) clearTimeout(t);
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

const opts = { timeoutMs: 2000, maxBytes: 8 * 2 ** 20, maxRedirects: 2 };

test('a plain scrape returns the body, status and size', async () => {
	const r = await scrapeMetrics(`${base}/metrics`, opts);
	assert.ok(r.ok);
	assert.equal(r.status, 200);
	assert.match(r.body, /vllm:generation_tokens_total/);
	assert.equal(r.bytes, Buffer.byteLength(r.body));
	assert.match(r.contentType ?? '', /text\/plain/);
});

test('a body past the cap is aborted, streamed or declared', async () => {
	const t0 = performance.now();
	const streamed = await scrapeMetrics(`${base}/huge`, opts);
	assert.ok(!streamed.ok);
	assert.equal(streamed.kind, 'too-big');
	assert.match(streamed.message, /more than 8\.0 MiB; aborted/);
	const declared = await scrapeMetrics(`${base}/huge-declared`, opts);
	assert.ok(!declared.ok && declared.kind === 'too-big');
	assert.ok(performance.now() - t0 < 2000);
});

test('a slow server hits the deadline with a message naming it', async () => {
	const t0 = performance.now();
	const r = await scrapeMetrics(`${base}/slow`, { ...opts, timeoutMs: 300 });
	const ms = performance.now() - t0;
	assert.ok(!r.ok);
	assert.equal(r.kind, 'timeout');
	assert.match(r.message, /did not answer within 0\.3 s/);
	assert.ok(ms >= 250 && ms < 1500, `took ${ms} ms`);
});

test('a closed port is "connection refused" with a hint', async () => {
	const s = http.createServer();
	await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
	const port = (s.address() as AddressInfo).port;
	await new Promise<void>((resolve) => s.close(() => resolve()));
	const r = await scrapeMetrics(`http://127.0.0.1:${port}/metrics`, opts);
	assert.ok(!r.ok);
	assert.equal(r.kind, 'refused');
	assert.equal(
		r.message,
		`connection refused at 127.0.0.1:${port}: is the server running, and started with metrics on?`,
	);
});

test('non-200, bad URLs and other schemes are refused with one line each', async () => {
	const nf = await scrapeMetrics(`${base}/nope`, opts);
	assert.ok(!nf.ok && nf.kind === 'http-status');
	assert.match(nf.message, /answered HTTP 404 Not Found$/);
	const bad = await scrapeMetrics('localhost:8000/metrics', opts);
	assert.ok(!bad.ok && bad.kind === 'bad-url');
	const file = await scrapeMetrics('file:///etc/passwd', opts);
	assert.ok(!file.ok && /only http:\/\/ and https:\/\//.test(file.message));
	const gz = await scrapeMetrics(`${base}/gzip`, opts);
	assert.ok(!gz.ok && /gzip-compressed body/.test(gz.message));
	const creds = await scrapeMetrics('http://user:pw@127.0.0.1:1/metrics', opts);
	assert.ok(!creds.ok && /credentials/.test(creds.message));
});

test('redirects: same host followed, another host never', async () => {
	const same = await scrapeMetrics(`${base}/same-host`, opts);
	assert.ok(same.ok);
	assert.ok(same.url.endsWith('/metrics'));
	const other = await scrapeMetrics(`${base}/other-host`, opts);
	assert.ok(!other.ok);
	assert.equal(other.kind, 'redirect');
	assert.match(other.message, /example\.invalid.*not followed/);
});

const realEnv: LiveEnv = {
	scrape: scrapeMetrics,
	now: () => performance.now(),
	sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

test('live vLLM: two scrapes, counter deltas, malformed lines skipped and reported, MBU and a verdict', async () => {
	// A 10 TB/s, 1000 TFLOPS device keeps MBU and MFU far below 1 whatever the interval turns out to be.
	const wide = { ...GPU, bandwidthGBs: 10000, peakTflops: { fp16: 1000 } };
	const out = await meterLive(`${base}/metrics`, 150, opts, STUB_DEPS, { hardware: wide }, realEnv);
	assert.ok(out.ok, out.ok ? '' : out.message);
	const r = out.report;
	assert.equal(r.server, 'vllm');
	assert.equal(r.model, 'test/llama-2-7b'); // resolved from the model_name label
	// Exactly 500 tokens between the two scrapes, whatever the interval turned out to be.
	assert.equal(r.rates.generatedTokens, 500);
	assert.ok(r.intervalSeconds >= 0.14 && r.intervalSeconds < 2);
	assert.equal(r.generationTokensPerSecond, 500 / r.intervalSeconds);
	assert.equal(r.promptTokensPerSecond, 100 / r.intervalSeconds);
	// Steps: +25 iterations per scrape → 25 / interval; 500 tokens / 25 steps = 20 sequences per step.
	assert.equal(r.stepsPerSecond, 25 / r.intervalSeconds);
	assert.equal(r.run.batch, 20);
	// Per-sequence speed: 25 ITL samples summing 0.5 s → 20 ms → 50 tok/s.
	assert.ok(Math.abs(r.perSequenceTokensPerSecond! - 50) < 1e-9);
	assert.equal(r.runningRequests, 20);
	assert.equal(r.kvCacheUsage, 0.25);
	// Context: 25 % of the stub's 10 GB KV budget ÷ 524,288 B per token = 4768.37 tokens, ÷ 20 running.
	assert.ok(Math.abs(r.run.context - (0.25 * 10e9) / 524288 / 20) < 1e-9);
	assert.match(r.contextSource, /KV cache usage 25\.0%/);
	// 2 malformed lines per scrape, each reported with its line number.
	assert.equal(r.malformedLines.length, 4);
	assert.deepEqual(
		r.malformedLines.map((e) => e.line),
		[19, 20, 19, 20],
	);
	// MBU = (4e9 + 524,288 × 238 × 20) B per step × 25 steps / interval ÷ 10,000 GB/s (the engine takes
	// whole tokens of context: 238.4 → 238).
	assert.ok(Math.abs(r.mbu! - ((4e9 + 524288 * 238 * 20) * (25 / r.intervalSeconds)) / 1e13) < 1e-9);
	assert.equal(r.verdict, 'bandwidth-underused');
});

test('live llama-server: steps from n_decode_total, context from kv_cache_tokens, --model required', async () => {
	const noModel = await meterLive(`${base}/llama/metrics`, 100, opts, STUB_DEPS, { hardware: GPU }, realEnv);
	assert.ok(noModel.ok);
	assert.equal(noModel.report.model, null);
	assert.ok(noModel.report.run.errors.some((e) => /does not name its model.*--model/.test(e)));
	assert.equal(noModel.report.verdict, 'unknown');
	const out = await meterLive(
		`${base}/llama/metrics`,
		100,
		opts,
		STUB_DEPS,
		{ hardware: GPU, model: 'llama-2-7b', weights: 'q4_0' },
		realEnv,
	);
	assert.ok(out.ok);
	const r = out.report;
	assert.equal(r.server, 'llama.cpp');
	assert.equal(r.rates.generatedTokens, 60);
	// 60 decode calls for 60 tokens: one sequence per step.
	assert.equal(r.run.batch, 1);
	// Per-slot speed = 60 tokens / 0.5 s of generation time = 120 tok/s.
	assert.equal(r.perSequenceTokensPerSecond, 120);
	// 2048 cached tokens / 1 request processing.
	assert.equal(r.run.context, 2048);
	assert.match(r.contextSource, /kv_cache_tokens/);
	// Bytes per step = 4e9 + 2048 × 524,288 = 5,073,741,824 B; MBU = that × steps/s / 936e9.
	const steps = 60 / r.intervalSeconds;
	assert.ok(Math.abs(r.mbu! - ((4e9 + 2048 * 524288) * steps) / 936e9) < 1e-9);
});

test('live: HTML, empty and slow endpoints give one-line reasons', async () => {
	const html = await meterLive(`${base}/html`, 10, opts, STUB_DEPS, {}, realEnv);
	assert.ok(!html.ok && /returned HTML, not Prometheus text/.test(html.message));
	const empty = await meterLive(`${base}/empty`, 10, opts, STUB_DEPS, {}, realEnv);
	assert.ok(!empty.ok && /no Prometheus samples/.test(empty.message));
	const slow = await meterLive(`${base}/slow`, 10, { ...opts, timeoutMs: 200 }, STUB_DEPS, {}, realEnv);
	assert.ok(!slow.ok && /did not answer within 0\.2 s/.test(slow.message));
});
