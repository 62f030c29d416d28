/**
 * CPU cores by name (issue #12): Armv8.0 NEON without dotprod gets its own dot rate, mobile Cortex-A/Kryo cores
 * and Apple P-cores their own per-thread DRAM stream, and llama.cpp on an Apple CPU its own per-layer constant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import { cpuCoreFromText } from '../../../server/src/analysis/catalog/cpuCores';
import type { CpuSpec, HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { estimate } from '../../../server/src/analysis/physics/index';
import { constant, withConstants } from '../../../server/src/analysis/physics/calibration';
import {
	bandwidthShareConstant,
	cpuThreadConstant,
	decodeComputeShare,
	layerConstantFor,
} from '../../../server/src/analysis/physics/efficiency';
import type { EstimateInput } from '../../../server/src/analysis/physics/types';
import { cpuFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';
import { catalogLlamaCppInput } from './catalogInput';

test('core names give the dot-product ISA and the per-core stream class', () => {
	const pi4 = cpuCoreFromText('Raspberry Pi 4 Model B 8GB (BCM2711, Cortex-A72 x4, LPDDR4-3200 32-bit)');
	assert.deepEqual([pi4?.isa, pi4?.coreClass], ['neon-nodot', 'mobile']);
	assert.equal(cpuCoreFromText('Raspberry Pi 4 Model B 2GB')?.isa, 'neon-nodot');
	assert.equal(cpuCoreFromText('Raspberry Pi 5 8GB (Cortex-A76 x4)')?.isa, 'neon');
	assert.equal(cpuCoreFromText('Qualcomm SC8280XP 8 Arm cores (4x Cortex-X1C + 4x A78C)')?.isa, 'neon');
	assert.equal(
		cpuCoreFromText('Radxa Dragon Q6A, Qualcomm QCS6490 8 Arm cores (Kryo 670)')?.coreClass,
		'mobile',
	);
	// big.LITTLE with an Armv8.0 cluster: one build for the whole part, so the lower ISA.
	assert.equal(cpuCoreFromText('Cortex-A72 x2 + Cortex-A53 x4')?.isa, 'neon-nodot');
	assert.equal(cpuCoreFromText('Cortex-A76/A55')?.isa, 'neon');
	const apple = cpuCoreFromText('Apple M4 CPU (MacBook, 10 cores 4P+6E)');
	assert.deepEqual([apple?.isa, apple?.coreClass], ['neon', 'apple']);
	assert.equal(cpuCoreFromText('AMD Ryzen 9 7950X (16C/32T Zen 4)'), undefined);
	assert.equal(cpuCoreFromText('AmpereOne A192-32X (192 Arm cores)'), undefined);
});

test('a core name such as "Cortex-X1C" is not read as a core count', () => {
	const cpu = cpuFromLabel(
		'Radxa Dragon Q8B, Qualcomm SC8280XP 8 Arm cores (4x Cortex-X1C + 4x A78C), LPDDR4X 128-bit',
	);
	assert.equal(cpu?.cores, 8);
	assert.equal(cpu?.coreClass, 'mobile');
	assert.equal(cpuFromLabel('Intel Xeon Platinum 8339HC 24C (Cooper Lake)')?.cores, 24);
	assert.equal(
		cpuFromLabel('Raspberry Pi 4 Model B 2GB (BCM2711, Cortex-A72 x4, LPDDR4-3200 32-bit)')?.isa,
		'neon-nodot',
	);
});

function input(cpu: CpuSpec, threads?: number): EstimateInput {
	const base = getCatalog().hardware.find((h) => h.id === 'ryzen-9-7950x');
	assert.ok(base);
	const hardware: HardwareSpec = { ...base, bandwidthGBs: 100, cpu };
	return catalogLlamaCppInput('meta-llama/Llama-3.2-1B', hardware, 'q4_0', threads);
}

const cortex: CpuSpec = { cores: 4, threadsPerCore: 1, numaNodes: 1, ccds: 1, isa: 'neon', sources: [] };

test('Armv8.0 cores without dotprod dequantize and dot at their own, slower rate', () => {
	const values = { 'cpuDot.neon': 40, 'cpuDot.neon-nodot': 2, 'cpuThreadGBs.mobile': 50 };
	const [dot, nodot] = withConstants(values, () => [
		estimate(input(cortex)).decode,
		estimate(input({ ...cortex, isa: 'neon-nodot' })).decode,
	]);
	assert.ok(nodot.expectedTokensPerSecondPerUser < dot.expectedTokensPerSecondPerUser / 3);
	assert.ok(nodot.efficiency.reasons.some((r) => /cpuDot\.neon-nodot/.test(r)));
});

test('mobile and Apple cores stream their own per-thread bandwidth', () => {
	assert.equal(cpuThreadConstant(), 'cpuThreadGBs');
	assert.equal(cpuThreadConstant('mobile'), 'cpuThreadGBs.mobile');
	assert.equal(cpuThreadConstant('apple'), 'cpuThreadGBs.apple');
	const values = { 'cpuThreadGBs.mobile': 2, cpuThreadGBs: 25, 'cpuDot.neon': 200 };
	const [desktop, mobile] = withConstants(values, () => [
		estimate(input(cortex, 4)).decode,
		estimate(input({ ...cortex, coreClass: 'mobile' }, 4)).decode,
	]);
	assert.ok(
		mobile.efficiency.reasons.some((r) =>
			/4 threads × 2 GB\/s per thread \(calibrated cpuThreadGBs\.mobile\)/.test(r),
		),
	);
	// 4 × 2 GB/s against 4 × 25 GB/s (capped by 100 GB/s × the CPU share): several times slower.
	assert.ok(mobile.expectedTokensPerSecondPerUser < desktop.expectedTokensPerSecondPerUser / 3);
});

test('llama.cpp on an Apple CPU reads its own per-layer constant (threads cannot be pinned on macOS)', () => {
	assert.equal(layerConstantFor('llama.cpp', 'cpu', false, 'apple'), 'layerUs.llama.cpp-cpu-apple');
	assert.equal(layerConstantFor('ollama', 'cpu', false, 'apple'), 'layerUs.llama.cpp-cpu-apple');
	assert.equal(layerConstantFor('llama.cpp', 'cpu', false, 'mobile'), 'layerUs.llama.cpp-cpu');
	assert.equal(layerConstantFor('llama.cpp', 'cpu'), 'layerUs.llama.cpp-cpu');
	const apple = estimate(input({ ...cortex, coreClass: 'apple' }, 8)).decode;
	assert.ok(apple.efficiency.reasons.some((r) => /layerUs\.llama\.cpp-cpu-apple/.test(r)));
	assert.ok(constant('layerUs.llama.cpp-cpu-apple') >= 0);
});

test('the CPU cluster of a mobile Arm SoC reaches its own share of the LPDDR spec', () => {
	assert.equal(bandwidthShareConstant('cpu', 'cpu', 'Raspberry Pi', 'mobile'), 'bandwidthShare.cpu-mobile');
	assert.equal(bandwidthShareConstant('cpu', 'cpu', 'Apple', 'apple'), 'bandwidthShare.cpu');
	assert.equal(bandwidthShareConstant('cpu', 'cpu'), 'bandwidthShare.cpu');
	const values = {
		'bandwidthShare.cpu-mobile': 0.4,
		'bandwidthShare.cpu': 0.8,
		'cpuDot.neon': 200,
		cpuThreadGBs: 100,
		'cpuThreadGBs.mobile': 100,
	};
	const [desktop, mobile] = withConstants(values, () => [
		estimate(input(cortex, 4)).decode,
		estimate(input({ ...cortex, coreClass: 'mobile' }, 4)).decode,
	]);
	assert.ok(mobile.efficiency.reasons.some((r) => /calibrated bandwidthShare\.cpu-mobile/.test(r)));
	assert.ok(mobile.expectedTokensPerSecondPerUser < desktop.expectedTokensPerSecondPerUser * 0.75);
});

test('catalog Raspberry Pi entries carry their core facts; a CPU batch-1 decode is not bound by the batched GPU share', () => {
	const catalog = getCatalog();
	const pi4 = catalog.hardware.find((h) => h.id === 'raspberry-pi-4-8gb');
	const pi5 = catalog.hardware.find((h) => h.id === 'raspberry-pi-5-16gb');
	assert.deepEqual([pi4?.cpu?.isa, pi4?.cpu?.coreClass], ['neon-nodot', 'mobile']);
	assert.deepEqual([pi5?.cpu?.isa, pi5?.cpu?.coreClass], ['neon', 'mobile']);
	assert.equal(decodeComputeShare('llama.cpp', 'cpu').name, undefined);
	assert.equal(decodeComputeShare('llama.cpp', 'gpu').name, 'batchedComputeShare.llama.cpp');
	assert.ok(pi5);
	const d = estimate({
		...catalogLlamaCppInput('meta-llama/Llama-3.2-3B', pi5, 'q4_k_m'),
		engine: 'ollama',
	}).decode;
	assert.ok(!d.efficiency.reasons.some((r) => /compute-bound/.test(r)));
	assert.ok(d.efficiency.reasons.some((r) => /bandwidthShare\.cpu-mobile/.test(r)));
});
