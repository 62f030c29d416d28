/**
 * The rule framework: every rule is one module exporting a `Rule` — a pure function of one resolved
 * workload. Rules never run the estimator on their own; they ask `evaluate` for what-if estimates, so
 * tests can hand them fixed numbers and the pipeline can memoise.
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from '../catalog/types';
import type { Estimate, EstimateInput } from '../physics/types';
import type { Finding, Severity, TargetChoice, Workload } from '../types';

/** What resolution made of the model string, in the shape rules need. */
export type ModelOutcome =
	| { ok: true; model: ModelSpec; matchedBy: string; note?: string }
	| { ok: false; query: string; suggestions: string[]; message: string };

/** A hardware id that the file or the options named but the catalog does not know. */
export interface HardwareProblem {
	query: string;
	suggestions: string[];
	message: string;
	/** Where the id is written, when the file names it. */
	source: 'file' | 'user-setting';
}

export interface RuleContext {
	/** The workload after engine defaults were applied (every setting has a provenance). */
	workload: Workload;
	/** Index of the workload in DocumentAnalysis.workloads. */
	index: number;
	/** The whole document, so fixes can match its quoting and indentation. */
	text: string;
	target: TargetChoice;
	/** Human-readable target, e.g. `H100 SXM ×2 (default for vLLM)`: every message names it. */
	targetLabel: string;
	hardware?: HardwareSpec;
	hardwareProblem?: HardwareProblem;
	model: ModelOutcome;
	weights?: FormatSpec;
	kvDtype?: KvDtypeSpec;
	/** Batch-1 input at the decode context; undefined when the model or hardware is unknown. */
	input?: EstimateInput;
	/** Estimate for `input` (one user). */
	estimate?: Estimate;
	/** The concurrency the configuration allows (max-num-seqs, -np, …), 1 when not configurable. */
	concurrency: number;
	/** What-if: the estimator on `input` with some fields replaced (memoised). */
	evaluate(overrides: Partial<EstimateInput>): Estimate | undefined;
	/** Catalog lookups the fix builders need. */
	formatById(id: string): FormatSpec | undefined;
	kvDtypeById(id: string): KvDtypeSpec | undefined;
}

export interface Rule {
	/** The finding code this rule emits (a rule may emit only this code). */
	code: string;
	defaultSeverity: Severity;
	/** One line for SARIF `shortDescription` and `--help`. */
	summary: string;
	check(ctx: RuleContext): Finding[];
}
