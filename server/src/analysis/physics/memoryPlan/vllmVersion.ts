/**
 * Which vLLM rules apply to a version: version parsing and comparison, the engine generation (V0/V1) a release
 * runs on a card, and the release from which CUDA graphs come out of the KV budget. An unknown version is the
 * latest release unless evidence (a logged engine, the log's date) says otherwise.
 */
/** First version that profiles CUDA graph memory and takes it from the KV budget. */
export const VLLM_GRAPHS_IN_KV_BUDGET_FROM = [0, 21, 0];

/**
 * Whether the version is `from` or later. Unknown: the latest release (yes), unless it is known only to be older
 * than `below` (e.g. from the date of the log) and `below` ≤ `from`.
 */
export function versionAtLeast(version: string | undefined, from: number[], below?: string): boolean {
	const v = parseVersion(version);
	if (v) return cmp(v, from) >= 0;
	const b = parseVersion(below);
	return !b || cmp(b, from) > 0;
}

/** True where the graphs come out of the KV budget: from v0.21.0, and for an unknown (current) version. */
export function graphsInKvBudget(version: string | undefined, below?: string): boolean {
	return versionAtLeast(version, VLLM_GRAPHS_IN_KV_BUDGET_FROM, below);
}

/**
 * First release whose V0 profile counts as non-torch memory only what the CUDA driver holds beyond PyTorch's
 * *reserved* pool. vllm-project/vllm PR #11809 "[misc] improve memory profiling" (2025-01-07; refined by
 * PR #12126, 2025-01-16, both before the v0.7.0 tag of 2025-01-27) replaced `memory_stats()["allocated_bytes.
 * all.current"]` with `torch.cuda.memory_reserved()` in that difference: before it, the caching allocator's
 * reserved-but-unallocated blocks (and, before PR #10511 in v0.6.5, more) were logged as non_torch_memory.
 * From this release V0 measures non-torch memory the way V1 does (the same `memory_profiling` helper).
 */
export const VLLM_V0_RESERVED_NON_TORCH_FROM = [0, 7, 0];

/**
 * First release whose V1 worker charges non-torch memory as the increase over its start-up snapshot (vLLM PR
 * #19312 "[V1] Reuse V0's memory_profiling util for gpu worker memory profiling", opened 2025-06-07 after
 * v0.9.1's cut; issue #21027 reports 0.9.2 taking more GPU memory than 0.9.1). Before it, V1's
 * `determine_available_memory` took the whole device's used memory minus PyTorch's allocated bytes as non-torch
 * memory: the CUDA context and any other process on the GPU came out of the KV budget. The ledger has no log of
 * those releases to size it, so the plan says so in a note instead of guessing a number.
 */
export const VLLM_V1_SNAPSHOT_NON_TORCH_FROM = [0, 9, 2];

/** True where a V0 worker's non-torch memory excludes the caching allocator's pool (see above). */
export function v0NonTorchExcludesReserved(version: string | undefined, below?: string): boolean {
	return versionAtLeast(version, VLLM_V0_RESERVED_NON_TORCH_FROM, below);
}

/**
 * Releases in which Model Runner V2 is the default for dense models but reserves no CUDA graph memory.
 * MRV2 became the default for dense (non-MoE, non-hybrid/SSM) architectures in 0.25.1 (vllm-project/vllm
 * PR #44443 "[ModelRunner V2] Enable by default for all dense models", merged 2026-07-02; issue #49224 and
 * PR #49233: "Model Runner V2 became the default for dense models in 0.25.1"). Its
 * `profile_cudagraph_memory()` was the stub of PR #36520 (`# NOTE(woosuk): It is TBD whether we keep this API
 * or not.` / `return 0`), so `Worker.determine_available_memory` subtracted nothing for the graphs and they were
 * captured afterwards in the 1 − utilization headroom. PR #53306 "[Model Runner V2] Reserve CUDA graph memory"
 * (merged after 2026-08-21) implemented it; v0.28.0 was released on 2026-08-26 (commit 2cf0a6915) without it
 * and the v0.29.0 notes list MRV2's "CUDA graph memory profiling … used for KV cache auto-sizing" as new.
 */
export const VLLM_MRV2_DENSE_DEFAULT_FROM = [0, 25, 1];
export const VLLM_MRV2_GRAPH_PROFILE_FROM = [0, 29, 0];

/**
 * True where a V1 engine runs the model on Model Runner V2, whose graph-memory estimate is 0: a pinned
 * 0.25.1–0.28.x release and a dense model. An unknown version is the latest release (estimate implemented).
 */
export function mrv2SkipsGraphReserve(
	version: string | undefined,
	dense: boolean,
	gen: VllmGeneration = 'v1',
): boolean {
	const v = parseVersion(version);
	if (!v || gen !== 'v1' || !dense) return false;
	return cmp(v, VLLM_MRV2_DENSE_DEFAULT_FROM) >= 0 && cmp(v, VLLM_MRV2_GRAPH_PROFILE_FROM) < 0;
}

export type VllmGeneration = 'v0' | 'v1';

/** First release without the V0 engine ("completely removed from vLLM starting with version 0.11.0"). */
export const VLLM_V0_REMOVED_IN = [0, 11, 0];

export interface GenerationEvidence {
	/** The engine the start-up log names (V0 worker.py lines or "Initializing a V1 LLM engine"), or VLLM_USE_V1. */
	logged?: VllmGeneration;
	/** CUDA compute capability (major) of the card (cudaCapability.ts); undefined off CUDA. */
	computeMajor?: number;
}

/**
 * Which engine runs. V1 became the default in 0.8.0, but 0.8.x–0.10.x fall back to V0 for what V1 did not
 * support yet (vllm/engine/arg_utils.py `_is_v1_supported_oracle`); the one the plan can see from the card is
 * "Compute Capability < 8.0" (T4, V100: no FlashAttention). Other fallbacks (some speculative decoding, guided
 * decoding backends, fp8 KV cache without FA3 …) and VLLM_USE_V1=0 show only in the log, so a generation the
 * log records wins. From 0.11.0 V0 is gone. Unknown version: the latest release, i.e. V1.
 */
export function vllmGeneration(
	version: string | undefined,
	evidence: GenerationEvidence = {},
): { gen: VllmGeneration; known: boolean; why?: string } {
	const v = parseVersion(version);
	const v0Exists = !v || cmp(v, VLLM_V0_REMOVED_IN) < 0;
	if (evidence.logged && (evidence.logged === 'v1' || v0Exists))
		return {
			gen: evidence.logged,
			known: !!v,
			why: `${evidence.logged.toUpperCase()} engine named by the log`,
		};
	if (!v) return { gen: 'v1', known: false };
	if (cmp(v, [0, 8, 0]) < 0) return { gen: 'v0', known: true };
	if (v0Exists && evidence.computeMajor !== undefined && evidence.computeMajor < 8)
		return {
			gen: 'v0',
			known: true,
			why: `vLLM ${version} falls back to V0 on compute capability < 8.0 (arg_utils.py)`,
		};
	return { gen: 'v1', known: true };
}

export function parseVersion(version: string | undefined): number[] | undefined {
	const m = version?.match(/(\d+)\.(\d+)(?:\.(\d+))?/);
	return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function cmp(a: number[], b: number[]): number {
	for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
	return 0;
}

/** The generation for a plan input (its version, the engine a log names, the card's compute capability). */
export function planGeneration(input: {
	version?: string;
	generation?: VllmGeneration;
	computeCapabilityMajor?: number;
}): ReturnType<typeof vllmGeneration> {
	return vllmGeneration(input.version, {
		logged: input.generation,
		computeMajor: input.computeCapabilityMajor,
	});
}
