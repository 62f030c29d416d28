import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSetting, extract, extractSample, only, slice } from './helpers';

test('Kubernetes Deployment: args list, $(VAR) from container env, 2 GPUs, H100 node selector', async () => {
	const { text, workloads, findings } = await extractSample('kubernetes/vllm-h100-tp2.yaml');
	const w = only(workloads); // the Service document has no workload
	assert.equal(w.framework, 'vllm');
	assert.equal(w.syntax, 'cli');
	assertSetting(text, w.engineVersion, '0.10.1', 'v0.10.1');
	assertSetting(
		text,
		w.model,
		'neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8',
		'neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8',
	);
	assertSetting(text, w.settings.tensorParallelSize, 2, '2', '--tensor-parallel-size');
	// `$(MAX_MODEL_LEN)` resolves to the container env value; the span is that value.
	assertSetting(text, w.settings.contextLength, 32768, '32768', '--max-model-len');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.92, '0.92');
	assertSetting(text, w.settings.maxConcurrency, 128, '128', '--max-num-seqs');
	assertSetting(text, w.settings.deviceCount, 2, '2');
	assertSetting(text, w.settings.hardware, 'h100-sxm', 'NVIDIA-H100-80GB-HBM3');
	assert.deepEqual(findings, []);
});

test('Kubernetes: sh -c with a folded string, GKE accelerator label, GPU count as a string', async () => {
	const { text, workloads } = await extractSample('kubernetes/gke-l4-shell.yaml');
	const w = only(workloads);
	assertSetting(text, w.model, 'google/gemma-2-9b-it', 'google/gemma-2-9b-it');
	assertSetting(text, w.settings.contextLength, 8192, '8192', '--max-model-len');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.95, '0.95');
	assertSetting(text, w.settings.hardware, 'l4', 'nvidia-l4');
	assertSetting(text, w.settings.deviceCount, 1, '1');
	assert.equal(w.engineVersion, undefined); // `latest` is not a version
});

test('Kubernetes: llama.cpp image args with required node affinity', async () => {
	const { text, workloads } = await extractSample('kubernetes/llamacpp-a100-affinity.yaml');
	const w = only(workloads);
	assert.equal(w.framework, 'llama.cpp');
	assertSetting(text, w.engineVersion, 'b5880', 'server-cuda-b5880');
	assertSetting(text, w.settings.hardware, 'a100-80gb-sxm', 'NVIDIA-A100-SXM4-80GB');
	assertSetting(text, w.settings.contextLength, 32768, '32768', '-c');
	assertSetting(text, w.settings.maxConcurrency, 4, '4', '-np');
	assertSetting(text, w.settings.weightFormat, 'q5_k_m', 'Q5_K_M');
});

test('bad YAML gives an unparseable-config diagnostic at the error and the other documents still count', async () => {
	const { text, workloads, findings } = await extractSample('kubernetes/broken-indent.yaml');
	const errs = findings.filter((f) => f.code === 'unparseable-config');
	assert.equal(errs.length, 1);
	assert.equal(errs[0]!.severity, 'error');
	// The error sits on line 10, the badly indented `resources:` line.
	const line = text.slice(0, errs[0]!.span.offset).split('\n').length;
	assert.equal(line, 10);
	assert.ok(workloads.length >= 1);
	assert.equal(workloads[workloads.length - 1]!.settings.contextLength?.value, 8192);
	const r = await extract('x.yaml', 'model: [unclosed\nvllm: {');
	assert.ok(r.findings.length >= 1 && r.findings.every((f) => f.code === 'unparseable-config'));
});

test('compose: list command with image args, ${VAR:-default}, GPU reservation count, env LLAMA_ARG_*', async () => {
	const { text, workloads, findings } = await extractSample('compose/docker-compose.yml');
	assert.equal(workloads.length, 2);
	const [v, l] = workloads;
	assertSetting(text, v!.engineVersion, '0.8.5', 'v0.8.5');
	assertSetting(text, v!.model, 'Qwen/Qwen2.5-32B-Instruct-AWQ', 'Qwen/Qwen2.5-32B-Instruct-AWQ', '--model');
	assertSetting(text, v!.settings.quantization, 'awq', 'awq', '--quantization');
	assertSetting(text, v!.settings.contextLength, 32768, '32768', '--max-model-len');
	assert.equal(v!.settings.contextLength!.raw, '${MAX_LEN:-32768}');
	assertSetting(text, v!.settings.deviceCount, 2, '2', 'count');
	assert.equal(l!.framework, 'llama.cpp');
	assertSetting(text, l!.settings.contextLength, 8192, '8192', 'LLAMA_ARG_CTX_SIZE');
	assertSetting(text, l!.settings.maxConcurrency, 2, '2', 'LLAMA_ARG_N_PARALLEL');
	assertSetting(text, l!.settings.gpuLayers, 99, '99', '--n-gpu-layers');
	assertSetting(
		text,
		l!.model,
		'/models/Qwen2.5-3B-Instruct-Q4_K_M.gguf',
		'/models/Qwen2.5-3B-Instruct-Q4_K_M.gguf',
		'-m',
	);
	assert.deepEqual(findings, []);
});

test('compose: folded command with entrypoint vllm serve and device_ids', async () => {
	const { text, workloads } = await extractSample('compose/compose.folded.yaml');
	const w = only(workloads);
	assertSetting(
		text,
		w.model,
		'mistralai/Mixtral-8x7B-Instruct-v0.1',
		'mistralai/Mixtral-8x7B-Instruct-v0.1',
	);
	assertSetting(text, w.settings.tensorParallelSize, 4, '4', '--tensor-parallel-size');
	assertSetting(text, w.settings.contextLength, 32768, '32768', '--max-model-len');
	assertSetting(text, w.settings.maxConcurrency, 256, '256', '--max-num-seqs');
	assert.equal(w.settings.deviceCount?.value, 4); // four device ids
});

test('compose .env next to the file feeds ${VAR} interpolation through the host', async () => {
	const doc =
		'services:\n  v:\n    image: vllm/vllm-openai:v0.9.0\n    command: --model m --max-model-len ${LEN}\n';
	const host = {
		readFile: (p: string) => (p === 'proj/.env' ? new TextEncoder().encode('LEN=12288\n') : undefined),
	};
	const w = only((await extract('proj/compose.yaml', doc, host)).workloads);
	assert.equal(w.settings.contextLength?.value, 12288);
	assert.match(w.settings.contextLength!.note!, /\.env/);
	const without = only((await extract('proj/compose.yaml', doc)).workloads);
	assert.equal(without.settings.contextLength, undefined);
	assert.match(without.unknowns[0]!.reason, /\$LEN/);
});

test('production-stack Helm values: modelURL, vllmConfig keys, extraArgs, requestGPU, tag, node affinity', async () => {
	const { text, workloads, findings } = await extractSample('helm/production-stack-values.yaml');
	assert.equal(workloads.length, 2);
	const [a, b] = workloads;
	assert.equal(a!.syntax, 'yaml');
	assertSetting(
		text,
		a!.model,
		'meta-llama/Llama-3.1-8B-Instruct',
		'meta-llama/Llama-3.1-8B-Instruct',
		'modelURL',
	);
	assertSetting(text, a!.engineVersion, '0.9.1', 'v0.9.1');
	assertSetting(text, a!.settings.contextLength, 32768, '32768', 'maxModelLen');
	assertSetting(text, a!.settings.weightFormat, 'bf16', 'bfloat16', 'dtype');
	assertSetting(text, a!.settings.gpuMemoryUtilization, 0.9, '0.9', 'gpuMemoryUtilization');
	assertSetting(text, a!.settings.maxConcurrency, 256, '256', 'maxNumSeqs');
	assertSetting(text, a!.settings.deviceCount, 1, '1', 'requestGPU');
	assertSetting(text, a!.settings.hardware, 'l40s', 'NVIDIA-L40S');
	assertSetting(text, b!.settings.tensorParallelSize, 2, '2', 'tensorParallelSize');
	assertSetting(text, b!.settings.batchTokens, 8192, '8192', '--max-num-batched-tokens');
	assertSetting(text, b!.settings.deviceCount, 2, '2', 'requestGPU');
	// --disable-log-requests in extraArgs: deprecated (removed in 0.12), still accepted by the pinned 0.9.1.
	assert.deepEqual(
		findings.map((f) => [f.code, slice(text, f.span)]),
		[['deprecated-flag', '--disable-log-requests']],
	);
	assert.match(findings[0]!.message, /0\.9\.1/);
});

test('vLLM --config YAML: kebab and snake keys, `false` is dropped by vLLM, list values', async () => {
	const { text, workloads, findings } = await extractSample('vllm/vllm-config.yaml');
	const w = only(workloads);
	assert.equal(w.syntax, 'yaml');
	assertSetting(
		text,
		w.model,
		'meta-llama/Llama-3.1-8B-Instruct',
		'meta-llama/Llama-3.1-8B-Instruct',
		'model',
	);
	assertSetting(text, w.settings.contextLength, 65536, '65536', 'max_model_len');
	assertSetting(text, w.settings.kvCacheDtype, 'fp8', 'fp8', 'kv-cache-dtype');
	assertSetting(text, w.settings.maxConcurrency, 128, '128', 'max-num-seqs');
	assert.deepEqual(
		findings.map((f) => [f.code, slice(text, f.span)]),
		[['ignored-config-value', 'enable-prefix-caching']],
	);
	const typo = await extract('vllm.yaml', 'model: m\nmax-model-len: 4096\ngpu_memory_utilisation: 0.8\n');
	assert.deepEqual(
		typo.findings.map((f) => f.code),
		['unknown-flag'],
	);
	assert.match(typo.findings[0]!.message, /--gpu-memory-utilization/);
});

test('YAML without a workload yields nothing: CI workflow, plain config, empty file', async () => {
	assert.deepEqual((await extractSample('ci/github-workflow.yml')).workloads, []);
	const cfg = await extract('app.yaml', 'name: vllm-dashboard\nreplicas: 2\nport: 8000\n');
	assert.deepEqual(cfg, { workloads: [], findings: [] });
	assert.deepEqual(await extract('x.yaml', ''), { workloads: [], findings: [] });
	// A pod running something else (the keyword is only in a label).
	const pod =
		'kind: Pod\nmetadata: { labels: { app: vllm-proxy } }\nspec:\n  containers:\n    - name: p\n      image: nginx\n';
	assert.deepEqual((await extract('p.yaml', pod)).workloads, []);
});

test('KubeAI Model: url, args, resourceProfile', async () => {
	const doc =
		'apiVersion: kubeai.org/v1\nkind: Model\nmetadata: { name: qwen }\nspec:\n  url: hf://Qwen/Qwen2.5-7B-Instruct\n' +
		'  engine: VLLM\n  resourceProfile: nvidia-gpu-l4:2\n  args:\n    - --max-model-len=8192\n';
	const w = only((await extract('model.yaml', doc)).workloads);
	assertSetting(doc, w.model, 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct');
	assertSetting(doc, w.settings.contextLength, 8192, '8192');
	assert.equal(w.settings.hardware?.value, 'l4');
	assert.equal(w.settings.deviceCount?.value, 2);
});

test('list arguments get no fixes that would insert text inside one list item', async () => {
	const doc =
		'kind: Pod\nspec:\n  containers:\n    - name: l\n      image: ghcr.io/ggml-org/llama.cpp:server\n' +
		'      args: ["-m", "/m/x-Q4_0.gguf", "--ctx-size=4096", "-fa"]\n';
	const { findings } = await extract('pod.yaml', doc);
	assert.deepEqual(
		findings.map((f) => [f.code, slice(doc, f.span), f.fixes]),
		[
			['unknown-flag', '--ctx-size', undefined],
			['deprecated-flag', '-fa', undefined],
		],
	);
	const doc2 = 'services:\n  v:\n    image: x/custom\n    command: ["vllm", "serve", "--model", "org/m"]\n';
	const f2 = (await extract('compose.yaml', doc2)).findings;
	assert.equal(f2[0]!.code, 'deprecated-flag');
	assert.equal(f2[0]!.fixes, undefined);
});

test('compose x- templates: <<: *anchor merges and *alias values are followed', async () => {
	const doc =
		'x-vllm: &vllm\n  image: vllm/vllm-openai:v0.9.2\n  deploy: {resources: {reservations: {devices: [{driver: nvidia, count: 2}]}}}\n' +
		'x-len: &len "16384"\n' +
		'services:\n  a:\n    <<: *vllm\n    command: ["--model", "org/a", "-tp", "2", "--max-model-len", *len]\n' +
		'  b:\n    <<: [*vllm]\n    command: --model org/b\n';
	const { workloads } = await extract('compose.yaml', doc);
	assert.equal(workloads.length, 2);
	const [a, b] = workloads;
	assertSetting(doc, a!.engineVersion, '0.9.2', 'v0.9.2');
	assertSetting(doc, a!.settings.deviceCount, 2, '2', 'count');
	assertSetting(doc, a!.settings.contextLength, 16384, '16384'); // the anchor's value
	assert.equal(b!.model.value, 'org/b');
	assert.equal(b!.settings.deviceCount?.value, 2);
});

test('Helm chart templates: {{ }} lines are not syntax errors and template values are unknown', async () => {
	const doc =
		'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n' +
		'        - name: vllm\n          image: "vllm/vllm-openai:{{ .Values.tag }}"\n' +
		'          args: ["--model", "{{ .Values.model }}", "--max-model-len", "8192"]\n' +
		'          {{- with .Values.resources }}\n          resources: {{ toYaml . | nindent 12 }}\n          {{- end }}\n';
	const { workloads, findings } = await extract('templates/deployment.yaml', doc);
	assert.deepEqual(
		findings.filter((f) => f.code === 'unparseable-config'),
		[],
	);
	const w = only(workloads);
	assert.equal(w.settings.contextLength?.value, 8192);
	assert.match(w.unknowns.find((u) => u.name === 'model')!.reason, /template expression/);
});
