/**
 * llama.cpp on Intel Arc GPUs (issue #12): the SYCL mmvq / Vulkan mul_mat_vec kernels reach Xe-cores × a per-core
 * rate, bounded by spec bandwidth, instead of the Vulkan stack's share of spec. The per-core rate is the per-SM rate
 * NVIDIA/AMD rows choose (llamaCppGBsPerSM): a Battlemage Xe2-core counts as one SM, an Alchemist Xe-core as one SM
 * ÷ 1.7 (Intel's per-Xe-core gain of Battlemage). Float weights, other engines
 * and non-Intel devices are untouched; Intel GPUs default to the Vulkan/SYCL stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import { constant, withConstants } from '../../../server/src/analysis/physics/calibration';
import { XE_CORE_PER_SM, xeCoreCap } from '../../../server/src/analysis/physics/llamaCppUnitCaps';
import { backendFor } from '../../../server/src/analysis/physics/efficiency';
import { estimate } from '../../../server/src/analysis/physics/index';
import { familyOf, hardwareFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';
import { bf16, input, q4_0 } from './specs';
import { catalogHardware } from './catalogInput';

const catalog = getCatalog();
const hw = catalogHardware;
const tps = (over: Parameters<typeof input>[0]): number =>
	estimate(input({ engine: 'llama.cpp', ...over })).decode.expectedTokensPerSecondPerUser;

test('catalog: Intel Arc cards carry Xe-core counts, generation and bandwidth, with sources', () => {
	for (const [id, cores, arch, bw] of [
		['arc-a310', 6, 'xe-hpg', 124],
		['arc-a380', 8, 'xe-hpg', 186],
		['arc-a580', 24, 'xe-hpg', 512],
		['arc-a750', 28, 'xe-hpg', 512],
		['arc-a770', 32, 'xe-hpg', 560],
		['arc-b570', 18, 'xe2-hpg', 380],
		['arc-b580', 20, 'xe2-hpg', 456],
	] as const) {
		const h = hw(id);
		assert.equal(h.streamingMultiprocessors?.count, cores, id);
		assert.equal(h.gpuIsa?.arch, arch, id);
		assert.equal(h.gpuIsa?.wave64, false, id);
		assert.equal(h.bandwidthGBs, bw, id);
		assert.equal(h.vendor, 'Intel', id);
		assert.ok(h.sources.length > 0, id);
	}
	assert.equal(
		hardwareFromLabel('Intel Arc B580 12GB (Ryzen 9 9950X host, Windows 11)', catalog)?.id,
		'arc-b580',
	);
	assert.equal(hardwareFromLabel('Intel Arc A770 16GB', catalog)?.id, 'arc-a770');
});

test('quantized llama.cpp decode on Arc is Xe-cores × the per-SM rate × the generation factor', () => {
	const a770 = hw('arc-a770');
	const b580 = hw('arc-b580');
	const capA = xeCoreCap(input({ engine: 'llama.cpp', hardware: a770, weights: q4_0 }), 'vulkan');
	const capB = xeCoreCap(input({ engine: 'llama.cpp', hardware: b580, weights: q4_0 }), 'vulkan');
	assert.equal(XE_CORE_PER_SM['xe2-hpg'], 1);
	assert.equal(XE_CORE_PER_SM['xe-hpg'], 1 / 1.7);
	// Relative tolerance: the product's rounding depends on the calibrated value.
	const near = (a: number | undefined, b: number) =>
		assert.ok(Math.abs((a ?? 0) / b - 1) < 1e-12, `${a} vs ${b}`);
	near(capA?.bytesPerSecond, (32 * constant('llamaCppGBsPerSM') * 1e9) / 1.7);
	near(capB?.bytesPerSecond, 20 * constant('llamaCppGBsPerSM') * 1e9);
	assert.ok(capA?.reason.includes('32 Xe-cores'), capA?.reason);
	assert.ok(capA?.reason.includes('llamaCppGBsPerSM'), capA?.reason);
	// No Intel-only constant: the integrated-GPU per-SM rate does not move it, the discrete one does.
	const b580At = (perSm: number) =>
		withConstants({ llamaCppGBsPerSM: perSm, 'llamaCppGBsPerSM.unified': 2 }, () =>
			xeCoreCap(input({ engine: 'llama.cpp', hardware: b580, weights: q4_0 }), 'vulkan'),
		);
	assert.equal(b580At(8)?.bytesPerSecond, 20 * 8 * 1e9);
	// The per-core rate is the binding term: the prediction scales with it.
	const at = (rate: number) =>
		withConstants({ llamaCppGBsPerSM: rate * 1.7 }, () =>
			tps({ hardware: a770, weights: q4_0, backend: 'vulkan' }),
		);
	const slow = at(3);
	const fast = at(6);
	assert.ok(fast / slow > 1.4 && fast / slow < 2, `${slow} → ${fast}`);
	// It replaces the Vulkan share but never exceeds the spec bandwidth: past 560 GB/s / 32 cores it stops moving.
	assert.ok(Math.abs(at(30) / at(40) - 1) < 1e-9, `${at(30)} vs ${at(40)}`);
});

test('the same Alchemist rate gives the small A310 a stream far below its spec share', () => {
	// 6 Xe-cores against 124 GB/s: the per-core rate, not 124 GB/s × the Vulkan share, binds.
	const a310 = hw('arc-a310');
	const capped = tps({ hardware: a310, weights: q4_0, backend: 'vulkan' });
	const uncapped = tps({ hardware: { ...a310, gpuIsa: undefined }, weights: q4_0, backend: 'vulkan' });
	assert.ok(capped < uncapped, `${capped} vs ${uncapped}`);
});

test('the Xe-core rule leaves float weights, other engines, other stacks and other vendors alone', () => {
	const a770 = hw('arc-a770');
	assert.equal(xeCoreCap(input({ engine: 'llama.cpp', hardware: a770, weights: bf16 }), 'vulkan'), undefined);
	assert.equal(xeCoreCap(input({ engine: 'vllm', hardware: a770, weights: q4_0 }), 'vulkan'), undefined);
	assert.equal(xeCoreCap(input({ engine: 'llama.cpp', hardware: a770, weights: q4_0 }), 'cpu'), undefined);
	assert.equal(
		xeCoreCap(input({ engine: 'llama.cpp', hardware: hw('rx-7900-xtx'), weights: q4_0 }), 'vulkan'),
		undefined,
	);
	assert.equal(
		xeCoreCap(input({ engine: 'llama.cpp', hardware: hw('mi50-32gb'), weights: q4_0 }), 'vulkan'),
		undefined,
	);
});

test('llama.cpp on Intel GPUs defaults to the Vulkan/SYCL stack; Intel GPUs form their own CV family', () => {
	assert.equal(backendFor('llama.cpp', 'gpu', 'Intel'), 'vulkan');
	assert.equal(backendFor('llama.cpp', 'gpu', 'NVIDIA'), 'cuda');
	assert.equal(backendFor('vllm', 'gpu', 'Intel'), 'cuda');
	assert.equal(familyOf('gpu', 'Intel Arc A770 16GB', hw('arc-a770')), 'intel-gpu');
	assert.equal(familyOf('gpu', 'NVIDIA H100 SXM', hw('h100-sxm')), 'nvidia-datacenter');
});
