import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSetting, extract, extractSample, only, slice } from './helpers';

test('vllm serve with continuations, comments, quoting, env defaults and `_` spellings', async () => {
	const { text, workloads, findings } = await extractSample('vllm/serve-llama-8b.sh');
	const w = only(workloads);
	assert.equal(w.framework, 'vllm');
	assert.equal(w.syntax, 'cli');
	// `"$MODEL"` resolves to the assignment earlier in the script; the span points at that value.
	assertSetting(text, w.model, 'meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Llama-3.1-8B-Instruct');
	assert.equal(w.model.raw, '"$MODEL"');
	// `${MAX_LEN:-32k}`: the default applies; 32k = 32 × 1000 tokens; span on the default itself.
	assertSetting(text, w.settings.contextLength, 32_000, '32k', '--max_model_len');
	assert.equal(w.settings.contextLength!.raw, '${MAX_LEN:-32k}');
	assert.match(w.settings.contextLength!.note!, /env default/);
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.9, '0.90', '--gpu-memory-utilization');
	assertSetting(text, w.settings.weightFormat, 'bf16', 'bfloat16', '--dtype');
	assertSetting(text, w.settings.maxConcurrency, 64, '64', '--max-num-seqs');
	const canon = w.flags.map((f) => f.canonical);
	assert.deepEqual(canon, [
		'max-model-len',
		'gpu-memory-utilization',
		'dtype',
		'enable-prefix-caching',
		'max-num-seqs',
		'host',
		'port',
	]);
	assert.ok(w.flags.every((f) => f.known && slice(text, f.span) === f.name));
	assert.deepEqual(findings, []);
	// The workload spans the whole `exec vllm serve …` command, without the trailing comment.
	assert.ok(slice(text, w.span)!.startsWith('exec vllm serve'));
	assert.ok(!slice(text, w.span)!.includes('listen on all'));
});

test('a bare $VAR is unknown with the reason, and nothing is guessed', async () => {
	const doc = 'vllm serve $MODEL --max-model-len "$LEN" --tensor-parallel-size 2\n';
	const w = only((await extract('x.sh', doc)).workloads);
	assert.equal(w.settings.contextLength, undefined);
	assertSetting(doc, w.settings.tensorParallelSize, 2, '2', '--tensor-parallel-size');
	const byName = Object.fromEntries(w.unknowns.map((u) => [u.name, u]));
	assert.match(byName.model!.reason, /\$MODEL is read from the environment at run time/);
	assert.equal(slice(doc, byName.contextLength!.span), '"$LEN"');
});

test('python -m entry point, && chains, and flags written with =', async () => {
	const doc =
		'cd /srv && python3 -u -m vllm.entrypoints.openai.api_server --model=Qwen/Qwen2.5-7B-Instruct -tp=2 \\\n' +
		'   -q awq --max-num-batched-tokens 4K || exit 1\n';
	const w = only((await extract('x.sh', doc)).workloads);
	assertSetting(doc, w.model, 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2.5-7B-Instruct', '--model');
	assertSetting(doc, w.settings.tensorParallelSize, 2, '2', '-tp');
	assertSetting(doc, w.settings.quantization, 'awq', 'awq', '-q');
	assertSetting(doc, w.settings.batchTokens, 4096, '4K'); // 4 × 1024
});

test('unknown flags get the closest spelling and a rename fix', async () => {
	const { text, workloads, findings } = await extractSample('vllm/unknown-flag.sh');
	const w = only(workloads);
	const unknown = findings.filter((f) => f.code === 'unknown-flag');
	assert.deepEqual(
		unknown.map((f) => slice(text, f.span)),
		['--max-model-length', '--gpu-memory-utilisation'],
	);
	assert.equal(unknown[0]!.severity, 'warning');
	assert.match(unknown[0]!.message, /did you mean `--max-model-len`/);
	assert.equal(unknown[0]!.fixes![0]!.edits[0]!.newText, '--max-model-len');
	assert.deepEqual(unknown[0]!.fixes![0]!.edits[0]!.span, unknown[0]!.span);
	// The unknown flags are still listed, with their values, but feed no setting.
	const f = w.flags.find((x) => x.name === '--max-model-length')!;
	assert.equal(f.known, false);
	assert.equal(f.value, '8192');
	assert.equal(w.settings.contextLength, undefined);
	assertSetting(text, w.settings.tensorParallelSize, 1, '1', '--tensor-parallel-size');
});

test('vLLM accepts a unique prefix (argparse allow_abbrev) and --no-X for booleans', async () => {
	const doc = 'vllm serve m --max-num-batched-token 8192 --no-enable-prefix-caching --max-num 4\n';
	const { workloads, findings } = await extract('x.sh', doc);
	const w = only(workloads);
	assertSetting(doc, w.settings.batchTokens, 8192, '8192', '--max-num-batched-token');
	assert.equal(w.flags[1]!.canonical, 'enable-prefix-caching');
	// `--max-num` matches both --max-num-seqs and --max-num-batched-tokens: ambiguous, so unknown.
	assert.deepEqual(
		findings.map((f) => [f.code, slice(doc, f.span)]),
		[['unknown-flag', '--max-num']],
	);
});

test('deprecated flags name the version and replacement, judged against the pinned version', async () => {
	const { text, workloads, findings } = await extractSample('vllm/legacy/api-server-legacy.sh');
	const w = only(workloads);
	assert.equal(w.engineVersion?.value, '0.6.3'); // requirements.txt next to the script
	const dep = findings.filter((f) => f.code === 'deprecated-flag');
	assert.deepEqual(
		dep.map((f) => slice(text, f.span)),
		['--use-v2-block-manager', '--disable-log-requests'],
	);
	assert.match(dep[1]!.message, /removal in v0\.12/);
	assert.match(dep[1]!.message, /--no-enable-log-requests/);
	assert.match(dep[1]!.message, /0\.6\.3 .* still accepts it/);
	assert.equal(dep[1]!.fixes![0]!.edits[0]!.newText, '--no-enable-log-requests');
	assert.ok(w.flags.find((f) => f.name === '--disable-log-requests')!.deprecated);
	// A pin at or past the removal says the engine rejects it.
	const pinned = await extract(
		'Dockerfile',
		'FROM vllm/vllm-openai:v0.12.0\nCMD ["--model", "m", "--disable-log-requests"]\n',
	);
	assert.match(pinned.findings[0]!.message, /0\.12\.0 .* at or past that release/);
});

test('`vllm serve --model X` is deprecated with a fix that makes the model positional', async () => {
	const doc = 'vllm serve --model meta-llama/Llama-3.1-8B --port 8000\n';
	const { workloads, findings } = await extract('x.sh', doc);
	assertSetting(doc, only(workloads).model, 'meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B', '--model');
	const f = findings.find((x) => x.code === 'deprecated-flag')!;
	assert.equal(slice(doc, f.span), '--model');
	const edits = f.fixes![0]!.edits;
	// Apply the edits back to front and check the result.
	let fixed = doc;
	for (const e of [...edits].sort((a, b) => b.span.offset - a.span.offset))
		fixed = fixed.slice(0, e.span.offset) + e.newText + fixed.slice(e.span.offset + e.span.length);
	assert.equal(fixed, 'vllm serve meta-llama/Llama-3.1-8B  --port 8000\n');
});

test('llama-server with aliases, env exports, -ctk/-ctv, partial offload and quant from the file name', async () => {
	const { text, workloads, findings } = await extractSample('llama.cpp/partial-offload-70b.sh');
	const w = only(workloads);
	assert.equal(w.framework, 'llama.cpp');
	assert.equal(w.model.value, '/srv/models/Meta-Llama-3.1-70B-Instruct-Q4_K_M.gguf');
	// The value mixes $MODEL_DIR with literal text: the span is the argument as written.
	assert.equal(slice(text, w.model.span), '"$MODEL_DIR/Meta-Llama-3.1-70B-Instruct-Q4_K_M.gguf"');
	assertSetting(text, w.settings.gpuLayers, 20, '20', '-ngl');
	assertSetting(text, w.settings.contextLength, 8192, '8192', '-c');
	assertSetting(text, w.settings.maxConcurrency, 2, '2', '-np');
	assertSetting(text, w.settings.threads, 16, '16', '-t');
	assertSetting(text, w.settings.kvCacheDtype, 'q8_0', 'q8_0', '-ctk');
	assert.equal(w.settings.weightFormat?.value, 'q4_k_m');
	assert.equal(findings.length, 0);
});

test('llama.cpp: LLAMA_ARG_* exports apply, the CLI overrides them, `=` is rejected, bare -fa is old', async () => {
	const doc =
		'export LLAMA_ARG_CTX_SIZE=16384 LLAMA_ARG_N_GPU_LAYERS=99\n' +
		'llama-server -hf unsloth/Qwen3-8B-GGUF -c 4096 --n_gpu_layers=33 -fa\n';
	const { workloads, findings } = await extract('x.sh', doc);
	const w = only(workloads);
	assertSetting(doc, w.settings.contextLength, 4096, '4096', '-c');
	assertSetting(doc, w.settings.gpuLayers, 33, '33', '--n_gpu_layers');
	assert.equal(w.flags[0]!.name, 'LLAMA_ARG_CTX_SIZE');
	assert.equal(slice(doc, w.flags[0]!.valueSpan), '16384');
	// -hf without :QUANT downloads Q4_K_M.
	assert.equal(w.settings.weightFormat?.value, 'q4_k_m');
	assert.equal(w.settings.weightFormat?.source, 'engine-default');
	const codes = findings.map((f) => [f.code, slice(doc, f.span)]);
	assert.deepEqual(codes, [
		['unknown-flag', '--n_gpu_layers'],
		['deprecated-flag', '-fa'],
	]);
	assert.equal(findings[0]!.fixes![0]!.edits[0]!.newText, ' ');
});

test('legacy ./main with removed flags', async () => {
	const { text, workloads, findings } = await extractSample('llama.cpp/legacy-main.sh');
	const w = only(workloads);
	assertSetting(text, w.settings.contextLength, 4096, '4096', '--ctx_size');
	assertSetting(text, w.settings.gpuLayers, 43, '43', '--n-gpu-layers');
	assert.deepEqual(
		findings.map((f) => slice(text, f.span)),
		['main', '-ins', '--memory-f32'],
	);
	assert.match(findings[0]!.message, /llama-cli/);
	assert.match(findings[1]!.message, /was removed from llama\.cpp/);
});

test('ollama run/pull give a model only; docker run picks the engine from the image', async () => {
	const doc =
		'ollama pull llama3.1:70b-instruct-q8_0\n' +
		'docker run --rm --gpus \'"device=0,1"\' -e HF_TOKEN=x -p 8000:8000 vllm/vllm-openai:v0.9.0 --model Qwen/Qwen2.5-72B-Instruct-AWQ -tp 2\n';
	const { workloads } = await extract('x.sh', doc);
	assert.equal(workloads.length, 2);
	const [o, v] = workloads;
	assertSetting(doc, o!.model, 'llama3.1:70b-instruct-q8_0', 'llama3.1:70b-instruct-q8_0');
	assert.equal(o!.settings.weightFormat?.value, 'q8_0');
	assert.equal(v!.framework, 'vllm');
	assertSetting(doc, v!.engineVersion, '0.9.0', 'v0.9.0');
	assertSetting(doc, v!.settings.deviceCount, 2, '"device=0,1"'); // two ids listed
	assertSetting(doc, v!.settings.tensorParallelSize, 2, '2', '-tp');
});

test('llama.cpp image args and --gpus all', async () => {
	const { text, workloads } = await extractSample('llama.cpp/docker-run.sh');
	const w = only(workloads);
	assertSetting(
		text,
		w.model,
		'bartowski/Qwen2.5-7B-Instruct-GGUF:Q6_K',
		'bartowski/Qwen2.5-7B-Instruct-GGUF:Q6_K',
		'-hf',
	);
	assertSetting(text, w.settings.weightFormat, 'q6_k', 'Q6_K');
	assertSetting(text, w.settings.contextLength, 16384, '16384', 'LLAMA_ARG_CTX_SIZE');
	assert.equal(w.settings.deviceCount, undefined);
	assert.match(w.unknowns.find((u) => u.name === 'deviceCount')!.reason, /--gpus all/);
});

test('heredoc bodies, comments and unrelated commands are ignored; empty files are fine', async () => {
	const doc =
		'# vllm serve commented/out --max-model-len 1\n' +
		"cat <<'EOF' > run.sh\nvllm serve in/heredoc --max-model-len 2\nEOF\n" +
		'echo "vllm serve quoted/text"\n' +
		'vllm bench serve --model x\n';
	assert.deepEqual((await extract('x.sh', doc)).workloads, []);
	assert.deepEqual(await extract('x.sh', ''), { workloads: [], findings: [] });
});

test('sh -c strings and functions are looked into', async () => {
	const doc = 'serve() {\n  nohup sh -c "llama-server -m /m/phi-3-mini-Q8_0.gguf -c 2048" &\n}\n';
	const w = only((await extract('x.sh', doc)).workloads);
	assertSetting(doc, w.settings.contextLength, 2048, '2048', '-c');
	assertSetting(doc, w.settings.weightFormat, 'q8_0', 'Q8_0');
});

test('vllm serve --config reads the YAML through the host; the command line wins', async () => {
	const doc = 'vllm serve --config conf/serve.yaml --max-model-len 8192\n';
	const files: Record<string, string> = {
		'deploy/conf/serve.yaml':
			'model: org/m-7b\nmax_model_len: 32768\nmax-num-seqs: 48\nenable-prefix-caching: false\n',
	};
	const host = { readFile: (p: string) => (files[p] ? new TextEncoder().encode(files[p]) : undefined) };
	const w = only((await extract('deploy/serve.sh', doc, host)).workloads);
	assert.equal(w.model.value, 'org/m-7b');
	assert.equal(slice(doc, w.model.span), 'conf/serve.yaml');
	assertSetting(doc, w.settings.contextLength, 8192, '8192', '--max-model-len'); // CLI > config
	assert.equal(w.settings.maxConcurrency?.value, 48);
	assert.match(w.settings.maxConcurrency!.note!, /serve\.yaml/);
	const unread = only((await extract('deploy/serve.sh', doc)).workloads);
	assert.match(unread.unknowns.find((u) => u.name === 'config')!.reason, /could not be read/);
});

test('the program itself may come from a variable', async () => {
	const doc = 'BIN=/opt/venv/bin/vllm\n"$BIN" serve org/m --max-model-len 2048\n';
	const w = only((await extract('x.sh', doc)).workloads);
	assertSetting(doc, w.settings.contextLength, 2048, '2048');
	assert.equal(w.model.value, 'org/m');
});

test('llama.cpp :full images take --run/--server first; vLLM reads a .gguf quant; CRLF line endings', async () => {
	const doc =
		'docker run -v /m:/models ghcr.io/ggml-org/llama.cpp:full --run -m /models/phi-4-Q8_0.gguf -c 2048\r\n' +
		'docker run ghcr.io/ggml-org/llama.cpp:full --convert /models/x\r\n' +
		'vllm serve /models/qwen2.5-7b-instruct-q4_k_m.gguf \\\r\n  --tokenizer Qwen/Qwen2.5-7B-Instruct \\\r\n  --max-model-len 4096\r\n';
	const { workloads } = await extract('x.sh', doc);
	assert.equal(workloads.length, 2); // --convert starts no server
	const [l, v] = workloads;
	assertSetting(doc, l!.settings.contextLength, 2048, '2048', '-c');
	assert.equal(l!.settings.weightFormat?.value, 'q8_0');
	assertSetting(doc, v!.settings.weightFormat, 'q4_k_m', 'q4_k_m');
	assertSetting(doc, v!.settings.contextLength, 4096, '4096', '--max-model-len');
	assert.ok(v!.flags.every((f) => !f.name.includes('\r') && !(f.value ?? '').includes('\r')));
});

test('values vLLM would reject are invalid-flag-value findings and the setting stays unknown', async () => {
	const doc = 'vllm serve m --gpu-memory-utilization 1.5 --max-model-len lots -tp 0 --max-num-seqs 32\n';
	const { workloads, findings } = await extract('x.sh', doc);
	const w = only(workloads);
	assert.deepEqual(
		findings.map((f) => [f.code, slice(doc, f.span)]),
		[
			['invalid-flag-value', '1.5'],
			['invalid-flag-value', 'lots'],
			['invalid-flag-value', '0'],
		],
	);
	assert.equal(w.settings.gpuMemoryUtilization, undefined);
	assert.equal(w.settings.contextLength, undefined);
	assert.equal(w.settings.tensorParallelSize, undefined);
	assertSetting(doc, w.settings.maxConcurrency, 32, '32');
	assert.deepEqual(
		w.unknowns.map((u) => u.name),
		['gpuMemoryUtilization', 'contextLength', 'tensorParallelSize'],
	);
});

test('a flag never swallows the next flag as its value; -O3 carries its own value', async () => {
	const doc = 'vllm serve m -O3 -tp 2 --seed -1 --max-model-len --port 80\n';
	const w = only((await extract('x.sh', doc)).workloads);
	assertSetting(doc, w.settings.tensorParallelSize, 2, '2', '-tp');
	const o = w.flags.find((f) => f.name === '-O3')!;
	assert.equal(o.value, '3');
	assert.equal(slice(doc, o.valueSpan), '3');
	assert.equal(w.flags.find((f) => f.name === '--seed')!.value, '-1');
	assert.match(w.unknowns.find((u) => u.name === 'contextLength')!.reason, /has no value/);
});

test('python -m llama_cpp.server: underscore flags and its own defaults (n_ctx 2048, CPU only)', async () => {
	const doc =
		'python3 -m llama_cpp.server --model /m/mistral-7b-instruct.Q4_K_M.gguf --n_ctx 8192 --host 0.0.0.0 --n-gpu-layers 20\n';
	const { workloads, findings } = await extract('x.sh', doc);
	const w = only(workloads);
	assert.equal(w.framework, 'llama.cpp');
	assertSetting(doc, w.settings.contextLength, 8192, '8192', '--n_ctx');
	assert.equal(w.settings.weightFormat?.value, 'q4_k_m');
	// argparse registers `--n_gpu_layers` only: the dashed spelling is unknown, so the default applies.
	assert.deepEqual(
		findings.map((f) => [f.code, slice(doc, f.span)]),
		[['unknown-flag', '--n-gpu-layers']],
	);
	assert.match(findings[0]!.message, /llama-cpp-python server/);
	assert.match(findings[0]!.message, /--n_gpu_layers/);
	assert.equal(findings[0]!.fixes![0]!.edits[0]!.newText, '--n_gpu_layers');
	assert.equal(w.settings.gpuLayers?.value, 0);
	assert.equal(w.settings.gpuLayers?.source, 'engine-default');
});

test('wrappers are looked through: sudo -u, env, uv run, nohup, docker exec, podman run', async () => {
	const doc =
		'sudo -u svc env HF_HOME=/hf uv run --frozen vllm serve org/a --max-model-len 1024\n' +
		'nohup docker exec -it box ollama run qwen2.5:7b &\n' +
		'podman run --device nvidia.com/gpu=all docker.io/vllm/vllm-openai:v0.9.0 --model org/b\n';
	const { workloads } = await extract('x.sh', doc);
	assert.deepEqual(
		workloads.map((w) => [w.framework, w.model.value]),
		[
			['vllm', 'org/a'],
			['ollama', 'qwen2.5:7b'],
			['vllm', 'org/b'],
		],
	);
	assertSetting(doc, workloads[0]!.settings.contextLength, 1024, '1024');
	assert.equal(workloads[2]!.engineVersion?.value, '0.9.0');
});
