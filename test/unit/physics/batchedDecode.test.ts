/**
 * Issue #12 decode mechanisms: llama.cpp batched decode (extra tokens' FLOPs at a small share of peak, the
 * batched MoE mul_mat_id path), mxfp4_moe files described by their file-average bits, the mlx and exllama
 * engine ids, and the Vulkan per-layer floor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FormatSpec } from '../../../server/src/analysis/catalog/types';
import { CALIBRATED, constant, withConstants } from '../../../server/src/analysis/physics/calibration';
import {
	bandwidthEfficiency,
	bandwidthShareConstant,
	decodeComputeShare,
	fixedOverhead,
	layerConstantFor,
} from '../../../server/src/analysis/physics/efficiency';
import { estimate } from '../../../server/src/analysis/physics/index';
import { llamaCppBatchedSeconds, moeBatchedSeconds } from '../../../server/src/analysis/physics/decode';
import { ENGINES } from '../../../server/src/analysis/physics/types';
import {
	decodeWeightRead,
	expertOnlyFileBits,
	MXFP4_BITS,
	weightBytes,
} from '../../../server/src/analysis/physics/weights';
import { assertClose, input, llama31_8b, m2ultra, mixtral8x7b, q4_0, rtx4090 } from './specs';

const mxfp4Moe = (bits: number): FormatSpec => ({
	id: 'mxfp4_moe',
	aliases: [],
	label: 'MXFP4_MOE',
	bitsPerWeight: bits,
	computeDtype: 'fp16',
	family: 'gguf' as const,
	quantized: true,
	sources: ['test'],
});

test('llama.cpp batched decode adds (B − 1) × FLOPs per token at the calibrated share of peak', () => {
	const at = (batch: number) =>
		llamaCppBatchedSeconds(
			input({ engine: 'llama.cpp', batch }),
			{ flopsDevice: batch * 1e10 },
			batch,
			1e14,
			0.1,
			32,
		);
	assert.equal(at(1).seconds, 0, 'one sequence: the stream already covers its matmuls');
	assertClose(at(4).seconds, (3 * 1e10) / (1e14 * 0.1), 1e-12, 'B = 4, dense');
	assertClose(at(16).seconds / at(4).seconds, 15 / 3, 1e-12, 'linear in B − 1');
	// Serving engines and CPUs keep their own compute terms.
	const vllm = llamaCppBatchedSeconds(
		input({ engine: 'vllm', batch: 8 }),
		{ flopsDevice: 8e10 },
		8,
		1e14,
		0.1,
		32,
	);
	assert.deepEqual(vllm, { applies: false, seconds: 0 });
	// End to end: a smaller share makes the batched step slower, a single sequence is unaffected.
	const tps = (batch: number, share: number) =>
		withConstants({ 'batchedComputeShare.llama.cpp': share }, () =>
			estimate(input({ engine: 'llama.cpp', hardware: rtx4090, weights: q4_0, batch })),
		).decode.expectedTokensPerSecondPerUser;
	assert.ok(tps(16, 0.05) < tps(16, 0.5), `${tps(16, 0.05)} vs ${tps(16, 0.5)}`);
	assertClose(tps(1, 0.05), tps(1, 0.5), 1e-12, 'batch 1');
});

test('llama.cpp batched decode: Metal has its own share of peak, CUDA/ROCm/Vulkan keep the other one', () => {
	assert.equal(
		decodeComputeShare('llama.cpp', 'apple-gpu', 'metal').name,
		'batchedComputeShare.llama.cpp-metal',
	);
	assert.equal(
		decodeComputeShare('ollama', 'apple-gpu', 'metal').name,
		'batchedComputeShare.llama.cpp-metal',
	);
	for (const b of ['cuda', 'rocm', 'vulkan'] as const)
		assert.equal(decodeComputeShare('llama.cpp', 'gpu', b).name, 'batchedComputeShare.llama.cpp', b);
	assert.notEqual(
		decodeComputeShare('vllm', 'apple-gpu', 'metal').name,
		'batchedComputeShare.llama.cpp-metal',
	);
	// End to end: only the Metal constant moves a batched step on an Apple GPU.
	const tps = (c: Record<string, number>, hardware = m2ultra) =>
		withConstants(c, () => estimate(input({ engine: 'llama.cpp', hardware, weights: q4_0, batch: 8 }))).decode
			.expectedTokensPerSecondPerUser;
	const metal = { 'batchedComputeShare.llama.cpp': 0.05, 'batchedComputeShare.llama.cpp-metal': 0.05 };
	assert.ok(tps(metal) < tps({ ...metal, 'batchedComputeShare.llama.cpp-metal': 0.5 }));
	assertClose(
		tps(metal),
		tps({ ...metal, 'batchedComputeShare.llama.cpp': 0.5 }),
		1e-12,
		'CUDA share unused',
	);
	assertClose(
		tps(metal, rtx4090),
		tps({ ...metal, 'batchedComputeShare.llama.cpp-metal': 0.5 }, rtx4090),
		1e-12,
		'Metal share unused on CUDA',
	);
});

test('llama.cpp batched MoE layers pay the mul_mat_id path in proportion to the expert count', () => {
	const us = constant('moeBatchedExpertUs.llama.cpp');
	const moe = input({ engine: 'llama.cpp', model: mixtral8x7b, batch: 4 });
	assertClose(moeBatchedSeconds(moe, 4, 32), (32 * 8 * us) / 1e6, 1e-12, 'Mixtral: 32 layers × 8 experts');
	assert.equal(moeBatchedSeconds(moe, 1, 32), 0, 'one token keeps the mmvq path');
	assert.equal(moeBatchedSeconds(input({ engine: 'llama.cpp', batch: 4 }), 4, 32), 0, 'dense model');
	// Doubling the experts (same layers) doubles the cost.
	const wide = { ...mixtral8x7b, moe: { ...mixtral8x7b.moe!, experts: 16 } };
	assertClose(moeBatchedSeconds(input({ model: wide, batch: 4 }), 4, 32), 2 * moeBatchedSeconds(moe, 4, 32));
});

test('mxfp4_moe files: experts at MXFP4, the rest at the precision the file size gives', () => {
	const file = 4.63;
	const split = expertOnlyFileBits(mixtral8x7b, mxfp4Moe(file));
	assert.ok(split, 'a file-average figure is split');
	assert.equal(split.experts, MXFP4_BITS);
	assert.ok(split.rest > MXFP4_BITS && split.rest <= 16, `rest ${split.rest}`);
	// The split reproduces the file size it came from.
	assertClose(
		weightBytes(mixtral8x7b, mxfp4Moe(file)),
		(mixtral8x7b.paramsTotal * file) / 8,
		1e-9,
		'file size',
	);
	// The catalog's nominal 4.25 carries no file size; a dense model has no experts to split.
	assert.equal(expertOnlyFileBits(mixtral8x7b, mxfp4Moe(MXFP4_BITS)), undefined);
	assert.equal(expertOnlyFileBits(llama31_8b, mxfp4Moe(file)), undefined);
	// Decode reads fewer bytes than the old rule (file bits on the experts, 16-bit rest) would.
	const read = decodeWeightRead(mixtral8x7b, mxfp4Moe(file), 1).bytes;
	assert.ok(read < weightBytes(mixtral8x7b, mxfp4Moe(file)), 'one token reads k of E experts');
});

test('mlx and exllama are engines with their own calibrated per-layer costs on their home backends', () => {
	assert.ok(ENGINES.includes('mlx') && ENGINES.includes('exllama'));
	assert.equal(layerConstantFor('mlx', 'metal'), 'layerUs.mlx');
	assert.equal(layerConstantFor('exllama', 'cuda'), 'layerUs.exllama');
	const slow = withConstants({ 'layerUs.exllama': 200 }, () => fixedOverhead('exllama', 'gpu', 32).seconds);
	const fast = withConstants({ 'layerUs.exllama': 10 }, () => fixedOverhead('exllama', 'gpu', 32).seconds);
	assertClose(slow - fast, (190 * 32) / 1e6, 1e-9, '32 layers × 190 µs');
	const e = estimate(input({ engine: 'exllama', hardware: rtx4090, weights: q4_0 }));
	assert.ok(
		e.decode.expectedTokensPerSecondPerUser > 0 && e.decode.expectedTokensPerSecondPerUser < Infinity,
	);
});

test('host-dispatched llama.cpp GPU backends share one per-layer cost with a physical floor', () => {
	// CUDA without graphs, HIP and Vulkan each dispatch every node of a layer on its own.
	for (const backend of ['cuda', 'rocm', 'vulkan'] as const)
		assert.equal(layerConstantFor('llama.cpp', backend), 'layerUs.llama.cpp-cuda');
	assert.equal(layerConstantFor('llama.cpp', 'cuda', true), 'layerUs.llama.cpp-cuda-graphs');
	assert.equal(CALIBRATED['layerUs.llama.cpp-vulkan'], undefined);
	assert.ok(CALIBRATED['layerUs.llama.cpp-cuda'].min >= 10);
	assert.ok(constant('layerUs.llama.cpp-cuda') >= CALIBRATED['layerUs.llama.cpp-cuda'].min);
});

test('llama.cpp Vulkan on NVIDIA streams like CUDA; other Vulkan drivers keep the Vulkan share', () => {
	assert.equal(bandwidthShareConstant('gpu', 'vulkan', 'NVIDIA'), 'bandwidthShare.cuda');
	assert.equal(bandwidthShareConstant('gpu', 'vulkan', 'AMD'), 'bandwidthShare.vulkan');
	assert.equal(bandwidthShareConstant('gpu', 'vulkan', 'Intel'), 'bandwidthShare.vulkan');
	const share = (vendor: string) =>
		withConstants({ 'bandwidthShare.cuda': 0.8, 'bandwidthShare.vulkan': 0.5 }, () =>
			bandwidthEfficiency('llama.cpp', 'gpu', q4_0, { vendor, backend: 'vulkan' }),
		).factor;
	assert.ok(share('NVIDIA') > share('AMD'), `${share('NVIDIA')} vs ${share('AMD')}`);
});
