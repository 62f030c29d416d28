/**
 * llama.cpp on integrated NVIDIA GPUs (issue #12, Jetson): llama.cpp's mat-vec kernels stream SMs × a per-SM rate
 * (Little's law), and an integrated GPU's SMs reach shared LPDDR through the SoC's memory path, so they have their
 * own rate (llamaCppGBsPerSM.unified). It binds on parts with few SMs per GB/s (Jetson AGX Orin: 16 SMs for
 * 204.8 GB/s, Thor: 20 for 273) and not on GB10 (48 SMs for 273 GB/s); other engines (MLC, TensorRT) keep the
 * unified stack share. Plus the catalog facts it reads (SM counts with sources, the Thor entry and its label).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import { constant, withConstants } from '../../../server/src/analysis/physics/calibration';
import { llamaCppSmStream } from '../../../server/src/analysis/physics/llamaCppUnitCaps';
import { estimate } from '../../../server/src/analysis/physics/index';
import { hardwareFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';
import { awq, input, llama2_7b, q4_0 } from './specs';
import { catalogHardware } from './catalogInput';

const catalog = getCatalog();
const hw = catalogHardware;

const decode = (over: Parameters<typeof input>[0]) =>
	estimate(input({ engine: 'llama.cpp', model: llama2_7b, weights: q4_0, ...over })).decode;

test('catalog: Jetson, Thor and GB10 entries carry their SM counts, with sources', () => {
	for (const [id, sms] of [
		['jetson-orin-nano-8gb', 8],
		['jetson-orin-nano-super', 8],
		['jetson-agx-orin-64gb', 16],
		['jetson-agx-thor', 20],
		['dgx-spark', 48],
	] as const) {
		const h = hw(id);
		assert.equal(h.deviceClass, 'unified-gpu', id);
		assert.equal(h.streamingMultiprocessors?.count, sms, id);
		assert.ok((h.streamingMultiprocessors?.source ?? '').length > 20, id);
	}
	const thor = hw('jetson-agx-thor');
	assert.equal(thor.bandwidthGBs, 273);
	assert.equal(thor.memoryGB, 128);
	// The developer-kit label of published Thor runs names the catalog entry.
	assert.equal(
		hardwareFromLabel(
			'NVIDIA Jetson AGX Thor Developer Kit (Blackwell SM110, 128 GB LPDDR5X 256-bit)',
			catalog,
		)?.id,
		'jetson-agx-thor',
	);
});

test('an integrated GPU reads the unified per-SM rate, a discrete card the discrete one', () => {
	const orin = llamaCppSmStream('unified-gpu', 16);
	assert.equal(orin.name, 'llamaCppGBsPerSM.unified');
	assert.equal(orin.bytesPerSecond, 16 * constant('llamaCppGBsPerSM.unified') * 1e9);
	assert.ok(orin.reason.includes('16 SMs') && orin.reason.includes('llamaCppGBsPerSM.unified'), orin.reason);
	const a100 = llamaCppSmStream('gpu', 108);
	assert.equal(a100.name, 'llamaCppGBsPerSM');
	assert.equal(a100.bytesPerSecond, 108 * constant('llamaCppGBsPerSM') * 1e9);
	// The calibrated integrated-GPU rate sits below the discrete one (the longer SoC memory path).
	assert.ok(constant('llamaCppGBsPerSM.unified') < constant('llamaCppGBsPerSM'));
});

test('llama.cpp on Jetson AGX Orin is capped at 16 SMs × the unified per-SM rate', () => {
	const orin = hw('jetson-agx-orin-64gb');
	const d = decode({ hardware: orin });
	assert.ok(
		d.efficiency.reasons.some((r) => /16 SMs × .*llamaCppGBsPerSM\.unified/.test(r)),
		d.efficiency.reasons.join('\n'),
	);
	// The cap is binding: the speed follows the per-SM rate, and the discrete constant does not move it.
	const at = (vals: Record<string, number>) =>
		withConstants(vals, () => decode({ hardware: orin }).expectedTokensPerSecondPerUser);
	const slow = at({ 'llamaCppGBsPerSM.unified': 4 });
	const fast = at({ 'llamaCppGBsPerSM.unified': 6 });
	assert.ok(fast / slow > 1.25 && fast / slow <= 1.5, `${slow} → ${fast}`);
	assert.equal(at({ llamaCppGBsPerSM: 3 }), at({ llamaCppGBsPerSM: 30 }));
	// Without the SM count (an ad-hoc device of the same bandwidth) the stack share alone applies: faster.
	const { streamingMultiprocessors: _sm, ...bare } = orin;
	assert.ok(decode({ hardware: bare }).expectedTokensPerSecondPerUser > d.expectedTokensPerSecondPerUser);
});

test('the cap binds on few SMs per GB/s (Orin, Thor), not on GB10 at the same bandwidth as Thor', () => {
	const capped = (id: string) =>
		decode({ hardware: hw(id) }).efficiency.reasons.some((r) => /SMs × /.test(r));
	assert.equal(capped('jetson-agx-orin-64gb'), true);
	assert.equal(capped('jetson-agx-thor'), true);
	assert.equal(capped('dgx-spark'), false);
	// GB10 and Thor share 273 GB/s of LPDDR5X: llama.cpp decodes faster on GB10's 48 SMs.
	const gb10 = decode({ hardware: hw('dgx-spark') }).expectedTokensPerSecondPerUser;
	const thor = decode({ hardware: hw('jetson-agx-thor') }).expectedTokensPerSecondPerUser;
	assert.ok(gb10 > thor * 1.2, `GB10 ${gb10} vs Thor ${thor}`);
});

test('MLC and TensorRT on Jetson keep the unified stack share (no per-SM cap)', () => {
	const orin = hw('jetson-agx-orin-64gb');
	for (const [engine, weights] of [
		['mlc', q4_0],
		['trt-llm', awq],
	] as const) {
		const d = estimate(input({ engine, model: llama2_7b, weights, hardware: orin })).decode;
		assert.ok(
			!d.efficiency.reasons.some((r) => /SMs × /.test(r)),
			`${engine}: ${d.efficiency.reasons.join('\n')}`,
		);
		assert.ok(
			d.efficiency.reasons.some((r) => /bandwidthShare\.unified/.test(r)),
			`${engine}: ${d.efficiency.reasons.join('\n')}`,
		);
	}
	// On the same Orin, llama.cpp is predicted well below MLC (the ledger: 22.5 vs 42.9 tok/s on Llama-2-7B 4-bit).
	const llama = decode({ hardware: orin }).expectedTokensPerSecondPerUser;
	const mlc = estimate(input({ engine: 'mlc', model: llama2_7b, weights: q4_0, hardware: orin })).decode
		.expectedTokensPerSecondPerUser;
	assert.ok(mlc > llama * 1.3, `MLC ${mlc} vs llama.cpp ${llama}`);
});
