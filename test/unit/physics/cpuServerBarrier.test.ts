/**
 * llama.cpp on many-core server CPUs (issue #12, cpu-server family): every ggml op ends in a barrier whose arrivals
 * are serialized atomic adds on one counter (ggml_barrier, libgomp's centralized barrier), so on a server part the
 * per-layer cost grows linearly with the threads (cpuServerBarrierScale, layerUs.llama.cpp-cpu-server), while
 * desktop and Apple parts keep their log-scaled constants.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { CALIBRATED, withConstants } from '../../../server/src/analysis/physics/calibration';
import { cpuBarrierScale, cpuServerBarrierScale } from '../../../server/src/analysis/physics/cpuRates';
import { fixedOverhead, layerConstantFor } from '../../../server/src/analysis/physics/efficiency';
import { estimate } from '../../../server/src/analysis/physics/index';
import type { EstimateInput } from '../../../server/src/analysis/physics/types';
import { cpuFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';
import { catalogHardware, catalogLlamaCppInput } from './catalogInput';

const hw = catalogHardware;

function input(hardware: HardwareSpec, threads: number): EstimateInput {
	return catalogLlamaCppInput('microsoft/phi-4', hardware, 'q4_k_m', threads);
}

test('server barrier scale: linear in threads, none with one thread, 1 at the 8 threads the constant is quoted at', () => {
	assert.equal(cpuServerBarrierScale(1), 0);
	assert.equal(cpuServerBarrierScale(8), 1);
	assert.equal(cpuServerBarrierScale(64), 8);
	assert.equal(
		cpuServerBarrierScale(128) - cpuServerBarrierScale(64),
		cpuServerBarrierScale(64) - cpuServerBarrierScale(0),
	);
	// The desktop law grows with the log of the threads.
	assert.ok(cpuBarrierScale(64) < 3);
});

test('server parts: the catalog flags them, labels of EPYC/Xeon/Ampere/Graviton parts set the flag, desktop/Apple/SBC labels do not', () => {
	for (const id of ['epyc-9554', 'epyc-9654', 'epyc-9755', 'xeon-8480', 'xeon-6980p', 'ampereone-a192-32x'])
		assert.equal(hw(id).cpu?.server, true, id);
	assert.equal(hw('ryzen-9-7950x').cpu?.server, undefined);
	assert.equal(
		cpuFromLabel('2x AMD EPYC 9175F (16C Zen 5 each), 16x DDR5-6400 (8 per socket)')?.server,
		true,
	);
	assert.equal(cpuFromLabel('2x Intel Xeon E5-2698B v3 (16C/32T each, AVX2), 8x DDR3-1866')?.server, true);
	assert.equal(cpuFromLabel('AMD Ryzen 9 7950X (16C/32T Zen 4), dual-channel DDR5')?.server, undefined);
	assert.equal(cpuFromLabel('Apple M2 Max CPU cores (8P+4E)')?.server, undefined);
	assert.equal(cpuFromLabel('Raspberry Pi 5 8GB (Cortex-A76 x4, LPDDR4X-4267 32-bit)')?.server, undefined);
});

test('llama.cpp on a server CPU reads its own per-layer constant, linear in threads; the desktop constant does not move it', () => {
	assert.equal(layerConstantFor('llama.cpp', 'cpu', false, undefined, true), 'layerUs.llama.cpp-cpu-server');
	assert.equal(layerConstantFor('ollama', 'cpu', false, undefined, true), 'layerUs.llama.cpp-cpu-server');
	assert.equal(layerConstantFor('llama.cpp', 'cpu', false, undefined, false), 'layerUs.llama.cpp-cpu');
	assert.equal(layerConstantFor('llama.cpp', 'cpu', false, 'apple', false), 'layerUs.llama.cpp-cpu-apple');
	assert.equal(
		CALIBRATED['layerUs.llama.cpp-cpu-server'].pool,
		undefined,
		'not pooled with the desktop/Apple figures',
	);

	const epyc = hw('epyc-9554');
	const fixed = (t: number) =>
		fixedOverhead('llama.cpp', 'cpu', 40, { hardware: epyc, threads: t, model: input(epyc, t).model })
			.seconds;
	// Linear: the 32 → 64 step adds as much as the 16 → 32 step doubled.
	const d1 = fixed(32) - fixed(16);
	const d2 = fixed(64) - fixed(32);
	assert.ok(Math.abs(d2 / d1 - 2) < 1e-9, `${d1} ${d2}`);
	assert.match(
		fixedOverhead('llama.cpp', 'cpu', 40, { hardware: epyc, threads: 64 }).reason,
		/llama\.cpp-cpu-server/,
	);

	const tps = (i: EstimateInput, v: Record<string, number>) =>
		withConstants(v, () => estimate(i).decode.expectedTokensPerSecondPerUser);
	const server = input(epyc, 64);
	const desktop = input(hw('ryzen-9-7950x'), 8);
	assert.equal(tps(server, { 'layerUs.llama.cpp-cpu': 500 }), tps(server, { 'layerUs.llama.cpp-cpu': 5 }));
	assert.ok(
		tps(server, { 'layerUs.llama.cpp-cpu-server': 500 }) < tps(server, { 'layerUs.llama.cpp-cpu-server': 5 }),
	);
	assert.equal(
		tps(desktop, { 'layerUs.llama.cpp-cpu-server': 500 }),
		tps(desktop, { 'layerUs.llama.cpp-cpu-server': 5 }),
	);
});
