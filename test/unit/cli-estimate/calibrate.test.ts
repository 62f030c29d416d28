/**
 * The calibration and cross-validation logic on small synthetic ledgers whose "measurements" the estimator
 * itself produced with known constants: calibration must recover those constants, keep priors where too few
 * rows speak, resist one wild row, and cross-validation must expose a family that behaves differently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { priorConstants, withConstants } from '../../../server/src/analysis/physics/calibration';
import { calibrate, MIN_ROWS, valuesOf } from '../../../server/src/cli/accuracy/calibrate';
import { crossValidate } from '../../../server/src/cli/accuracy/crossValidate';
import { regressions, staleConstants, type Baseline } from '../../../server/src/cli/accuracy/gate';
import { loadLedger, type LedgerRow } from '../../../server/src/cli/accuracy/ledger';
import { cpuFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';
import { predict, stats } from '../../../server/src/cli/accuracy/score';
import { ledgerRecord, type LedgerRecord } from './ledgerRecord';

type Rec = LedgerRecord;
const rec = (id: string, o: Partial<Rec>): Rec => ledgerRecord(id, o);

const MODELS = [
	'meta-llama/Llama-3.1-8B',
	'Qwen/Qwen2.5-0.5B',
	'meta-llama/Llama-3.1-70B',
	'Qwen/Qwen2.5-3B',
];
const FORMATS = ['q4_0', 'q8_0', 'f16'];

/** A grid of rows on the given devices; measured values come from the estimator under `truth`. */
function syntheticLedger(
	devices: { id: string; backend: string }[],
	truth: Record<string, number>,
	scale: (r: LedgerRow) => number = () => 1,
): LedgerRow[] {
	const records: Rec[] = [];
	for (const d of devices)
		for (const m of MODELS)
			for (const f of FORMATS)
				records.push(
					rec(`${d.id}-${m}-${f}`, { hardware_id: d.id, backend: d.backend, model_id: m, weight_format: f }),
				);
	const { rows, skipped } = loadLedger(records);
	assert.deepEqual(skipped, []);
	return withConstants({ ...priorConstants(), ...truth }, () =>
		rows.map((r) => ({ ...r, measured: predict(r).predicted * scale(r) })),
	);
}

const APPLE = [
	{ id: 'apple-m2-max', backend: 'metal' },
	{ id: 'apple-m1-pro', backend: 'metal' },
];

test('calibration recovers the constants that generated a synthetic ledger', () => {
	const truth = { 'bandwidthShare.metal': 0.7, 'layerUs.llama.cpp-metal': 90 };
	const rows = syntheticLedger(APPLE, truth);
	const fit = calibrate(rows);
	assert.equal(fit.constants['bandwidthShare.metal'].chosenBy, 'calibrated');
	assert.ok(fit.constants['bandwidthShare.metal'].rows >= MIN_ROWS);
	assert.ok(
		Math.abs(fit.constants['bandwidthShare.metal'].value / 0.7 - 1) < 0.03,
		JSON.stringify(fit.constants),
	);
	assert.ok(
		Math.abs(fit.constants['layerUs.llama.cpp-metal'].value / 90 - 1) < 0.1,
		JSON.stringify(fit.constants),
	);
	const s = withConstants(valuesOf(fit), () => stats(rows.map((r) => ({ ...scoreOf(r) }))));
	assert.ok(s.medianAbsErrorPct < 1, `${s.medianAbsErrorPct}`);
});

function scoreOf(r: LedgerRow) {
	const p = predict(r).predicted;
	return {
		id: r.id,
		family: r.family,
		deviceClass: r.deviceClass,
		engine: r.engineName,
		regime: r.regime,
		hardware: r.hardwareLabel,
		model: r.input.model.id,
		format: r.input.weights.id,
		batch: r.input.batch,
		devices: r.input.devices,
		measured: r.measured,
		predicted: p,
		roofline: Infinity,
		naive: r.measured,
		errorPct: ((p - r.measured) / r.measured) * 100,
		naiveErrorPct: 0,
		aboveRoofline: false,
	};
}

test('constants no row influences keep their prior, or borrow their pool median, and say which', () => {
	const rows = syntheticLedger(APPLE, {});
	const fit = calibrate(rows);
	const prior = priorConstants();
	// No CPU or TP rows: no cpuDot rate was chosen, so the ISA pool has nothing to lend; bandwidth shares and
	// collectives are not pooled.
	for (const name of ['cpuDot.amx', 'collectiveUs.pcie', 'layerUs.cuda-graphs', 'bandwidthShare.rocm']) {
		assert.equal(fit.constants[name].chosenBy, 'prior', name);
		assert.equal(fit.constants[name].rows, 0, name);
		assert.equal(fit.constants[name].value, prior[name], name);
	}
	// CPU rows on AVX-512 only: the other ISAs borrow the AVX-512 rate.
	const cpuRows = loadLedger(
		['f16', 'q8_0', 'q4_0', 'q4_k_s'].flatMap((f) =>
			[1, 2, 4, 8].map((t) =>
				rec(`cpu-${f}-${t}`, {
					backend: 'cpu',
					hardware_id: 'ryzen-9-7950x',
					weight_format: f,
					threads: String(t),
				}),
			),
		),
	).rows;
	const cpuTruth = { 'cpuDot.avx512': 40, cpuThreadGBs: 30 };
	const measured = withConstants({ ...prior, ...cpuTruth }, () =>
		cpuRows.map((r) => ({ ...r, measured: predict(r).predicted })),
	);
	const cpuFit = calibrate(measured);
	assert.equal(cpuFit.constants['cpuDot.avx512'].chosenBy, 'calibrated');
	assert.ok(
		Math.abs(cpuFit.constants['cpuDot.avx512'].value / 40 - 1) < 0.05,
		JSON.stringify(cpuFit.constants),
	);
	for (const isa of ['cpuDot.neon', 'cpuDot.avx2', 'cpuDot.amx']) {
		assert.equal(cpuFit.constants[isa].chosenBy, 'pooled', isa);
		assert.equal(cpuFit.constants[isa].value, cpuFit.constants['cpuDot.avx512'].value, isa);
	}
});

test('one wild row does not drag a constant (least absolute log error, not least squares)', () => {
	const truth = { 'bandwidthShare.metal': 0.7 };
	const rows = syntheticLedger(APPLE, truth, (r) =>
		r.id === 'apple-m2-max-meta-llama/Llama-3.1-8B-q4_0' ? 5 : 1,
	);
	const fit = calibrate(rows);
	assert.ok(
		Math.abs(fit.constants['bandwidthShare.metal'].value / 0.7 - 1) < 0.05,
		JSON.stringify(fit.constants),
	);
});

test('leave-one-family-out exposes a family the others do not predict; the fit hides it', () => {
	const gpus = [
		{ id: 'rtx-4090', backend: 'cuda' },
		{ id: 'rtx-3090', backend: 'cuda' },
		{ id: 'h100-pcie', backend: 'cuda' },
		{ id: 'a100-80gb-pcie', backend: 'cuda' },
	];
	// The datacenter family measures 30 % slower than the physics with the consumer family's constants.
	const rows = syntheticLedger(gpus, { 'bandwidthShare.cuda': 0.8 }, (r) =>
		r.family === 'nvidia-datacenter' ? 0.7 : 1,
	);
	const families = new Set(rows.map((r) => r.family));
	assert.deepEqual([...families].sort(), ['nvidia-consumer', 'nvidia-datacenter']);
	const full = valuesOf(calibrate(rows));
	const cv = crossValidate(rows, 'family', full);
	assert.equal(cv.rows.length, rows.length);
	const dc = stats(cv.rows.filter((r) => r.family === 'nvidia-datacenter'));
	// Trained on consumer cards only, the datacenter rows come out ~1/0.7 − 1 = 43 % too fast.
	assert.ok(dc.medianErrorPct > 25, `held-out datacenter median error ${dc.medianErrorPct}`);
	const fit = withConstants(full, () =>
		stats(rows.filter((r) => r.family === 'nvidia-datacenter').map(scoreOf)),
	);
	assert.ok(
		fit.medianAbsErrorPct < dc.medianAbsErrorPct,
		`fit ${fit.medianAbsErrorPct} vs CV ${dc.medianAbsErrorPct}`,
	);
	assert.ok(
		cv.groups.find((g) => g.group === 'nvidia-datacenter')?.changed['bandwidthShare.cuda'] !== undefined,
	);
});

test('ledger rows without catalog ids are usable (ad-hoc device, model from params_b) or skipped with a reason', () => {
	const records = [
		rec('A1', { hardware_label: 'NVIDIA A40 48GB', mem_bw_gbs: '696', model_id: '', params_b: '13' }),
		rec('A2', { engine: 'koboldcpp', hardware_id: 'rtx-4090' }),
		rec('A3', { hardware_id: 'rtx-4090', decode_tok_s_per_user: '' }),
		rec('A4', { hardware_label: 'mystery box', mem_bw_gbs: '' }),
		rec('A5', { hardware_id: 'rtx-4090', model_id: 'nobody/unknown', params_b: '' }),
		rec('A6', { hardware_id: 'rtx-4090', batch: '8', decode_tok_s_per_user: '', decode_tok_s_total: '400' }),
		rec('A6', { hardware_id: 'rtx-4090' }),
		rec('A7', {
			backend: 'cpu',
			hardware_label: '2x Intel Xeon Gold 6138 (20C/40T each, Skylake-SP AVX-512)',
			mem_bw_gbs: '255.9',
		}),
	];
	const { rows, skipped } = loadLedger(records);
	assert.equal(rows.length + skipped.length, records.length, 'every record is a row or a skip');
	const a1 = rows.find((r) => r.id === 'A1');
	assert.ok(a1);
	assert.equal(a1.input.hardware.bandwidthGBs, 696);
	assert.equal(a1.family, 'nvidia-datacenter');
	assert.ok(Math.abs(a1.input.model.paramsTotal - 13e9) < 1);
	assert.ok(a1.notes.some((n) => /shaped like/.test(n)));
	assert.equal(rows.find((r) => r.id === 'A6')?.measured, 50);
	const a7 = rows.find((r) => r.id === 'A7');
	assert.equal(a7?.input.hardware.cpu?.cores, 40);
	assert.equal(a7?.input.hardware.cpu?.numaNodes, 2);
	assert.equal(a7?.input.hardware.cpu?.isa, 'avx512');
	const why = Object.fromEntries(skipped.map((s) => [s.id, s.reason]));
	assert.match(why.A2, /engine "koboldcpp"/);
	assert.match(why.A3, /no measured decode/);
	assert.match(why.A4, /mem_bw_gbs/);
	assert.match(why.A5, /not in the catalog and no params_b/);
	assert.equal(why.A6, 'duplicate id');
});

test('CPU facts from ledger labels: cores, sockets, ISA', () => {
	assert.deepEqual(pick(cpuFromLabel('AmpereOne A192-32X (192 Arm cores), 512GB DDR5, 8 channels')), {
		cores: 192,
		numaNodes: 1,
		isa: 'neon',
	});
	assert.deepEqual(pick(cpuFromLabel('Raspberry Pi 5 8GB (Cortex-A76 x4, LPDDR4X-4267 32-bit)')), {
		cores: 4,
		numaNodes: 1,
		isa: 'neon',
	});
	assert.deepEqual(
		pick(cpuFromLabel('2x Intel Xeon E5-2698B v3 (16C/32T each, AVX2), 8x DDR3-1866 (2 NUMA nodes)')),
		{
			cores: 32,
			numaNodes: 2,
			isa: 'avx2',
		},
	);
	assert.equal(cpuFromLabel('Intel N150 (GMKtec G3 Plus) 16GB single-channel DDR5'), undefined);
});

function pick(c: ReturnType<typeof cpuFromLabel>) {
	return c && { cores: c.cores, numaNodes: c.numaNodes, isa: c.isa };
}

const BASE: Baseline = {
	about: '',
	ledger: { rows: 10, usable: 9, date: '2025-01-01', sha256: 'abc' },
	fit: { medianAbsErrorPct: 8, within25Share: 0.9, aboveRoofline: 0 },
	cvFamily: { medianAbsErrorPct: 12, within25Share: 0.8, aboveRoofline: 0 },
	cvEngine: { medianAbsErrorPct: 13, within25Share: 0.78, aboveRoofline: 0 },
};

test('regression gate: worse cross-validated figures on the same ledger fail; a new ledger asks for a re-baseline', () => {
	assert.deepEqual(regressions(BASE, BASE), []);
	const better = { ...BASE, cvFamily: { medianAbsErrorPct: 11, within25Share: 0.85, aboveRoofline: 0 } };
	assert.deepEqual(regressions(BASE, better), []);
	const worse = { ...BASE, cvFamily: { medianAbsErrorPct: 12.6, within25Share: 0.8, aboveRoofline: 0 } };
	assert.equal(regressions(BASE, worse).length, 1);
	assert.match(
		regressions(BASE, worse)[0],
		/leave-one-family-out\): median \|error\| 12.6 % > baseline 12 %/,
	);
	const roof = { ...BASE, cvEngine: { ...BASE.cvEngine, aboveRoofline: 1 } };
	assert.match(regressions(BASE, roof)[0], /above the roofline/);
	const moved = { ...BASE, ledger: { ...BASE.ledger, sha256: 'def', rows: 12 } };
	assert.match(regressions(BASE, moved)[0], /another ledger/);
	assert.deepEqual(staleConstants({ a: 1, b: 2 }, { a: 1.005, b: 2 }), []);
	assert.equal(staleConstants({ a: 1, b: 2 }, { a: 1.2, b: 2 }).length, 1);
});
