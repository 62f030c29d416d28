/**
 * engine-format-mismatch: what the engine cannot load is an error, whatever the memory says — a
 * safetensors checkpoint or a pre-GGUF ggml .bin given to llama.cpp, FlashAttention 2 with the model on the
 * CPU. The same files with a GGUF, or with the model moved to the GPU, are not flagged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../../server/src/analysis/analyze';

const at = (text: string, s: { offset: number; length: number }) => text.slice(s.offset, s.offset + s.length);

async function mismatch(path: string, text = readFileSync(path, 'utf8')) {
	const a = await analyzeDocument({ path: `/w/${path}`, text }, {});
	return { a, text, f: a.findings.filter((x) => x.code === 'engine-format-mismatch') };
}

test('llama-server -m model.safetensors: error on the path, no unknown-model noise', async () => {
	const { a, text, f } = await mismatch('samples/llama.cpp/safetensors-model.sh');
	assert.equal(f.length, 1);
	assert.equal(f[0]!.severity, 'error');
	assert.match(at(text, f[0]!.span), /\.safetensors$/);
	assert.match(f[0]!.message, /loads only GGUF/);
	assert.equal(f[0]!.data?.kind, 'safetensors');
	assert.equal(a.findings.filter((x) => x.code === 'unknown-model').length, 0);
});

test('a ggml v3 .bin: error; the same model as .gguf: none', async () => {
	const { f } = await mismatch('samples/llama.cpp/ggml-v3-bin.sh');
	assert.equal(f.length, 1);
	assert.equal(f[0]!.data?.kind, 'ggml-bin');
	assert.match(f[0]!.message, /pre-GGUF ggml file/);
	const ok = await mismatch('x.sh', './llama-cli -m ./models/llama-2-13b-chat.Q4_K_M.gguf -c 2048\n');
	assert.equal(ok.f.length, 0);
});

test('llama-cpp-python Llama(model_path="….safetensors") is llama.cpp too', async () => {
	const { f } = await mismatch(
		'x.py',
		'from llama_cpp import Llama\nllm = Llama(model_path="/m/mistral-7b/model.safetensors", n_ctx=4096)\n',
	);
	assert.equal(f.length, 1);
});

test('flash_attention_2 with the model on the CPU: error with an sdpa fix; moved to cuda: none', async () => {
	const { text, f } = await mismatch('samples/python/hf_flash_attention_cpu.py');
	assert.equal(f.length, 1);
	assert.equal(f[0]!.severity, 'error');
	assert.equal(at(text, f[0]!.span), '"flash_attention_2"');
	const fix = f[0]!.fixes?.[0];
	assert.ok(fix);
	const e = fix.edits[0]!;
	const fixed = text.slice(0, e.span.offset) + e.newText + text.slice(e.span.offset + e.span.length);
	assert.match(fixed, /attn_implementation="sdpa"/);
	assert.equal((await mismatch('x.py', fixed)).f.length, 0);
	const onGpu = text.replace(
		'attn_implementation="flash_attention_2",',
		'attn_implementation="flash_attention_2",\n    device_map="cuda",',
	);
	assert.equal((await mismatch('x.py', onGpu)).f.length, 0);
	const moved = `${text}model.to("cuda")\n`;
	assert.equal((await mismatch('x.py', moved)).f.length, 0);
});
