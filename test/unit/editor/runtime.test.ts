/**
 * transformers.js in Node is not a browser page, and pipelines that are not LLM decode (speech
 * recognition, embeddings, TTS, VAD) are not judged as one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { runtimeOf } from '../../../server/src/analysis/extract/javascript/runtime';
import { nonLlmModel } from '../../../server/src/analysis/resolve/nonLlm';

test('a Node .mjs service: one LLM workload on this machine (cpu, no browser limit); embeddings skipped', async () => {
	const path = 'samples/transformers.js/node-rag.mjs';
	const a = await analyzeDocument(
		{ path: `/w/${path}`, text: readFileSync(path, 'utf8') },
		{ localHardwareId: 'ryzen-9-7950x' },
	);
	assert.equal(a.workloads.length, 1);
	const w = a.workloads[0]!;
	assert.equal(w.workload.settings.device?.value, 'cpu');
	assert.match(w.workload.settings.device?.note ?? '', /Node assumed/);
	assert.equal(w.target?.hardwareId, 'ryzen-9-7950x');
	assert.equal(a.findings.filter((f) => f.code === 'browser-memory-limit').length, 0);
	// The same call in a browser page is over WebGPU's limits.
	const page = `import { pipeline } from '@huggingface/transformers';\nconst chat = await pipeline('text-generation', 'onnx-community/Qwen2.5-7B-Instruct', { dtype: 'fp16', device: 'webgpu' });\ndocument.body.textContent = 'ready';\n`;
	const b = await analyzeDocument({ path: '/w/app.ts', text: page }, {});
	assert.ok(b.findings.some((f) => f.code === 'browser-memory-limit'));
});

test('Node without a Node import: v3 defaults cpu + fp32 from require(), process.env, .cjs or package.json', () => {
	assert.equal(runtimeOf([], 'const T = require("@huggingface/transformers");', '/w/a.js').kind, 'node');
	assert.equal(runtimeOf([], 'const m = process.env.MODEL;', '/w/a.js').kind, 'node');
	assert.equal(runtimeOf([], '', '/w/worker.cjs').kind, 'node');
	assert.equal(runtimeOf([], '', '/w/server/index.js').kind, 'node');
	assert.equal(runtimeOf([], 'self.onmessage = () => {};', '/w/worker.cjs').kind, 'browser');
	const host = (pkg: object) => ({
		readFile: (p: string) =>
			p === '/w/app/package.json' ? new TextEncoder().encode(JSON.stringify(pkg)) : undefined,
	});
	assert.equal(runtimeOf([], '', '/w/app/src/gen.js', host({ dependencies: { fastify: '4' } })).kind, 'node');
	assert.equal(
		runtimeOf([], '', '/w/app/src/gen.js', host({ devDependencies: { vite: '5' } })).kind,
		'browser',
	);
	assert.equal(runtimeOf([], '', '/w/app/src/gen.js').kind, 'browser');
});

test('default dtype in Node is fp32 (v3), in the browser q8 on wasm', async () => {
	const call = `import { pipeline } from '@huggingface/transformers';\nconst g = await pipeline('text-generation', 'HuggingFaceTB/SmolLM2-360M-Instruct');\n`;
	const node = await analyzeDocument({ path: '/w/gen.mjs', text: call }, {});
	assert.equal(node.workloads[0]?.workload.settings.weightFormat?.value, 'fp32');
	const web = await analyzeDocument({ path: '/w/gen.ts', text: call }, {});
	assert.equal(web.workloads[0]?.workload.settings.weightFormat?.value, 'q8');
});

test('speech recognition, embeddings and TTS are not LLM workloads; the chat model is', async () => {
	const path = 'samples/python/speech_and_embeddings.py';
	const a = await analyzeDocument({ path: `/w/${path}`, text: readFileSync(path, 'utf8') }, {});
	assert.deepEqual(
		a.workloads.map((w) => w.workload.model.value),
		['meta-llama/Llama-3.1-8B-Instruct'],
	);
	assert.equal(a.findings.filter((f) => f.code === 'unknown-model').length, 0);
	for (const id of [
		'openai/whisper-large-v3',
		'BAAI/bge-m3',
		'snakers4/silero-vad',
		'hexgrad/Kokoro-82M',
		'Xenova/all-MiniLM-L6-v2',
	])
		assert.ok(nonLlmModel(id), id);
	for (const id of [
		'meta-llama/Llama-3.1-8B-Instruct',
		'Qwen/Qwen2.5-7B-Instruct',
		'mistralai/Mistral-7B-v0.3',
		'google/gemma-3-12b-it',
	])
		assert.equal(nonLlmModel(id), undefined, id);
});
