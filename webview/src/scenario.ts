/**
 * A scenario is the workload reduced to the few ids and numbers the estimator needs, taken from the server's
 * report (which already resolved model, format, KV dtype and target) with the what-if changes on top.
 *
 * `batch` and `context` are what the file configures (concurrent sequences, context length), the values
 * "Apply to file" writes. The decode step is estimated as the server does (server/src/analysis/resolve.ts):
 * each sequence holds min(context per sequence, 2,048) tokens, the prompt is 1,024 tokens or fewer, and the
 * engine reserves KV for the full context.
 */
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import type { Engine, EstimateInput } from '../../server/src/analysis/physics/types';
import type { PanelSettings, WhatIfChange } from '../../server/src/shared/webviewProtocol';
import { runnableBatch, startupFit, type StartupFit } from '../../server/src/analysis/startupFit';
import type { AnalysisEngine } from './engine';

export interface Scenario {
	modelId: string;
	hardwareId: string;
	weightFormat: string;
	kvDtype: string;
	engine: Engine;
	devices: number;
	pipelineParallel: number;
	/** Concurrent sequences decoding together: the configured concurrency, capped at what the KV budget holds. */
	batch: number;
	/** The configured concurrency (max-num-seqs, -np), before the cap. */
	batchConfigured: number;
	/** Configured context length (max-model-len, -c); llama.cpp shares it between its slots. */
	context: number;
	/**
	 * The file (or a what-if) sets the context. Only then does the engine's start-up check apply, as the
	 * server's kv-cache-does-not-fit does; otherwise `context` is the model's maximum, a guess.
	 */
	contextConfigured: boolean;
	/** llama.cpp splits -c across its parallel slots. */
	sharedContext: boolean;
	gpuMemoryUtilization?: number;
	gpuLayers?: number;
	/** vLLM's profile inputs the file writes (max-num-seqs, max-num-batched-tokens) and the pinned version. */
	maxNumSeqs?: number;
	maxBatchedTokens?: number;
	engineVersion?: string;
}

const ENGINE_OF: Record<WorkloadReport['framework'], Engine> = {
	vllm: 'vllm',
	'llama.cpp': 'llama.cpp',
	ollama: 'ollama',
	'transformers.js': 'transformers.js',
	transformers: 'pytorch',
	sglang: 'sglang',
};

/** Defaults of server/src/analysis/resolve/defaults.ts, used when the engine object names none. */
const DECODE_CONTEXT = 2048;
const PROMPT_TOKENS = 1024;

function num(v: unknown): number | undefined {
	return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Only values the user wrote feed vLLM's profile, as on the server (resolve.ts); the version from the plan. */
function vllmProfileInputs(w: WorkloadReport): Partial<Scenario> {
	if (w.framework !== 'vllm') return {};
	const written = (k: string) => ['file', 'user-setting', 'cli'].includes(w.provenance[k]?.source ?? '');
	const plan = w.estimate?.memory.plan;
	return {
		maxNumSeqs: written('maxConcurrency') ? num(w.settings.maxConcurrency) : undefined,
		maxBatchedTokens: written('batchTokens') ? num(w.settings.batchTokens) : undefined,
		engineVersion: plan?.engine === 'vllm' ? plan.version : undefined,
	};
}

/**
 * The scenario the file describes. The report's estimate is the source of truth (the server resolved
 * every default); its absence means the server could not estimate, and we rebuild from the settings.
 */
export function baseScenario(
	w: WorkloadReport,
	targetHardware: string,
	eng: AnalysisEngine,
): Scenario | { error: string } {
	const e = w.estimate;
	const set = w.settings;
	const modelId = e?.modelId ?? w.resolvedModel;
	if (!modelId)
		return { error: `The model "${w.model}" is not in the catalog, so there is nothing to estimate.` };
	const model = eng.catalog.models.find((m) => m.id === modelId);
	if (!model && !e) return { error: `The model ${modelId} is not in the built-in catalog.` };
	const context = num(set.contextLength) ?? model?.maxContext ?? e?.context ?? 4096;
	const configured = num(set.maxConcurrency) ?? 1;
	const sc: Scenario = {
		modelId,
		hardwareId: e?.hardwareId ?? w.target?.hardwareId ?? targetHardware,
		weightFormat: e?.weightsFormat ?? str(set.weightFormat) ?? model?.nativeDtype ?? 'bf16',
		kvDtype: e?.kvDtype ?? str(set.kvCacheDtype) ?? 'f16',
		engine: e?.engine ?? ENGINE_OF[w.framework] ?? 'vllm',
		devices: e?.devices ?? w.target?.devices ?? num(set.deviceCount) ?? 1,
		pipelineParallel: num(set.pipelineParallelSize) ?? 1,
		batch: configured,
		batchConfigured: configured,
		context,
		contextConfigured: num(set.contextLength) !== undefined,
		sharedContext: w.framework === 'llama.cpp',
		gpuMemoryUtilization: num(set.gpuMemoryUtilization),
		gpuLayers: typeof set.gpuLayers === 'number' ? set.gpuLayers : undefined,
		...vllmProfileInputs(w),
	};
	// Like the server's concurrency estimate: no batch runs when the engine does not start, and no more
	// sequences than the KV budget holds at the decode context.
	const fit = model ? startupCheck(sc, eng, undefined) : undefined;
	sc.batch = runnableBatch(configured, e ? e.memory.maxBatchAtContext : configured, fit);
	return sc;
}

/**
 * The engine's start-up check for the scenario (on another device or count for a comparison row): one
 * sequence of the configured context beside the weights. The same rule as the server's kv-cache-does-not-fit.
 */
export function startupCheck(
	sc: Scenario,
	eng: AnalysisEngine,
	settings: PanelSettings | undefined,
	hardwareId = sc.hardwareId,
	devices = sc.devices,
): StartupFit | undefined {
	if (!sc.contextConfigured) return undefined;
	const input = toInput(sc, eng, settings, hardwareId, devices);
	if ('error' in input) return undefined;
	return startupFit(input.engine, sc.context, (o) => {
		try {
			return eng.estimate({ ...input, ...o });
		} catch {
			return undefined;
		}
	});
}

export function withChange(base: Scenario, change: WhatIfChange): Scenario {
	return {
		...base,
		batch: change.batch ?? base.batch,
		context: change.context ?? base.context,
		contextConfigured: change.context !== undefined || base.contextConfigured,
		weightFormat: change.weightFormat ?? base.weightFormat,
		kvDtype: change.kvDtype ?? base.kvDtype,
		devices: change.devices ?? base.devices,
	};
}

/** The fields of `change` that differ from the base (what "Apply to file" would write). */
export function effectiveChange(base: Scenario, change: WhatIfChange): WhatIfChange {
	const out: WhatIfChange = {};
	if (change.batch !== undefined && change.batch !== base.batch) out.batch = change.batch;
	if (change.context !== undefined && change.context !== base.context) out.context = change.context;
	if (change.weightFormat !== undefined && change.weightFormat !== base.weightFormat)
		out.weightFormat = change.weightFormat;
	if (change.kvDtype !== undefined && change.kvDtype !== base.kvDtype) out.kvDtype = change.kvDtype;
	if (change.devices !== undefined && change.devices !== base.devices) out.devices = change.devices;
	return out;
}

/** Tensor parallel within a node; more devices than that split the layers (pipeline), as deployments do. */
export const MAX_TENSOR_PARALLEL = 8;

/**
 * The user's own layout keeps its pipeline stages. Other devices in the comparison shard tensors up to a node
 * of 8 and pipeline beyond: pure TP over hundreds of SRAM chips would replicate every KV head on each chip.
 */
function layout(sc: Scenario, hardwareId: string, devices: number): { tp: number; pp: number } {
	if (hardwareId === sc.hardwareId && devices === sc.devices) {
		const pp = devices % sc.pipelineParallel === 0 ? sc.pipelineParallel : 1;
		return { tp: devices / pp, pp };
	}
	let tp = Math.min(devices, MAX_TENSOR_PARALLEL);
	while (devices % tp !== 0) tp--;
	return { tp, pp: devices / tp };
}

export function toInput(
	sc: Scenario,
	eng: AnalysisEngine,
	settings: PanelSettings | undefined,
	hardwareId = sc.hardwareId,
	devices = sc.devices,
): EstimateInput | { error: string } {
	const model = eng.catalog.models.find((m) => m.id === sc.modelId);
	if (!model) return { error: `The model ${sc.modelId} is not in the built-in catalog.` };
	const hardware = eng.catalog.hardware.find((x) => x.id === hardwareId);
	if (!hardware) return { error: `The hardware ${hardwareId} is not in the built-in catalog.` };
	const weights = eng.resolveFormat(sc.weightFormat);
	if (!weights) return { error: `Unknown weight format ${sc.weightFormat}.` };
	const kvDtype = eng.resolveKvDtype(sc.kvDtype);
	if (!kvDtype) return { error: `Unknown KV cache dtype ${sc.kvDtype}.` };
	const { tp, pp } = layout(sc, hardwareId, devices);
	const perSequence = Math.max(1, Math.floor(sc.context / (sc.sharedContext ? sc.batch : 1)));
	const decodeContext = Math.min(perSequence, eng.decodeContext ?? DECODE_CONTEXT);
	return {
		model,
		weights,
		kvDtype,
		hardware,
		devices,
		tensorParallel: tp,
		pipelineParallel: pp,
		batch: sc.batch,
		context: decodeContext,
		prompt: Math.min(eng.promptTokens ?? PROMPT_TOKENS, decodeContext),
		maxContext: sc.context,
		engine: sc.engine,
		gpuMemoryUtilization: sc.gpuMemoryUtilization,
		gpuLayers: hardwareId === sc.hardwareId ? sc.gpuLayers : undefined,
		maxNumSeqs: sc.maxNumSeqs,
		maxBatchedTokens: sc.maxBatchedTokens,
		engineVersion: sc.engineVersion,
		pricing: {
			...eng.defaultPricing,
			...(settings?.electricityUsdPerKwh !== undefined
				? { electricityUsdPerKwh: settings.electricityUsdPerKwh }
				: {}),
			...(settings?.amortizationYears !== undefined ? { amortizationYears: settings.amortizationYears } : {}),
		},
		latencyTarget: settings?.latencyTarget,
	};
}
