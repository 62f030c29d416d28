import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLlamaBench } from '../../../server/src/meter/llamaBench';
import { parseCsv } from '../../../server/src/meter/csv';
import { parseVllmBench } from '../../../server/src/meter/vllmBench';
import { formatFromFileName, ggufFtypeToFormat } from '../../../server/src/meter/resolve';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/meter', name), 'utf8');

test('llama-bench -o json: an array of results with every field', () => {
	const r = parseLlamaBench(fixture('llama-bench.json'));
	assert.equal(r.format, 'json');
	assert.deepEqual(r.errors, []);
	assert.equal(r.runs.length, 2);
	const [pp, tg] = r.runs;
	assert.equal(pp.test, 'pp512');
	assert.equal(pp.kind, 'pp');
	assert.equal(tg.test, 'tg128');
	assert.equal(tg.kind, 'tg');
	assert.equal(tg.avgTs, 158.16);
	assert.equal(tg.stddevTs, 0.15);
	assert.equal(tg.modelSizeBytes, 3825065984);
	assert.equal(tg.modelParams, 6738415616);
	assert.equal(tg.modelFilename, '/models/llama-2-7b.Q4_0.gguf');
	assert.equal(tg.typeK, 'f16');
	assert.equal(tg.nGpuLayers, 99);
	assert.equal(tg.gpuInfo, 'NVIDIA GeForce RTX 3090');
	assert.deepEqual(tg.samplesTs, [158.32, 158.22, 158.16, 158.04, 158.06]);
	assert.equal(tg.modelSizeApprox, undefined);
});

test('llama-bench -o jsonl: one object per line, n_depth read, a bad line reported', () => {
	const r = parseLlamaBench(fixture('llama-bench.jsonl'));
	assert.equal(r.format, 'jsonl');
	assert.equal(r.runs.length, 2);
	assert.equal(r.runs[1].test, 'tg128 @ d4096');
	assert.equal(r.runs[1].nDepth, 4096);
	assert.equal(r.runs[1].typeK, 'q8_0');
	assert.equal(r.runs[1].flashAttn, '1');
	assert.equal(r.errors.length, 1);
	assert.match(r.errors[0], /^line 3: invalid JSON/);
});

test('llama-bench -o csv: quoted values become numbers; CPU-only run', () => {
	const r = parseLlamaBench(fixture('llama-bench.csv'));
	assert.equal(r.format, 'csv');
	assert.deepEqual(r.errors, []);
	assert.equal(r.runs.length, 2);
	assert.equal(r.runs[0].test, 'tg128');
	assert.equal(r.runs[0].avgTs, 10.97);
	assert.equal(r.runs[0].modelSizeBytes, 4661211136);
	assert.equal(r.runs[0].nGpuLayers, 0);
	assert.equal(r.runs[0].backends, 'CPU');
	assert.equal(r.runs[0].gpuInfo, undefined); // empty string → absent
	assert.equal(r.runs[1].test, 'pp512');
});

test('llama-bench markdown: rounded size and params, ± split, depth and mixed tests, build footer', () => {
	const r = parseLlamaBench(fixture('llama-bench.md'));
	assert.equal(r.format, 'markdown');
	assert.deepEqual(r.errors, []);
	assert.deepEqual(
		r.runs.map((x) => [x.test, x.kind, x.avgTs, x.stddevTs]),
		[
			['pp512', 'pp', 5174.69, 11.02],
			['tg128', 'tg', 158.16, 0.15],
			['tg128 @ d4096', 'tg', 104.21, 0.31],
			['pp512+tg128', 'pp+tg', 801.33, 2.1],
		],
	);
	const tg = r.runs[1];
	// 3.56 GiB = 3.56 × 2^30 = 3,822,520,893.44 bytes (the table rounds; the JSON says 3,825,065,984).
	assert.equal(tg.modelSizeBytes, 3.56 * 1073741824);
	assert.equal(tg.modelSizeApprox, true);
	assert.equal(tg.modelParams, 6.74e9);
	assert.equal(tg.modelType, 'llama 7B Q4_0');
	assert.equal(tg.nGpuLayers, 99);
	assert.equal(tg.backends, 'CUDA');
	assert.equal(tg.buildCommit, 'c76b420');
});

test('llama-bench markdown: the older "pp 512" spelling and a row with a bad t/s cell', () => {
	const md = [
		'| model | size | params | backend | threads | test | t/s |',
		'| --- | ---: | ---: | --- | ---: | ---: | ---: |',
		'| llama 7B mostly Q4_0 | 3.56 GiB | 6.74 B | CPU | 8 | pp 512 | 60.10 ± 0.20 |',
		'| llama 7B mostly Q4_0 | 3.56 GiB | 6.74 B | CPU | 8 | tg 128 | fast |',
	].join('\n');
	const r = parseLlamaBench(md);
	assert.equal(r.runs.length, 1);
	assert.equal(r.runs[0].test, 'pp512');
	assert.equal(r.runs[0].nThreads, 8);
	assert.equal(r.errors.length, 1);
	assert.match(r.errors[0], /line 4: cannot read test "tg 128" or t\/s "fast"/);
});

test('llama-bench: empty, foreign and SQL inputs give clear errors, not runs', () => {
	assert.match(parseLlamaBench('').errors[0], /empty/);
	assert.match(parseLlamaBench('hello world').errors[0], /not llama-bench output/);
	assert.match(parseLlamaBench('[{"foo": 1}]').errors[0], /missing n_prompt, n_gen or avg_ts/);
	assert.match(parseLlamaBench('[oops').errors[0], /invalid JSON/);
	assert.match(parseLlamaBench('CREATE TABLE IF NOT EXISTS llama_bench (\n').errors[0], /-o json/);
});

test('CSV parser: quotes, doubled quotes, commas and newlines inside quotes', () => {
	assert.deepEqual(parseCsv('a,b\n"x,1","say ""hi"""\n"multi\nline",2\n'), [
		['a', 'b'],
		['x,1', 'say "hi"'],
		['multi\nline', '2'],
	]);
	assert.throws(() => parseCsv('"open'), /inside a quoted field/);
});

test('GGUF ftype descriptions and file names map to catalog format ids', () => {
	assert.equal(ggufFtypeToFormat('Q4_K - Medium'), 'q4_k_m');
	assert.equal(ggufFtypeToFormat('Q3_K - Large'), 'q3_k_l');
	assert.equal(ggufFtypeToFormat('Q2_K - Medium'), 'q2_k');
	assert.equal(ggufFtypeToFormat('Q6_K'), 'q6_k');
	assert.equal(ggufFtypeToFormat('mostly Q4_0'), 'q4_0');
	assert.equal(ggufFtypeToFormat('IQ4_XS - 4.25 bpw'), 'iq4_xs');
	assert.equal(ggufFtypeToFormat('all F32'), 'f32');
	assert.equal(ggufFtypeToFormat('BF16'), 'bf16');
	assert.equal(ggufFtypeToFormat('MXFP4 MoE'), 'mxfp4');
	assert.equal(formatFromFileName('llama-2-7b.Q4_K_M.gguf'), 'q4_k_m');
	assert.equal(formatFromFileName('Qwen3-30B-A3B-Q8_0-00001-of-00002.gguf'), 'q8_0');
	assert.equal(formatFromFileName('model-f16.gguf'), 'f16');
	assert.equal(formatFromFileName('model.safetensors'), undefined);
});

test('vllm bench serve JSON: throughput, TPOT/ITL/TTFT stats and concurrency', () => {
	const r = parseVllmBench(fixture('vllm-serve.json'));
	assert.ok(r.ok);
	const s = r.result;
	assert.equal(s.kind, 'serve');
	if (s.kind !== 'serve') return;
	assert.equal(s.modelId, 'meta-llama/Llama-3.1-8B-Instruct');
	assert.equal(s.outputThroughput, 2133.33);
	assert.equal(s.maxConcurrency, 64);
	assert.equal(s.requestRate, 'inf');
	assert.equal(s.tpotMs.mean, 28.9);
	assert.equal(s.itlMs.mean, 30.0);
	assert.deepEqual(s.itlMs.percentiles, { p99: 61.3 });
	assert.equal(s.ttftMs.median, 280.1);
	assert.equal(s.completed, 1000);
	assert.equal(s.totalInputTokens, 1024000);
});

test('vllm bench latency JSON: average latency and percentiles keyed as vLLM writes them', () => {
	const r = parseVllmBench(fixture('vllm-latency.json'));
	assert.ok(r.ok);
	if (r.result.kind !== 'latency') assert.fail('expected latency');
	assert.equal(r.result.avgLatencySeconds, 2.56);
	assert.equal(r.result.iterations, 3);
	assert.equal(r.result.percentiles.p99, 2.5698);
	assert.equal(r.result.batchSize, undefined);
});

test('vLLM: non-JSON, arrays and unrelated objects are rejected with the keys it looks for', () => {
	const bad = parseVllmBench('{');
	assert.ok(!bad.ok && /invalid JSON/.test(bad.message));
	const arr = parseVllmBench('[]');
	assert.ok(!arr.ok && /JSON object/.test(arr.message));
	const other = parseVllmBench('{"elapsed_time": 3}');
	assert.ok(!other.ok && /output_throughput/.test(other.message) && /avg_latency/.test(other.message));
});

test('older llama-bench JSON with one boolean per backend instead of "backends"', () => {
	const row = { n_prompt: 0, n_gen: 128, avg_ts: 50, cuda: true, metal: false, gpu_blas: true, blas: true };
	assert.equal(parseLlamaBench(JSON.stringify([row])).runs[0].backends, 'CUDA,GPU BLAS');
	const cpu = { n_prompt: 0, n_gen: 128, avg_ts: 5, cuda: false, metal: false };
	assert.equal(parseLlamaBench(JSON.stringify([cpu])).runs[0].backends, 'CPU');
});

test('vllm bench throughput output is recognised and refused with the reason', () => {
	const r = parseVllmBench(
		'{"elapsed_time": 10, "num_requests": 100, "total_num_tokens": 50000, "tokens_per_second": 5000}',
	);
	assert.ok(
		!r.ok && /vllm bench throughput/.test(r.message) && /mixes prompt and generated tokens/.test(r.message),
	);
});
