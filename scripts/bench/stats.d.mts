// Types for stats.mjs, so the unit tests (TypeScript) can import the benchmark's pure helpers.
export function percentile(samples: readonly number[], p: number): number;
export function median(samples: readonly number[]): number;
export function summarize(samples: readonly number[]): {
	n: number;
	p50: number;
	p95: number;
	min: number;
	max: number;
};
export function linearGrowth(
	small: { size: number; ms: number },
	large: { size: number; ms: number },
	factor: number,
): { ratio: number; pass: boolean };
export function budget(
	name: string,
	actual: number | undefined,
	limit: number,
	unit: string,
): { name: string; actual: number | null; limit: number; unit: string; verdict: 'PASS' | 'MISS' | 'SKIP' };
