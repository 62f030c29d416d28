import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../../server/src/analysis/catalog/types';
import type { Estimate, EstimateInput } from '../../server/src/analysis/physics/types';
import { compareCatalog, filterRows, sortRows } from '../../webview/src/compare';
import type { AnalysisEngine } from '../../webview/src/engine';
import { baseScenario, effectiveChange, toInput, withChange } from '../../webview/src/scenario';
import { sampleEstimate, sampleWorkload } from './sampleReport';

const hw = (
	id: string,
	spectrum: HardwareSpec['spectrum'],
	memoryGB: number,
	bandwidthGBs: number,
	extra: Partial<HardwareSpec> = {},
): HardwareSpec => ({
	id,
	name: id.toUpperCase(),
	vendor: 'x',
	deviceClass: spectrum === 'cpu' ? 'cpu' : 'gpu',
	spectrum,
	memoryType: 'x',
	memoryGB,
	bandwidthGBs,
	peakTflops: { bf16: 100 },
	sources: ['test'],
	...extra,
});

const MODEL = { id: 'm/40b', maxContext: 8192 } as ModelSpec;
const BF16 = { id: 'bf16', bitsPerWeight: 16, computeDtype: 'bf16', family: 'float' } as FormatSpec;
const F16 = { id: 'f16', bytesPerElement: 2 } as KvDtypeSpec;

/**
 * A fake estimator simple enough to check by hand: 40 GB of weights split over the devices, fit when that
 * share is within a device's memory; tok/s per user = devices × bandwidth ÷ 40 GB.
 */
function fakeEngine(hardware: HardwareSpec[]): AnalysisEngine & { calls: EstimateInput[] } {
	const calls: EstimateInput[] = [];
	return {
		calls,
		catalog: { hardware, models: [MODEL], formats: [BF16], kvDtypes: [F16] },
		resolveFormat: (n) => (n === 'bf16' ? BF16 : undefined),
		resolveKvDtype: (n) => (n === 'f16' || n === 'bf16' ? F16 : undefined),
		defaultPricing: { electricityUsdPerKwh: 0.15, amortizationYears: 3, utilization: 1 },
		estimate(input): Estimate {
			calls.push(input);
			const e = sampleEstimate(MODEL.id);
			const fits = 40 / input.devices <= input.hardware.memoryGB;
			const tps = (input.devices * input.hardware.bandwidthGBs) / 40;
			return {
				...e,
				hardwareId: input.hardware.id,
				devices: input.devices,
				memory: { ...e.memory, fits },
				decode: { ...e.decode, expectedTokensPerSecondPerUser: tps, rooflineTokensPerSecondPerUser: tps },
			};
		},
	};
}

const CATALOG = [
	hw('big', 'gpu', 80, 3000),
	hw('small', 'gpu', 24, 1000),
	hw('lpu', 'sram', 0.23, 80000),
	hw('cpu', 'cpu', 384, 460),
	hw('etched', 'hardwired', 0, 0, { fixedModels: ['other/model'] }),
];

function scenario(eng: AnalysisEngine, hardwareId = 'big') {
	const w = { ...sampleWorkload('m-40b', MODEL.id), estimate: { ...sampleEstimate(MODEL.id), hardwareId } };
	const sc = baseScenario(w, 'ignored', eng);
	assert.ok(!('error' in sc));
	return sc;
}

test('each device is tried at 1, 2, 4, … until it holds the workload', () => {
	const eng = fakeEngine(CATALOG);
	const rows = compareCatalog(scenario(eng), eng, undefined);
	const by = Object.fromEntries(rows.map((r) => [r.hw.id, r]));
	assert.equal(by.big.devices, 1); // 40 GB ≤ 80 GB
	assert.equal(by.big.fits, true);
	assert.equal(by.big.isTarget, true);
	assert.equal(by.small.devices, 2); // 40/1 > 24, 40/2 = 20 ≤ 24
	assert.equal(by.lpu.devices, 256); // 40/128 = 0.3125 > 0.23, 40/256 = 0.156 ≤ 0.23
	assert.equal(by.cpu.devices, 1);
	// 2 × 1000 GB/s ÷ 40 GB = 50 tok/s per user on the pair of small GPUs
	assert.equal(by.small.est?.decode.expectedTokensPerSecondPerUser, 50);
	assert.equal(by.etched.fits, false);
	assert.equal(by.etched.note, 'hardwired to other models');
});

test('a per-class device cap stops the search and says how far it went', () => {
	const eng = { ...fakeEngine(CATALOG), deviceCap: (h: HardwareSpec) => (h.spectrum === 'sram' ? 64 : 8) };
	const rows = compareCatalog(scenario(eng), eng, undefined);
	const lpu = rows.find((r) => r.hw.id === 'lpu')!;
	// 40 GB over 64 chips is 0.625 GB each, still above 0.23 GB: no fit within the cap.
	assert.equal(lpu.fits, false);
	assert.equal(lpu.devices, 64);
	assert.equal(rows.find((r) => r.hw.id === 'small')!.devices, 2);
});

test('other devices show their own minimum even when the target uses more', () => {
	const eng = fakeEngine(CATALOG);
	const sc = { ...scenario(eng), devices: 4 };
	const by = Object.fromEntries(compareCatalog(sc, eng, undefined).map((r) => [r.hw.id, r]));
	assert.equal(by.big.devices, 4); // the target: the user's four
	assert.equal(by.small.devices, 2); // 40 GB needs two 24 GB devices, not four
	assert.equal(by.cpu.devices, 1);
});

test('the target keeps the user’s device count even when it does not fit', () => {
	const eng = fakeEngine(CATALOG);
	const rows = compareCatalog(scenario(eng, 'small'), eng, undefined);
	const small = rows.find((r) => r.hw.id === 'small')!;
	assert.equal(small.isTarget, true);
	assert.equal(small.devices, 1);
	assert.equal(small.fits, false);
});

test('sorting puts rows without numbers last in both directions; filters by class and fit', () => {
	const eng = fakeEngine(CATALOG);
	const rows = compareCatalog(scenario(eng), eng, undefined);
	// expected tok/s: lpu 256×80000/40 = 512000, big 75, small 50, cpu 11.5; etched has none
	assert.deepEqual(
		sortRows(rows, 'expected', true).map((r) => r.hw.id),
		['lpu', 'big', 'small', 'cpu', 'etched'],
	);
	assert.deepEqual(
		sortRows(rows, 'expected', false).map((r) => r.hw.id),
		['cpu', 'small', 'big', 'lpu', 'etched'],
	);
	assert.deepEqual(
		sortRows(rows, 'fits', false).map((r) => r.hw.id),
		['big', 'cpu', 'small', 'lpu', 'etched'],
	);
	assert.deepEqual(
		sortRows(rows, 'class', false).map((r) => r.hw.spectrum),
		['cpu', 'gpu', 'gpu', 'sram', 'hardwired'],
	);
	assert.deepEqual(
		filterRows(rows, 'gpu', false).map((r) => r.hw.id),
		['big', 'small'],
	);
	assert.deepEqual(
		filterRows(rows, 'all', true).map((r) => r.hw.id),
		['big', 'small', 'lpu', 'cpu'],
	);
});

test('what-if changes override the file values and only real differences count as changes', () => {
	const eng = fakeEngine(CATALOG);
	const base = scenario(eng);
	assert.equal(base.batch, 16);
	assert.equal(base.context, 8192);
	const sc = withChange(base, { batch: 4, context: 512, devices: 2 });
	assert.equal(sc.batch, 4);
	assert.equal(sc.context, 512);
	assert.deepEqual(effectiveChange(base, { batch: 16, context: 512 }), { context: 512 });
	const input = toInput(sc, eng, { electricityUsdPerKwh: 0.3 });
	assert.ok(!('error' in input));
	// The decode step holds min(512, 2048) tokens per sequence; the 1,024-token prompt is capped to 512.
	assert.equal(input.context, 512);
	assert.equal(input.prompt, 512);
	assert.equal(input.maxContext, 512);
	assert.equal(input.batch, 4);
	assert.equal(input.devices, 2);
	assert.equal(input.tensorParallel, 2);
	assert.equal(input.pricing?.electricityUsdPerKwh, 0.3);
	assert.equal(input.pricing?.amortizationYears, 3);
});

test('the configured concurrency is capped at what the KV budget holds, as the server does', () => {
	const eng = fakeEngine(CATALOG);
	const w = sampleWorkload('m-40b', MODEL.id);
	w.settings = { ...w.settings, maxConcurrency: 256 };
	w.estimate = { ...sampleEstimate(MODEL.id), hardwareId: 'big' };
	w.estimate.memory = { ...w.estimate.memory, maxBatchAtContext: 50.7 };
	const sc = baseScenario(w, 'big', eng);
	assert.ok(!('error' in sc));
	assert.equal(sc.batch, 50);
	assert.equal(sc.batchConfigured, 256);
});

test('llama.cpp shares -c between its slots; the decode step holds at most 2,048 tokens', () => {
	const eng = fakeEngine(CATALOG);
	const w = { ...sampleWorkload('m-40b', MODEL.id), framework: 'llama.cpp' as const };
	w.settings = { contextLength: 8192, maxConcurrency: 4 };
	w.estimate = { ...sampleEstimate(MODEL.id), hardwareId: 'big' };
	const base = baseScenario(w, 'big', eng);
	assert.ok(!('error' in base));
	const ctx = (c: { batch?: number; context?: number }) => {
		const i = toInput(withChange(base, c), eng, undefined);
		assert.ok(!('error' in i));
		return [i.context, i.prompt, i.maxContext];
	};
	assert.deepEqual(ctx({}), [2048, 1024, 8192]); // 8192 / 4 slots = 2048 each
	assert.deepEqual(ctx({ context: 4096 }), [1024, 1024, 4096]); // 4096 / 4 = 1024
	assert.deepEqual(ctx({ context: 32768 }), [2048, 1024, 32768]); // 8192 each, decode capped at 2048
	assert.deepEqual(ctx({ batch: 8, context: 4096 }), [512, 512, 4096]); // 4096 / 8 = 512, prompt capped too
});

test('an unresolved model gives a message instead of numbers', () => {
	const eng = fakeEngine(CATALOG);
	const w = { ...sampleWorkload('<img src=x onerror=alert(1)>', null), estimate: undefined };
	const sc = baseScenario(w, 'big', eng);
	assert.ok('error' in sc);
	assert.match(sc.error, /not in the catalog/);
});
