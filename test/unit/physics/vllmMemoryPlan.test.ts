/**
 * vLLM's start-up memory plan, rule by rule (server/src/analysis/physics/memoryPlan/vllm*.ts), checked
 * against the start-up logs in server/data/measurements/startup.csv (read here, not typed in) and against
 * the vLLM source rules each rule restates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
	getCatalog,
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
} from '../../../server/src/analysis/catalog/index';
import type { HardwareSpec, ModelSpec } from '../../../server/src/analysis/catalog/types';
import {
	cudaComputeMajor,
	engineVisibleMemory,
	isBigGpu,
	memoryPlanFor,
	vllmAllReduce,
	vllmGeneration,
	vllmPlan,
	type VllmPlanInput,
} from '../../../server/src/analysis/physics/memoryPlan';
import {
	commCountedInProfile,
	activationPeakBytes,
	graphsInKvBudget,
	mlpPeakBytes,
	mrv2SkipsGraphReserve,
	retainedAllReduceBytes,
	samplerBytesPerLogit,
	VLLM_V1_SAMPLER_BYTES_PER_LOGIT,
	VLLM_CUDA_GRAPH_GIB,
	VLLM_V0_NON_TORCH_GIB,
	VLLM_V1_NON_TORCH_GIB,
	VLLM_V0_TP_COMM_GIB,
	versionAtLeast,
} from '../../../server/src/analysis/physics/memoryPlan/vllm';
import {
	routedExpertPaddingBytes,
	VLLM_MARLIN_MXFP4_PADDING,
	weightBytes,
} from '../../../server/src/analysis/physics/weights';
import { runtimeOverhead } from '../../../server/src/analysis/physics/memory';
import type { ParallelLayout } from '../../../server/src/analysis/physics/parallel';
import { evaluateMemory } from '../../../server/src/cli/accuracy/memory';
import { input as specInput } from './specs';
import { chooseVllmMemoryConstants } from '../../../server/src/cli/accuracy/vllmMemoryConstants';
import { readLedgerCsv, versionBelowFromRowDate } from '../../../server/src/cli/accuracy/memory';

const GIB = 1024 ** 3;
const ledger = readLedgerCsv(readFileSync('server/data/measurements/startup.csv', 'utf8'));
const catalog = getCatalog();
const row = (id: string) => {
	const r = ledger.find((x) => x.id === id);
	assert.ok(r, `ledger row ${id}`);
	return r;
};
const model = (id: string): ModelSpec => {
	const r = resolveModel(id, catalog);
	assert.ok(r.ok, id);
	return r.model;
};
const hardware = (id: string): HardwareSpec => {
	const r = resolveHardware(id, catalog);
	assert.ok(r.ok, id);
	return r.hardware;
};

/** The plan the accuracy report builds for a ledger row (catalog model, card, weights and the row's flags). */
function planForRow(id: string, over: Partial<VllmPlanInput> = {}) {
	const r = row(id);
	const m = model(r.model);
	const hw = hardware(r.hardware);
	const tp = Number(r.tp || 1);
	const fmt = resolveFormat(r.weights || 'bf16', catalog);
	assert.ok(fmt, r.weights);
	const visible = engineVisibleMemory(hw);
	const allReduce = vllmAllReduce(hw, tp);
	return vllmPlan({
		model: m,
		kvDtype: resolveKvDtype(r.kv_dtype || 'bf16', catalog)!,
		weightsBytesPerDevice: (weightBytes(m, fmt) + routedExpertPaddingBytes(m, fmt, tp)) / tp,
		totalBytes: visible.bytes,
		totalRule: visible.rule,
		gpuMemoryUtilization: Number(r.gpu_memory_utilization || 0.9),
		tensorParallel: tp,
		pipelineParallel: 1,
		maxModelLen: Number(r.max_model_len) || m.maxContext,
		maxNumBatchedTokens: r.max_num_batched_tokens ? Number(r.max_num_batched_tokens) : undefined,
		maxNumSeqs: r.max_num_seqs ? Number(r.max_num_seqs) : undefined,
		bigGpu: isBigGpu({ hardware: hw }),
		version: r.engine_version || undefined,
		generation: r.generation === 'v0' || r.generation === 'v1' ? r.generation : undefined,
		computeCapabilityMajor: cudaComputeMajor(hw),
		customAllReduce: allReduce.custom,
		nvlinkBuffers: allReduce.nvlinkBuffers,
		allReduceWhy: allReduce.why,
		...over,
	});
}

test('custom all-reduce: vLLM rules (world sizes 2/4/6/8, full NVLink above two GPUs, peer-to-peer)', () => {
	assert.equal(vllmAllReduce(hardware('h100-sxm'), 1).custom, false);
	assert.equal(vllmAllReduce(hardware('h100-sxm'), 4).custom, true);
	assert.equal(vllmAllReduce(hardware('h100-sxm'), 3).custom, false, 'TP 3 is not a supported world size');
	assert.equal(vllmAllReduce(hardware('l40s'), 2).custom, true, 'two PCIe GPUs with P2P');
	assert.equal(vllmAllReduce(hardware('l40s'), 8).custom, false, 'more than two PCIe-only GPUs');
	assert.equal(vllmAllReduce(hardware('rtx-4090'), 2).custom, false, 'GeForce: no peer-to-peer');
	// An NVLink bridge links card pairs: full connectivity at TP 2 only.
	assert.equal(vllmAllReduce(hardware('h100-nvl'), 2).custom, true);
	assert.equal(vllmAllReduce(hardware('h100-nvl'), 4).custom, false);
});

test('V0 non-torch memory follows the all-reduce: two RTX 4090 log no NVLink buffers, the plan adds none', () => {
	const r = row('vllm-13061-4090x2-r1-qwen14b');
	const plan = planForRow(r.id);
	assert.equal(plan.generation, 'v0');
	assert.ok(
		Math.abs(plan.nonTorchBytes / GIB - Number(r.non_torch_gib)) < 0.15,
		`${(plan.nonTorchBytes / GIB).toFixed(2)} GiB vs logged ${r.non_torch_gib}`,
	);
	// The same row with the buffers forced on is off by the TP communication constant.
	const forced = planForRow(r.id, { nvlinkBuffers: true });
	assert.ok(forced.nonTorchBytes - plan.nonTorchBytes > GIB);
});

test("before 0.2.6 the profile keeps every layer's all-reduce inputs; Llama-2-70B on 4×A100 lands near the log", () => {
	const m = model('meta-llama/Llama-2-70b-hf');
	const kept = retainedAllReduceBytes(m, 4096, 4, 1, '0.2.5');
	assert.equal(kept, 2 * m.layers * 4096 * m.hidden * 2);
	assert.equal(retainedAllReduceBytes(m, 4096, 4, 1, '0.2.6'), 0);
	assert.equal(retainedAllReduceBytes(m, 4096, 1, 1, '0.2.5'), 0, 'no all-reduce at TP 1');
	const r = row('vllm-2031-llama2-70b-4xa100');
	const logged = Number(r.kv_tokens);
	const plan = planForRow(r.id);
	const without = planForRow(r.id, { version: '0.2.6' });
	const err = (p: { kvTokens: number }) => Math.abs(p.kvTokens - logged) / logged;
	assert.ok(err(plan) < 0.1, `${plan.kvTokens} vs ${logged}`);
	assert.ok(err(plan) < err(without));
});

test('MXFP4 experts padded to the Marlin tile sizes: gpt-oss-120b weights as vLLM logs them on one H100', () => {
	const m = model('openai/gpt-oss-120b');
	const mx = resolveFormat('mxfp4', catalog)!;
	const r = row('vllm-23278-gpt-oss-120b-h100');
	const padded = (weightBytes(m, mx) + routedExpertPaddingBytes(m, mx, 1)) / GIB;
	const logged = Number(r.weights_gib);
	assert.ok(Math.abs(padded - logged) / logged < 0.01, `${padded.toFixed(2)} GiB vs logged ${logged}`);
	assert.ok(Math.abs(weightBytes(m, mx) / GIB - logged) / logged > 0.05, 'unpadded misses by more');
	// Per partition: 2880 / 2 = 1440 → 1536 at TP 2 pads more than 2880 → 2944 at TP 1.
	assert.ok(routedExpertPaddingBytes(m, mx, 2) > routedExpertPaddingBytes(m, mx, 1));
	assert.equal(VLLM_MARLIN_MXFP4_PADDING.intermediate, 128);
	// Other formats and dense models are not padded.
	assert.equal(routedExpertPaddingBytes(m, resolveFormat('bf16', catalog)!, 1), 0);
	assert.equal(routedExpertPaddingBytes(m, resolveFormat('mxfp8', catalog)!, 1), 0);
	assert.equal(routedExpertPaddingBytes(model('meta-llama/Llama-3.1-8B'), mx, 1), 0);
});

test('every logged vLLM refusal is predicted, and no start that was logged is called "does not fit"', () => {
	const acc = evaluateMemory(ledger);
	const refused = new Set(ledger.filter((r) => r.engine === 'vllm' && r.refusal).map((r) => r.id));
	const evaluated = acc.vllm.refusals.filter((x) => refused.has(x.id));
	assert.ok(evaluated.length >= 5, `${evaluated.length} refusals evaluated`);
	for (const x of evaluated) assert.notEqual(x.predicted, false, `${x.id} refusal predicted`);
	assert.equal(acc.vllm.falseDoesNotFit, 0);
});

test('CUDA graphs: the ledger median of logged graph memory, taken from the KV budget from v0.21.0 on', () => {
	const logged = ledger
		.filter((r) => r.engine === 'vllm' && r.cuda_graph_gib)
		.map((r) => Number(r.cuda_graph_gib))
		.sort((a, b) => a - b);
	assert.ok(logged.length >= 3);
	const mid = Math.floor(logged.length / 2);
	const median = logged.length % 2 ? logged[mid] : (logged[mid - 1] + logged[mid]) / 2;
	assert.equal(VLLM_CUDA_GRAPH_GIB, Number(median.toFixed(2)));
	assert.equal(chooseVllmMemoryConstants(ledger).cudaGraphGib.value, VLLM_CUDA_GRAPH_GIB);
	assert.equal(graphsInKvBudget('0.20.2'), false);
	assert.equal(graphsInKvBudget('0.21.0'), true);
	assert.equal(graphsInKvBudget(undefined), true, 'unknown version: the current rules');
	const id = 'vllm-doc-l40s-qwen3-235b-fp8-tp8';
	const before = planForRow(id, { version: '0.20.0' });
	const after = planForRow(id, { version: '0.21.0' });
	assert.equal(before.cudaGraphInBudget, false);
	assert.ok(Math.abs(before.kvAvailableBytes - after.kvAvailableBytes - VLLM_CUDA_GRAPH_GIB * GIB) < 1);
	// The plan lists the graphs before the KV line when they come out of its budget.
	const labels = after.lines.map((l) => l.label);
	assert.ok(labels.indexOf('CUDA graphs') < labels.indexOf('KV cache memory'));
});

test('the sampler constant: chosen from rows whose profile peak is the sampler, not the MLP', () => {
	const chosen = chooseVllmMemoryConstants(ledger).samplerBytesPerLogit;
	const ids = chosen.rows.map((r) => r.id);
	// gpt-oss-120b on one H100 gives it from its logged weights and available KV memory (no peak logged).
	assert.ok(ids.includes('vllm-23278-gpt-oss-120b-h100'));
	// Chosen from V1 rows only (V0 uses the same constant: its ledger rows are MLP-bound or borderline).
	for (const id of ids) assert.equal(row(id).generation, 'v1');
	// Physical range: fp32 logits (4) at the least, a handful of fp32/int64 copies at the most.
	for (const r of chosen.rows) assert.ok(r.value > 4 && r.value < 64, `${r.id}: ${r.value}`);
	// Dropping a row moves the median: the value follows the ledger, not a typed-in number.
	const without = chooseVllmMemoryConstants(ledger.filter((r) => r.id !== 'vllm-23278-gpt-oss-120b-h100'));
	assert.notEqual(without.samplerBytesPerLogit.value, chosen.value);
});

test('transformers with torch.compile carries the PyTorch runtime overhead, not the web runtime', () => {
	const layout = { tensorParallel: 1, pipelineParallel: 1 } as ParallelLayout;
	const eager = runtimeOverhead(specInput({ engine: 'pytorch', batch: 4, prompt: 512 }), layout);
	const compiled = runtimeOverhead(specInput({ engine: 'pytorch-compiled', batch: 4, prompt: 512 }), layout);
	assert.equal(compiled.bytes, eager.bytes);
	assert.ok(compiled.parts.some((p) => /CUDA context/.test(p)));
	assert.ok(!compiled.parts.some((p) => /ONNX/.test(p)));
});

test("Llama-3.1-70B bf16 on two H100 at 8k: within the measured constants' spread, so borderline, never a refusal", () => {
	const m = model('meta-llama/Llama-3.1-70B');
	const hw = hardware('h100-sxm');
	const visible = engineVisibleMemory(hw);
	const weights = weightBytes(m, resolveFormat('bf16', catalog)!) / 2;
	// 70.6 B × 2 bytes ÷ 2 GPUs ≈ 65.7 GiB per GPU against 0.9 × 79.15 GiB ≈ 71.2 GiB: about 5.5 GiB for
	// the profile peak, non-torch memory, graphs and the KV cache.
	assert.ok(Math.abs(weights / GIB - 65.7) < 0.1);
	const plan = (len: number, version?: string) =>
		vllmPlan({
			model: m,
			kvDtype: resolveKvDtype('bf16', catalog)!,
			weightsBytesPerDevice: weights,
			totalBytes: visible.bytes,
			totalRule: visible.rule,
			tensorParallel: 2,
			pipelineParallel: 1,
			maxModelLen: len,
			bigGpu: true,
			customAllReduce: true,
			version,
		});
	const at8k = plan(8192);
	assert.ok(at8k.fits || at8k.borderline, 'no "does not fit" at 8k');
	// Pinned to 0.10.x, where V1 may count the NVLink buffers too: still no error at 8k.
	const pinned = plan(8192, '0.10.1');
	assert.ok(pinned.fits || pinned.borderline, 'no "does not fit" at 8k on 0.10.1');
	// With the favourable constants the KV memory holds more than 8k tokens; far beyond it, a refusal stands.
	assert.equal(plan(65536).fits || plan(65536).borderline, false);
});

test('V1 counts the NVLink all-reduce buffers until 0.11.0 (PR #25359): Qwen3-235B-FP8 on 4×H100 under 0.9.x', () => {
	assert.equal(commCountedInProfile('v0', '0.7.2'), true);
	assert.equal(commCountedInProfile('v1', '0.9.2'), true);
	assert.equal(commCountedInProfile('v1', '0.11.0'), false);
	assert.equal(commCountedInProfile('v1', undefined), false, 'unknown version: the current rules');
	const r = row('vllm-21348-qwen3-235b-fp8-4xh100');
	const logged = Number(r.kv_tokens);
	const plan = planForRow(r.id);
	const later = planForRow(r.id, { version: '0.11.0' });
	assert.ok(plan.nonTorchBytes > later.nonTorchBytes + GIB);
	assert.ok(Math.abs(plan.kvTokens - logged) / logged < 0.1, `${plan.kvTokens} vs ${logged}`);
	// PCIe-only L40S at TP 8 (no custom all-reduce) logs 0.21 GiB: nothing added there.
	const l40s = row('vllm-doc-l40s-qwen3-235b-fp8-tp8');
	assert.ok(Math.abs(planForRow(l40s.id).nonTorchBytes / GIB - Number(l40s.non_torch_gib)) < 0.1);
});

test('NVLink buffers follow the link, not the custom all-reduce: two L40S over PCIe P2P add none', () => {
	// custom_all_reduce.py allocates ~24 MiB (meta + IPC buffer + rank_data, 8 MiB each); the 1.79 GiB the
	// ledger measures at TP 2 is NCCL over NVLink.
	const l40s = vllmAllReduce(hardware('l40s'), 2);
	assert.equal(l40s.custom, true, 'two PCIe GPUs with P2P keep the custom all-reduce');
	assert.equal(l40s.nvlinkBuffers, false);
	assert.equal(vllmAllReduce(hardware('h100-sxm'), 2).nvlinkBuffers, true);
	assert.equal(vllmAllReduce(hardware('h100-sxm'), 3).nvlinkBuffers, true, 'NCCL over NVLink at TP 3 too');
	assert.equal(vllmAllReduce(hardware('rtx-4090'), 2).nvlinkBuffers, false);
	assert.equal(vllmAllReduce(hardware('h100-nvl'), 4).nvlinkBuffers, false, 'a bridge links pairs only');
	assert.equal(vllmAllReduce(hardware('h100-sxm'), 1).nvlinkBuffers, false);
	// A V0 plan (0.7.3) of Qwen2.5-32B at TP 2: L40S counts the CUDA context only, H100 the NVLink buffers too.
	const m = model('Qwen/Qwen2.5-32B');
	const planOn = (hwId: string, version = '0.7.3') => {
		const hw = hardware(hwId);
		const visible = engineVisibleMemory(hw);
		const ar = vllmAllReduce(hw, 2);
		return vllmPlan({
			model: m,
			kvDtype: resolveKvDtype('bf16', catalog)!,
			weightsBytesPerDevice: weightBytes(m, resolveFormat('bf16', catalog)!) / 2,
			totalBytes: visible.bytes,
			totalRule: visible.rule,
			tensorParallel: 2,
			pipelineParallel: 1,
			maxModelLen: 10000,
			bigGpu: isBigGpu({ hardware: hw }),
			version,
			customAllReduce: ar.custom,
			nvlinkBuffers: ar.nvlinkBuffers,
			allReduceWhy: ar.why,
		});
	};
	const onL40s = planOn('l40s');
	const onH100 = planOn('h100-sxm');
	// From 0.7.0 V0 measures non-torch memory beyond PyTorch's reserved pool, as V1 does (PR #11809).
	assert.ok(Math.abs(onL40s.nonTorchBytes / GIB - VLLM_V1_NON_TORCH_GIB) < 1e-9);
	assert.ok(Math.abs(onH100.nonTorchBytes / GIB - (VLLM_V1_NON_TORCH_GIB + VLLM_V0_TP_COMM_GIB)) < 1e-9);
	const line = onL40s.lines.find((l) => l.label === 'non-torch memory');
	assert.match(line?.source ?? '', /not linked by NVLink/);
	// Before 0.7.0 the allocator's unused reserved blocks were logged as non-torch memory too.
	const old = planOn('l40s', '0.6.6');
	assert.ok(Math.abs(old.nonTorchBytes / GIB - VLLM_V0_NON_TORCH_GIB) < 1e-9);
	assert.ok(old.kvTokens < onL40s.kvTokens);
	const tp1 = vllmPlan({
		model: model('meta-llama/Llama-3.2-3B'),
		kvDtype: resolveKvDtype('fp16', catalog)!,
		weightsBytesPerDevice: 6 * GIB,
		totalBytes: 14.74 * GIB,
		totalRule: 'test',
		tensorParallel: 1,
		pipelineParallel: 1,
		maxModelLen: 2048,
		bigGpu: false,
		version: '0.6.4',
		generation: 'v0',
	});
	assert.match(tp1.lines.find((l) => l.label === 'non-torch memory')?.source ?? '', /PR #11809/);
});

test('engine generation: 0.8.x–0.10.x fall back to V0 below compute capability 8.0; a logged engine wins', () => {
	assert.equal(cudaComputeMajor(hardware('t4')), 7);
	assert.equal(cudaComputeMajor(hardware('v100-sxm2-32gb')), 7);
	assert.equal(cudaComputeMajor(hardware('tesla-p40')), 6);
	assert.equal(cudaComputeMajor(hardware('l40s')), 8);
	assert.equal(cudaComputeMajor(hardware('h100-pcie')), 8);
	assert.equal(cudaComputeMajor(hardware('mi300x')), undefined, 'not CUDA');
	assert.equal(vllmGeneration('0.8.2').gen, 'v1');
	assert.equal(vllmGeneration('0.8.2', { computeMajor: 7 }).gen, 'v0');
	assert.equal(vllmGeneration('0.10.2', { computeMajor: 7 }).gen, 'v0');
	assert.equal(vllmGeneration('0.11.0', { computeMajor: 7 }).gen, 'v1', 'V0 removed in 0.11.0');
	assert.equal(vllmGeneration('0.8.2', { computeMajor: 8 }).gen, 'v1');
	assert.equal(vllmGeneration('0.7.3').gen, 'v0');
	// What the log names (or VLLM_USE_V1) wins while the release still has that engine.
	assert.equal(vllmGeneration('0.8.2', { logged: 'v0' }).gen, 'v0');
	assert.equal(vllmGeneration('0.7.3', { logged: 'v1' }).gen, 'v1');
	assert.equal(vllmGeneration('0.12.0', { logged: 'v0' }).gen, 'v1');
	// The estimator passes the card: Llama-3.1-8B on a T4 pinned to 0.8.2 gets V0's plan and says why.
	const t4 = memoryPlanFor(
		specInput({ hardware: hardware('t4'), engine: 'vllm', engineVersion: '0.8.2', maxContext: 2048 }),
		2 * GIB,
		2 * GIB,
		1,
		1,
	);
	assert.ok(t4 && t4.engine === 'vllm');
	assert.equal(t4.generation, 'v0');
	assert.ok(t4.notes.some((n) => /compute capability < 8\.0/.test(n)));
	const l4 = memoryPlanFor(
		specInput({ hardware: hardware('l4'), engine: 'vllm', engineVersion: '0.8.2', maxContext: 2048 }),
		2 * GIB,
		2 * GIB,
		1,
		1,
	);
	assert.ok(l4 && l4.engine === 'vllm');
	assert.equal(l4.generation, 'v1');
});

test('the scorer follows the engine a ledger row records: 0.8.2 run as V0 is scored with V0 rules', () => {
	const base = row('vllm-10517-3090-20k');
	const score = (over: Record<string, string>) =>
		evaluateMemory([{ ...base, ...over }]).vllm.rows.find((x) => x.id === base.id)!.predicted!;
	const asV0 = score({ engine_version: '0.8.2', generation: 'v0' });
	const asV1 = score({ engine_version: '0.8.2', generation: 'v1' });
	const unrecorded = score({ engine_version: '0.8.2', generation: '' });
	assert.notEqual(asV0, asV1);
	assert.equal(unrecorded, asV1, 'without a recorded engine: the version default (V1 on an RTX 3090)');
	assert.equal(asV0, score({ engine_version: '0.7.3', generation: 'v0' }), 'the same V0 rules as 0.7.x');
});

test("unknown version: the plan says it applies the latest release's rules", () => {
	const p = planForRow('vllm-doc-l40s-qwen3-235b-fp8-tp8', { version: undefined });
	assert.equal(p.versionKnown, false);
	assert.ok(p.notes.some((n) => /latest release's rules/.test(n)));
	const graphs = p.lines.find((l) => l.label === 'CUDA graphs');
	assert.match(graphs?.source ?? '', /version unknown: the latest release's rules/);
	assert.equal(
		planForRow('vllm-doc-l40s-qwen3-235b-fp8-tp8').notes.some((n) => /unknown/.test(n)),
		false,
	);
});

test('a row without a version but dated before a release is planned without the rules that start later', () => {
	// Unknown: the latest release. Known only to be older than 0.18.0: nothing from 0.21.0 on; 0.11.0 still open.
	assert.equal(versionAtLeast(undefined, [0, 21, 0]), true);
	assert.equal(versionAtLeast(undefined, [0, 21, 0], '0.18.0'), false);
	assert.equal(versionAtLeast(undefined, [0, 11, 0], '0.18.0'), true);
	assert.equal(versionAtLeast('0.22.0', [0, 21, 0], '0.18.0'), true, 'a known version wins');
	assert.equal(graphsInKvBudget(undefined, '0.18.0'), false);
	assert.equal(graphsInKvBudget(undefined, '0.21.0'), false, 'older than 0.21.0: before the graph rule');
	assert.equal(graphsInKvBudget(undefined, '0.22.0'), true, 'older than 0.22.0 may be 0.21.x');
	// The scorer reads the date only from a row with no version, and only dates it has a release bound for.
	const r = row('vllm-doc-l40s-qwen3-235b-fp8-tp8');
	assert.equal(
		versionBelowFromRowDate({ ...r, source_title: 'x (L40S, 2026-03-03)' }),
		undefined,
		'a row with a version (0.10.2): the version, not the date',
	);
	const undated = { ...r, engine_version: '', source_title: 'no date' };
	assert.equal(versionBelowFromRowDate(undated), undefined);
	const dated = { ...r, engine_version: '', source_title: 'x (L40S, 2026-03-03)' };
	assert.equal(versionBelowFromRowDate(dated), '0.18.0');
	assert.equal(versionBelowFromRowDate({ ...dated, source_title: 'x (2026-09-14)' }), undefined);
	// The plan with that bound keeps the graphs in the headroom and says why.
	const p = planForRow(r.id, { version: undefined, versionBelow: '0.18.0' });
	assert.equal(p.cudaGraphInBudget, false);
	assert.ok(p.notes.some((n) => /older than 0\.18\.0/.test(n)));
	const latest = planForRow(r.id, { version: undefined });
	assert.ok(Math.abs(p.kvAvailableBytes - latest.kvAvailableBytes - VLLM_CUDA_GRAPH_GIB * GIB) < 1);
});

/** A plan for a catalog model on a catalog card with the report's defaults (no ledger row needed). */
function planFor(modelId: string, hwId: string, over: Partial<VllmPlanInput> = {}) {
	const m = model(modelId);
	const hw = hardware(hwId);
	const fmt = resolveFormat('bf16', catalog)!;
	const visible = engineVisibleMemory(hw);
	return vllmPlan({
		model: m,
		kvDtype: resolveKvDtype('bf16', catalog)!,
		weightsBytesPerDevice: weightBytes(m, fmt),
		totalBytes: visible.bytes,
		totalRule: visible.rule,
		tensorParallel: 1,
		pipelineParallel: 1,
		maxModelLen: 8192,
		bigGpu: isBigGpu({ hardware: hw }),
		computeCapabilityMajor: cudaComputeMajor(hw),
		...over,
	});
}

test('Model Runner V2 (dense models, 0.25.1–0.28.x) reserves no CUDA graph memory; 0.29.0 does (PR #53306)', () => {
	// The rule: V1, a pinned release in [0.25.1, 0.29.0), a dense model.
	assert.equal(mrv2SkipsGraphReserve('0.25.0', true), false, 'before MRV2 became the dense default');
	assert.equal(mrv2SkipsGraphReserve('0.25.1', true), true);
	assert.equal(mrv2SkipsGraphReserve('0.28.0', true), true);
	assert.equal(mrv2SkipsGraphReserve('0.29.0', true), false, 'MRV2 profiles its graphs from 0.29.0');
	assert.equal(mrv2SkipsGraphReserve('0.28.0', false), false, 'MoE stays on the legacy runner until 0.29.0');
	assert.equal(mrv2SkipsGraphReserve(undefined, true), false, "unknown version: the latest release's rules");
	assert.equal(mrv2SkipsGraphReserve('0.28.0', true, 'v0'), false);
	// Through the plan: Qwen3-14B (dense) on an L40S takes the graphs from the KV budget on 0.24.0 and 0.29.0,
	// not on 0.28.0, where the pool is larger by exactly the graph memory and the graph line says why.
	const at = (version: string) => planFor('Qwen/Qwen3-14B', 'l40s', { version });
	const p28 = at('0.28.0');
	assert.equal(at('0.24.0').cudaGraphInBudget, true);
	assert.equal(at('0.29.0').cudaGraphInBudget, true);
	assert.equal(p28.cudaGraphInBudget, false);
	assert.ok(Math.abs(p28.kvAvailableBytes - at('0.29.0').kvAvailableBytes - VLLM_CUDA_GRAPH_GIB * GIB) < 1);
	assert.match(p28.lines.find((l) => l.label === 'CUDA graphs')?.source ?? '', /Model Runner V2/);
	// A MoE model on 0.28.0 keeps the reserve.
	const moe = planFor('Qwen/Qwen3-30B-A3B', 'h100-sxm', { version: '0.28.0' });
	assert.equal(moe.cudaGraphInBudget, true);
});

test("V0's profile run samples max_num_seqs rows with top-p/top-k: the sampler peak as in V1, chunked prefill aside", () => {
	// Same bytes per logit as V1's dummy sampler; with V0 chunked prefill the logits in the model dtype only.
	assert.equal(samplerBytesPerLogit('v0', false), VLLM_V1_SAMPLER_BYTES_PER_LOGIT);
	assert.equal(samplerBytesPerLogit('v1', false), VLLM_V1_SAMPLER_BYTES_PER_LOGIT);
	assert.equal(samplerBytesPerLogit('v0', true), 2);
	// Llama-3-8B on an 80 GB GPU, V0 0.6.5.dev at max_model_len 8192 (chunked prefill off): the logged peak
	// (1.26 GiB) is above the MLP's live set and the sampler term reaches it.
	const r = row('vllm-10511-llama3-8b-tp1');
	const m = model(r.model);
	const tokens = Number(r.max_model_len);
	const logged = Number(r.activation_peak_gib) * GIB;
	assert.ok(mlpPeakBytes(m, tokens, 1) < 0.75 * logged, 'the MLP alone falls short');
	const peak = activationPeakBytes(m, tokens, 256, 1, 'v0');
	assert.ok(Math.abs(peak - logged) < 0.1 * logged, `${(peak / GIB).toFixed(2)} GiB`);
	// RTX 3090, 0.6.4 at 35k context (chunked prefill on, 512 tokens): no sampler-sized peak is logged.
	const r35 = row('vllm-10517-3090-35k');
	const p35 = activationPeakBytes(model(r35.model), 512, 256, 1, 'v0', VLLM_V1_SAMPLER_BYTES_PER_LOGIT, true);
	assert.ok(Math.abs(p35 / GIB - Number(r35.activation_peak_gib)) < 0.02);
});

test("V1 before 0.9.2 notes that the whole GPU's non-PyTorch memory comes out of the KV budget (PR #19312)", () => {
	const notes = (version: string) => planFor('Qwen/Qwen2.5-7B', 'l40s', { version }).notes;
	assert.ok(notes('0.9.1').some((n) => /PR #19312/.test(n)));
	assert.ok(!notes('0.9.2').some((n) => /PR #19312/.test(n)));
	assert.ok(!notes('0.11.0').some((n) => /PR #19312/.test(n)));
});
