/**
 * Values decided at run time: positional parameters, Python models from parameters/attributes, sibling
 * modules read through the host, `bash -c "… \"$@\"" --` with `args:`, heredoc `--config` files,
 * llama.cpp commands made only of variables, systemd EnvironmentFile= + `bash -c`, LLAMA_ARG_* in any
 * container. Every value is checked against the exact text its span covers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { assertSetting, diskHost, extract, only, slice } from './helpers';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'formats');

async function analyze(file: string, text: string) {
	return analyzeDocument({ path: file, text }, { host: diskHost });
}

test('`vllm serve "$@"` in a script: the model is set at run time (information), not an unknown id', async () => {
	const doc = '#!/bin/bash\nexec vllm serve "$@" --max-model-len 8192\n';
	const w = only((await extract('run.sh', doc)).workloads);
	assert.equal(w.model.value, '');
	assert.match(
		w.unknowns.find((u) => u.name === 'model')!.reason,
		/`\$@` is the arguments the script is started with/,
	);
	assertSetting(doc, w.settings.contextLength, 8192, '8192', '--max-model-len');
	const a = await analyze('run.sh', doc);
	const f = a.findings.filter((x) => x.code === 'unknown-model');
	assert.deepEqual(
		f.map((x) => [x.severity, slice(doc, x.span)]),
		[['information', '"$@"']],
	);
	assert.ok(!a.findings.some((x) => x.severity === 'warning' || x.severity === 'error'));
});

test('`$1` and `${2}` are the script arguments; `$@` inside `sh -c` without arguments stays unknown', async () => {
	const doc = 'llama-server -m "$1" -c ${2} -ngl 99\n';
	const w = only((await extract('start.sh', doc)).workloads);
	assert.match(w.unknowns.find((u) => u.name === 'model')!.reason, /`\$1` is argument 1/);
	assert.match(w.unknowns.find((u) => u.name === 'contextLength')!.reason, /`\$2` is argument 2/);
	assertSetting(doc, w.settings.gpuLayers, 99, '99', '-ngl');
});

test('Kubernetes `bash -c "… vllm serve \\"$@\\"" --` binds args: to $@, $(VAR) from env', async () => {
	const doc = [
		'apiVersion: apps/v1',
		'kind: Deployment',
		'metadata: {name: qwen}',
		'spec:',
		'  template:',
		'    spec:',
		'      containers:',
		'      - name: vllm',
		'        image: vllm/vllm-openai:v0.10.1',
		'        command: ["/bin/bash", "-c", "pip install -q hf_transfer && exec vllm serve \\"$@\\"", "--"]',
		'        args: ["Qwen/Qwen2.5-7B-Instruct", "--max-model-len", "$(MAX_LEN)", "--gpu-memory-utilization=0.85"]',
		'        env:',
		'        - name: MAX_LEN',
		'          value: "16384"',
		'',
	].join('\n');
	const w = only((await extract('deploy.yaml', doc)).workloads);
	assertSetting(doc, w.model, 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct');
	assertSetting(doc, w.settings.contextLength, 16384, '16384', '--max-model-len');
	assertSetting(doc, w.settings.gpuMemoryUtilization, 0.85, '0.85');
	assert.equal(w.engineVersion?.value, '0.10.1');
	// `$1` picks the first argument after `--` ($0).
	const one = doc.replace('vllm serve \\"$@\\"', 'vllm serve \\"$1\\" --max-model-len 4096');
	const w1 = only((await extract('deploy.yaml', one)).workloads);
	assertSetting(one, w1.model, 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct');
	assertSetting(one, w1.settings.contextLength, 4096, '4096');
});

test('Dockerfile exec-form `bash -c "… \\"$0\\" \\"$@\\""` with CMD as the arguments; compose `$$@`', async () => {
	const doc = [
		'FROM vllm/vllm-openai:v0.10.1',
		'ENTRYPOINT ["/bin/bash", "-c", "python3 -m vllm.entrypoints.openai.api_server --model \\"$0\\" \\"$@\\""]',
		'CMD ["Qwen/Qwen2.5-7B-Instruct", "--max-model-len", "8192"]',
		'',
	].join('\n');
	const w = only((await extract('Dockerfile', doc)).workloads);
	assertSetting(doc, w.model, 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', '--model');
	assertSetting(doc, w.settings.contextLength, 8192, '8192', '--max-model-len');
	const compose = [
		'services:',
		'  vllm:',
		'    image: vllm/vllm-openai:v0.10.1',
		'    entrypoint: ["bash", "-c", "vllm serve \\"$$@\\"", "--"]',
		'    command: ["Qwen/Qwen2.5-7B-Instruct", "--max-model-len", "8192"]',
		'',
	].join('\n');
	const c = only((await extract('docker-compose.yml', compose)).workloads);
	assertSetting(compose, c.model, 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct');
	assertSetting(compose, c.settings.contextLength, 8192, '8192');
});

test('Python: a model from a parameter, self.model or a config object is set at run time, naming it', async () => {
	const doc = [
		'from vllm import LLM',
		'',
		'def load(model_id: str):',
		'    return LLM(model=model_id, max_model_len=8192)',
		'',
		'class Server:',
		'    def __init__(self, model):',
		'        self.llm = LLM(model=self.model, tensor_parallel_size=1)',
		'',
	].join('\n');
	const { workloads } = await extract('serve.py', doc);
	assert.equal(workloads.length, 2);
	const [a, b] = workloads;
	assert.equal(a!.model.value, '');
	assert.equal(a!.model.raw, 'model_id');
	assert.equal(slice(doc, a!.model.span), 'model_id');
	assert.match(
		a!.unknowns.find((u) => u.name === 'model')!.reason,
		/`model_id` is a parameter of `load\(\)`/,
	);
	assert.equal(b!.model.raw, 'self.model');
	const r = await analyze('serve.py', doc);
	const models = r.findings.filter((f) => f.code === 'unknown-model');
	assert.equal(models.length, 2);
	assert.ok(models.every((f) => f.severity === 'information'));
	assert.match(models[0]!.message, /model_id/);
	assert.match(models[1]!.message, /self\.model/);
});

test('sibling module: `import settings`, `from settings import X`, os.getenv defaults, through the host', async () => {
	const file = path.join(FIXTURES, 'pyproject-app', 'serve.py');
	const doc = readFileSync(file, 'utf8');
	const w = only((await extract(file, doc, diskHost)).workloads);
	assertSetting(doc, w.model, 'mistralai/Mistral-7B-Instruct-v0.3', 'settings.MODEL_PATH', 'model');
	assert.match(w.model.note!, /from `MODEL_PATH` in settings\.py line 4/);
	assert.match(w.model.note!, /environment variable MODEL_PATH overrides this at run time/);
	assertSetting(doc, w.settings.contextLength, 16384, 'MAX_LEN', 'max_model_len');
	assertSetting(doc, w.settings.gpuMemoryUtilization, 0.88, 'settings.GPU_UTIL');
	assertSetting(doc, w.settings.tensorParallelSize, 2, 'settings.TP');
	assert.match(
		w.unknowns.find((u) => u.name === 'maxConcurrency')!.reason,
		/settings\.py does not assign `MISSING`/,
	);
	// Without a host (no I/O allowed), the same names are unknowns, never guesses.
	const bare = only((await extract(file, doc)).workloads);
	assert.equal(bare.model.value, '');
	assert.equal(bare.settings.contextLength, undefined);
});

test('sibling module in a package: `from . import config`, `from .config import CTX as CONTEXT`', async () => {
	const file = path.join(FIXTURES, 'pkg', 'app.py');
	const doc = readFileSync(file, 'utf8');
	const { workloads } = await extract(file, doc, diskHost);
	assert.equal(workloads.length, 3);
	const [engine, dflt, tf] = workloads;
	assert.equal(engine!.model.value, '');
	assert.equal(engine!.model.raw, 'self.model');
	assertSetting(doc, engine!.settings.contextLength, 32768, 'CONTEXT');
	assertSetting(doc, dflt!.model, 'Qwen/Qwen2.5-7B-Instruct', 'config.MODEL');
	assert.match(dflt!.model.note!, /config\.py line 1/);
	assert.equal(tf!.framework, 'transformers');
	assert.match(tf!.unknowns.find((u) => u.name === 'model')!.reason, /parameter of `load\(\)`/);
});

test('heredoc --config: the YAML the script writes is read at its own offsets', async () => {
	const doc = [
		'#!/bin/bash',
		'set -euo pipefail',
		'cat > /tmp/vllm.yaml <<EOF',
		'model: meta-llama/Llama-3.1-8B-Instruct',
		'max-model-len: 16384',
		'gpu-memory-utilization: 0.9',
		'max_num_seqs: $SEQS',
		'EOF',
		'vllm serve --config /tmp/vllm.yaml --port 8000',
		'',
	].join('\n');
	const w = only((await extract('start.sh', doc)).workloads);
	assertSetting(
		doc,
		w.model,
		'meta-llama/Llama-3.1-8B-Instruct',
		'meta-llama/Llama-3.1-8B-Instruct',
		'model',
	);
	assertSetting(doc, w.settings.contextLength, 16384, '16384', 'max-model-len');
	assert.match(w.settings.contextLength!.note!, /written by the heredoc on line 3/);
	assertSetting(doc, w.settings.gpuMemoryUtilization, 0.9, '0.9');
	const seqs = w.unknowns.find((u) => u.name === 'max_num_seqs');
	assert.equal(slice(doc, seqs?.span), '$SEQS');
	assert.ok(!w.unknowns.some((u) => u.name === 'config'));
});

test('llama.cpp whose model and values are all variables is still a workload, with unknowns', async () => {
	const doc = '#!/bin/sh\n./llama-server -m "$MODEL" -c "$CTX" -ngl "$NGL" --port 8080\n';
	const w = only((await extract('run.sh', doc)).workloads);
	assert.equal(w.framework, 'llama.cpp');
	assert.deepEqual(
		w.unknowns.map((u) => [u.name, slice(doc, u.span)]).filter(([n]) => n !== 'port'),
		[
			['model', '"$MODEL"'],
			['contextLength', '"$CTX"'],
			['gpuLayers', '"$NGL"'],
		],
	);
	const a = await analyze('run.sh', doc);
	assert.ok(!a.findings.some((f) => f.severity === 'warning' || f.severity === 'error'));
	assert.equal(a.findings.find((f) => f.code === 'unknown-model')?.severity, 'information');
	// `--help` alone is no workload.
	assert.equal((await extract('h.sh', 'llama-server --help\n')).workloads.length, 0);
});

test('systemd: EnvironmentFile= read through the host, `bash -c` body with ${VAR}', async () => {
	const dir = path.join(FIXTURES, 'systemd');
	const file = path.join(dir, 'llama-bash.service');
	const doc = readFileSync(file, 'utf8');
	const w = only((await extract(file, doc, diskHost)).workloads);
	assert.equal(w.framework, 'llama.cpp');
	assert.equal(w.model.value, '/srv/models/Qwen2.5-14B-Instruct-Q4_K_M.gguf');
	assert.match(w.model.note!, /llama\.env/);
	// A value from the env file (another document) points at its reference in the unit.
	assertSetting(doc, w.settings.contextLength, 16384, '${CTX}', '-c');
	assertSetting(doc, w.settings.gpuLayers, 99, '99', '-ngl');
});

test('LLAMA_ARG_MODEL / LLAMA_ARG_HF_REPO make any container a llama.cpp server', async () => {
	const k8s = [
		'apiVersion: v1',
		'kind: Pod',
		'metadata: {name: llm}',
		'spec:',
		'  containers:',
		'  - name: llm',
		'    image: registry.example.com/team/inference:2024-11',
		'    args: ["--port", "8080", "-ngl", "99"]',
		'    env:',
		'    - name: LLAMA_ARG_MODEL',
		'      value: /models/qwen2.5-7b-instruct-q4_k_m.gguf',
		'    - name: LLAMA_ARG_CTX_SIZE',
		'      value: "8192"',
		'',
	].join('\n');
	const w = only((await extract('pod.yaml', k8s)).workloads);
	assert.equal(w.framework, 'llama.cpp');
	assertSetting(
		k8s,
		w.model,
		'/models/qwen2.5-7b-instruct-q4_k_m.gguf',
		'/models/qwen2.5-7b-instruct-q4_k_m.gguf',
	);
	assertSetting(k8s, w.settings.contextLength, 8192, '8192', 'LLAMA_ARG_CTX_SIZE');
	assertSetting(k8s, w.settings.gpuLayers, 99, '99', '-ngl');
	assert.equal(w.settings.weightFormat?.value, 'q4_k_m');

	const compose = [
		'services:',
		'  chat:',
		'    image: myorg/chat-backend:latest',
		'    environment:',
		'      LLAMA_ARG_HF_REPO: bartowski/Qwen2.5-7B-Instruct-GGUF',
		'      LLAMA_ARG_CTX_SIZE: "4096"',
		'',
	].join('\n');
	const c = only((await extract('docker-compose.yml', compose)).workloads);
	assert.equal(c.framework, 'llama.cpp');
	assertSetting(compose, c.model, 'bartowski/Qwen2.5-7B-Instruct-GGUF', 'bartowski/Qwen2.5-7B-Instruct-GGUF');
	// -hf without :QUANT downloads Q4_K_M: the same default applies to the variable.
	assert.equal(c.settings.weightFormat?.value, 'q4_k_m');
	assert.equal(c.settings.weightFormat?.source, 'engine-default');

	const dockerfile = [
		'FROM ubuntu:24.04',
		'COPY --from=ghcr.io/ggml-org/llama.cpp:server /app /app',
		'ENV LLAMA_ARG_MODEL=/models/Llama-3.2-3B-Instruct-Q8_0.gguf LLAMA_ARG_N_PARALLEL=4',
		'CMD ["--host", "0.0.0.0"]',
		'',
	].join('\n');
	const d = only((await extract('Dockerfile', dockerfile)).workloads);
	assert.equal(d.framework, 'llama.cpp');
	assertSetting(
		dockerfile,
		d.model,
		'/models/Llama-3.2-3B-Instruct-Q8_0.gguf',
		'/models/Llama-3.2-3B-Instruct-Q8_0.gguf',
	);
	assertSetting(dockerfile, d.settings.maxConcurrency, 4, '4', 'LLAMA_ARG_N_PARALLEL');
	// An unrelated container is still nothing.
	assert.equal((await extract('pod.yaml', k8s.replace(/LLAMA_ARG_MODEL/g, 'APP_MODEL'))).workloads.length, 0);
});
