/**
 * Non-GPU accelerators (physics/accelerator.ts): every vendor per-layer latency reproduces the ledger claims it
 * was derived from, the Groq chip-span term, the weight tiers (SRAM, HBM, SN40L's DDR5 capacity tier), and the
 * ledger rules that keep a constant's own source rows and speculative-decoding rows out of the score.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import { buildCatalog } from '../../../server/src/analysis/catalog/load';
import type { Catalog } from '../../../server/src/analysis/catalog/types';
import {
	chipsToHold,
	layerBillionParams,
	vendorLayerUs,
	weightTier,
} from '../../../server/src/analysis/physics/accelerator';
import { estimate } from '../../../server/src/analysis/physics/index';
import { parseCsv } from '../../../server/src/cli/accuracy/csv';
import { loadLedger } from '../../../server/src/cli/accuracy/ledger';
import { predict } from '../../../server/src/cli/accuracy/score';
import { bf16, deepseekV3, fp8, input, llama31_70b, llama31_8b } from './specs';
import { catalogHardware } from './catalogInput';

const catalog = getCatalog();
const hw = catalogHardware;
const ledger = parseCsv(readFileSync(path.join('server', 'data', 'measurements', 'decode.csv'), 'utf8'));

test('every vendor per-layer latency reproduces the ledger claims it was derived from (within 1 %)', () => {
	const withRows = catalog.hardware.filter((h) => h.layerLatency?.ledgerRows?.length);
	assert.ok(withRows.length >= 3, 'SambaNova, Cerebras and Groq name their source rows');
	// Score the source rows against a catalog whose constants do not name them (so the ledger loads them).
	const open: Catalog = {
		...catalog,
		hardware: catalog.hardware.map((h) =>
			h.layerLatency ? { ...h, layerLatency: { ...h.layerLatency, ledgerRows: undefined } } : h,
		),
	};
	for (const h of withRows) {
		const ids = h.layerLatency?.ledgerRows ?? [];
		const records = ledger.filter((r) => ids.includes(r.id));
		assert.equal(records.length, ids.length, `${h.id}: rows ${ids.join(', ')} are in the ledger`);
		const { rows, skipped } = loadLedger(records, open);
		assert.deepEqual(skipped, [], `${h.id}: ${JSON.stringify(skipped)}`);
		for (const row of rows) {
			assert.equal(row.input.hardware.id, h.id);
			const p = predict(row).predicted;
			assert.ok(Math.abs(p / row.measured - 1) < 0.01, `${h.id} ${row.id}: ${p} vs claimed ${row.measured}`);
		}
	}
});

test('the same source rows are skipped when scoring, with the reason', () => {
	const ids = catalog.hardware.flatMap((h) => h.layerLatency?.ledgerRows ?? []);
	const { rows, skipped } = loadLedger(ledger.filter((r) => ids.includes(r.id)));
	assert.equal(rows.length, 0);
	assert.equal(skipped.length, ids.length);
	for (const s of skipped) assert.match(s.reason, /per-layer latency constant/);
});

test('decode-speculative rows are skipped (several tokens per target step), decode rows of the same source are not', () => {
	const spec = ledger.filter((r) => r.measures === 'decode-speculative');
	assert.ok(spec.some((r) => r.id === 'L0239') && spec.some((r) => r.id === 'L0240'));
	const { rows, skipped } = loadLedger(spec);
	assert.equal(rows.length, 0);
	for (const s of skipped) assert.match(s.reason, /speculative decoding/);
	// Flipping the column back lets the same record load: the skip is the column, not the device.
	const asDecode = loadLedger(spec.map((r) => ({ ...r, measures: 'decode' })));
	assert.equal(asDecode.rows.length, spec.length);
	// Why they cannot be plain decode: SambaNova's are above the one-step-per-token roofline of their node;
	// Cerebras' 405B spends less time per layer than the same wafer's 8B launch figure.
	for (const row of asDecode.rows) {
		if (row.input.hardware.id === 'sambanova-sn40l')
			assert.ok(row.measured > predict(row).roofline, `${row.id} above its roofline`);
		else {
			const layerUs = 1e6 / row.measured / row.input.model.layers;
			const launch = vendorLayerUs('sram', row.input.hardware, llama31_8b).us;
			assert.ok(layerUs < launch / 2, `${row.id}: ${layerUs} µs per layer vs ${launch}`);
		}
	}
});

test('Groq: the per-layer latency grows by usPerChipDoubling for each doubling of the chips the model spans', () => {
	const groq = hw('groq-lpu');
	const ll = groq.layerLatency;
	assert.ok(ll?.usPerChipDoubling && ll.usPerChipDoubling > 0);
	const at = (chips: number) => vendorLayerUs('sram', groq, llama31_8b, chips).us;
	assert.ok(Math.abs(at(80) - at(40) - ll.usPerChipDoubling) < 1e-9);
	assert.ok(Math.abs(at(1) - ll.us) < 1e-9, 'one chip: the fixed part');
	// The chips that hold a model in SRAM: weights / 230 MB per chip.
	assert.equal(chipsToHold(groq, 9.08e9), Math.ceil(9.08e9 / 230e6));
	assert.equal(chipsToHold(hw('sambanova-sn40l'), 9e9), 1, 'HBM parts are not SRAM-bound');
	// Giving more chips than the model needs (Groq's 576-chip 70B deployment) slows each layer.
	const few = estimate(input({ hardware: groq, weights: fp8, model: llama31_70b }));
	const many = estimate(input({ hardware: groq, weights: fp8, model: llama31_70b, devices: 576 }));
	assert.ok(many.decode.expectedTokensPerSecondPerUser < few.decode.expectedTokensPerSecondPerUser);
});

test('Cerebras: the per-layer latency grows with the layer parameters (two claims give the slope)', () => {
	const cs3 = hw('cerebras-cs3');
	const small = vendorLayerUs('sram', cs3, llama31_8b).us;
	const large = vendorLayerUs('sram', cs3, llama31_70b).us;
	const slope = (large - small) / (layerBillionParams(llama31_70b) - layerBillionParams(llama31_8b));
	assert.ok(Math.abs(slope - (cs3.layerLatency?.usPerLayerBillionParams ?? 0)) < 1e-6);
	// 10⁶ / (1,800 tok/s × 32 layers) and 10⁶ / (450 tok/s × 80 layers).
	assert.ok(Math.abs(small - 1e6 / 1800 / 32) < 0.05, `${small}`);
	assert.ok(Math.abs(large - 1e6 / 450 / 80) < 0.05, `${large}`);
});

test('the vendor layer latency is the whole layer time: no engine overhead, no PCIe all-reduce on top', () => {
	for (const [id, devices] of [
		['groq-lpu', 64],
		['sambanova-sn40l', 16],
		['d-matrix-corsair', 16],
	] as const) {
		const e = estimate(input({ hardware: hw(id), weights: fp8, devices }));
		assert.equal(e.decode.allReduceSecondsPerStep, 0, id);
		assert.equal(e.decode.fixedSecondsPerStep, 0, id);
	}
	// SRAM and in-memory stacks lay layers across chips; SambaNova's HBM sockets stream together (TP).
	const groq = estimate(input({ hardware: hw('groq-lpu'), weights: fp8, devices: 64 }));
	assert.ok(groq.assumptions.some((a) => /layer pipeline/.test(a)));
	const sn = estimate(input({ hardware: hw('sambanova-sn40l'), devices: 16 }));
	assert.ok(!sn.assumptions.some((a) => /layer pipeline/.test(a)));
});

test('MoE and MLA layers take longer on a vendor stack than a dense layer of the same latency figure', () => {
	const sn = hw('sambanova-sn40l');
	const moe = estimate(input({ hardware: sn, devices: 16, model: deepseekV3, weights: fp8 }));
	const layersUs = (moe.decode.stepSeconds * 1e6) / deepseekV3.layers;
	assert.ok(layersUs > 1.5 * (sn.layerLatency?.us ?? 0), `${layersUs} µs per layer`);
});

test('weight tiers: SRAM when the model fits on chip, device memory when it fits there, a capacity tier beyond', () => {
	const sn = hw('sambanova-sn40l');
	assert.ok(sn.capacityMemory, 'SN40L declares its DDR5 tier');
	assert.equal(weightTier(sn, 40e9, 1e9).residence, 'device');
	assert.equal(weightTier(sn, 40e9, 1e9).gbs, sn.bandwidthGBs);
	const ddr = weightTier(sn, 100e9, 1e9);
	assert.equal(ddr.residence, 'capacity');
	assert.equal(ddr.gbs, sn.capacityMemory?.bandwidthGBs);
	assert.match(ddr.why ?? '', /DDR5/);
	// SN40L's 520 MB SRAM has no published bandwidth: a tiny model still counts at the HBM figure (no guess).
	assert.equal(weightTier(sn, 0.1e9, 0).residence, 'device');
	const groq = hw('groq-lpu');
	assert.equal(weightTier(groq, 0.1e9, 0.01e9).residence, 'sram');
	assert.equal(weightTier(groq, 9e9, 0).residence, 'device', 'no capacity tier: the spec figure');
	// A 405B bf16 model on 8 sockets (101 GB each) streams from DDR: far slower than on 16 sockets (51 GB each).
	const model = catalog.models.find((m) => m.id === 'meta-llama/Llama-3.1-405B');
	assert.ok(model);
	const eight = estimate(input({ hardware: sn, devices: 8, model, weights: bf16 }));
	const sixteen = estimate(input({ hardware: sn, devices: 16, model, weights: bf16 }));
	assert.equal(eight.decode.weightsResidence, 'capacity');
	assert.equal(sixteen.decode.weightsResidence, 'device');
	assert.ok(eight.decode.rooflineTokensPerSecondPerUser < sixteen.decode.rooflineTokensPerSecondPerUser / 4);
	// The fit verdict agrees with the decode path: weights in the DDR tier are slow, not "do not fit".
	assert.equal(eight.memory.weightsFit, true);
	assert.match(eight.memory.budgetRule ?? '', /DDR5 capacity tier/);
	const sixTb = estimate(input({ hardware: sn, devices: 1, model, weights: bf16 }));
	assert.equal(sixTb.memory.weightsFit, true, '810 GB on one socket: 64 GB HBM + 1,536 GB DDR5');
	const gpu = catalog.hardware.find((h) => h.id === 'h100-sxm');
	assert.ok(gpu && !gpu.capacityMemory);
	assert.equal(estimate(input({ hardware: gpu, devices: 1, model, weights: bf16 })).memory.weightsFit, false);
});

test('catalog validation: capacityMemory and layerLatency fields are checked', () => {
	const base = { ...hw('sambanova-sn40l') } as Record<string, unknown>;
	const bad = buildCatalog({
		hardware: [
			{ ...base, id: 'a', capacityMemory: { type: 'DDR5', gb: 1536, bandwidthGBs: 100 } },
			{ ...base, id: 'b', layerLatency: { us: 30, source: 'x', ledgerRows: ['row-7'] } },
			{ ...base, id: 'c', layerLatency: { us: -1, source: 'x' } },
		],
		models: [],
		formats: [],
		kvDtypes: [],
	});
	const text = bad.errors.join('\n');
	assert.match(text, /capacityMemory\.source/);
	assert.match(text, /layerLatency\.ledgerRows/);
	assert.match(text, /layerLatency\.us/);
	const good = buildCatalog({ hardware: [base], models: [], formats: [], kvDtypes: [] });
	assert.deepEqual(good.errors, []);
});
