// Units as the hover and lens print them: decimal first, binary in parentheses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fmt from '../../../server/src/lsp/format';

test('bytes: decimal GB with binary GiB beside it', () => {
	// 16,060,522,496 B = 16.06 GB; ÷ 2^30 = 14.96 GiB.
	assert.equal(fmt.bytes(16_060_522_496), '16.1 GB (15 GiB)');
	// 131,072 B = 131 kB = 128 KiB exactly.
	assert.equal(fmt.bytes(131_072), '131 kB (128 KiB)');
	assert.equal(fmt.bytes(512), '512 B');
	assert.equal(fmt.bytesDecimal(1.4e12), '1.4 TB');
});

test('bandwidth switches to TB/s at 1000 GB/s', () => {
	assert.equal(fmt.bandwidth(3.35e12), '3.35 TB/s');
	assert.equal(fmt.bandwidth(300e9), '300 GB/s');
});

test('counts, FLOPs, percent and time', () => {
	assert.equal(fmt.count(8_030_261_248), '8.03 B');
	assert.equal(fmt.count(494_000_000), '494 M');
	assert.equal(fmt.flops(16.1e9), '16.1 GFLOP');
	assert.equal(fmt.percent(0.0028), '0.28 %');
	assert.equal(fmt.seconds(0.0042), '4.2 ms');
	assert.equal(fmt.tokensPerSecond(1234.5), '1,235 tok/s');
});
