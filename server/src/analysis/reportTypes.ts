/**
 * The serialised shape of an analysis: `analyze --format json` prints `{ files: FileReport[] }`, and the
 * language server's `inferenceMeter/estimate` request returns one FileReport. Ranges are 0-based
 * line/character (UTF-16), as in LSP.
 */
import type { Estimate } from './physics/types';
import type { ServingEstimate } from './physics/serving/types';
import type { Framework, Severity, SettingSource, TargetChoice } from './types';

export interface Position {
	line: number;
	character: number;
}

export interface Range {
	start: Position;
	end: Position;
}

export interface ReportSetting {
	value: string | number | boolean;
	source: SettingSource;
	key?: string;
	raw?: string;
	note?: string;
}

export interface WorkloadReport {
	framework: Framework;
	/** The model string as written. */
	model: string;
	/** Catalog id, or null when unresolved. */
	resolvedModel: string | null;
	/** Plain values under the contract names (weightFormat, contextLength, maxConcurrency, …). */
	settings: Record<string, string | number | boolean>;
	/** Where each setting (and `model`) is written; absent for defaults. */
	ranges: Record<string, Range>;
	/** Provenance for every setting, including engine defaults the estimate used. */
	provenance: Record<string, ReportSetting>;
	/** The whole command / call. */
	range: Range;
	unknowns: { name: string; reason: string; range?: Range }[];
	/**
	 * The engine version the file pins, and where: an image tag (`vllm/vllm-openai:v0.8.5`), a
	 * `vllm==…` pin in requirements.txt / pyproject.toml, an `@huggingface/transformers` version.
	 * Absent when nothing pins it (the rules then judge by the newest release their tables know).
	 */
	engineVersion?: ReportSetting & { range?: Range };
	target?: TargetChoice;
	estimate?: Estimate;
	/** Serving under load at the configured concurrency (default lengths), as hover, lens and diagnostic show. */
	serving?: ServingEstimate;
}

export interface DiagnosticReport {
	code: string;
	severity: Severity;
	message: string;
	range: Range;
	workload?: number;
	data?: Record<string, unknown>;
	fixes?: { title: string; effect?: string; edits: { range: Range; newText: string }[] }[];
}

/** A finding kept out of `diagnostics` by an inline comment (inSource) or the project config's `off` (external). */
export interface SuppressedReport extends DiagnosticReport {
	suppression: { kind: 'inSource' | 'external'; justification: string; range?: Range };
}

export interface FileReport {
	path: string;
	workloads: WorkloadReport[];
	diagnostics: DiagnosticReport[];
	/** Present when something was suppressed; SARIF writes these as results with `suppressions`. */
	suppressed?: SuppressedReport[];
}

export interface AnalyzeReport {
	tool: { name: 'inference-meter'; version: string };
	files: FileReport[];
}
