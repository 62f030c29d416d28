// Pure statistics for the benchmark: percentiles over repeated timings and the linear-growth check.
// Kept free of I/O so test/unit/bench can check them by hand.

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks, the definition NumPy uses
 * by default: rank = p/100 · (n − 1) into the sorted samples.
 * @param {readonly number[]} samples
 * @param {number} p
 * @returns {number}
 */
export function percentile(samples, p) {
	if (samples.length === 0) return Number.NaN;
	if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = (p / 100) * (sorted.length - 1);
	const lo = Math.floor(rank);
	const hi = Math.ceil(rank);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** @param {readonly number[]} samples */
export function median(samples) {
	return percentile(samples, 50);
}

/**
 * Median, p95, min, max and count of a list of timings, rounded to 0.01 (timings are not more precise).
 * @param {readonly number[]} samples
 */
export function summarize(samples) {
	const r = (x) => Math.round(x * 100) / 100;
	return {
		n: samples.length,
		p50: r(median(samples)),
		p95: r(percentile(samples, 95)),
		min: r(Math.min(...samples)),
		max: r(Math.max(...samples)),
	};
}

/**
 * Whether time grows linearly with size between two sizes: the time per unit at the larger size is at
 * most `factor` times the time per unit at the smaller one. A quadratic algorithm over a 10× larger input
 * shows a ratio near 10, a linear one near 1 (fixed costs make it below 1).
 * @param {{ size: number, ms: number }} small
 * @param {{ size: number, ms: number }} large
 * @param {number} factor
 */
export function linearGrowth(small, large, factor) {
	if (!(small.size > 0 && large.size > small.size)) throw new RangeError('sizes must grow');
	const ratio = large.ms / large.size / (small.ms / small.size);
	return { ratio: Math.round(ratio * 100) / 100, pass: ratio <= factor };
}

/**
 * PASS/MISS line for one budget; `actual` undefined means it could not be measured (reported as SKIP).
 * @param {string} name
 * @param {number | undefined} actual
 * @param {number} limit
 * @param {string} unit
 */
export function budget(name, actual, limit, unit) {
	if (actual === undefined || Number.isNaN(actual))
		return { name, actual: null, limit, unit, verdict: 'SKIP' };
	return { name, actual, limit, unit, verdict: actual <= limit ? 'PASS' : 'MISS' };
}
