/**
 * PyTorch decode on a CPU (issue #12): per-layer dispatch (eager: Python + OpenMP per op; compiled/IPEX: C++
 * kernels), a share of the CPU weight stream for its GEMV kernels, and a weight-only int8/int4 dequant rate. Each
 * term is a calibrated constant; these tests check that each one moves what it should and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat, resolveKvDtype } from '../../../server/src/analysis/catalog/index';
import { CALIBRATED, constant, withConstants } from '../../../server/src/analysis/physics/calibration';
import { fixedOverhead, layerConstantFor } from '../../../server/src/analysis/physics/efficiency';
import { estimate } from '../../../server/src/analysis/physics/index';
import type { Engine, EstimateInput } from '../../../server/src/analysis/physics/types';
import { decodeWeightRead } from '../../../server/src/analysis/physics/weights';

function input(engine: Engine, format: string, hardwareId = 'xeon-8480'): EstimateInput {
	const catalog = getCatalog();
	const model = catalog.models.find((m) => m.id === 'meta-llama/Llama-3.1-8B');
	const hardware = catalog.hardware.find((h) => h.id === hardwareId);
	const weights = resolveFormat(format, catalog);
	const kvDtype = resolveKvDtype('bf16', catalog);
	assert.ok(model && hardware && weights && kvDtype);
	return { model, hardware, weights, kvDtype, devices: 1, batch: 1, context: 512, prompt: 512, engine };
}

const tps = (i: EstimateInput, values: Record<string, number> = {}) =>
	withConstants(values, () => estimate(i).decode.expectedTokensPerSecondPerUser);

test('PyTorch on a CPU reads its own per-layer constants; on a GPU eager keeps the GPU one', () => {
	assert.equal(layerConstantFor('pytorch', 'cpu'), 'layerUs.pytorch-cpu');
	assert.equal(layerConstantFor('pytorch-compiled', 'cpu'), 'layerUs.pytorch-compiled-cpu');
	assert.equal(layerConstantFor('pytorch', 'cuda'), 'layerUs.pytorch');
	assert.equal(layerConstantFor('pytorch-compiled', 'cuda'), 'layerUs.cuda-graphs');
	for (const name of [
		'layerUs.pytorch-cpu',
		'layerUs.pytorch-compiled-cpu',
		'cpuStreamShare.pytorch',
		'cpuWoqRate.pytorch',
	]) {
		const c = CALIBRATED[name];
		assert.ok(c && c.min <= c.prior && c.prior <= c.max, `${name} prior within its bounds`);
	}
});

test('the PyTorch CPU per-layer cost is flat in threads (Python dispatch), llama.cpp keeps its barrier scaling', () => {
	const at = (engine: Engine, threads: number) =>
		fixedOverhead(engine, 'cpu', 32, { threads, backend: 'cpu' }).seconds;
	assert.equal(at('pytorch', 4), at('pytorch', 64));
	assert.equal(at('pytorch-compiled', 4), at('pytorch-compiled', 64));
	assert.ok(at('llama.cpp', 64) > at('llama.cpp', 4));
	const us = constant('layerUs.pytorch-cpu');
	const slower = withConstants({ 'layerUs.pytorch-cpu': us * 2 }, () => at('pytorch', 8));
	assert.ok(
		Math.abs(slower - at('pytorch', 8) - (32 * us) / 1e6) < 1e-9,
		'doubling adds 32 layers × one more',
	);
});

test('cpuStreamShare.pytorch slows 16-bit PyTorch CPU decode and leaves llama.cpp alone', () => {
	const torch = input('pytorch-compiled', 'bf16');
	const ggml = input('llama.cpp', 'bf16');
	assert.ok(tps(torch, { 'cpuStreamShare.pytorch': 0.3 }) < tps(torch, { 'cpuStreamShare.pytorch': 1 }));
	assert.equal(tps(ggml, { 'cpuStreamShare.pytorch': 0.3 }), tps(ggml, { 'cpuStreamShare.pytorch': 1 }));
});

test('cpuWoqRate.pytorch binds PyTorch weight-only int8 at a low rate; 16-bit weights ignore it', () => {
	const i8 = input('pytorch-compiled', 'int8');
	const slow = tps(i8, { 'cpuWoqRate.pytorch': 0.2 });
	assert.ok(slow < tps(i8, { 'cpuWoqRate.pytorch': 50 }));
	// At 0.2×10⁹ weights/s per core the dequant dominates: one step ≈ weights read / (rate × cores).
	const cores = getCatalog().hardware.find((h) => h.id === 'xeon-8480')?.cpu?.cores ?? 0;
	const e = withConstants({ 'cpuWoqRate.pytorch': 0.2 }, () => estimate(i8).decode);
	const params = decodeWeightRead(i8.model, i8.weights, 1).paramsPerToken;
	assert.ok(e.stepSeconds >= params / (0.2e9 * cores), `${e.stepSeconds} s`);
	const bf16 = input('pytorch-compiled', 'bf16');
	assert.equal(tps(bf16, { 'cpuWoqRate.pytorch': 0.2 }), tps(bf16, { 'cpuWoqRate.pytorch': 50 }));
});

test('with the committed constants eager PyTorch is slower than compiled on the same CPU (per-op dispatch)', () => {
	const eager = tps(input('pytorch', 'bf16'));
	const compiled = tps(input('pytorch-compiled', 'bf16'));
	assert.ok(eager < compiled, `${eager} vs ${compiled}`);
});
