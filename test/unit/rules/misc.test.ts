import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySeverities, runRules } from '../../../server/src/analysis/rules';
import { CODES } from '../../../server/src/analysis/rules/codes';
import { decodeComputeIdle } from '../../../server/src/analysis/rules/decodeComputeIdle';
import type { Rule } from '../../../server/src/analysis/rules/types';
import { unknownHardware } from '../../../server/src/analysis/rules/unknownHardware';
import { unknownModel } from '../../../server/src/analysis/rules/unknownModel';
import type { Finding } from '../../../server/src/analysis/types';
import { applyEdits, at, context, workload } from './helpers';

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

test('decode-compute-idle: batch 12 (what the KV budget holds of 64) on an H100', () => {
	const text = `vllm serve ${MODEL} --max-model-len 32768 --max-num-seqs 64\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		contextLength: at(text, '32768', 32768),
		maxConcurrency: at(text, '64', 64, '--max-num-seqs', text.indexOf('--max-num-seqs')),
	});
	const [f] = decodeComputeIdle.check(context(text, w));
	// No coupling class differs here: a hint, not an entry in the Problems panel.
	assert.equal(
		f.severity,
		f.data?.recommendedClass && f.data.recommendedClass !== f.data.spectrum ? 'information' : 'hint',
	);
	assert.equal(text.slice(f.span.offset, f.span.offset + f.span.length), '64');
	// Batch = min(64, floor(53.94 GB / 4.295 GB per 32,768-token sequence) = 12).
	// Step at batch 12, 2,048 tokens each: (16.06 GB + 12 × 2,048 × 131,072 B = 3.22 GB) / 3,350 GB/s = 5.756 ms;
	// FLOPs = 2 × 8.03e9 × 12 = 192.7 GFLOP → 33.5 TFLOP/s of 1,000 = 3.3 %.
	assert.match(f.message, /^At batch 12 the H100 SXM decodes at 3\.3 % of its peak FLOPs/);
	// One user: 16.06 GFLOP per (16.33 GB / 3,350 GB/s = 4.874 ms) = 3.29 TFLOP/s = 0.33 %.
	assert.match(f.message, /one user alone uses 0\.33 %/);
	assert.equal(f.data?.batch, 12);
});

test('decode-compute-idle is a hint where the spectrum class stays, information where it changes', async () => {
	const { analyzeDocument } = await import('../../../server/src/analysis/analyze');
	const same = await analyzeDocument(
		{ path: '/t/serve.sh', text: `vllm serve ${MODEL} --max-model-len 32768 --max-num-seqs 64\n` },
		{},
	);
	const a = same.findings.find((f) => f.code === 'decode-compute-idle');
	assert.ok(a);
	assert.equal(a.data?.spectrum, a.data?.recommendedClass);
	assert.equal(a.severity, 'hint');
	// llama-cpp-python without --n_gpu_layers decodes on the CPU; the coupling estimate recommends a GPU.
	const cpu = await analyzeDocument(
		{
			path: '/t/serve.sh',
			text: 'python3 -m llama_cpp.server --model /m/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf --n_ctx 8192\n',
		},
		{ localHardwareId: 'ryzen-9-7950x' },
	);
	const b = cpu.findings.find((f) => f.code === 'decode-compute-idle');
	assert.ok(b);
	assert.equal(b.data?.spectrum, 'cpu');
	assert.equal(b.data?.recommendedClass, 'gpu');
	assert.equal(b.severity, 'information');
});

test('unknown-model names the closest ids; unknown-hardware says what stood in', () => {
	const text = `vllm serve acme/Mystery-9B\n`;
	const w = workload(text, 'vllm', 'cli', at(text, 'acme/Mystery-9B', 'acme/Mystery-9B'));
	const ctx = context(text, w, { model: null });
	const [f] = unknownModel.check(ctx);
	assert.equal(f.severity, 'information');
	assert.deepEqual(f.data?.suggestions, ['a/b']);
	assert.equal(text.slice(f.span.offset, f.span.offset + f.span.length), 'acme/Mystery-9B');
	const hw = unknownHardware.check({
		...ctx,
		hardwareProblem: {
			query: 'h1OO',
			suggestions: ['h100-sxm'],
			message: 'closest: h100-sxm',
			source: 'user-setting',
		},
	});
	assert.match(
		hw[0].message,
		/The settings name hardware "h1OO", which the catalog does not know: closest: h100-sxm/,
	);
});

test('a rule that throws becomes one internal-error finding; the others still run', () => {
	const text = `vllm serve acme/Mystery-9B\n`;
	const w = workload(text, 'vllm', 'cli', at(text, 'acme/Mystery-9B', 'acme/Mystery-9B'));
	const boom: Rule = {
		code: 'boom',
		defaultSeverity: 'error',
		summary: 'throws',
		check: () => {
			throw new Error('kaput');
		},
	};
	const out = runRules(context(text, w, { model: null }), [boom, unknownModel]);
	assert.deepEqual(
		out.map((f) => f.code),
		['internal-error', 'unknown-model'],
	);
	assert.match(out[0].message, /Rule boom failed on this workload and was skipped: kaput/);
	assert.equal(out[0].data?.rule, 'boom');
});

test('severity overrides: off drops, a level replaces', () => {
	const f = (code: string): Finding => ({
		code,
		severity: 'warning',
		message: '',
		span: { offset: 0, length: 0 },
	});
	const out = applySeverities([f('a'), f('b'), f('c')], { a: 'off', b: 'error' });
	assert.deepEqual(
		out.map((x) => [x.code, x.severity]),
		[
			['b', 'error'],
			['c', 'warning'],
		],
	);
});

test('every rule code is in the code table with the same default severity', async () => {
	const { RULES } = await import('../../../server/src/analysis/rules');
	for (const r of RULES) {
		const info = CODES.find((c) => c.code === r.code);
		assert.ok(info, r.code);
		assert.equal(info.severity, r.defaultSeverity, r.code);
	}
});

test('unknown-model for a model read at run time is information, at the variable, with the reason', () => {
	const text = `vllm serve "$MODEL" --max-model-len 8192\n`;
	const w = workload(text, 'vllm', 'cli', { value: '', source: 'assumed' });
	w.unknowns.push({
		name: 'model',
		reason: '$MODEL is read from the environment at run time',
		span: { offset: 12, length: 6 },
	});
	const ctx = context(text, w, { model: null });
	const [f] = unknownModel.check({ ...ctx, model: { ok: false, query: '', suggestions: [], message: '' } });
	assert.equal(f.severity, 'information');
	assert.deepEqual(f.span, { offset: 12, length: 6 });
	assert.match(f.message, /^No model to estimate: \$MODEL is read from the environment at run time\./);
});

test('context-exceeds-model: 262,144 tokens for a 131,072-token model; RoPE scaling silences it', async () => {
	const { contextExceedsModel } = await import('../../../server/src/analysis/rules/contextExceedsModel');
	const text = `vllm serve ${MODEL} --max-model-len 262144\n`;
	const w = workload(text, 'vllm', 'cli', at(text, MODEL, MODEL), {
		contextLength: at(text, '262144', 262144, '--max-model-len'),
	});
	const [f] = contextExceedsModel.check(context(text, w));
	assert.equal(f.severity, 'error');
	assert.match(
		f.message,
		/^--max-model-len 262,144 exceeds the 131,072 tokens meta-llama\/Llama-3\.1-8B-Instruct was trained for/,
	);
	assert.equal(applyEdits(text, f.fixes?.[0].edits ?? []), `vllm serve ${MODEL} --max-model-len 131072\n`);
	w.flags.push({ name: '--rope-scaling', span: { offset: 0, length: 1 }, known: true });
	assert.deepEqual(contextExceedsModel.check(context(text, w)), []);
	const llama = workload(text, 'llama.cpp', 'cli', at(text, MODEL, MODEL), {
		contextLength: at(text, '262144', 262144, '-c'),
	});
	assert.equal(contextExceedsModel.check(context(text, llama))[0].severity, 'warning');
});

test('context-per-slot: -c 8192 -np 4 leaves 2,048 tokens per slot; raising -c to 32,768 fits', async () => {
	const { contextPerSlot } = await import('../../../server/src/analysis/rules/contextPerSlot');
	const text = `llama-server -m m.gguf -c 8192 -np 4\n`;
	const w = workload(text, 'llama.cpp', 'cli', at(text, 'm.gguf', 'm.gguf', '-m'), {
		contextLength: at(text, '8192', 8192, '-c'),
		maxConcurrency: at(text, '4', 4, '-np', text.indexOf('-np')),
	});
	const [f] = contextPerSlot.check(
		context(text, w, { hardwareId: 'rtx-4090', weights: 'q4_k_m', kv: 'f16' }),
	);
	assert.equal(f.severity, 'information');
	assert.equal(f.data?.tokensPerSlot, 2048);
	// 4 × 8,192 = 32,768 tokens × 131,072 B = 4.29 GB of KV; 24 GB − 4.52 GB weights − 2 GB overhead holds it.
	const [fix] = f.fixes ?? [];
	assert.equal(applyEdits(text, fix.edits), `llama-server -m m.gguf -c 32768 -np 4\n`);
	assert.equal(fix.effect, 'Each slot keeps 8,192 tokens; the KV cache grows to 4.29 GB');
	// 16,384 / 4 = 4,096 per slot: at the floor, no finding.
	const wide = workload(text, 'llama.cpp', 'cli', at(text, 'm.gguf', 'm.gguf'), {
		contextLength: at(text, '8192', 16384, '-c'),
		maxConcurrency: at(text, '4', 4, '-np', text.indexOf('-np')),
	});
	assert.deepEqual(
		contextPerSlot.check(context(text, wide, { hardwareId: 'rtx-4090', weights: 'q4_k_m', kv: 'f16' })),
		[],
	);
});
