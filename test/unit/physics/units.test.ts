import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	formatBandwidth,
	formatBytes,
	formatBytesBinary,
	formatBytesBoth,
	formatFlops,
	formatGBs,
	formatJoules,
	formatPercent,
	formatRate,
	formatSeconds,
	formatTflops,
	formatUsd,
} from '../../../server/src/analysis/units';

test('bytes carry decimal or binary units', () => {
	assert.equal(formatBytes(16_060_522_496), '16.1 GB');
	// 16,060,522,496 / 1024³ = 14.957… GiB
	assert.equal(formatBytesBinary(16_060_522_496), '15 GiB');
	assert.equal(formatBytesBinary(3.56 * 1024 ** 3), '3.56 GiB');
	assert.equal(formatBytes(131072), '131 kB');
	assert.equal(formatBytesBinary(131072), '128 KiB');
	assert.equal(formatBytesBoth(80e9), '80 GB (74.5 GiB)');
	assert.equal(formatBytes(512), '512 B');
});

test('rates, times, FLOPs, money, energy', () => {
	assert.equal(formatGBs(3350), '3.35 TB/s');
	assert.equal(formatBandwidth(83.2e9), '83.2 GB/s');
	assert.equal(formatRate(239.86), '240 tok/s');
	assert.equal(formatSeconds(0.00417), '4.17 ms');
	assert.equal(formatSeconds(36e-6), '36 µs');
	assert.equal(formatSeconds(1.5), '1.5 s');
	assert.equal(formatFlops(15.5e9), '15.5 GFLOP');
	assert.equal(formatTflops(1979), '1.98 PFLOPS');
	assert.equal(formatUsd(32000), '$32,000');
	assert.equal(formatUsd(1.478), '$1.48');
	assert.equal(formatUsd(0.0312), '$0.031');
	assert.equal(formatUsd(0.3), '$0.30');
	assert.equal(formatJoules(2.04), '2.04 J/token');
	assert.equal(formatJoules(0.35), '350 mJ/token');
	assert.equal(formatPercent(0.0038), '0.38 %');
	assert.equal(formatPercent(0.853), '85.3 %');
});
