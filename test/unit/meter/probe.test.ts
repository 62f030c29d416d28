import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultArrayMiB, lastLevelCacheBytes, probeBandwidth, stats } from '../../../server/src/meter/probe';
import { localMachineEntry, upsertHardware } from '../../../server/src/meter/userCatalog';
import { main } from '../../../server/src/cli/main';
import { getCatalog, mergeUserCatalog, resolveHardware } from '../../../server/src/analysis/catalog';

test('STREAM byte counting: copy moves 16 B per element, triad 24 B; best/worst/mean/spread', () => {
	// copy: 2 arrays × 8 B × 1e6 elements = 16e6 B; 1 ms → 16 GB/s, 2 ms → 8 GB/s.
	const copy = stats('copy', [0.001, 0.002], 1e6);
	assert.equal(copy.bestGBs, 16);
	assert.equal(copy.worstGBs, 8);
	assert.equal(copy.meanGBs, 12);
	assert.equal(copy.spread, 0.5);
	assert.equal(copy.repetitions, 2);
	// triad: 3 × 8 B × 1e6 = 24e6 B in 1 ms = 24 GB/s.
	assert.equal(stats('triad', [0.001], 1e6).bestGBs, 24);
});

test('the probe runs on this machine and reports a plausible bandwidth for 1 and 2 threads', async () => {
	const r = await probeBandwidth({ arrayMiB: 16, seconds: 0.2, threadCounts: [1, 2], maxRepetitions: 6 });
	assert.equal(r.elements, (16 * 2 ** 20) / 8);
	assert.equal(r.runs.length, 2);
	for (const run of r.runs) {
		assert.equal(run.kernels.length, 4);
		for (const k of run.kernels) {
			assert.ok(k.repetitions >= 3, `${k.kernel}: ${k.repetitions} reps`);
			assert.ok(k.bestGBs >= k.meanGBs && k.meanGBs >= k.worstGBs);
			assert.ok(k.spread >= 0 && k.spread < 1);
		}
		assert.ok(run.best.gbs > 1 && run.best.gbs < 500, `${run.threads} threads: ${run.best.gbs} GB/s`);
	}
});

test('last-level cache from sysfs text, and the STREAM array-size rule', () => {
	const files: Record<string, string> = {
		'/sys/devices/system/cpu/cpu0/cache/index0/size': '48K\n',
		'/sys/devices/system/cpu/cpu0/cache/index2/size': '2048K\n',
		'/sys/devices/system/cpu/cpu0/cache/index3/size': '32768K\n',
	};
	assert.equal(
		lastLevelCacheBytes((p) => files[p]),
		32 * 2 ** 20,
	);
	assert.equal(
		lastLevelCacheBytes(() => undefined),
		undefined,
	);
	// 4 × 32 MiB = 128 MiB; 4 × 256 MiB = 1024 MiB; capped by free memory: 6 GiB / 2 / 3 = 1024 MiB.
	assert.equal(defaultArrayMiB(32 * 2 ** 20, 64 * 2 ** 30), 128);
	assert.equal(defaultArrayMiB(256 * 2 ** 20, 64 * 2 ** 30), 1024);
	assert.equal(defaultArrayMiB(1024 * 2 ** 20, 6 * 2 ** 30), 1024);
	assert.equal(defaultArrayMiB(undefined, 64 * 2 ** 30), 128);
});

const fakeReport = {
	arrayBytes: 128 * 2 ** 20,
	elements: 16 * 2 ** 20,
	warnings: [],
	method: 'test method',
	runs: [
		{
			threads: 1,
			kernels: [
				{ kernel: 'triad' as const, bestGBs: 20, meanGBs: 19, worstGBs: 18, spread: 0.1, repetitions: 5 },
			],
			best: { kernel: 'triad' as const, gbs: 20 },
		},
		{
			threads: 16,
			kernels: [
				{ kernel: 'triad' as const, bestGBs: 61.26, meanGBs: 60, worstGBs: 55, spread: 0.1, repetitions: 5 },
			],
			best: { kernel: 'triad' as const, gbs: 61.26 },
		},
	],
};
const facts = {
	cpuModel: 'Test CPU',
	cores: 16,
	totalMemoryBytes: 64e9,
	platform: 'linux x64',
	date: '2026-01-02',
};

test('the local-machine entry: cpu class, measured origin, all-thread best rounded to 0.1 GB/s, date in sources', () => {
	const e = localMachineEntry(fakeReport, facts);
	assert.equal(e.id, 'local-machine');
	assert.equal(e.deviceClass, 'cpu');
	assert.equal(e.origin, 'measured');
	assert.equal(e.bandwidthGBs, 61.3);
	assert.equal(e.memoryGB, 64);
	assert.match(e.sources[0], /^measured 2026-01-02 by `inference-meter probe-bandwidth`/);
	assert.match(e.notes ?? '', /single thread 20\.0 GB\/s/);
	// The catalog accepts it as a user entry.
	const up = upsertHardware(undefined, e);
	assert.ok(up.ok);
	const merged = mergeUserCatalog(getCatalog(), JSON.parse(up.text));
	assert.deepEqual(merged.errors, []);
	const hw = resolveHardware('local-machine', merged.catalog);
	assert.ok(hw.ok && hw.hardware.bandwidthGBs === 61.3);
});

test('upsert keeps other entries, replaces its own, and refuses to overwrite a broken file', () => {
	const e = localMachineEntry(fakeReport, facts);
	const existing = JSON.stringify({
		hardware: [{ id: 'my-gpu' }, { id: 'local-machine', bandwidthGBs: 1 }],
		models: [{ id: 'm' }],
	});
	const r = upsertHardware(existing, e);
	assert.ok(r.ok);
	const data = JSON.parse(r.text);
	assert.deepEqual(
		data.hardware.map((h: { id: string }) => h.id),
		['my-gpu', 'local-machine'],
	);
	assert.equal(data.hardware[1].bandwidthGBs, 61.3);
	assert.deepEqual(data.models, [{ id: 'm' }]);
	assert.equal(r.replaced, true);
	const broken = upsertHardware('{ not json', e);
	assert.ok(!broken.ok && /not valid JSON.*not overwritten/.test(broken.message));
	const wrong = upsertHardware('{"hardware": 3}', e);
	assert.ok(!wrong.ok && /not an array/.test(wrong.message));
});

test('probe-bandwidth --save --json writes a catalog entry the meter can load', async () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'im-probe-'));
	try {
		const file = path.join(dir, 'catalog.json');
		writeFileSync(file, JSON.stringify({ hardware: [], models: [] }));
		let out = '';
		let err = '';
		const code = await main(
			['probe-bandwidth', '--json', '--size-mb', '8', '--seconds', '0.1', '--threads', '2', '--save', file],
			{ stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: dir, env: {} },
		);
		assert.equal(code, 0, err);
		const report = JSON.parse(out);
		assert.equal(report.runs.length, 2);
		assert.match(report.saved, /added hardware "local-machine"/);
		const saved = JSON.parse(readFileSync(file, 'utf8'));
		assert.equal(saved.hardware[0].id, 'local-machine');
		const best = Math.max(...report.runs.map((r: { best: { gbs: number } }) => r.best.gbs));
		assert.equal(saved.hardware[0].bandwidthGBs, Math.round(best * 10) / 10);
		assert.deepEqual(mergeUserCatalog(getCatalog(), saved).errors, []);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
