import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSetting, extract, extractSample, only, slice } from './helpers';

test('FROM vllm/vllm-openai: the JSON-array CMD holds only vLLM args; the tag pins the version', async () => {
	const { text, workloads, findings } = await extractSample('vllm/Dockerfile');
	const w = only(workloads);
	assert.equal(w.framework, 'vllm');
	assertSetting(text, w.engineVersion, '0.8.5', 'v0.8.5');
	assertSetting(text, w.model, 'Qwen/Qwen2.5-14B-Instruct-AWQ', 'Qwen/Qwen2.5-14B-Instruct-AWQ', '--model');
	assertSetting(text, w.settings.quantization, 'awq', 'awq', '--quantization');
	assertSetting(text, w.settings.contextLength, 16384, '16384', '--max-model-len');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.9, '0.9', '--gpu-memory-utilization');
	assert.ok(slice(text, w.span)!.startsWith('CMD ['));
	assert.deepEqual(findings, []);
});

test('shell-form CMD with continuations resolves $VARS from ENV; RUN pip pin gives the version', async () => {
	const { text, workloads } = await extractSample('vllm/Containerfile.shell');
	const w = only(workloads);
	// The nvidia/cuda tag is not a vLLM version; the pip pin is.
	assertSetting(text, w.engineVersion, '0.9.2', '0.9.2');
	assertSetting(
		text,
		w.model,
		'mistralai/Mistral-Small-24B-Instruct-2501',
		'mistralai/Mistral-Small-24B-Instruct-2501',
	);
	assert.match(w.model.note!, /ENV on line 5/);
	assertSetting(text, w.settings.tensorParallelSize, 2, '2', '--tensor-parallel-size');
	assert.equal(w.settings.tensorParallelSize!.raw, '$TP');
	assertSetting(text, w.settings.contextLength, 32768, '32768');
	assertSetting(text, w.settings.kvCacheDtype, 'fp8', 'fp8');
});

test('exec-form ENTRYPOINT + CMD, legacy ENV syntax, llama.cpp image', async () => {
	const doc =
		'FROM ghcr.io/ggml-org/llama.cpp:server-cuda-b4600\n' +
		'ENV LLAMA_ARG_CTX_SIZE 8192\n' +
		'CMD ["-m", "/models/gemma-2-2b-it-Q4_K_M.gguf", "-ngl", "99"]\n';
	const w = only((await extract('Dockerfile', doc)).workloads);
	assert.equal(w.framework, 'llama.cpp');
	assertSetting(doc, w.engineVersion, 'b4600', 'server-cuda-b4600');
	assertSetting(doc, w.settings.contextLength, 8192, '8192', 'LLAMA_ARG_CTX_SIZE');
	assertSetting(doc, w.settings.gpuLayers, 99, '99', '-ngl');
	const doc2 =
		'FROM python:3.11\nENTRYPOINT ["python3", "-m", "vllm.entrypoints.openai.api_server"]\nCMD ["--model", "m/x", "--max-model-len", "4096"]\n';
	const w2 = only((await extract('Dockerfile', doc2)).workloads);
	assertSetting(doc2, w2.settings.contextLength, 4096, '4096');
	assertSetting(doc2, w2.model, 'm/x', 'm/x');
});

test('a Dockerfile with no engine command yields nothing', async () => {
	const doc = 'FROM node:20\nRUN npm ci\nCMD ["node", "server.js"]\n# vllm is mentioned only here\n';
	assert.deepEqual((await extract('Dockerfile', doc)).workloads, []);
	assert.deepEqual((await extract('Dockerfile', 'FROM vllm/vllm-openai\n')).workloads, []);
});
