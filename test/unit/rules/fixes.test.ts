import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertSetting, replaceValue, setSetting } from '../../../server/src/analysis/fixes/edits';
import { applyEdits, at, workload } from './helpers';

const M = 'Qwen/Qwen2.5-7B-Instruct';

test('replaceValue keeps quotes and ${VAR:-default} wrappers', () => {
	const q = `args: ["--max-model-len", "32768"]`;
	assert.equal(
		applyEdits(q, [replaceValue(q, at(q, '"32768"', 32768), 8192)!]),
		`args: ["--max-model-len", "8192"]`,
	);
	const env = `--max-model-len \${MAX_LEN:-32768} \\`;
	const s = { ...at(env, '${MAX_LEN:-32768}', 32768), raw: '${MAX_LEN:-32768}' };
	assert.equal(applyEdits(env, [replaceValue(env, s, 8192)!]), `--max-model-len \${MAX_LEN:-8192} \\`);
	const eq = `--max-model-len=32k`;
	const whole = { ...at(eq, '--max-model-len=32k', 32000), raw: '32k' };
	assert.equal(applyEdits(eq, [replaceValue(eq, whole, 8192)!]), `--max-model-len=8192`);
});

test('CLI: insert after the model, dashes or underscores as the file writes them', () => {
	const text = `vllm serve ${M} \\\n  --max_model_len 8192\n`;
	const w = workload(text, 'vllm', 'cli', at(text, M, M), {}, [
		{ name: '--max_model_len', span: { offset: text.indexOf('--max'), length: 15 }, known: true },
	]);
	assert.equal(
		applyEdits(text, setSetting(text, w, 'kvCacheDtype', 'fp8')!),
		`vllm serve ${M} --kv_cache_dtype fp8 \\\n  --max_model_len 8192\n`,
	);
});

test('Dockerfile JSON-array CMD: the new flag is two more array items', () => {
	const text = `CMD ["--model", "${M}", "--max-model-len", "8192"]\n`;
	const w = workload(text, 'vllm', 'cli', at(text, M, M));
	const out = applyEdits(text, [insertSetting(text, w, 'kvCacheDtype', 'fp8')!]);
	assert.equal(out, `CMD ["--model", "${M}", "--kv-cache-dtype", "fp8", "--max-model-len", "8192"]\n`);
});

test('YAML block list, vLLM --config map (underscore style) and a command string', () => {
	const list = `    args:\n      - --model\n      - "${M}"\n      - --max-model-len\n      - "8192"\n`;
	const w1 = workload(list, 'vllm', 'yaml', at(list, M, M));
	assert.equal(
		applyEdits(list, [insertSetting(list, w1, 'maxConcurrency', 16)!]),
		list.replace(`- "${M}"\n`, `- "${M}"\n      - "--max-num-seqs"\n      - "16"\n`),
	);
	const map = `model: ${M}\nmax_model_len: 8192\n`;
	const w2 = workload(map, 'vllm', 'yaml', at(map, M, M), {
		contextLength: at(map, '8192', 8192, 'max_model_len'),
	});
	assert.equal(
		applyEdits(map, [insertSetting(map, w2, 'kvCacheDtype', 'fp8')!]),
		`model: ${M}\nkv_cache_dtype: fp8\nmax_model_len: 8192\n`,
	);
	const compose = `    command: --model ${M} --max-model-len 8192\n`;
	const w3 = workload(compose, 'vllm', 'yaml', at(compose, M, M));
	assert.equal(
		applyEdits(compose, [insertSetting(compose, w3, 'kvCacheDtype', 'fp8')!]),
		`    command: --model ${M} --kv-cache-dtype fp8 --max-model-len 8192\n`,
	);
	// Helm values have no place for raw flags: no fix rather than a wrong one.
	const helm = `modelURL: ${M}\n`;
	assert.equal(
		insertSetting(helm, workload(helm, 'vllm', 'yaml', at(helm, M, M)), 'kvCacheDtype', 'fp8'),
		undefined,
	);
});

test('Python: keyword after the model literal, or before ) when the model is a constant', () => {
	const text = `llm = LLM(model='${M}', max_model_len=8192)\n`;
	const w = workload(text, 'vllm', 'python', at(text, M, M));
	w.span = { offset: text.indexOf('LLM('), length: text.indexOf(')') + 1 - text.indexOf('LLM(') };
	assert.equal(
		applyEdits(text, [insertSetting(text, w, 'kvCacheDtype', 'fp8')!]),
		`llm = LLM(model='${M}', kv_cache_dtype='fp8', max_model_len=8192)\n`,
	);
	const viaConst = `MODEL = "${M}"\nllm = LLM(\n    model=MODEL,\n)\n`;
	const w2 = workload(viaConst, 'vllm', 'python', at(viaConst, M, M));
	const call = viaConst.indexOf('LLM(');
	w2.span = { offset: call, length: viaConst.lastIndexOf(')') + 1 - call };
	assert.equal(
		applyEdits(viaConst, [insertSetting(viaConst, w2, 'maxConcurrency', 8)!]),
		`MODEL = "${M}"\nllm = LLM(\n    model=MODEL, max_num_seqs=8,\n)\n`,
	);
});

test('JS options object, Modelfile PARAMETER and env file', () => {
	const js = `await pipeline('text-generation', 'onnx-community/Qwen2.5-0.5B-Instruct', { device: 'webgpu' });\n`;
	const w = workload(
		js,
		'transformers.js',
		'typescript',
		at(js, 'onnx-community/Qwen2.5-0.5B-Instruct', 'x'),
	);
	assert.equal(
		applyEdits(js, [insertSetting(js, w, 'weightFormat', 'q4f16')!]),
		js.replace(`{ device`, `{ dtype: 'q4f16', device`),
	);
	const bare = `await pipeline('text-generation', "Xenova/gpt2");\n`;
	const w2 = workload(bare, 'transformers.js', 'typescript', at(bare, 'Xenova/gpt2', 'x'));
	assert.equal(
		applyEdits(bare, [insertSetting(bare, w2, 'weightFormat', 'q4')!]),
		bare.replace(`"Xenova/gpt2")`, `"Xenova/gpt2", { dtype: "q4" })`),
	);
	const mf = `from llama3.1:8b\nparameter temperature 0.2\n`;
	const w3 = workload(mf, 'ollama', 'modelfile', at(mf, 'llama3.1:8b', 'llama3.1:8b'));
	assert.equal(
		applyEdits(mf, [insertSetting(mf, w3, 'contextLength', 8192)!]),
		`from llama3.1:8b\nparameter num_ctx 8192\nparameter temperature 0.2\n`,
	);
	const env = `LLAMA_ARG_MODEL=/models/m.gguf\nLLAMA_ARG_CTX_SIZE=8192\n`;
	const w4 = workload(env, 'llama.cpp', 'env', at(env, '/models/m.gguf', 'x'));
	assert.equal(
		applyEdits(env, [insertSetting(env, w4, 'kvCacheDtype', 'q8_0')!]),
		`LLAMA_ARG_MODEL=/models/m.gguf\nLLAMA_ARG_CACHE_TYPE_K=q8_0\nLLAMA_ARG_CACHE_TYPE_V=q8_0\nLLAMA_ARG_CTX_SIZE=8192\n`,
	);
});

test('llama.cpp: short flags when the command uses them; -ctk and -ctv move together', () => {
	const text = `llama-server -m m.gguf -c 8192 -ngl 99\n`;
	const flags = ['-m', '-c', '-ngl'].map((name) => ({
		name,
		span: { offset: text.indexOf(` ${name} `) + 1, length: name.length },
		known: true,
	}));
	const w = workload(text, 'llama.cpp', 'cli', at(text, 'm.gguf', 'm.gguf'), {}, flags);
	assert.equal(
		applyEdits(text, setSetting(text, w, 'kvCacheDtype', 'q8_0')!),
		`llama-server -m m.gguf -ctk q8_0 -ctv q8_0 -c 8192 -ngl 99\n`,
	);
	const both = `llama-server -m m.gguf -ctk f16 -ctv f16\n`;
	const k = at(both, 'f16', 'f16', '-ctk');
	const v = {
		name: '-ctv',
		canonical: 'cache-type-v',
		span: { offset: both.indexOf('-ctv'), length: 4 },
		valueSpan: { offset: both.lastIndexOf('f16'), length: 3 },
		known: true,
	};
	const w2 = workload(both, 'llama.cpp', 'cli', at(both, 'm.gguf', 'm.gguf'), { kvCacheDtype: k }, [v]);
	assert.equal(
		applyEdits(both, setSetting(both, w2, 'kvCacheDtype', 'q8_0')!),
		`llama-server -m m.gguf -ctk q8_0 -ctv q8_0\n`,
	);
});

test('Kubernetes args list: items follow the list style even when the workload syntax is cli', () => {
	const text = `          args:\n            - ${M}\n            - --max-num-seqs=128\n`;
	const w = workload(text, 'vllm', 'cli', at(text, M, M));
	assert.equal(
		applyEdits(text, [insertSetting(text, w, 'kvCacheDtype', 'fp8')!]),
		`          args:\n            - ${M}\n            - --kv-cache-dtype=fp8\n            - --max-num-seqs=128\n`,
	);
});
