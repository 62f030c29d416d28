/**
 * Formats people use: llama-swap, KubeAI's models chart, Helm values of any chart, KubeRay RayService,
 * Windows batch files and Jupyter notebooks. Each sample under samples/ is read and every value is checked
 * against the exact text its span covers in that file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { detectFileKind } from '../../../server/src/analysis/extract';
import type { Span } from '../../../server/src/analysis/types';
import { SAMPLES, assertSetting, diskHost, extract, extractSample, only, slice } from './helpers';

/** Offset of the n-th (0-based) occurrence of `needle` after `after`. */
function at(doc: string, needle: string, after = ''): Span {
	const from = after ? doc.indexOf(after) : 0;
	assert.ok(from >= 0, `no ${after}`);
	const offset = doc.indexOf(needle, from);
	assert.ok(offset >= 0, `no ${needle}`);
	return { offset, length: needle.length };
}

test('llama-swap: macros (global, per model, nested), ${PORT}, env, docker run and ${env.X}', async () => {
	const { text, workloads, findings } = await extractSample('llama-swap/config.yaml');
	assert.equal(workloads.length, 4);
	const [qwen, llama, vllm, fromEnv] = workloads;
	assert.equal(qwen!.framework, 'llama.cpp');
	assertSetting(
		text,
		qwen!.model,
		'/models/Qwen2.5-14B-Instruct-Q4_K_M.gguf',
		'/models/Qwen2.5-14B-Instruct-Q4_K_M.gguf',
		'-m',
	);
	// `--ctx-size ${ctx}`: the value is written in the top-level macro.
	assert.deepEqual(qwen!.settings.contextLength?.span, at(text, '16384', '"ctx":'));
	assert.equal(qwen!.settings.contextLength?.value, 16384);
	assertSetting(text, qwen!.settings.gpuLayers, 99, '99', '-ngl');
	assertSetting(text, qwen!.settings.maxConcurrency, 2, '2', '--parallel');
	assert.ok(slice(text, qwen!.span)!.startsWith('cmd: |'));
	// The model-level macro overrides the global one; CUDA_VISIBLE_DEVICES from `env:`.
	assert.equal(llama!.settings.contextLength?.value, 65536);
	assert.deepEqual(llama!.settings.contextLength?.span, at(text, '65536'));
	assertSetting(text, llama!.settings.deviceCount, 1, '1', 'CUDA_VISIBLE_DEVICES');
	assert.equal(vllm!.framework, 'vllm');
	assertSetting(text, vllm!.model, 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', '--model');
	assertSetting(text, vllm!.settings.contextLength, 32768, '32768', '--max-model-len');
	assert.equal(vllm!.engineVersion?.value, '0.10.1');
	assert.match(
		fromEnv!.unknowns.find((u) => u.name === 'model')!.reason,
		/\$MODEL_DIR is read from the environment/,
	);
	// `--port ${PORT}` is llama-swap's, not a flag problem; the comment line in `cmd: |` is no argument.
	assert.deepEqual(findings, []);
});

test('llama-swap: a macro that names itself stops expanding (no hang, no throw)', async () => {
	const doc = 'macros:\n  a: "${a} ${a} -c 8"\nmodels:\n  m:\n    cmd: llama-server -m x.gguf ${a}\n';
	const w = only((await extract('config.yaml', doc)).workloads);
	assert.equal(w.framework, 'llama.cpp');
});

test('llama-swap: macros that fan out 10 ways, 8 deep, stay bounded in time', async () => {
	const lines = ['macros:', '  m0: "-c 8"'];
	for (let i = 1; i <= 8; i++)
		lines.push(
			`  m${i}: "${Array(10)
				.fill(`\${m${i - 1}}`)
				.join(' ')}"`,
		);
	lines.push('models:', '  x:', '    cmd: llama-server -m x.gguf ${m8}', '');
	const started = Date.now();
	const r = await extract('config.yaml', lines.join('\n'));
	assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
	assert.equal(r.workloads.length, 1);
});

test('KubeRay: a file of many RayServices reads the first 16 serve configs, quickly', async () => {
	const one = readFileSync(path.join(SAMPLES, 'kuberay/rayservice-llm.yaml'), 'utf8');
	const doc = Array(200).fill(one).join('---\n');
	const started = Date.now();
	const { workloads } = await extract('many.yaml', doc);
	assert.equal(workloads.length, 16);
	assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
});

test("KubeAI's models chart catalog: url, engine, args, resourceProfile per entry", async () => {
	const { text, workloads, findings } = await extractSample('helm/kubeai-models-values.yaml');
	assert.equal(workloads.length, 3);
	const [l4, h100, cpu] = workloads;
	assertSetting(
		text,
		l4!.model,
		'neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8',
		'neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8',
	);
	assertSetting(text, l4!.settings.contextLength, 16384, '16384');
	assert.equal(l4!.settings.hardware?.value, 'l4');
	assert.equal(l4!.settings.deviceCount?.value, 1);
	assert.equal(h100!.settings.hardware?.value, 'h100-sxm');
	assert.equal(h100!.settings.deviceCount?.value, 2);
	assertSetting(text, h100!.settings.tensorParallelSize, 2, '2');
	assert.equal(cpu!.framework, 'ollama');
	assert.equal(cpu!.model.value, 'gemma2:2b');
	// `cpu:2` is two CPU units, not two accelerators.
	assert.equal(cpu!.settings.deviceCount, undefined);
	assert.deepEqual(findings, []);
});

test('Helm values of a custom chart: model and engine settings found by their keys', async () => {
	const { text, workloads, findings } = await extractSample('helm/custom-vllm-values.yaml');
	const w = only(workloads);
	assert.equal(w.framework, 'vllm');
	assert.equal(w.syntax, 'yaml');
	assertSetting(text, w.model, 'Qwen/Qwen2.5-32B-Instruct-AWQ', 'Qwen/Qwen2.5-32B-Instruct-AWQ', 'model');
	assertSetting(text, w.settings.contextLength, 32768, '32768', 'maxModelLen');
	assertSetting(text, w.settings.tensorParallelSize, 2, '2', 'tensorParallelSize');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.92, '0.92', 'gpuMemoryUtilization');
	assertSetting(text, w.settings.quantization, 'awq_marlin', 'awq_marlin', 'quantization');
	assertSetting(text, w.settings.maxConcurrency, 12, '12', 'maxNumSeqs');
	assertSetting(text, w.settings.kvCacheDtype, 'fp8', 'fp8', '--kv-cache-dtype');
	assertSetting(text, w.settings.deviceCount, 2, '2', 'nvidia.com/gpu');
	assert.equal(w.settings.hardware?.value, 'l40s');
	// Chart keys (servedModelName, replicaCount, service.port) are not engine flags: no findings.
	assert.deepEqual(findings, []);
});

test('Helm values that carry the whole engine command (`image.command: [vllm, serve, …]`)', async () => {
	const { text, workloads, findings } = await extractSample('helm/vllm-chart-values.yaml');
	const w = only(workloads);
	assert.equal(w.framework, 'vllm');
	assertSetting(text, w.model, 'mistralai/Mistral-7B-Instruct-v0.3', 'mistralai/Mistral-7B-Instruct-v0.3');
	assertSetting(text, w.settings.contextLength, 16384, '16384', '--max-model-len');
	assertSetting(text, w.engineVersion, '0.9.2', 'v0.9.2');
	// requests and limits both say 1: the limit is read.
	assert.deepEqual(w.settings.deviceCount?.span, at(text, '1', 'limits:'));
	assert.deepEqual(findings, []);
});

test('Helm-like YAML without engine settings, or for another engine, is not a workload', async () => {
	for (const doc of [
		'model: gpt-4o\ntemperature: 0.2\n',
		'llm:\n  engine: sglang\n  model: Qwen/Qwen2.5-7B-Instruct\n  tensorParallelSize: 2\n',
		'app:\n  modelName: my-classifier\n  replicas: 2\n',
		'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo vllm\n',
	])
		assert.equal((await extract('values.yaml', doc)).workloads.length, 0, doc);
	// An explicit engine with args reads them; a snake_case chart works too.
	const doc =
		'server:\n  engine: vllm\n  model_name: meta-llama/Llama-3.1-8B-Instruct\n  max_model_len: 4096\n  args: ["--max-num-seqs", "16"]\n';
	const w = only((await extract('values.yaml', doc)).workloads);
	assertSetting(doc, w.settings.contextLength, 4096, '4096', 'max_model_len');
	assertSetting(doc, w.settings.maxConcurrency, 16, '16', '--max-num-seqs');
});

test('top-level chart values with `engine: vllm` are Helm values, not a --config file with unknown flags', async () => {
	const doc =
		'engine: vllm\nmodel: deepseek-ai/DeepSeek-R1-Distill-Llama-8B\nreplicas: 1\nresources:\n  limits:\n    nvidia.com/gpu: 1\n';
	const { workloads, findings } = await extract('values.yaml', doc);
	const w = only(workloads);
	assert.equal(w.framework, 'vllm');
	assertSetting(
		doc,
		w.model,
		'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
		'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
		'model',
	);
	assertSetting(doc, w.settings.deviceCount, 1, '1', 'nvidia.com/gpu');
	assert.deepEqual(findings, []);
});

test('KubeRay RayService: Ray Serve LLM config inside serveConfigV2, spans in the outer file', async () => {
	const { text, workloads, findings } = await extractSample('kuberay/rayservice-llm.yaml');
	const w = only(workloads);
	assertSetting(
		text,
		w.model,
		'meta-llama/Llama-3.1-8B-Instruct',
		'meta-llama/Llama-3.1-8B-Instruct',
		'model_source',
	);
	assertSetting(text, w.settings.contextLength, 8192, '8192', 'max_model_len');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.9, '0.9', 'gpu_memory_utilization');
	assertSetting(text, w.settings.maxConcurrency, 2, '2', 'max_num_seqs');
	assertSetting(text, w.settings.hardware, 'l4', 'L4', 'accelerator_type');
	assertSetting(text, w.settings.deviceCount, 1, '1', 'nvidia.com/gpu');
	assert.deepEqual(findings, []);
});

test('KubeRay on TPU: model and parallelism from runtime_env.env_vars, google.com/tpu and the TPU node selector', async () => {
	const { text, workloads } = await extractSample('kuberay/rayservice-tpu.yaml');
	const w = only(workloads);
	assertSetting(
		text,
		w.model,
		'meta-llama/Llama-3.1-70B-Instruct',
		'meta-llama/Llama-3.1-70B-Instruct',
		'MODEL_ID',
	);
	assertSetting(text, w.settings.tensorParallelSize, 8, '8', 'TENSOR_PARALLELISM');
	assertSetting(text, w.settings.contextLength, 8192, '8192', 'MAX_MODEL_LEN');
	assert.equal(w.settings.hardware?.value, 'tpu-v6e');
	assertSetting(text, w.settings.deviceCount, 8, '8', 'google.com/tpu');
});

test('Windows .bat: CRLF, set and set "…", %VAR%, ^ continuations, .exe, rem and :: comments', async () => {
	const { text, workloads, findings } = await extractSample('windows/start-llama-server.bat');
	assert.ok(text.includes('\r\n'));
	assert.equal(detectFileKind('start-llama-server.bat', text), 'batch');
	const w = only(workloads);
	assert.equal(w.framework, 'llama.cpp');
	assert.equal(w.model.value, 'D:\\models\\Qwen2.5-14B-Instruct-Q4_K_M.gguf');
	assert.equal(slice(text, w.model.span), '%MODEL_DIR%\\Qwen2.5-14B-Instruct-Q4_K_M.gguf');
	// `--ctx-size %CTX%`: the value is written on the `set "CTX=16384"` line.
	assertSetting(text, w.settings.contextLength, 16384, '16384', '--ctx-size');
	assert.match(w.settings.contextLength!.note!, /from %CTX% \(set on line 5\)/);
	assertSetting(text, w.settings.gpuLayers, 99, '99', '-ngl');
	assertSetting(text, w.settings.maxConcurrency, 2, '2', '--parallel');
	assert.equal(w.settings.weightFormat?.value, 'q4_k_m');
	assert.ok(w.flags.some((f) => f.name === 'LLAMA_ARG_FLASH_ATTN' && f.value === 'on'));
	assert.ok(slice(text, w.span)!.startsWith('C:\\llama.cpp\\llama-server.exe ^'));
	assert.deepEqual(findings, []);
});

test('Windows .cmd: %1 is the script argument (set at run time), call python -m vllm…', async () => {
	const file = path.join(SAMPLES, 'windows/serve-vllm.cmd');
	const text = readFileSync(file, 'utf8');
	const a = await analyzeDocument({ path: file, text }, { host: diskHost });
	const w = only(a.workloads.map((x) => x.workload));
	assert.equal(w.framework, 'vllm');
	assert.equal(slice(text, w.model.span ?? w.unknowns.find((u) => u.name === 'model')?.span), '%1');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.9, '0.90', '--gpu-memory-utilization');
	const f = a.findings.find((x) => x.code === 'unknown-model');
	assert.equal(f?.severity, 'information');
	assert.match(f!.message, /`%1` is argument 1/);
	assert.ok(!a.findings.some((x) => x.severity === 'warning' || x.severity === 'error'));
});

test('Jupyter notebook: code cells as one module, magics skipped, spans inside the JSON strings', async () => {
	const { text, workloads, findings } = await extractSample('notebooks/vllm-offline.ipynb');
	assert.equal(detectFileKind('x.ipynb', text), 'notebook');
	// A notebook cell the editor sends on its own is Python, whatever its URI path says.
	assert.equal(detectFileKind('/w/x.ipynb', 'from vllm import LLM\n', 'python'), 'python');
	const w = only(workloads);
	assert.equal(w.syntax, 'python');
	// MODEL_ID and MAX_LEN come from an earlier cell.
	assertSetting(text, w.model, 'Qwen/Qwen2.5-7B-Instruct', 'MODEL_ID', 'model');
	assertSetting(text, w.settings.contextLength, 16384, 'MAX_LEN', 'max_model_len');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.85, '0.85', 'gpu_memory_utilization');
	// `%pip install -q \"vllm==0.10.1\"` in the first code cell pins the engine version.
	assertSetting(text, w.engineVersion, '0.10.1', '0.10.1');
	// `dtype="bfloat16"` is written as `dtype=\"bfloat16\"` inside the JSON string.
	assert.equal(w.settings.weightFormat?.value, 'bf16');
	assert.equal(slice(text, w.settings.weightFormat!.span), '\\"bfloat16\\"');
	assert.ok(slice(text, w.span)!.startsWith('LLM(\\n",'));
	assert.deepEqual(findings, []);
});

test('Jupyter notebook: fixes are JSON-escaped and applying one keeps a valid notebook', async () => {
	const cell = [
		'from vllm import LLM\n',
		'llm = LLM(model="Qwen/Qwen2.5-32B-Instruct", max_model_len=32768, max_num_seqs=256, gpu_memory_utilization=0.9)',
	];
	const text = JSON.stringify(
		{
			cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: cell }],
			metadata: {},
			nbformat: 4,
			nbformat_minor: 5,
		},
		null,
		1,
	);
	const a = await analyzeDocument({ path: 'big.ipynb', text }, { hardwareId: 'h100-sxm' });
	const fixes = a.findings.flatMap((f) => f.fixes ?? []);
	assert.ok(fixes.length > 0, 'expected at least one fix');
	// `kv_cache_dtype="fp8"` goes into a JSON string: its quotes are escaped.
	assert.ok(fixes.some((f) => f.edits.some((e) => e.newText.includes('\\"fp8\\"'))));
	for (const fix of fixes) {
		let out = text;
		for (const e of [...fix.edits].sort((x, y) => y.span.offset - x.span.offset))
			out = out.slice(0, e.span.offset) + e.newText + out.slice(e.span.offset + e.span.length);
		const nb = JSON.parse(out) as { cells: { source: string[] }[] };
		assert.match(nb.cells[0]!.source.join(''), /LLM\(/, fix.title);
	}
});

test('the CLI walks .bat, .cmd and .ipynb files under samples/', () => {
	for (const f of [
		'windows/start-llama-server.bat',
		'windows/serve-vllm.cmd',
		'notebooks/vllm-offline.ipynb',
	])
		assert.notEqual(detectFileKind(f, readFileSync(path.join(SAMPLES, f), 'utf8')), 'unknown', f);
});
