/**
 * Issue #12 (LOFO pass): llama.cpp replays each token as one CUDA graph only where ggml-cuda enables it
 * (NVIDIA Ampere or newer, one token per step, builds from mid-2024, MoE from mid-2025); elsewhere every ggml
 * node is launched from the host and the per-layer cost is the no-graph constant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { withConstants } from '../../../server/src/analysis/physics/calibration';
import {
	fixedOverhead,
	layerConstantFor,
	llamaCppCudaGraphs,
	nvidiaPreAmpere,
} from '../../../server/src/analysis/physics/efficiency';
import { estimate } from '../../../server/src/analysis/physics/index';
import { loadLedger } from '../../../server/src/cli/accuracy/ledger';
import { familyOf, llamaCppGraphsOf } from '../../../server/src/cli/accuracy/ledgerLabels';
import { ledgerRecord } from '../cli-estimate/ledgerRecord';
import { h100, input, q4_0, rtx4090 } from './specs';

const named = (name: string, peaks: Record<string, number> = {}) =>
	({ id: '', name, vendor: 'NVIDIA', peakTflops: peaks }) as Pick<
		HardwareSpec,
		'id' | 'name' | 'vendor' | 'peakTflops'
	>;

test('pre-Ampere NVIDIA parts are told apart by name or by a missing bf16 peak', () => {
	for (const n of [
		'NVIDIA Tesla P40 24GB',
		'NVIDIA Tesla K80 (one of two GPUs)',
		'NVIDIA Tesla M40 24GB',
		'NVIDIA Tesla V100-SXM2-32GB',
		'NVIDIA T4',
		'NVIDIA GeForce GTX 1080 Ti',
		'NVIDIA GeForce RTX 2080 Ti',
		'NVIDIA Quadro RTX 6000',
		'NVIDIA TITAN V',
	])
		assert.equal(nvidiaPreAmpere(named(n)), true, n);
	for (const n of [
		'NVIDIA GeForce RTX 3090',
		'NVIDIA RTX A6000 48GB',
		'NVIDIA RTX 6000 Ada 48GB',
		'NVIDIA RTX 4000 Ada 20GB',
		'NVIDIA A100-SXM4-80GB',
		'NVIDIA H100 PCIe 80GB',
		'NVIDIA L40S',
		'NVIDIA DGX Spark (GB10)',
		'NVIDIA RTX PRO 6000 Blackwell',
		'NVIDIA IGX Orin iGPU',
	])
		assert.equal(nvidiaPreAmpere(named(n)), false, n);
	// A catalog entry without a name hint: Ampere brought bf16 tensor cores.
	assert.equal(nvidiaPreAmpere(named('NVIDIA X', { fp16: 100, fp32: 10 })), true);
	assert.equal(nvidiaPreAmpere(named('NVIDIA X', { bf16: 100, fp16: 100 })), false);
	assert.equal(nvidiaPreAmpere({ ...named('AMD Radeon RX 7900 XTX'), vendor: 'AMD' }), false);
});

test('llama.cpp replays CUDA graphs on Ampere+ at batch 1 only, on CUDA only, unless the build predates them', () => {
	assert.equal(llamaCppCudaGraphs('llama.cpp', 'cuda', rtx4090, 1).on, true);
	assert.equal(llamaCppCudaGraphs('ollama', 'cuda', h100, 1).on, true);
	assert.equal(llamaCppCudaGraphs('llama.cpp', 'cuda', rtx4090, 4).on, false, 'batch > 1');
	assert.equal(
		llamaCppCudaGraphs('llama.cpp', 'cuda', rtx4090, 4, true).on,
		true,
		'a build with graphs at B > 1',
	);
	assert.equal(llamaCppCudaGraphs('llama.cpp', 'cuda', rtx4090, 1, false).on, false, 'old build');
	assert.equal(llamaCppCudaGraphs('llama.cpp', 'rocm', rtx4090, 1).on, false, 'HIP graphs off by default');
	assert.equal(llamaCppCudaGraphs('llama.cpp', 'cuda', named('NVIDIA Tesla P40 24GB'), 1).on, false);
	assert.equal(llamaCppCudaGraphs('vllm', 'cuda', rtx4090, 1).on, false, 'not llama.cpp');
});

test('the per-layer constant follows the graph decision, and a graph step costs less when its constant is lower', () => {
	assert.equal(layerConstantFor('llama.cpp', 'cuda', true), 'layerUs.llama.cpp-cuda-graphs');
	assert.equal(layerConstantFor('llama.cpp', 'cuda', false), 'layerUs.llama.cpp-cuda');
	assert.equal(layerConstantFor('llama.cpp', 'rocm', true), 'layerUs.llama.cpp-cuda');
	assert.equal(layerConstantFor('pytorch-compiled', 'cuda'), 'layerUs.cuda-graphs');
	assert.equal(layerConstantFor('vllm', 'cuda'), 'layerUs.cuda-graphs');
	const values = { 'layerUs.llama.cpp-cuda': 60, 'layerUs.llama.cpp-cuda-graphs': 20 };
	const at = (cudaGraphs: boolean | undefined, batch = 1) =>
		withConstants(
			values,
			() => fixedOverhead('llama.cpp', 'gpu', 32, { hardware: rtx4090, batch, cudaGraphs }).seconds,
		);
	assert.ok(Math.abs(at(undefined) - (20 * 32 + 300) / 1e6) < 1e-12);
	assert.ok(Math.abs(at(false) - (60 * 32 + 300) / 1e6) < 1e-12);
	assert.ok(Math.abs(at(undefined, 8) - (60 * 32 + 300) / 1e6) < 1e-12);
	// End to end: an old build of the same run is slower by the launch cost.
	const tps = (cudaGraphs?: boolean) =>
		withConstants(
			values,
			() =>
				estimate(input({ hardware: rtx4090, engine: 'llama.cpp', weights: q4_0, cudaGraphs })).decode
					.expectedTokensPerSecondPerUser,
		);
	assert.ok(tps(undefined) > tps(false));
});

test('ledger rows: builds before June 2024 (MoE: July 2025) run without graphs; newer ones follow ggml-cuda', () => {
	assert.equal(llamaCppGraphsOf('llama.cpp', 'master (Jan 2024)', '2024-01', false), false);
	assert.equal(llamaCppGraphsOf('llama.cpp', 'master as of 2024-04/05', '2024-05-12', false), false);
	assert.equal(llamaCppGraphsOf('llama.cpp', 'build 081fe431 (3441)', '2024-07-24', false), undefined);
	assert.equal(
		llamaCppGraphsOf('llama.cpp', 'build 32d9f7d9 (1786)', '2025', false),
		false,
		'build number wins',
	);
	assert.equal(
		llamaCppGraphsOf('llama.cpp', 'mainline (Feb 2025)', '2025-02-08', true),
		false,
		'MoE before 2025-07',
	);
	assert.equal(llamaCppGraphsOf('llama.cpp', 'build 2f68ce7cf (6918)', '2025-11-02', true), undefined);
	assert.equal(llamaCppGraphsOf('ollama', 'not stated', '2025-12-18', true), undefined);
	// A year in parentheses is not a build number: the source date decides.
	assert.equal(llamaCppGraphsOf('ollama', 'not stated per row (2025)', '2025-12-18', true), undefined);
	assert.equal(llamaCppGraphsOf('llama.cpp', 'master (2026)', '2026-01', false), undefined);
	assert.equal(llamaCppGraphsOf('ollama', 'not stated (2025)', '2025-03', true), false, 'MoE before 2025-07');
	assert.equal(llamaCppGraphsOf('vllm', 'v0.5.0', '2024-01', false), undefined);
	const { rows } = loadLedger([
		ledgerRecord('T1', {
			hardware_id: 'rtx-4090',
			engine_version: 'master (Jan 2024)',
			source_date: '2024-01',
		}),
		ledgerRecord('T2', { hardware_id: 'rtx-4090', engine_version: 'b6918', source_date: '2025-11-02' }),
	]);
	assert.equal(rows[0].input.cudaGraphs, false);
	assert.equal(rows[1].input.cudaGraphs, undefined);
});

test('a ledger row that states its graph setting keeps it', () => {
	assert.equal(
		llamaCppGraphsOf('llama.cpp', 'PR #6766 branch', '2024-04-22', false, 'CUDA graphs: on (PR column)'),
		true,
	);
	assert.equal(llamaCppGraphsOf('llama.cpp', 'b6918', '2025-11-02', false, 'CUDA graphs: off'), false);
});

test('Intel discrete GPUs form their own cross-validation family', () => {
	assert.equal(familyOf('gpu', 'Intel Arc B580 12GB (Ryzen 9 9950X host)'), 'intel-gpu');
	assert.equal(familyOf('gpu', 'Intel Data Center GPU Max 1100'), 'intel-gpu');
	assert.equal(familyOf('gpu', 'NVIDIA A100-SXM4-80GB'), 'nvidia-datacenter');
	assert.equal(familyOf('gpu', 'AMD Radeon RX 7900 XTX'), 'amd-consumer');
});
