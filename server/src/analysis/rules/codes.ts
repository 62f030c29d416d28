/**
 * Every finding code the analyzer can emit, with its default severity and a one-line summary. The docs
 * (docs/diagnostics.md, one anchor per code), SARIF `tool.driver.rules` and the LSP `codeDescription`
 * links all read this table, and a test checks that the docs cover it.
 */
import type { Severity } from '../types';

export interface CodeInfo {
	code: string;
	severity: Severity;
	summary: string;
	/** Which stage emits it. */
	stage: 'rules' | 'extract' | 'pipeline';
}

export const CODES: readonly CodeInfo[] = [
	{
		code: 'weights-do-not-fit',
		severity: 'error',
		stage: 'rules',
		summary: 'The weights alone exceed the memory the engine may use on the target.',
	},
	{
		code: 'context-exceeds-model',
		severity: 'error',
		stage: 'rules',
		summary: 'The configured context is longer than the model was trained for.',
	},
	{
		code: 'kv-cache-does-not-fit',
		severity: 'error',
		stage: 'rules',
		summary:
			'Not even one sequence at the configured context fits in the KV budget: the engine fails at start-up.',
	},
	{
		code: 'kv-cache-limits-concurrency',
		severity: 'warning',
		stage: 'rules',
		summary:
			'The configured concurrency × context exceeds the KV budget; fewer sequences really run at once.',
	},
	{
		code: 'context-per-slot',
		severity: 'information',
		stage: 'rules',
		summary: 'llama-server splits -c between its -np slots; each conversation gets only c / np tokens.',
	},
	{
		code: 'invalid-parallelism',
		severity: 'error',
		stage: 'rules',
		summary: 'The tensor/pipeline-parallel size does not divide the model or exceeds the devices available.',
	},
	{
		code: 'partial-offload',
		severity: 'warning',
		stage: 'rules',
		summary: 'llama.cpp/Ollama leaves layers on the CPU; decode streams them from host memory.',
	},
	{
		code: 'browser-memory-limit',
		severity: 'error',
		stage: 'rules',
		summary: "A transformers.js model exceeds WASM's 4 GiB memory or a WebGPU limit.",
	},
	{
		code: 'unknown-model',
		severity: 'information',
		stage: 'rules',
		summary: 'The model is not in the catalog, so nothing can be estimated.',
	},
	{
		code: 'unknown-hardware',
		severity: 'warning',
		stage: 'rules',
		summary: 'The target hardware id is not in the catalog; the default target was used instead.',
	},
	{
		code: 'decode-compute-idle',
		severity: 'hint',
		stage: 'rules',
		summary:
			'Decode at this batch uses a small share of the accelerator’s peak FLOPs; where the workload belongs on the coupling spectrum (information when the recommended class differs).',
	},
	{
		code: 'concurrency-misses-latency-target',
		severity: 'warning',
		stage: 'rules',
		summary:
			'With every configured slot busy, the serving estimate misses the latency targets (tok/s per user or time to first token).',
	},
	{
		code: 'unknown-flag',
		severity: 'warning',
		stage: 'extract',
		summary: 'The engine does not know this flag or key.',
	},
	{
		code: 'deprecated-flag',
		severity: 'warning',
		stage: 'extract',
		summary: 'The flag or key is deprecated or removed in the engine version in use.',
	},
	{
		code: 'invalid-flag-value',
		severity: 'warning',
		stage: 'extract',
		summary: 'A flag or key has a value the engine would reject; the estimate ignores it.',
	},
	{
		code: 'ignored-config-value',
		severity: 'warning',
		stage: 'extract',
		summary: 'A value the engine silently drops (vLLM `--config` YAML `key: false`).',
	},
	{
		code: 'unparseable-config',
		severity: 'error',
		stage: 'extract',
		summary: 'The file or a value in it could not be parsed.',
	},
	{
		code: 'file-too-large',
		severity: 'information',
		stage: 'pipeline',
		summary: 'The file is larger than the analysis limit and was skipped.',
	},
	{
		code: 'input-limit',
		severity: 'warning',
		stage: 'pipeline',
		summary:
			'Part of the file exceeds an analysis limit (line length, bracket nesting, YAML aliases, findings) and was skipped.',
	},
	{
		code: 'analysis-time-budget',
		severity: 'warning',
		stage: 'pipeline',
		summary:
			'The analysis of this document ran past its time budget and stopped; later workloads were not analyzed.',
	},
	{
		code: 'unused-suppression',
		severity: 'information',
		stage: 'pipeline',
		summary:
			'An inference-meter-disable comment suppresses nothing (no such finding on its line, or an unknown code).',
	},
	{
		code: 'invalid-project-config',
		severity: 'error',
		stage: 'pipeline',
		summary: 'The project config file (.inference-meter.yaml) has a key or value that cannot be used.',
	},
	{
		code: 'internal-error',
		severity: 'information',
		stage: 'pipeline',
		summary: 'A rule failed on this workload; the other rules still ran.',
	},
	{
		code: 'engine-format-mismatch',
		severity: 'error',
		stage: 'rules',
		summary:
			'The engine cannot load this file format (safetensors or ggml .bin for llama.cpp) or run this kernel where the model is (FlashAttention on the CPU).',
	},
];

/** The docs anchor for a code, relative to the repository root. */
export function docsPath(code: string): string {
	return `docs/diagnostics.md#${code}`;
}

/**
 * Absolute link to a code's section. Same address as shared/protocol.ts `diagnosticsDocUrl` (a test keeps
 * them equal); written here too so the CLI bundle does not pull in the LSP protocol package.
 */
export function docsUrl(code: string): string {
	return `https://github.com/inference-meter/inference-meter/blob/main/${docsPath(code)}`;
}
