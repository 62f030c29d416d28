import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractJavaScript } from '../../../server/src/analysis/extract/javascript';
import { javascriptProjectStats } from '../../../server/src/analysis/extract/javascript/project';
import { at, assertSetting, sample } from './helpers';

async function extract(text: string, path = '/w/app.ts') {
	return extractJavaScript({ path, text });
}

test('pipeline with an aliased import, a const model id, webgpu + q4f16 and env.numThreads', async () => {
	const { path, text } = sample('transformers.js/chat.ts');
	const { workloads, findings } = await extract(text, path);
	assert.equal(workloads.length, 1, 'the feature-extraction pipeline is not a decoding workload');
	assert.equal(findings.length, 0);
	const w = workloads[0];
	assert.equal(w.framework, 'transformers.js');
	assert.equal(w.syntax, 'typescript');
	assert.ok(at(text, w.span).startsWith("createPipeline('text-generation', MODEL_ID"));
	assertSetting(text, w.model, 'onnx-community/Qwen2.5-1.5B-Instruct', 'MODEL_ID');
	assert.equal(w.model.note, 'from const `MODEL_ID` (line 4)');
	assertSetting(text, w.settings.weightFormat, 'q4f16', "'q4f16'", 'dtype');
	assertSetting(text, w.settings.device, 'webgpu', "'webgpu'", 'device');
	assert.equal(w.settings.threads?.value, 4);
	assert.equal(at(text, w.settings.threads?.span), '4');
	assert.equal(at(text, w.settings.threads?.keySpan), 'env.backends.onnx.wasm.numThreads');
	const allow = w.flags.find((f) => f.name === 'env.allowLocalModels');
	assert.equal(allow?.known, true);
	assert.equal(at(text, allow?.valueSpan), 'false');
});

test('legacy @xenova worker: options variable with a spread, class fields via this.x, v2 defaults', async () => {
	const { path, text } = sample('transformers.js/worker.js');
	const { workloads } = await extract(text, path);
	assert.equal(workloads.length, 2, 'AutoTokenizer is not a workload');
	const [summ, llm] = workloads;
	// makePipeline(this.task, this.model, …): both resolved from the class's static fields.
	assertSetting(text, summ.model, 'Xenova/distilbart-cnn-6-6', 'this.model');
	assert.match(summ.model.note!, /field `this.model` \(line 16\)/);
	assert.equal(summ.settings.weightFormat?.source, 'engine-default');
	assert.equal(summ.settings.weightFormat?.value, 'q8');
	assert.equal(summ.settings.device?.value, 'wasm');
	assertSetting(text, llm.model, 'Xenova/TinyLlama-1.1B-Chat-v1.0', 'MODEL_ID');
	// quantized: false comes from BASE_OPTIONS through MODEL_OPTIONS' spread; the span is where it is written.
	assertSetting(text, llm.settings.weightFormat, 'fp32', 'false', 'quantized');
	assert.match(
		llm.settings.weightFormat!.note!,
		/`MODEL_OPTIONS` \(line 9\) → spread `...BASE_OPTIONS` → from const `BASE_OPTIONS` \(line 8\)/,
	);
	assert.ok(llm.flags.some((f) => f.name === 'env.useBrowserCache' && f.known));
});

test('a 7B fp16 model on WebGPU is read as written (the browser-memory rule judges it)', async () => {
	const { path, text } = sample('transformers.js/too-big-for-browser.ts');
	const [w] = (await extract(text, path)).workloads;
	assertSetting(text, w.model, 'Qwen/Qwen2.5-7B-Instruct', 'model_id');
	assertSetting(text, w.settings.weightFormat, 'fp16', "'fp16'", 'dtype');
	assertSetting(text, w.settings.device, 'webgpu', "'webgpu'", 'device');
});

test('per-module dtype map through a const: the decoder decides, the map is kept in the note; misspelt option', async () => {
	const { path, text } = sample('transformers.js/vision-chat.ts');
	const { workloads, findings } = await extract(text, path);
	assert.equal(workloads.length, 1, 'AutoProcessor is not a workload');
	const w = workloads[0];
	assert.equal(w.settings.weightFormat?.value, 'q4');
	assert.equal(at(text, w.settings.weightFormat?.span), "'q4'");
	assert.equal(at(text, w.settings.weightFormat?.keySpan), 'decoder_model_merged');
	assert.match(
		w.settings.weightFormat!.note!,
		/embed_tokens: fp16, vision_encoder: fp32, decoder_model_merged: q4/,
	);
	assert.equal(findings.length, 1);
	assert.equal(findings[0].code, 'unknown-flag');
	assert.equal(at(text, findings[0].span), 'revison');
	assert.equal(findings[0].fixes![0].edits[0].newText, 'revision');
});

test('Node service with require(): namespace calls, env default, cpu/fp32 defaults', async () => {
	const { path, text } = sample('transformers.js/server.cjs');
	const [w] = (await extract(text, path)).workloads;
	assertSetting(
		text,
		w.model,
		'HuggingFaceTB/SmolLM2-360M-Instruct',
		"process.env.MODEL ?? 'HuggingFaceTB/SmolLM2-360M-Instruct'",
	);
	assert.match(w.model.note!, /process\.env\.MODEL overrides this at run time/);
	assert.equal(w.settings.device?.value, 'cpu');
	assert.equal(w.settings.device?.source, 'engine-default');
	assert.equal(w.settings.weightFormat?.value, 'fp32'); // dtypes.js: only wasm defaults to q8
});

test('dynamic import, CDN specifier, templates and type assertions', async () => {
	const text = [
		"const ORG = 'onnx-community';",
		"const opts = { device: 'wasm' } satisfies object;",
		'export async function go() {',
		"  const { pipeline: p } = await import('https://cdn.jsdelivr.net/npm/@huggingface/transformers@3.0.0');",
		"  return p('text-generation', `${ORG}/Phi-3.5-mini-instruct-onnx-web`, { ...opts, dtype: 'q4' as const });",
		'}',
	].join('\n');
	const [w] = (await extract(text)).workloads;
	assertSetting(
		text,
		w.model,
		'onnx-community/Phi-3.5-mini-instruct-onnx-web',
		'`${ORG}/Phi-3.5-mini-instruct-onnx-web`',
	);
	assertSetting(text, w.settings.device, 'wasm', "'wasm'", 'device');
	assertSetting(text, w.settings.weightFormat, 'q4', "'q4' as const", 'dtype');
	// Dynamic import() URLs are not scanned for versions; static imports are (next test).
});

test('values from parameters are unknowns with reasons; defaults follow the device', async () => {
	const text = [
		"import { AutoModelForCausalLM } from '@huggingface/transformers';",
		'export const load = (id: string, options: object) => AutoModelForCausalLM.from_pretrained(id, { ...options, device: "webgpu" });',
	].join('\n');
	const [w] = (await extract(text)).workloads;
	// Set at run time: no id to look up (information, not an unknown id); the expression stays as raw.
	assert.equal(w.model.value, '');
	assert.equal(w.model.raw, 'id');
	assert.match(w.unknowns.find((u) => u.name === 'model')!.reason, /`id` is not given a value/);
	assert.match(w.unknowns.find((u) => u.name === 'options')!.reason, /`options` is not given a value/);
	assert.equal(w.settings.weightFormat?.value, 'fp32'); // webgpu → fp32 default
	assert.equal(w.settings.weightFormat?.source, 'engine-default');
});

test('a misspelt env setting gets a rename fix of just its last name', async () => {
	const text =
		"import { env, pipeline } from '@huggingface/transformers';\nenv.allowRemoteModel = false;\npipeline('text-generation', 'Xenova/gpt2');\n";
	const { findings } = await extract(text);
	assert.equal(findings.length, 1);
	assert.equal(at(text, findings[0].span), 'allowRemoteModel');
	assert.equal(findings[0].fixes![0].edits[0].newText, 'allowRemoteModels');
});

test('files without workloads: no package, other pipelines, tokenizer only', async () => {
	assert.equal(
		(await extract("import { pipeline } from 'node:stream';\npipeline(a, b);\n")).workloads.length,
		0,
	);
	assert.equal(
		(await extract('// uses @huggingface/transformers elsewhere\nexport {};\n')).workloads.length,
		0,
	);
	assert.equal(
		(
			await extract(
				"import { AutoTokenizer } from '@huggingface/transformers';\nAutoTokenizer.from_pretrained('x');\n",
			)
		).workloads.length,
		0,
	);
	assert.equal((await extract('')).workloads.length, 0);
});

test('broken code still yields the call, with UTF-16 spans after non-ASCII text', async () => {
	const text =
		"import { pipeline } from '@huggingface/transformers';\n// café ☕ 😀\nconst x = {;\nawait pipeline('text-generation', 'Xenova/gpt2', { dtype: 'q8' });\n";
	const [w] = (await extract(text)).workloads;
	assertSetting(text, w.model, 'Xenova/gpt2', "'Xenova/gpt2'");
	assertSetting(text, w.settings.weightFormat, 'q8', "'q8'", 'dtype');
});

test('a second analysis reuses the one ts-morph Project', async () => {
	await extract(
		"import { pipeline } from '@huggingface/transformers';\npipeline('text-generation', 'a/b');\n",
	);
	const before = javascriptProjectStats();
	await extract(
		"import { pipeline } from '@huggingface/transformers';\npipeline('text-generation', 'c/d');\n",
	);
	await extract('no transformers here');
	const after = javascriptProjectStats();
	assert.equal(before.projectsCreated, 1);
	assert.equal(after.projectsCreated, 1);
	assert.equal(after.filesParsed, before.filesParsed + 1, 'the file without the package is not parsed');
});

test('a CDN import URL pins the library version', async () => {
	const text =
		"import { pipeline } from 'https://cdn.jsdelivr.net/npm/@huggingface/transformers@3.0.2';\npipeline('text-generation', 'Xenova/gpt2');\n";
	const [w] = (await extract(text)).workloads;
	assertSetting(text, w.engineVersion, '3.0.2', '3.0.2');
});

test('a syntax error inside the call is reported as unparseable-config', async () => {
	const text =
		"import { pipeline } from '@huggingface/transformers';\npipeline('text-generation', 'Xenova/gpt2', { dtype: 'q8' device: 'wasm' });\n";
	const { workloads, findings } = await extract(text);
	assert.equal(workloads.length, 1);
	const f = findings.find((x) => x.code === 'unparseable-config');
	assert.ok(f, 'expected an unparseable-config finding');
	assert.equal(f.workload, 0);
	assert.equal(at(text, f.span), 'device'); // TS: "',' expected." at the next property
});

test('env numThreads from a run-time value is an unknown on the workloads', async () => {
	const text =
		"import { env, pipeline } from '@huggingface/transformers';\nenv.backends.onnx.wasm.numThreads = navigator.hardwareConcurrency;\npipeline('text-generation', 'Xenova/gpt2');\n";
	const [w] = (await extract(text)).workloads;
	assert.equal(w.settings.threads, undefined);
	const u = w.unknowns.find((x) => x.name === 'threads');
	assert.match(u!.reason, /known only at run time/);
	assert.equal(at(text, u!.span), 'navigator.hardwareConcurrency');
});
