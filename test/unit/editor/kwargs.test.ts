/**
 * Keywords that do nothing or are on their way out: llama-cpp-python's Llama() swallows sampling options
 * and removed keywords (**kwargs); transformers deprecates load_in_4bit=/load_in_8bit= for
 * quantization_config. Each is a warning with a fix; the fixed file parses and the warning is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import type { TextEdit } from '../../../server/src/analysis/types';

function apply(text: string, edits: TextEdit[]): string {
	let out = text;
	for (const e of [...edits].sort((a, b) => b.span.offset - a.span.offset))
		out = out.slice(0, e.span.offset) + e.newText + out.slice(e.span.offset + e.span.length);
	return out;
}
const at = (text: string, s: { offset: number; length: number }) => text.slice(s.offset, s.offset + s.length);

test('Llama(temperature=…, max_tokens=…, stop=…, f16_kv=…): four ignored keywords, each removable', async () => {
	const path = 'samples/python/llama_cpp_sampling_kwargs.py';
	let text = readFileSync(path, 'utf8');
	const a = await analyzeDocument({ path: `/w/${path}`, text }, {});
	const ignored = a.findings.filter((f) => f.code === 'ignored-config-value');
	assert.deepEqual(
		ignored.map((f) => at(text, f.span)),
		['temperature', 'max_tokens', 'stop', 'f16_kv'],
	);
	assert.ok(ignored.every((f) => f.severity === 'warning'));
	assert.match(ignored[0]!.message, /sampling option of `llm\(\.\.\.\)`.*silently ignored/);
	assert.match(ignored[3]!.message, /no longer an argument.*type_k/);
	// Not also reported as unknown keywords.
	assert.equal(a.findings.filter((f) => f.code === 'unknown-flag').length, 0);
	// The workload is still read: n_ctx and n_gpu_layers.
	assert.equal(a.workloads[0]?.workload.settings.contextLength?.value, 8192);
	// Remove them one by one, re-analysing each time (offsets move).
	for (let i = 0; i < 4; i++) {
		const r = await analyzeDocument({ path: `/w/${path}`, text }, {});
		const f = r.findings.find((x) => x.code === 'ignored-config-value');
		assert.ok(f?.fixes?.[0], `fix ${i}`);
		text = apply(text, f.fixes[0].edits);
	}
	const done = await analyzeDocument({ path: `/w/${path}`, text }, {});
	assert.deepEqual(
		done.findings.filter((f) => /ignored-config-value|unparseable-config|unknown-flag/.test(f.code)),
		[],
	);
	assert.match(text, /n_gpu_layers=-1,\n\)/);
	assert.equal(done.workloads[0]?.workload.settings.contextLength?.value, 8192);
});

test('LangChain LlamaCpp(temperature=…) is a field there, not flagged', async () => {
	const text =
		'from langchain_community.llms import LlamaCpp\n' +
		'llm = LlamaCpp(model_path="/m/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", temperature=0.2, max_tokens=256)\n';
	const a = await analyzeDocument({ path: '/w/lc.py', text }, {});
	assert.equal(a.findings.filter((f) => f.code === 'ignored-config-value').length, 0);
});

test('transformers load_in_8bit=True: deprecated, fixed to quantization_config with the import', async () => {
	const path = 'samples/python/hf_load_in_8bit.py';
	const text = readFileSync(path, 'utf8');
	const a = await analyzeDocument({ path: `/w/${path}`, text }, {});
	const f = a.findings.find((x) => x.code === 'deprecated-flag');
	assert.ok(f, a.findings.map((x) => x.code).join(', '));
	assert.equal(f.severity, 'warning');
	assert.equal(at(text, f.span), 'load_in_8bit');
	assert.match(f.message, /quantization_config=BitsAndBytesConfig\(load_in_8bit=True\)/);
	assert.equal(a.workloads[0]?.estimate?.weightsFormat, 'bnb-int8');
	const fixed = apply(text, f.fixes![0]!.edits);
	assert.match(fixed, /from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig\n/);
	assert.match(fixed, /quantization_config=BitsAndBytesConfig\(load_in_8bit=True\), device_map="auto"/);
	const again = await analyzeDocument({ path: `/w/${path}`, text: fixed }, {});
	assert.equal(again.findings.filter((x) => x.code === 'deprecated-flag').length, 0);
	assert.equal(again.workloads[0]?.estimate?.weightsFormat, 'bnb-int8');
});
