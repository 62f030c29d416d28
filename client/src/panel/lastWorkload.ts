/**
 * The last document whose workloads the extension analyzed for the user (the panel showed it, or Estimate
 * Decode Bandwidth read it). The panel opened from an editor that holds no workload — the bandwidth
 * report tab, a README, the output log — shows this one instead of an empty state.
 */
export interface AnalyzedRef<U> {
	uri: U;
	workloadIndex?: number;
}

let last: AnalyzedRef<unknown> | undefined;

export function rememberAnalyzed<U>(uri: U, workloadIndex?: number): void {
	last = { uri, workloadIndex };
}

export function lastAnalyzed<U>(): AnalyzedRef<U> | undefined {
	return last as AnalyzedRef<U> | undefined;
}

/** For tests: forget across cases. */
export function forgetAnalyzed(): void {
	last = undefined;
}
