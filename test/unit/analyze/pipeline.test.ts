/**
 * The whole pipeline on real extractors, catalog and physics: findings land on the value that causes
 * them, and applying a finding's preferred fix and analyzing again makes the finding go away.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, realApi, runPipeline } from '../../../server/src/analysis/analyze';
import { getCatalog } from '../../../server/src/analysis/catalog';
import type { AnalysisOptions, DocumentAnalysis, Finding } from '../../../server/src/analysis/types';
import { applyEdits } from '../rules/helpers';

const M8 = 'meta-llama/Llama-3.1-8B-Instruct';

async function analyze(path: string, text: string, options: AnalysisOptions = {}): Promise<DocumentAnalysis> {
	return analyzeDocument({ path, text }, options);
}

function one(a: DocumentAnalysis, code: string): Finding {
	const found = a.findings.filter((f) => f.code === code);
	assert.equal(found.length, 1, `${code} in ${a.findings.map((f) => f.code).join(', ')}`);
	return found[0];
}

function spanText(text: string, f: Finding): string {
	return text.slice(f.span.offset, f.span.offset + f.span.length);
}

/** Applies the preferred fix (or the first) and analyzes the result again. */
async function applyFix(path: string, text: string, f: Finding, options: AnalysisOptions = {}) {
	const fix = f.fixes?.find((x) => x.isPreferred) ?? f.fixes?.[0];
	assert.ok(fix, `${f.code} has a fix`);
	const fixed = applyEdits(text, fix.edits);
	return { fixed, after: await analyze(path, fixed, options) };
}

test('kv-cache-does-not-fit on the --max-model-len value; lowering it clears the error', async () => {
	const text = `vllm serve ${M8} \\\n  --max-model-len 131072 \\\n  --gpu-memory-utilization 0.4\n`;
	const a = await analyze('/w/serve.sh', text);
	const f = one(a, 'kv-cache-does-not-fit');
	assert.equal(spanText(text, f), '131072');
	assert.equal(f.severity, 'error');
	// 2 × 32 layers × 8 KV heads × 128 × 2 B = 131,072 B/token; the physics decides the budget, so only
	// the relation is checked here: what fits is less than asked, and the fix writes a multiple of 1,024.
	const fits = f.data?.maxContextThatFits as number;
	assert.ok(fits > 0 && fits < 131072, String(fits));
	assert.equal(f.data?.kvBytesPerToken, 131072);
	// Both fixes clear it: a lower context, or fp8 KV (65,536 B/token; preferred because it alone fits).
	const [lower, fp8] = f.fixes ?? [];
	assert.equal(fp8.isPreferred, true);
	for (const [fix, expected] of [
		[lower, text.replace('131072', String(Math.floor(fits / 1024) * 1024))],
		[fp8, text.replace(`${M8} `, `${M8} --kv-cache-dtype fp8 `)],
	] as const) {
		const fixed = applyEdits(text, fix.edits);
		assert.equal(fixed, expected);
		const after = await analyze('/w/serve.sh', fixed);
		assert.equal(after.findings.filter((x) => x.code === 'kv-cache-does-not-fit').length, 0, fix.title);
	}
});

test('kv-cache-limits-concurrency: the max-num-seqs fix makes the warning go away', async () => {
	const text = `vllm serve ${M8} --max-model-len 32768 --max-num-seqs 64\n`;
	const a = await analyze('/w/serve.sh', text);
	const f = one(a, 'kv-cache-limits-concurrency');
	assert.equal(spanText(text, f), '64');
	const fit = f.data?.sequencesThatFit as number;
	assert.ok(fit >= 1 && fit < 64);
	const { fixed, after } = await applyFix('/w/serve.sh', text, f);
	assert.equal(fixed, text.replace('--max-num-seqs 64', `--max-num-seqs ${fit}`));
	assert.equal(after.findings.filter((x) => x.code === 'kv-cache-limits-concurrency').length, 0);
});

test('invalid-parallelism: TP 3 → 2, and the error goes away', async () => {
	const text = `vllm serve ${M8} --tensor-parallel-size 3\n`;
	const a = await analyze('/w/serve.sh', text);
	const f = one(a, 'invalid-parallelism');
	assert.equal(spanText(text, f), '3');
	const { fixed, after } = await applyFix('/w/serve.sh', text, f);
	assert.equal(fixed, `vllm serve ${M8} --tensor-parallel-size 2\n`);
	assert.equal(after.findings.filter((x) => x.code === 'invalid-parallelism').length, 0);
});

test('weights-do-not-fit: 70B bf16 on one H100; the inserted --tensor-parallel-size fits it', async () => {
	const text = `vllm serve meta-llama/Llama-3.1-70B-Instruct --max-model-len 8192\n`;
	const a = await analyze('/w/serve.sh', text);
	const f = one(a, 'weights-do-not-fit');
	// 70.6e9 params × 2 bytes = 141 GB against 0.9 × 79.15 GiB (81,559 MiB less CUDA's reservation) = 76.5 GB.
	assert.match(f.message, /need 141 GB, more than the 76\.5 GB/);
	assert.match(f.message, /\(target: .*H100.*, default\)$/);
	const { fixed, after } = await applyFix('/w/serve.sh', text, f);
	// TP 2: 65.75 GiB of weights + vLLM V1's profile peak (4.1 GiB, the sampler over 1,024 sequences) + 0.14 GiB
	// non-torch memory leave 1.3 GiB of the 71.24 GiB for KV, enough for one 8,192-token sequence (1.25 GiB
	// per GPU): the smallest TP that starts.
	assert.equal(
		fixed,
		`vllm serve meta-llama/Llama-3.1-70B-Instruct --tensor-parallel-size 2 --max-model-len 8192\n`,
	);
	assert.equal(after.findings.filter((x) => x.code === 'weights-do-not-fit').length, 0);
});

test('partial-offload on an RTX 4090 (from the option), fixed by -ngl 999', async () => {
	const text = `llama-server -m models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf -c 8192 -ngl 20\n`;
	const options: AnalysisOptions = { hardwareId: 'rtx-4090' };
	const a = await analyze('/w/serve.sh', text, options);
	const f = one(a, 'partial-offload');
	assert.equal(spanText(text, f), '20');
	assert.ok((f.data?.tokensPerSecondAllOnGpu as number) > 2 * (f.data?.tokensPerSecond as number));
	assert.match(f.message, /\(target: .*4090, from settings\)$/);
	const { fixed, after } = await applyFix('/w/serve.sh', text, f, options);
	assert.equal(fixed, text.replace('-ngl 20', '-ngl 999'));
	assert.equal(after.findings.filter((x) => x.code === 'partial-offload').length, 0);
});

test('browser-memory-limit: a 7B fp16 model on WebGPU; the dtype fix fits it', async () => {
	const text = `import { AutoModelForCausalLM } from '@huggingface/transformers';\nconst model = await AutoModelForCausalLM.from_pretrained('Qwen/Qwen2.5-7B-Instruct', {\n\tdtype: 'fp16',\n\tdevice: 'webgpu',\n});\n`;
	const a = await analyze('/w/chat.ts', text);
	const f = one(a, 'browser-memory-limit');
	assert.equal(spanText(text, f).replace(/'/g, ''), 'fp16');
	assert.equal(a.workloads[0].target?.hardwareId, 'browser-webgpu');
	assert.equal(a.workloads[0].target?.source, 'file');
	const { after } = await applyFix('/w/chat.ts', text, f);
	assert.equal(after.findings.filter((x) => x.code === 'browser-memory-limit').length, 0);
});

test('every finding a rule computes on a target names that target', async () => {
	const text = `vllm serve ${M8} --max-model-len 32768 --max-num-seqs 64\n`;
	const a = await analyze('/w/serve.sh', text);
	assert.ok(a.findings.length >= 2);
	for (const f of a.findings) assert.match(f.message, /\(target: [^)]+\)$/, f.code);
	assert.equal(a.workloads[0].target?.hardwareId, 'h100-sxm');
	assert.equal(a.workloads[0].resolvedModel, 'meta-llama/Llama-3.1-8B');
});

test('unknown hardware in the settings: a warning, and the default target stands in', async () => {
	const text = `vllm serve ${M8} --max-model-len 8192\n`;
	const a = await analyze('/w/serve.sh', text, { hardwareId: 'h1OO-nonesuch' });
	const f = one(a, 'unknown-hardware');
	assert.match(f.message, /"h1OO-nonesuch"/);
	assert.equal(a.workloads[0].target?.hardwareId, 'h100-sxm');
	assert.ok(a.workloads[0].estimate, 'still estimated on the default');
});

test('local engines default to the local machine class', async () => {
	const text = `llama-server -m Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf -c 4096\n`;
	const a = await analyze('/w/run.sh', text, { localHardwareId: 'apple-m4-max' });
	assert.equal(a.workloads[0].target?.hardwareId, 'apple-m4-max');
	const b = await analyze('/w/run.sh', text);
	assert.equal(b.workloads[0].target?.hardwareId, 'ryzen-9-7950x');
	assert.equal(b.workloads[0].estimate?.weightsFormat, 'q4_k_m');
});

test('severities: off drops a code, a level replaces the default', async () => {
	const text = `vllm serve ${M8} --tensor-parallel-size 3\n`;
	const a = await analyze('/w/serve.sh', text, {
		severities: { 'decode-compute-idle': 'off', 'invalid-parallelism': 'warning' },
	});
	assert.deepEqual(
		a.findings.map((f) => [f.code, f.severity]),
		[['invalid-parallelism', 'warning']],
	);
});

test('a file over maxFileBytes gets one file-too-large finding and is not parsed', async () => {
	const text = `vllm serve ${M8} --tensor-parallel-size 3\n`.repeat(10);
	const a = await analyze('/w/serve.sh', text, { maxFileBytes: 100 });
	assert.deepEqual(
		a.findings.map((f) => f.code),
		['file-too-large'],
	);
	assert.equal(a.workloads.length, 0);
	// 10 lines × ("vllm serve " 11 + model 32 + " --tensor-parallel-size 3" 25 + newline 1 = 69 bytes) = 690.
	assert.equal(a.findings[0].data?.bytes, 690);
});

test('an estimator that throws yields one internal-error and the model rules still run', async () => {
	const api = {
		...realApi(getCatalog()),
		estimate: () => {
			throw new Error('boom');
		},
	};
	const text = `vllm serve ${M8} --tensor-parallel-size 3\n`;
	const a = await runPipeline({ path: '/w/serve.sh', text }, {}, api);
	assert.deepEqual(
		a.findings.map((f) => f.code),
		['internal-error', 'invalid-parallelism'],
	);
	assert.match(a.findings[0].message, /estimate stage failed on this workload: boom/);
});

test('files with no workload cost nothing and get no findings', async () => {
	const a = await analyze('/w/ci.yaml', 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n');
	assert.deepEqual(a, { path: '/w/ci.yaml', workloads: [], findings: [] });
});

test('a local model directory is resolved from its config.json through the host', async () => {
	// Llama-3.1-8B's config.json, the fields modelFromHfConfig reads.
	const config = {
		architectures: ['LlamaForCausalLM'],
		num_hidden_layers: 32,
		hidden_size: 4096,
		intermediate_size: 14336,
		num_attention_heads: 32,
		num_key_value_heads: 8,
		vocab_size: 128256,
		max_position_embeddings: 131072,
		tie_word_embeddings: false,
		torch_dtype: 'bfloat16',
	};
	const reads: string[] = [];
	const host = {
		readFile(p: string) {
			reads.push(p);
			return p === '/srv/app/models/my-llama/config.json'
				? new TextEncoder().encode(JSON.stringify(config))
				: undefined;
		},
	};
	const text = `vllm serve ./models/my-llama --max-model-len 8192\n`;
	const a = await analyze('/srv/app/serve.sh', text, { host });
	assert.ok(reads.includes('/srv/app/models/my-llama/config.json'), reads.join(', '));
	assert.equal(a.findings.filter((f) => f.code === 'unknown-model').length, 0);
	const e = a.workloads[0].estimate;
	assert.ok(e);
	// KV/token = 2 × 32 × 8 × 128 × 2 B = 131,072, as for the catalog entry.
	assert.equal(e.memory.kvBytesPerToken, 131072);
	assert.equal(a.workloads[0].workload.localModelInfo?.kind, 'config.json');
});

/** kv-cache-does-not-fit in each syntax: both fixes applied, re-analyzed, and the error is gone. */
for (const [name, path, text] of [
	[
		'Dockerfile JSON-array CMD',
		'/w/Dockerfile',
		`FROM vllm/vllm-openai:v0.10.1\nCMD ["--model", "${M8}", "--max-model-len", "131072", "--gpu-memory-utilization", "0.35"]\n`,
	],
	[
		'docker-compose list command',
		'/w/docker-compose.yml',
		`services:\n  vllm:\n    image: vllm/vllm-openai:v0.10.1\n    command:\n      - --model\n      - ${M8}\n      - --max-model-len\n      - "131072"\n      - --gpu-memory-utilization\n      - "0.35"\n`,
	],
	[
		'Python LLM(...)',
		'/w/offline.py',
		`from vllm import LLM\n\nllm = LLM(model="${M8}", max_model_len=131072, gpu_memory_utilization=0.35)\n`,
	],
] as const) {
	test(`fixes in the file's syntax: ${name}`, async () => {
		const a = await analyze(path, text);
		const f = one(a, 'kv-cache-does-not-fit');
		assert.equal(spanText(text, f).replace(/"/g, ''), '131072');
		// Lower the context, fp8 KV cache, and fp8 weights quantized at load time.
		assert.equal(f.fixes?.length, 3);
		for (const fix of f.fixes ?? []) {
			const fixed = applyEdits(text, fix.edits);
			const after = await analyze(path, fixed);
			assert.equal(after.workloads.length, 1, `${fix.title}:\n${fixed}`);
			assert.deepEqual(
				after.findings.filter(
					(x) =>
						x.code === 'kv-cache-does-not-fit' ||
						x.code === 'unknown-flag' ||
						x.code === 'unparseable-config',
				),
				[],
				`${fix.title}:\n${fixed}`,
			);
		}
	});
}

test('HF transformers: 70B in fp32 with device_map="auto" spills to the CPU (warning), without it errors', async () => {
	const code = (dm: string) =>
		`from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-70B-Instruct"${dm})\n`;
	const auto = one(await analyze('/w/load.py', code(', device_map="auto"')), 'weights-do-not-fit');
	assert.equal(auto.severity, 'warning');
	assert.match(auto.message, /device_map="auto" puts the rest in CPU memory/);
	const cuda = one(await analyze('/w/load.py', code(', device_map="cuda"')), 'weights-do-not-fit');
	assert.equal(cuda.severity, 'error');
	// 70.6e9 parameters × 4 bytes (transformers 4.x loads fp32 without a dtype) = 282 GB.
	assert.match(cuda.message, /The fp32 weights of meta-llama\/Llama-3\.1-70B need 282 GB/);
});
