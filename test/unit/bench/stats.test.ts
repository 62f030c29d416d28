import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { budget, linearGrowth, median, percentile, summarize } from '../../../scripts/bench/stats.mjs';

describe('benchmark statistics', () => {
	test('percentile interpolates between closest ranks (rank = p/100 · (n − 1))', () => {
		const xs = [40, 10, 30, 20]; // sorted: 10 20 30 40
		assert.equal(percentile(xs, 0), 10);
		assert.equal(percentile(xs, 100), 40);
		// p50: rank 1.5 → 20 + 0.5 · (30 − 20) = 25
		assert.equal(percentile(xs, 50), 25);
		// p95: rank 2.85 → 30 + 0.85 · (40 − 30) = 38.5
		assert.ok(Math.abs(percentile(xs, 95) - 38.5) < 1e-9);
		assert.deepEqual(xs, [40, 10, 30, 20], 'the input is not reordered');
	});

	test('median of an odd count is the middle value; empty input is NaN; p outside 0–100 throws', () => {
		assert.equal(median([5, 1, 3]), 3);
		assert.ok(Number.isNaN(median([])));
		assert.throws(() => percentile([1], 101), RangeError);
	});

	test('summarize: 1..20 has median 10.5 and p95 at rank 18.05 → 19.05', () => {
		const xs = Array.from({ length: 20 }, (_, i) => i + 1);
		assert.deepEqual(summarize(xs), { n: 20, p50: 10.5, p95: 19.05, min: 1, max: 20 });
	});

	test('linear growth: per-line time ratio between two sizes', () => {
		// 10k lines in 100 ms, 100k lines in 1,000 ms: 0.01 ms/line both → ratio 1.
		assert.deepEqual(linearGrowth({ size: 10_000, ms: 100 }, { size: 100_000, ms: 1000 }, 2), {
			ratio: 1,
			pass: true,
		});
		// Quadratic: 10× the lines, 100× the time → 0.1 vs 0.01 ms/line → ratio 10, over a factor of 2.
		assert.deepEqual(linearGrowth({ size: 10_000, ms: 100 }, { size: 100_000, ms: 10_000 }, 2), {
			ratio: 10,
			pass: false,
		});
		assert.throws(() => linearGrowth({ size: 10, ms: 1 }, { size: 10, ms: 1 }, 2), RangeError);
	});

	test('budget verdicts: at the limit passes, above misses, unmeasured is SKIP', () => {
		assert.equal(budget('a', 5, 5, 'ms').verdict, 'PASS');
		assert.equal(budget('a', 5.01, 5, 'ms').verdict, 'MISS');
		assert.equal(budget('a', undefined, 5, 'ms').verdict, 'SKIP');
		assert.equal(budget('a', Number.NaN, 5, 'ms').actual, null);
	});
});
