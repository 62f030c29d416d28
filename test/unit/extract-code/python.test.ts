import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPython } from '../../../server/src/analysis/extract/python';
import path from 'node:path';
import { ROOT, at, assertSetting, diskHost, sample } from './helpers';

async function extract(text: string, path = '/w/app.py', host?: typeof diskHost) {
	return extractPython({ path, text, host });
}

test('vLLM LLM(...) with module constants, int arithmetic and **dict', async () => {
	const { path, text } = sample('python/vllm_offline.py');
	const { workloads, findings } = await extract(text, path);
	assert.equal(workloads.length, 1);
	assert.equal(findings.length, 0);
	const w = workloads[0];
	assert.equal(w.framework, 'vllm');
	assert.equal(w.syntax, 'python');
	assert.ok(at(text, w.span).startsWith('LLM(\n        model=MODEL'));
	assertSetting(text, w.model, 'meta-llama/Llama-3.1-70B-Instruct', 'MODEL', 'model');
	assert.equal(w.model.note, 'from `MODEL` (line 4)');
	assertSetting(text, w.settings.tensorParallelSize, 8, 'TP', 'tensor_parallel_size');
	assertSetting(text, w.settings.contextLength, 32 * 1024, 'MAX_LEN', 'max_model_len'); // 32768
	assert.match(w.settings.contextLength!.note!, /`MAX_LEN` \(line 6\)/);
	assertSetting(text, w.settings.maxConcurrency, 256, 'BATCH');
	// From ENGINE_KWARGS: the span is the value inside the dict literal, the key span the dict key's text.
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.92, '0.92', 'gpu_memory_utilization');
	assertSetting(text, w.settings.kvCacheDtype, 'fp8', '"fp8"', 'kv_cache_dtype');
	assert.match(w.settings.kvCacheDtype!.note!, /dict `ENGINE_KWARGS` \(line 9\)/);
	assertSetting(text, w.settings.weightFormat, 'bf16', '"bfloat16"', 'dtype');
	const flag = w.flags.find((f) => f.name === 'enforce_eager');
	assert.equal(flag?.canonical, 'enforce-eager');
	assert.equal(at(text, flag?.valueSpan), 'False');
});

test('AsyncEngineArgs with env defaults, a parameter default, a run-time value and a misspelt kwarg', async () => {
	const { path, text } = sample('python/vllm_engine.py');
	const { workloads, findings } = await extract(text, path);
	assert.equal(workloads.length, 1, 'from_engine_args(engine_args) is the same workload, not a second one');
	const w = workloads[0];
	assertSetting(text, w.model, 'Qwen/Qwen2.5-32B-Instruct-AWQ', 'MODEL_ID');
	assert.match(w.model.note!, /environment variable MODEL_ID overrides this at run time/);
	assertSetting(text, w.settings.contextLength, 16384, 'MAX_MODEL_LEN'); // int(os.environ.get(..., "16384"))
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.9, 'GPU_UTIL'); // float(os.getenv(..., "0.9"))
	assertSetting(text, w.settings.maxConcurrency, 64, 'max_seqs');
	assert.match(w.settings.maxConcurrency!.note!, /default of parameter `max_seqs`/);
	assertSetting(text, w.settings.weightFormat, 'awq', '"awq"', 'quantization');
	assert.equal(w.settings.tensorParallelSize, undefined);
	const tp = w.unknowns.find((u) => u.name === 'tensorParallelSize');
	assert.match(tp!.reason, /environment at run time/);
	assert.equal(at(text, tp!.span), 'int(os.environ["TP_SIZE"])');
	assert.equal(findings.length, 1);
	const f = findings[0];
	assert.equal(f.code, 'unknown-flag');
	assert.equal(f.workload, 0);
	assert.equal(at(text, f.span), 'max_num_batched_token');
	assert.deepEqual(f.fixes![0].edits, [{ span: f.span, newText: 'max_num_batched_tokens' }]);
	assert.match(f.message, /unexpected keyword argument/);
	assert.equal(w.flags.find((x) => x.name === 'max_num_batched_token')?.known, false);
});

test('vllm.LLM with a positional model, f-strings, concatenation and shifts', async () => {
	const text = [
		'import vllm',
		'ORG = "meta-llama"',
		'SIZE = 8',
		'NAME = f"{ORG}/Llama-3.1-{SIZE}B" + "-Instruct"',
		'CTX = (4 << 10) * 2 - 0x0',
		'llm = vllm.LLM(NAME, max_model_len=CTX, gpu_memory_utilization=.85, max_num_seqs=1_024)',
	].join('\n');
	const w = (await extract(text)).workloads[0];
	assertSetting(text, w.model, 'meta-llama/Llama-3.1-8B-Instruct', 'NAME');
	assertSetting(text, w.settings.contextLength, 8192, 'CTX'); // 4·2^10·2 = 8192
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.85, '.85');
	assertSetting(text, w.settings.maxConcurrency, 1024, '1_024');
});

test('vLLM dtype="auto" keeps the checkpoint dtype; quantization decides the stored format', async () => {
	const text =
		'from vllm import LLM\na = LLM(model="m", dtype="auto")\nb = LLM(model="m", dtype="half", quantization="gptq_marlin")\nc = LLM()\n';
	const [a, b, c] = (await extract(text)).workloads;
	assertSetting(text, a.settings.weightFormat, 'auto', '"auto"', 'dtype');
	assert.match(a.settings.weightFormat!.note!, /checkpoint's own dtype/);
	assertSetting(text, b.settings.weightFormat, 'gptq', '"gptq_marlin"', 'quantization');
	assertSetting(text, b.settings.quantization, 'gptq_marlin', '"gptq_marlin"', 'quantization');
	assert.equal(c.model.source, 'engine-default');
	assert.equal(c.model.value, 'Qwen/Qwen3-0.6B');
});

test("deprecated vLLM kwargs carry the shared table's deprecation in Python terms", async () => {
	const text =
		'from vllm.engine.arg_utils import AsyncEngineArgs\nargs = AsyncEngineArgs(model="m", disable_log_requests=True)\n';
	const w = (await extract(text)).workloads[0];
	const f = w.flags.find((x) => x.name === 'disable_log_requests');
	assert.equal(f?.known, true);
	assert.equal(f?.canonical, 'disable-log-requests');
	assert.equal(f?.deprecated?.replacement, 'enable_log_requests=False');
	assert.equal(f?.deprecated?.removedIn, '0.12');
	assert.equal(at(text, f?.span), 'disable_log_requests');
});

test('values the reader cannot follow are unknowns with reasons, never guesses', async () => {
	const text = [
		'import argparse, os',
		'from vllm import LLM',
		'args = argparse.ArgumentParser().parse_args()',
		'llm = LLM(model=args.model, max_model_len=os.getenv("LEN"), max_num_seqs=compute(), **extra)',
	].join('\n');
	const w = (await extract(text)).workloads[0];
	// Set at run time: no id to look up (an information finding, not an unknown id); the expression stays as raw.
	assert.equal(w.model.value, '');
	assert.equal(w.model.raw, 'args.model');
	assert.match(w.model.note!, /^set at run time/);
	const reasons = Object.fromEntries(w.unknowns.map((u) => [u.name, u.reason]));
	assert.match(reasons.model, /command-line arguments/);
	assert.match(reasons.contextLength, /environment variable LEN \(no default/);
	assert.match(reasons.maxConcurrency, /known only at run time/);
	assert.match(reasons['**kwargs'], /`extra` is not assigned/);
	assert.equal(w.settings.contextLength, undefined);
});

test('llama-cpp-python: local GGUF header, constants, ggml KV type, defaults and from_pretrained', async () => {
	const { path, text } = sample('python/llama_cpp_chat.py');
	const { workloads, findings } = await extract(text, path, diskHost);
	assert.equal(workloads.length, 2);
	const [local, hub] = workloads;
	assert.equal(local.framework, 'llama.cpp');
	assertSetting(
		text,
		local.model,
		'../gguf/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
		'"../gguf/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"',
	);
	assertSetting(text, local.settings.contextLength, 8192, 'CTX', 'n_ctx');
	assertSetting(text, local.settings.gpuLayers, -1, '-1', 'n_gpu_layers');
	assertSetting(text, local.settings.threads, 8, '8');
	assertSetting(text, local.settings.kvCacheDtype, 'q8_0', 'llama_cpp.GGML_TYPE_Q8_0', 'type_k');
	assert.equal(local.localModelInfo?.kind, 'gguf');
	assert.equal(local.localModelInfo?.formatId, 'q4_k_m');
	assert.equal(local.localModelInfo?.model?.layers, 32);
	assert.match(local.settings.weightFormat!.note!, /GGUF header/);
	// n_batch not given: llama-cpp-python's own default (512), not the CLI's 2048.
	assert.equal(local.settings.batchTokens?.value, 512);
	assert.equal(local.settings.batchTokens?.source, 'engine-default');
	// The misspelt n_gpu_layer is silently swallowed by **kwargs at run time: flag it.
	assert.equal(findings.length, 1);
	assert.equal(at(text, findings[0].span), 'n_gpu_layer');
	assert.equal(findings[0].fixes![0].edits[0].newText, 'n_gpu_layers');
	assert.match(findings[0].message, /silently ignored/);

	assertSetting(
		text,
		hub.model,
		'bartowski/Meta-Llama-3.1-8B-Instruct-GGUF',
		'"bartowski/Meta-Llama-3.1-8B-Instruct-GGUF"',
		'repo_id',
	);
	assert.match(hub.model.note!, /\*Q4_K_M\.gguf/);
	// The span is the quant inside the pattern, as the shell extractor marks quants in model names.
	assertSetting(text, hub.settings.weightFormat, 'q4_k_m', 'Q4_K_M', 'filename');
	assertSetting(text, hub.settings.contextLength, 4096, '4096');
	assert.equal(hub.settings.gpuLayers?.value, 0); // n_gpu_layers default 0 = CPU only
	assert.equal(hub.settings.gpuLayers?.source, 'engine-default');
});

test('llama-cpp-python positional model path, int KV type and default context', async () => {
	const text = 'from llama_cpp import Llama as L\nm = L("./models/phi-3-mini.Q8_0.gguf", type_k=2)\n';
	const w = (await extract(text)).workloads[0];
	assertSetting(text, w.settings.weightFormat, 'q8_0', 'Q8_0');
	assertSetting(text, w.settings.kvCacheDtype, 'q4_0', '2'); // ggml type 2 = Q4_0
	assert.equal(w.settings.contextLength?.value, 512);
	assert.equal(w.settings.contextLength?.source, 'engine-default');
	assert.equal(w.localModelInfo, undefined); // no host: no file access
});

test('HF transformers: BitsAndBytesConfig through a variable, pipeline dtype/device, non-generative pipelines skipped', async () => {
	const { path, text } = sample('python/hf_transformers_4bit.py');
	const { workloads } = await extract(text, path);
	assert.equal(workloads.length, 2, 'AutoTokenizer and the sentiment-analysis pipeline are not workloads');
	const [m, gen] = workloads;
	assert.equal(m.framework, 'transformers');
	assertSetting(text, m.model, 'mistralai/Mistral-7B-Instruct-v0.3', 'model_id');
	// The span points at load_in_4bit=True inside BitsAndBytesConfig(...), where a fix would edit.
	assertSetting(text, m.settings.weightFormat, 'bnb-nf4', 'True', 'load_in_4bit');
	assert.match(m.settings.weightFormat!.note!, /`bnb_config` \(line 7\).*quant type nf4/);
	assertSetting(text, m.settings.device, 'auto', '"auto"', 'device_map');
	assertSetting(
		text,
		gen.model,
		'meta-llama/Llama-3.2-3B-Instruct',
		'"meta-llama/Llama-3.2-3B-Instruct"',
		'model',
	);
	assertSetting(text, gen.settings.weightFormat, 'bf16', 'torch.bfloat16', 'torch_dtype');
	assertSetting(text, gen.settings.device, 'cuda:0', '0', 'device');
});

test('HF transformers defaults and deprecated load_in_8bit', async () => {
	const text =
		'from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B", load_in_8bit=True)\nn = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B")\n';
	const [a, b] = (await extract(text)).workloads;
	assertSetting(text, a.settings.weightFormat, 'bnb-int8', 'True', 'load_in_8bit');
	assert.ok(a.flags.find((f) => f.name === 'load_in_8bit')?.deprecated);
	assert.equal(b.settings.weightFormat?.source, 'engine-default');
	assert.equal(b.settings.weightFormat?.value, 'fp32');
	assert.equal(b.settings.device?.value, 'cpu');
});

test('files without workloads: no import, other libraries, tokenizer only', async () => {
	assert.equal((await extract('print("LLM(model=1)")\n')).workloads.length, 0);
	assert.equal((await extract('from langchain.llms import LLM\nLLM(model="x")\n')).workloads.length, 0);
	assert.equal(
		(await extract('from transformers import AutoTokenizer\nAutoTokenizer.from_pretrained("x")\n')).workloads
			.length,
		0,
	);
	assert.equal((await extract('import vllm\n')).workloads.length, 0);
	assert.equal((await extract('')).workloads.length, 0);
});

test('broken Python still yields what can be read, and spans stay UTF-16 after non-ASCII text', async () => {
	const text =
		'from vllm import LLM\n# café ☕ 😀\ndef broken(:\n    pass\nllm = LLM(model="m/x", max_model_len=2048)\nLLM(model="y", max_model_len=\n';
	const { workloads } = await extract(text);
	assert.ok(workloads.length >= 1);
	assertSetting(text, workloads[0].model, 'm/x', '"m/x"');
	assertSetting(text, workloads[0].settings.contextLength, 2048, '2048');
});

test('LangChain LlamaCpp: argparse defaults, model_kwargs, and its own n_batch default', async () => {
	const { path, text } = sample('python/langchain_llamacpp.py');
	const { workloads, findings } = await extract(text, path);
	assert.equal(workloads.length, 1);
	assert.equal(findings.length, 0);
	const w = workloads[0];
	assert.equal(w.framework, 'llama.cpp');
	assertSetting(text, w.model, 'models/qwen2.5-7b-instruct-q5_k_m.gguf', 'args.model_path', 'model_path');
	assert.match(
		w.model.note!,
		/default of command-line option --model-path \(line 7\); the command line can override it/,
	);
	// The quant is read from the name; the span stays on the use site (the value came through args.*).
	assertSetting(text, w.settings.weightFormat, 'q5_k_m', 'args.model_path');
	assertSetting(text, w.settings.contextLength, 16384, 'args.ctx', 'n_ctx');
	assertSetting(text, w.settings.gpuLayers, 20, 'args.n_gpu_layers'); // dest="n_gpu_layers"
	assert.match(
		w.unknowns.find((u) => u.name === 'threads')!.reason,
		/--threads \(line 10\), which has no default/,
	);
	assertSetting(text, w.settings.kvCacheDtype, 'q8_0', '8', 'type_k'); // from model_kwargs; ggml type 8 = Q8_0
	assert.equal(w.settings.batchTokens?.value, 8); // LangChain's n_batch default, not llama-cpp-python's 512
	assert.equal(w.settings.batchTokens?.source, 'engine-default');
});

test('Modal gpu="H100:{N}" around the code names the target hardware and device count', async () => {
	const { path, text } = sample('python/modal_vllm.py');
	const [w] = (await extract(text, path)).workloads;
	assert.equal(w.framework, 'vllm'); // the import inside the method counts
	assertSetting(text, w.settings.tensorParallelSize, 2, 'N_GPU');
	assertSetting(text, w.settings.hardware, 'h100-sxm', 'f"H100:{N_GPU}"', 'gpu');
	assertSetting(text, w.settings.deviceCount, 2, 'f"H100:{N_GPU}"');
	assert.match(w.settings.hardware!.note!, /Modal gpu="H100:2"; from `N_GPU` \(line 8\)/);
	assertSetting(text, w.engineVersion, '0.10.1', '0.10.1'); // pip_install("vllm==0.10.1")
	const other =
		'import modal\nfrom vllm import LLM\n@app.function(gpu=modal.gpu.A100(size="80GB", count=4))\ndef f():\n    LLM(model="m")\n';
	const [v] = (await extract(other)).workloads;
	assert.equal(v.settings.hardware?.value, 'a100-80gb-sxm'); // A100 with size="80GB"
	assert.equal(v.settings.deviceCount?.value, 4);
});

test('**kwargs from dict(...) and dicts that spread other dicts; later keys win', async () => {
	const text = [
		'from vllm import LLM',
		'BASE = dict(max_model_len=4096, max_num_seqs=8)',
		'BIG = {**BASE, "max_model_len": 65536}',
		'LOOP = {**LOOP}',
		'llm = LLM(model="m", **BIG)',
		'odd = LLM(model="m", **LOOP)',
	].join('\n');
	const [w, odd] = (await extract(text)).workloads;
	assertSetting(text, w.settings.contextLength, 65536, '65536', 'max_model_len');
	assertSetting(text, w.settings.maxConcurrency, 8, '8', 'max_num_seqs');
	assert.match(w.settings.maxConcurrency!.note!, /from dict `BIG` \(line 3\) → from dict `BASE` \(line 2\)/);
	assert.ok(
		odd.unknowns.some((u) => u.name === '**kwargs'),
		'a self-spreading dict is an unknown, not a hang',
	);
});

test('vLLM with a local .gguf model: quant from the name, facts from the header; version from requirements.txt', async () => {
	const dir = path.join(ROOT, 'samples', 'python');
	const text =
		'from vllm import LLM\nllm = LLM(model="../gguf/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", tokenizer="meta-llama/Llama-3.1-8B-Instruct")\n';
	const host = {
		readFile(p: string, maxBytes: number) {
			if (p.endsWith('requirements.txt')) return new TextEncoder().encode('torch\nvllm==0.9.2\n');
			return diskHost.readFile(p, maxBytes);
		},
	};
	const [w] = (await extract(text, path.join(dir, 'gguf_vllm.py'), host)).workloads;
	assert.equal(w.settings.weightFormat?.value, 'q4_k_m');
	assert.equal(w.localModelInfo?.model?.layers, 32);
	assert.equal(w.engineVersion?.value, '0.9.2');
	assert.match(w.engineVersion!.note!, /requirements\.txt/);
});

test('a syntax error inside the call is reported where it is, and the values before it are kept', async () => {
	const text = 'from vllm import LLM\nLLM(model="y", max_model_len=4096 tensor_parallel_size=2)\n';
	const { workloads, findings } = await extract(text);
	assertSetting(text, workloads[0].settings.contextLength, 4096, '4096');
	assert.equal(findings.length, 1);
	assert.equal(findings[0].code, 'unparseable-config');
	assert.equal(findings[0].workload, 0);
	assert.ok(at(text, findings[0].span).includes('tensor_parallel_size'));
});

test('model paths built with os.path.join, pathlib and hf_hub_download', async () => {
	const text = [
		'import os',
		'from pathlib import Path',
		'from huggingface_hub import hf_hub_download',
		'from llama_cpp import Llama',
		'MODELS = "/srv/models"',
		'a = Llama(model_path=os.path.join(MODELS, "mistral-7b-instruct-v0.2.Q5_K_M.gguf"))',
		'b = Llama(model_path=str(Path(MODELS) / "phi-3-mini-4k-instruct-q4.gguf"))',
		'path = hf_hub_download(repo_id="TheBloke/Llama-2-7B-GGUF", filename="llama-2-7b.Q4_K_M.gguf")',
		'c = Llama(model_path=path, n_gpu_layers=35)',
	].join('\n');
	const [a, b, c] = (await extract(text)).workloads;
	assert.equal(a.model.value, '/srv/models/mistral-7b-instruct-v0.2.Q5_K_M.gguf');
	assert.equal(a.settings.weightFormat?.value, 'q5_k_m');
	assert.equal(b.model.value, '/srv/models/phi-3-mini-4k-instruct-q4.gguf');
	assert.equal(c.model.value, 'TheBloke/Llama-2-7B-GGUF/llama-2-7b.Q4_K_M.gguf');
	assert.match(c.model.note!, /Hub repo TheBloke\/Llama-2-7B-GGUF/);
	assert.equal(at(text, c.model.span), 'path');
	assert.equal(c.settings.weightFormat?.value, 'q4_k_m');
});

test('.to("cuda") / .half() on the loaded model, chained or later on its variable, set device and dtype', async () => {
	const text = [
		'import torch',
		'from transformers import AutoModelForCausalLM',
		'DEVICE = "cuda:0"',
		'a = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B").half().to(DEVICE)',
		'def load():',
		'    m = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B")',
		'    m.to(torch.device("cuda"), dtype=torch.bfloat16)',
		'    dev = "cuda" if torch.cuda.is_available() else "cpu"',
		'    n = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B").to(dev)',
		'    return m, n',
	].join('\n');
	const [a, m, n] = (await extract(text)).workloads;
	assertSetting(
		text,
		a.settings.weightFormat,
		'fp16',
		'AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B").half()',
	);
	assertSetting(text, a.settings.device, 'cuda:0', 'DEVICE');
	assertSetting(text, m.settings.device, 'cuda', 'torch.device("cuda")');
	assertSetting(text, m.settings.weightFormat, 'bf16', 'torch.bfloat16');
	assert.equal(n.settings.device?.source, 'engine-default'); // the conditional is not guessed
	assert.match(n.unknowns.find((u) => u.name === 'device')!.reason, /dev/);
});

test('going through the extraction dispatcher for Python never loads ts-morph', async () => {
	const { extractWorkloads } = await import('../../../server/src/analysis/extract/index');
	const { path, text } = sample('python/vllm_offline.py');
	const r = await extractWorkloads({ path, text });
	assert.equal(r.workloads.length, 1);
	// node:test runs each file in its own process, so this cache holds only what this file loaded.
	assert.equal(Object.keys(require.cache).filter((k) => k.includes('/ts-morph/')).length, 0);
});
