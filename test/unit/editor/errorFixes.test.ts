/**
 * Every error-level finding of the rules offers at least one quick fix with its effect in numbers —
 * including a workload pinned to one device (weights format / context), where more devices are not an
 * option. Each case is a small file reproducing the pattern; the fix is applied and re-analysed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { CODES } from '../../../server/src/analysis/rules/codes';
import type { Finding, TextEdit } from '../../../server/src/analysis/types';

function apply(text: string, edits: TextEdit[]): string {
	let out = text;
	for (const e of [...edits].sort((a, b) => b.span.offset - a.span.offset))
		out = out.slice(0, e.span.offset) + e.newText + out.slice(e.span.offset + e.span.length);
	return out;
}

interface Case {
	name: string;
	path: string;
	text: string;
	code: string;
	hardwareId?: string;
	/** The preferred fix's title. */
	title: RegExp;
	/** The fixed file must contain this. */
	fixed: RegExp;
}

const CASES: Case[] = [
	{
		name: '70B bf16 on one pinned H100, long context: 4-bit in flight + a context that fits',
		path: '/t/serve.sh',
		text: 'CUDA_VISIBLE_DEVICES=0 vllm serve meta-llama/Llama-3.1-70B-Instruct --max-model-len 131072\n',
		code: 'weights-do-not-fit',
		title: /--quantization bitsandbytes\) and lower the context/,
		fixed:
			/--quantization bitsandbytes.*--max-model-len \d+|--max-model-len \d+.*--quantization bitsandbytes/s,
	},
	{
		name: '70B bf16 on one pinned H200 (141 GB), 8k context: --quantization fp8',
		path: '/t/serve.sh',
		text: 'CUDA_VISIBLE_DEVICES=0 vllm serve meta-llama/Llama-3.1-70B-Instruct --max-model-len 8192\n',
		hardwareId: 'h200',
		code: 'weights-do-not-fit',
		title: /--quantization fp8/,
		fixed: /--quantization fp8/,
	},
	{
		name: '70B bf16, device count not pinned: a TP size with the devices it needs',
		path: '/t/serve.sh',
		text: 'vllm serve meta-llama/Llama-3.1-70B-Instruct --max-model-len 8192\n',
		code: 'weights-do-not-fit',
		title: /tensor-parallel size to [248]/,
		fixed: /--tensor-parallel-size [248]/,
	},
	{
		name: 'KV cache for one 32k sequence does not fit',
		path: '/t/serve.sh',
		text: 'vllm serve Qwen/Qwen2.5-32B-Instruct --max-model-len 32768 --gpu-memory-utilization 0.9\n',
		code: 'kv-cache-does-not-fit',
		title: /./,
		fixed: /--kv-cache-dtype fp8|--max-model-len \d+|--quantization/,
	},
	{
		name: 'context beyond the model',
		path: '/t/serve.sh',
		text: 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 262144\n',
		code: 'context-exceeds-model',
		title: /context to the model's 131,072/,
		fixed: /--max-model-len 131072/,
	},
	{
		name: 'TP that does not divide the heads',
		path: '/t/serve.sh',
		text: 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 3\n',
		code: 'invalid-parallelism',
		title: /tensor-parallel size to [24]/,
		fixed: /--tensor-parallel-size [24]/,
	},
	{
		name: 'PP beyond the layers',
		path: '/t/serve.sh',
		text: 'vllm serve meta-llama/Llama-3.1-8B-Instruct --pipeline-parallel-size 64\n',
		code: 'invalid-parallelism',
		title: /pipeline-parallel size to 32/,
		fixed: /--pipeline-parallel-size 32/,
	},
	{
		name: 'transformers.js fp16 7B on WebGPU',
		path: '/t/chat.ts',
		text:
			"import { pipeline } from '@huggingface/transformers';\n" +
			"const gen = await pipeline('text-generation', 'onnx-community/Qwen2.5-7B-Instruct', { dtype: 'fp16', device: 'webgpu' });\n",
		code: 'browser-memory-limit',
		title: /./,
		fixed: /dtype: 'q4/,
	},
	{
		name: 'FlashAttention 2 with the model on the CPU',
		path: '/t/load.py',
		text:
			'from transformers import AutoModelForCausalLM\n' +
			'm = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2.5-7B-Instruct", attn_implementation="flash_attention_2")\n',
		code: 'engine-format-mismatch',
		title: /sdpa/,
		fixed: /attn_implementation="sdpa"/,
	},
];

for (const c of CASES) {
	test(`${c.code}: ${c.name}`, async () => {
		const a = await analyzeDocument({ path: c.path, text: c.text }, { hardwareId: c.hardwareId });
		const errors = a.findings.filter((f) => f.code === c.code && f.severity === 'error');
		assert.ok(errors.length > 0, `${c.code} expected; got ${a.findings.map((f) => f.code).join(', ')}`);
		for (const f of errors) {
			assert.ok(f.fixes?.length, `${f.message} offers no fix`);
			for (const x of f.fixes!) assert.match(x.effect ?? '', /\d/, `${x.title}: effect in numbers`);
		}
		const f = errors[0]!;
		const fix = f.fixes!.find((x) => x.isPreferred) ?? f.fixes![0]!;
		assert.match(fix.title, c.title);
		const fixed = apply(c.text, fix.edits);
		assert.match(fixed, c.fixed);
		const again = await analyzeDocument({ path: c.path, text: fixed }, { hardwareId: c.hardwareId });
		const left = again.findings.filter((x: Finding) => x.code === c.code && x.severity === 'error');
		assert.ok(left.length < errors.length, `${fix.title} left: ${left.map((x) => x.message).join(' | ')}`);
	});
}

// A checkpoint in a format llama.cpp cannot read (safetensors, ggml .bin) has no text edit that fixes it:
// conversion is a separate step, and naming a GGUF repo the analyzer has not seen would be a guess.
test('every rule code that can be an error is covered above', () => {
	const covered = new Set(CASES.map((c) => c.code));
	const errorRules = CODES.filter((c) => c.stage === 'rules' && c.severity === 'error').map((c) => c.code);
	assert.deepEqual(
		errorRules.filter((c) => !covered.has(c)),
		[],
	);
});
