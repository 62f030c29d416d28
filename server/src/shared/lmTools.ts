/**
 * The VS Code language-model tools (Copilot agent mode and other chat participants call them). Names and
 * words only — the extension bundle imports this, so it holds no schema library; the manifest generator
 * (scripts/update-manifest.mjs) adds each tool's input JSON Schema from server/src/agent/schemas.ts.
 */
import type { AgentToolName } from './agentProtocol';

export interface LmToolSpec {
	name: string;
	toolReferenceName: string;
	displayName: string;
	userDescription: string;
	modelDescription: string;
	/** The agent tool the language server runs, or 'analyze' for the editor's own analysis of a file. */
	runs: AgentToolName | 'analyze';
}

export const LM_TOOLS: readonly LmToolSpec[] = [
	{
		name: 'inferenceMeter_estimate',
		toolReferenceName: 'inferenceMeterEstimate',
		displayName: 'Inference Meter: Estimate',
		userDescription: 'Memory, decode speed and cost of one model on one hardware',
		modelDescription:
			'Estimates what serving an LLM costs on given hardware before any config is written: weights and KV cache per ' +
			'device and whether they fit, decode tokens/s per user (expected and roofline), prefill time to first token, ' +
			'$ per million tokens, J/token and the memory–compute coupling class. Use it before choosing hardware, ' +
			'tensor-parallel size, weight format (bf16, fp8, awq, gptq-int4, q4_k_m …) or context length. `model` is an ' +
			'HF id, GGUF file name or Ollama tag; `hardware` a catalog id such as h100-sxm, a100-80gb, rtx-4090, ' +
			'apple-m4-max. Returns a readable table and the JSON of `inference-meter estimate --json`.',
		runs: 'estimate',
	},
	{
		name: 'inferenceMeter_analyzeFile',
		toolReferenceName: 'inferenceMeterAnalyzeFile',
		displayName: 'Inference Meter: Analyze File',
		userDescription: 'Workloads and findings in a serving config, as the editor shows them',
		modelDescription:
			'Analyzes a serving configuration file in the workspace (vLLM / SGLang / llama.cpp / Ollama commands in shell ' +
			'scripts, Dockerfiles, compose and Kubernetes YAML, Helm values, Python or JS/TS code, Modelfiles) exactly as ' +
			'the editor does: each LLM workload with its memory and speed estimate, and each finding (e.g. weights or KV ' +
			'cache do not fit, invalid parallelism, unknown flags) with its line and the fixes as text edits. `path` is ' +
			'workspace-relative or absolute inside the workspace; without it, the active editor’s file.',
		runs: 'analyze',
	},
	{
		name: 'inferenceMeter_compareHardware',
		toolReferenceName: 'inferenceMeterCompareHardware',
		displayName: 'Inference Meter: Compare Hardware',
		userDescription: 'Rank the hardware catalog for one model',
		modelDescription:
			'Estimates one model (and weight format, context, batch) on every device of the hardware catalog or one ' +
			'spectrum class (cpu, gpu, dataflow, in-memory-compute, sram, hardwired) and ranks them: devices where it ' +
			'fits first, then decode tokens/s per user, then $ per million tokens, with J/token and memory per device.',
		runs: 'compare_hardware',
	},
];

/** Input of the analyze tool (the others take the agent tools' schemas). */
export const ANALYZE_FILE_LM_INPUT = {
	type: 'object',
	properties: {
		path: {
			type: 'string',
			description:
				'file to analyze, workspace-relative or absolute inside the workspace; default: the active editor',
		},
	},
} as const;
