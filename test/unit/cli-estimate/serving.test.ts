import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { main } from '../../../server/src/cli/main';
import type { CliIO } from '../../../server/src/cli/io';
import { parseCsv } from '../../../server/src/cli/accuracyCommand';
import { evaluateServingRows, SERVING_TARGETS } from '../../../server/src/cli/accuracy/serving';

const root = path.resolve(__dirname, '..', '..', '..');

async function cli(...args: string[]) {
	let stdout = '';
	let stderr = '';
	const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, env: {} };
	const code = await main(args, io);
	return { code, stdout, stderr };
}

test('estimate --isl/--osl/--concurrency adds a serving section to JSON; decode and prefill stay', async () => {
	const r = await cli(
		'estimate',
		'-m',
		'meta-llama/Llama-3.1-8B',
		'-H',
		'h100-sxm',
		'--isl',
		'2000',
		'--osl',
		'300',
		'--concurrency',
		'32',
		'--json',
	);
	assert.equal(r.code, 0, r.stderr);
	const j = JSON.parse(r.stdout);
	assert.ok(j.decode && j.prefill, 'decode and prefill sections stay');
	const s = j.serving;
	for (const k of [
		'concurrency',
		'inputTokens',
		'outputTokens',
		'ttftSeconds',
		'interTokenLatencySeconds',
		'outputTokensPerSecondPerUser',
		'outputTokensPerSecondTotal',
		'requestsPerSecond',
		'limitedBy',
	])
		assert.ok(k in s, k);
	assert.equal(s.concurrency, 32);
	assert.equal(s.inputTokens, 2000);
	assert.equal(s.outputTokens, 300);
	assert.ok(
		s.outputTokensPerSecondTotal > 0 && s.outputTokensPerSecondTotal <= s.rooflineOutputTokensPerSecondTotal,
	);
	assert.ok(Math.abs(s.outputTokensPerSecondPerUser * s.interTokenLatencySeconds - 1) < 1e-9);
	assert.ok(!s.assumptions.some((a: string) => a.includes('is a default (give --input-tokens)')));
});

test('lengths and concurrency not given are defaults and say so', async () => {
	const r = await cli('estimate', '-m', 'meta-llama/Llama-3.1-8B', '-H', 'h100-sxm', '--json');
	const s = JSON.parse(r.stdout).serving;
	assert.equal(s.inputTokens, 1000);
	assert.equal(s.outputTokens, 1000);
	assert.ok(s.assumptions.some((a: string) => a.includes('input length 1000 tokens is a default')));
	assert.ok(s.assumptions.some((a: string) => a.includes('output length 1000 tokens is a default')));
	assert.ok(s.assumptions.some((a: string) => a.includes('concurrency 1 is a default')));
});

test('speculative flags: both speeds reported; method without tokens is a usage error', async () => {
	const r = await cli(
		'estimate',
		'-m',
		'meta-llama/Llama-3.1-8B',
		'-H',
		'h100-sxm',
		'--speculative-tokens',
		'3',
		'--speculative-method',
		'eagle3',
		'--json',
	);
	assert.equal(r.code, 0, r.stderr);
	const sp = JSON.parse(r.stdout).serving.speculative;
	assert.equal(sp.method, 'eagle3');
	assert.equal(sp.acceptanceIsDefault, true);
	assert.ok(sp.without.outputTokensPerSecondPerUser > 0);
	const bad = await cli(
		'estimate',
		'-m',
		'meta-llama/Llama-3.1-8B',
		'-H',
		'h100-sxm',
		'--acceptance-rate',
		'0.7',
	);
	assert.equal(bad.code, 2);
	assert.match(bad.stderr, /need --speculative-tokens/);
	const dense = await cli('estimate', '-m', 'meta-llama/Llama-3.1-8B', '-H', 'h100-sxm', '--ep', '2');
	assert.equal(dense.code, 2);
	assert.match(dense.stderr, /mixture-of-experts/);
});

test('text output has the serving block and names what limits it', async () => {
	const r = await cli(
		'estimate',
		'-m',
		'meta-llama/Llama-3.1-8B',
		'-H',
		'h100-sxm',
		'--concurrency',
		'5000',
		'--max-num-seqs',
		'64',
	);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /Serving under load · concurrency 5000/);
	assert.match(r.stdout, /limited by\s+the scheduler cap on running sequences/);
	assert.match(r.stdout, /4936 waiting/);
});

test('--help describes the serving model, its defaults and its limits', async () => {
	const r = await cli('estimate', '--help');
	assert.match(r.stdout, /--input-tokens, -isl/);
	assert.match(r.stdout, /defaults 1,000 \/ 1,000, stated as defaults/);
	assert.match(r.stdout, /What it does not simulate/);
});

test('serving ledger: ≥ 40 sourced rows, dense and MoE, five device kinds, vLLM and TRT-LLM; accuracy within the issue goal', () => {
	const records = parseCsv(readFileSync(path.join(root, 'server/data/measurements/serving.csv'), 'utf8'));
	assert.ok(records.length >= 40);
	for (const r of records) {
		assert.match(r.source_url, /^https:\/\//, r.id);
		assert.ok(
			r.source_title && r.source_date && r.engine && r.hardware && r.isl && r.osl && r.concurrency,
			r.id,
		);
	}
	const hw = new Set(records.map((r) => r.hardware.replace(/-.*/, '')));
	for (const h of ['h100', 'h200', 'b200', 'a100', 'mi300x']) assert.ok(hw.has(h), h);
	for (const e of ['vllm', 'trt-llm'])
		assert.ok(
			records.some((r) => r.engine === e),
			e,
		);
	const { summary } = evaluateServingRows(records);
	assert.equal(summary.skipped.length, 0, JSON.stringify(summary.skipped));
	assert.ok(
		summary.throughput.medianAbsErrorPct <= SERVING_TARGETS.medianAbsErrorPct,
		`throughput ${summary.throughput.medianAbsErrorPct}`,
	);
	assert.ok(
		summary.ttft.medianAbsErrorPct <= SERVING_TARGETS.medianAbsErrorPct,
		`ttft ${summary.ttft.medianAbsErrorPct}`,
	);
	assert.ok(
		summary.itl.medianAbsErrorPct <= SERVING_TARGETS.medianAbsErrorPct,
		`itl ${summary.itl.medianAbsErrorPct}`,
	);
	assert.equal(summary.aboveRoofline, 0);
	// The decode-only estimate it replaces was far off on the same rows.
	assert.ok(summary.decodeOnly.medianAbsErrorPct > 2 * summary.throughput.medianAbsErrorPct);
});
