import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSetting, extract, extractSample, only, slice } from './helpers';

test('Modelfile: FROM tag, PARAMETERs, quoted blocks are not instructions', async () => {
	const { text, workloads, findings } = await extractSample('ollama/Modelfile');
	const w = only(workloads);
	assert.equal(w.framework, 'ollama');
	assert.equal(w.syntax, 'modelfile');
	assertSetting(text, w.model, 'llama3.1:70b', 'llama3.1:70b', 'FROM');
	assertSetting(text, w.settings.contextLength, 8192, '8192', 'num_ctx'); // not the `num_ctx 1` in SYSTEM """…"""
	assertSetting(text, w.settings.gpuLayers, 99, '99', 'num_gpu');
	assert.equal(w.flags.filter((f) => f.canonical === 'num_ctx').length, 1);
	assert.deepEqual(findings, []);
});

test('Modelfile: lowercase keywords, local GGUF, unknown PARAMETER', async () => {
	const { text, workloads } = await extractSample('ollama/local-gguf.modelfile');
	const w = only(workloads);
	assertSetting(text, w.model, './qwen2.5-7b-instruct-q8_0.gguf', './qwen2.5-7b-instruct-q8_0.gguf', 'from');
	assertSetting(text, w.settings.weightFormat, 'q8_0', 'q8_0');
	assertSetting(text, w.settings.contextLength, 16384, '16384', 'num_ctx');
	assertSetting(text, w.settings.threads, 12, '12', 'num_thread');
	assertSetting(text, w.settings.gpuLayers, 0, '0', 'num_gpu');
	const doc = 'FROM mistral\nPARAMETER num_ctxx 4096\n';
	const r = await extract('Modelfile', doc);
	assert.deepEqual(
		r.findings.map((f) => [f.code, slice(doc, f.span)]),
		[['unknown-flag', 'num_ctxx']],
	);
	assert.match(r.findings[0]!.message, /num_ctx/);
	assert.deepEqual(await extract('Modelfile', '# nothing here\n'), { workloads: [], findings: [] });
});

test('systemd unit: ExecStart with continuations and Environment= LLAMA_ARG_*', async () => {
	const { text, workloads, findings } = await extractSample('llama.cpp/llama-server.service');
	const w = only(workloads);
	assert.equal(w.framework, 'llama.cpp');
	assertSetting(
		text,
		w.model,
		'/var/lib/llama/mistral-7b-instruct-v0.3.Q4_K_M.gguf',
		'/var/lib/llama/mistral-7b-instruct-v0.3.Q4_K_M.gguf',
		'--model',
	);
	assertSetting(text, w.settings.contextLength, 32768, '32768', 'LLAMA_ARG_CTX_SIZE');
	assertSetting(text, w.settings.maxConcurrency, 4, '4', 'LLAMA_ARG_N_PARALLEL');
	assertSetting(text, w.settings.gpuLayers, 99, '99', '--n-gpu-layers');
	assertSetting(text, w.settings.threads, 8, '8', '--threads');
	assert.ok(w.flags.some((f) => f.name === 'LLAMA_ARG_FLASH_ATTN' && f.value === 'on'));
	assert.ok(slice(text, w.span)!.startsWith('ExecStart='));
	assert.deepEqual(findings, []);
});

test('systemd: vLLM with a prefix character and $VAR from Environment=', async () => {
	const doc =
		'[Service]\nEnvironment=LEN=24576\nExecStart=-/usr/local/bin/vllm serve org/m --max-model-len ${LEN}\n';
	const w = only((await extract('vllm.service', doc)).workloads);
	assertSetting(doc, w.settings.contextLength, 24576, '24576', '--max-model-len');
	assert.match(w.settings.contextLength!.note!, /Environment= on line 2/);
});

test('.env with LLAMA_ARG_* is a llama.cpp workload in env syntax; other .env files give nothing', async () => {
	const { text, workloads } = await extractSample('llama.cpp/server.env');
	const w = only(workloads);
	assert.equal(w.syntax, 'env');
	assertSetting(
		text,
		w.model,
		'/models/gemma-2-9b-it-Q4_K_M.gguf',
		'/models/gemma-2-9b-it-Q4_K_M.gguf',
		'LLAMA_ARG_MODEL',
	);
	assertSetting(text, w.settings.contextLength, 8192, '8192', 'LLAMA_ARG_CTX_SIZE');
	assertSetting(text, w.settings.gpuLayers, 99, '99', 'LLAMA_ARG_N_GPU_LAYERS');
	assertSetting(text, w.settings.kvCacheDtype, 'q8_0', 'q8_0', 'LLAMA_ARG_CACHE_TYPE_K');
	assertSetting(text, w.settings.weightFormat, 'q4_k_m', 'Q4_K_M');
	const doc = 'export LLAMA_ARG_CTX_SIZE="4096"  # quoted\nLLAMA_ARG_CTX_SIZ=1\n';
	const r = await extract('.env', doc);
	assertSetting(doc, only(r.workloads).settings.contextLength, 4096, '4096');
	assert.deepEqual(
		r.findings.map((f) => [f.code, slice(doc, f.span)]),
		[['unknown-flag', 'LLAMA_ARG_CTX_SIZ']],
	);
	assert.deepEqual((await extract('.env', 'OLLAMA_HOST=0.0.0.0\nDEBUG=1\n')).workloads, []);
});

test('compose env_file and systemd EnvironmentFile= are read through the host', async () => {
	const files: Record<string, string> = {
		'srv/llama.env': 'LLAMA_ARG_CTX_SIZE=12288\nLLAMA_ARG_N_PARALLEL=3\n',
	};
	const host = { readFile: (p: string) => (files[p] ? new TextEncoder().encode(files[p]) : undefined) };
	const compose =
		'services:\n  l:\n    image: ghcr.io/ggml-org/llama.cpp:server\n    env_file: llama.env\n' +
		'    environment: { LLAMA_ARG_N_PARALLEL: 5 }\n    command: -m /m/x-Q4_0.gguf\n';
	const w = only((await extract('srv/compose.yaml', compose, host)).workloads);
	assert.equal(w.settings.contextLength?.value, 12288);
	assert.equal(slice(compose, w.settings.contextLength!.span), 'llama.env');
	assert.equal(w.settings.maxConcurrency?.value, 5); // environment: wins over env_file:
	const unit =
		'[Service]\nEnvironment=LLAMA_ARG_N_PARALLEL=1\nEnvironmentFile=-llama.env\nExecStart=llama-server -m /m/x-Q4_0.gguf\n';
	const u = only((await extract('srv/llama.service', unit, host)).workloads);
	assert.equal(u.settings.contextLength?.value, 12288);
	assert.equal(u.settings.maxConcurrency?.value, 3); // EnvironmentFile= overrides Environment=
});
