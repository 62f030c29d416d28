import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { parseSpeculativeConfig, servingFromWorkload } from '../../../server/src/analysis/servingSettings';

async function analyze(text: string, options: Parameters<typeof analyzeDocument>[1] = {}) {
	return analyzeDocument({ path: '/t/serve.sh', text }, options);
}

test('vLLM speculative config, expert parallelism and data parallelism are read from the command', async () => {
	const a = await analyze(
		`vllm serve deepseek-ai/DeepSeek-R1 -tp 8 -dp 2 --enable-expert-parallel --speculative-config '{"method": "deepseek_mtp", "num_speculative_tokens": 1}'\n`,
	);
	const w = a.workloads[0].workload;
	assert.equal(w.settings.expertParallel?.value, true);
	assert.equal(w.settings.dataParallelSize?.value, 2);
	const s = servingFromWorkload(w, true);
	assert.deepEqual(s.speculative, { method: 'mtp', tokens: 1 });
	// vLLM EP spans TP × DP ranks; attention runs data-parallel over DP.
	assert.deepEqual(s.layout, { expertParallel: 16, attentionDataParallel: 2 });
});

test('dense model with -dp: data parallelism means replicas', async () => {
	const a = await analyze('vllm serve meta-llama/Llama-3.1-8B-Instruct --data-parallel-size 4\n');
	assert.deepEqual(servingFromWorkload(a.workloads[0].workload, false).layout, { replicas: 4 });
});

test('llama.cpp -md/--draft-max: a draft model with its draft length', async () => {
	const a = await analyze(
		'llama-server -m Llama-3.1-8B-Q4_K_M.gguf -md Llama-3.2-1B-Q4_K_M.gguf --draft-max 8\n',
	);
	assert.deepEqual(servingFromWorkload(a.workloads[0].workload, false).speculative, {
		method: 'draft-model',
		tokens: 8,
	});
	const dflt = await analyze('llama-server -m Llama-3.1-8B-Q4_K_M.gguf -md Llama-3.2-1B-Q4_K_M.gguf\n');
	const s = servingFromWorkload(dflt.workloads[0].workload, false);
	assert.equal(s.speculative?.tokens, 16);
	assert.ok(s.notes.some((n) => n.includes('default --draft-max')));
});

test('speculative config spellings: JSON, Python dict, legacy [ngram] model, bad text', () => {
	assert.deepEqual(
		parseSpeculativeConfig('{"method": "eagle3", "model": "x/eagle3", "num_speculative_tokens": 3}'),
		{
			method: 'eagle3',
			tokens: 3,
			model: 'x/eagle3',
		},
	);
	assert.equal(parseSpeculativeConfig("{'method': 'ngram', 'num_speculative_tokens': 5}")?.tokens, 5);
	assert.equal(parseSpeculativeConfig('not json'), undefined);
});

test('concurrency-misses-latency-target: fires at a configured concurrency that misses TTFT, with the largest that meets it', async () => {
	const a = await analyze(
		'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 512\n',
	);
	const f = a.findings.find((x) => x.code === 'concurrency-misses-latency-target');
	assert.ok(f, a.findings.map((x) => x.code).join(', '));
	assert.equal(f.severity, 'warning');
	assert.match(f.message, /default lengths/);
	const best = f.data?.largestConcurrencyMeetingTargets as number;
	assert.ok(best > 1 && best < 512);
	assert.equal(f.fixes?.[0].edits[0].newText, String(best));
	// At the suggested concurrency the finding is gone.
	const fixed = await analyze(
		`vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs ${best}\n`,
	);
	assert.ok(!fixed.findings.some((x) => x.code === 'concurrency-misses-latency-target'));
});

test('concurrency-misses-latency-target: silent on engine-default concurrency; targets come from settings', async () => {
	const dflt = await analyze('vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n');
	assert.ok(!dflt.findings.some((x) => x.code === 'concurrency-misses-latency-target'));
	const loose = await analyze(
		'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 512\n',
		{
			latencyTarget: { tokensPerSecondPerUser: 5, ttftSeconds: 120 },
		},
	);
	assert.ok(!loose.findings.some((x) => x.code === 'concurrency-misses-latency-target'));
	const strict = await analyze(
		'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 64\n',
		{
			latencyTarget: { tokensPerSecondPerUser: 200, ttftSeconds: 2 },
		},
	);
	const f = strict.findings.find((x) => x.code === 'concurrency-misses-latency-target');
	assert.ok(f);
	assert.equal(f.data?.targetTokensPerSecondPerUser, 200);
});
