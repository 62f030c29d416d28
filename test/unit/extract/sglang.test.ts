/**
 * SGLang as an engine: `python -m sglang.launch_server` and `sglang serve` in every file kind the vLLM
 * commands are found in, its flags mapped to Workload settings, its default mem_fraction_static by GPU
 * memory tier (server_args.py), and a KV pool of fraction × memory − weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { sglangDefaultMemFraction } from '../../../server/src/analysis/extract/sglangDefaults';
import { assertSetting, extract, extractSample, only, SAMPLES, slice } from './helpers';

test('python -m sglang.launch_server in a shell script: settings with spans, --tp prefix, ${VAR:+…} flag', async () => {
	const { text, workloads, findings } = await extractSample('sglang/launch-llama-70b-tp4.sh');
	const w = only(workloads);
	assert.equal(w.framework, 'sglang');
	assert.equal(w.model.value, 'meta-llama/Llama-3.1-70B-Instruct');
	assert.equal(w.model.key, '--model-path');
	assertSetting(text, w.settings.tensorParallelSize, 4, '4', '--tp');
	assertSetting(text, w.settings.quantization, 'fp8', 'fp8', '--quantization');
	assertSetting(text, w.settings.kvCacheDtype, 'fp8_e4m3', 'fp8_e4m3', '--kv-cache-dtype');
	assertSetting(text, w.settings.contextLength, 32768, '32768', '--context-length');
	assertSetting(text, w.settings.maxConcurrency, 64, '64', '--max-running-requests');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.85, '0.85', '--mem-fraction-static');
	assertSetting(text, w.settings.batchTokens, 8192, '8192', '--chunked-prefill-size');
	assert.ok(w.flags.some((f) => f.name === '--speculative-algorithm' && f.known));
	assert.deepEqual(
		findings.filter((f) => f.severity !== 'information').map((f) => f.code),
		[],
	);
});

test('compose: image tag pins the SGLang version; folded command; tp, dp, dp attention', async () => {
	const { text, workloads } = await extractSample('sglang/docker-compose.yaml');
	const w = only(workloads);
	assert.equal(w.framework, 'sglang');
	assert.equal(w.engineVersion?.value, '0.4.6');
	assertSetting(text, w.settings.tensorParallelSize, 2, '2', '--tp-size');
	assertSetting(text, w.settings.gpuMemoryUtilization, 0.8, '0.8', '--mem-fraction-static');
	assert.ok(w.flags.some((f) => f.canonical === 'enable-dp-attention'));
	assert.ok(w.flags.some((f) => f.canonical === 'dp-size' && f.value === '2'));
});

test('Kubernetes command + args, node selector; systemd ExecStart; Dockerfile CMD with sglang serve', async () => {
	const k8s = await extractSample('sglang/k8s-deployment.yaml');
	const k = only(k8s.workloads);
	assert.equal(k.framework, 'sglang');
	assert.equal(k.settings.hardware?.value, 'l40s');
	assertSetting(k8s.text, k.settings.maxConcurrency, 32, '32', '--max-running-requests');
	const unit = await extractSample('sglang/sglang.service');
	const u = only(unit.workloads);
	assert.equal(u.framework, 'sglang');
	assertSetting(unit.text, u.settings.tensorParallelSize, 2, '2', '--tp');
	const docker = await extractSample('sglang/Dockerfile');
	const d = only(docker.workloads);
	assert.equal(d.framework, 'sglang');
	assert.equal(d.engineVersion?.value, '0.5.2');
	assert.equal(d.model.value, 'mistralai/Mistral-7B-Instruct-v0.3');
	assertSetting(docker.text, d.settings.kvCacheDtype, 'fp8_e5m2', 'fp8_e5m2', '--kv-cache-dtype');
});

test('a stray word or a flag outside the part of server_args.py read is information, not a warning', async () => {
	const text = 'python -m sglang.launch_server --model-path m/x --some-future-flag 3 extra\n';
	const { findings } = await extract('/w/run.sh', text);
	const f = findings.filter((x) => x.code === 'unknown-flag');
	assert.deepEqual(
		f.map((x) => [slice(text, x.span), x.severity]),
		[
			['--some-future-flag', 'information'],
			['extra', 'information'],
		],
	);
});

test("default mem_fraction_static follows server_args.py's reserved memory by GPU tier", () => {
	const h100 = sglangDefaultMemFraction({
		gpuGiB: 80,
		tensorParallel: 1,
		pipelineParallel: 1,
		speculative: false,
		dpAttention: false,
	});
	assert.equal(h100.value, Math.round(((80 - 10) / 80) * 1000) / 1000); // 9.5 + 1/2 GiB reserved
	const h200tp8 = sglangDefaultMemFraction({
		gpuGiB: 141,
		tensorParallel: 8,
		pipelineParallel: 1,
		speculative: true,
		dpAttention: true,
	});
	assert.equal(h200tp8.value, Math.round(((141 - (12 + 4 + 2 + 4)) / 141) * 1000) / 1000);
	assert.match(h200tp8.note!, /speculative.*DP attention/);
	assert.equal(
		sglangDefaultMemFraction({
			gpuGiB: 24,
			tensorParallel: 1,
			pipelineParallel: 1,
			speculative: false,
			dpAttention: false,
		}).value,
		Math.round(((24 - 2.9) / 24) * 1000) / 1000,
	);
	assert.equal(
		sglangDefaultMemFraction({
			gpuGiB: 192,
			tensorParallel: 8,
			pipelineParallel: 1,
			speculative: false,
			dpAttention: false,
		}).value,
		Math.round(((192 - 32) / 192) * 1000) / 1000,
	);
	const unknown = sglangDefaultMemFraction({
		tensorParallel: 1,
		pipelineParallel: 1,
		speculative: false,
		dpAttention: false,
	});
	assert.equal(unknown.value, 0.88);
});

test('the KV pool is mem_fraction_static × memory − weights; runtime overhead sits outside the fraction', async () => {
	const file = path.join(SAMPLES, 'sglang/docker-compose.yaml');
	const a = await analyzeDocument({ path: file, text: readFileSync(file, 'utf8') });
	const m = a.workloads[0]!.estimate!.memory;
	const cap = m.capacityBytesPerDevice;
	assert.ok(Math.abs(m.kvBudgetBytesPerDevice - (0.8 * cap - m.weightsBytesPerDevice)) < 1);
	assert.ok(m.runtimeOverheadBytesPerDevice > 0);
	assert.match(m.budgetRule ?? '', /mem_fraction_static 0\.800/);
	// Unset, the fraction is SGLang's default for the target GPU, marked as a default.
	const text = 'python3 -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct\n';
	const b = await analyzeDocument({ path: '/w/run.sh', text });
	const s = b.workloads[0]!.workload.settings.gpuMemoryUtilization!;
	assert.equal(s.source, 'engine-default');
	assert.match(s.note!, /SGLang default mem_fraction_static/);
	assert.ok(s.value > 0.8 && s.value < 0.9, String(s.value));
});

test('an sglang== pin in requirements.txt sets the engine version', async () => {
	const files: Record<string, string> = { '/p/requirements.txt': 'torch\nsglang[all]==0.4.6.post1\n' };
	const host = {
		readFile: (p: string) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])),
		fileExists: (p: string) => files[p] !== undefined,
	};
	const text = 'python -m sglang.launch_server --model-path m/x --tp-size 2 --chunked-prefill-size 4096\n';
	const { workloads } = await extract('/p/serve.sh', text, host);
	const v = only(workloads).engineVersion!;
	assert.equal(v.value, '0.4.6.post1');
	assert.match(v.note!, /^pinned in requirements\.txt$/);
});
