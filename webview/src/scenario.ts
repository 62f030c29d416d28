/**
 * A scenario is the workload reduced to the few ids and numbers the estimator needs, taken from the server's
 * report (which already resolved model, format, KV dtype and target) with the what-if changes on top.
 */
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import type { Engine, EstimateInput } from '../../server/src/analysis/physics/types';
import type { PanelSettings, WhatIfChange } from '../../server/src/shared/webviewProtocol';
import type { AnalysisEngine } from './engine';

export interface Scenario {
	modelId: string;
	hardwareId: string;
	weightFormat: string;
	kvDtype: string;
	engine: Engine;
	devices: number;
	pipelineParallel: number;
	batch: number;
	context: number;
	prompt: number;
	gpuMemoryUtilization?: number;
	gpuLayers?: number;
}

const ENGINE_OF: Record<WorkloadReport['framework'], Engine> = {
	vllm: 'vllm',
	'llama.cpp': 'llama.cpp',
	ollama: 'ollama',
	'transformers.js': 'transformers.js',
	transformers: 'pytorch',
};

function num(v: unknown): number | undefined {
	return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}
function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
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
	const context = e?.context ?? num(set.contextLength) ?? Math.min(model?.maxContext ?? 4096, 8192);
	return {
		modelId,
		hardwareId: e?.hardwareId ?? w.target?.hardwareId ?? targetHardware,
		weightFormat: e?.weightsFormat ?? str(set.weightFormat) ?? model?.nativeDtype ?? 'bf16',
		kvDtype: e?.kvDtype ?? str(set.kvCacheDtype) ?? 'f16',
		engine: e?.engine ?? ENGINE_OF[w.framework] ?? 'vllm',
		devices: e?.devices ?? w.target?.devices ?? num(set.deviceCount) ?? 1,
		pipelineParallel: num(set.pipelineParallelSize) ?? 1,
		batch: e?.batch ?? num(set.maxConcurrency) ?? 1,
		context,
		prompt: e?.prompt ?? Math.min(1024, context),
		gpuMemoryUtilization: num(set.gpuMemoryUtilization),
		gpuLayers: typeof set.gpuLayers === 'number' ? set.gpuLayers : undefined,
	};
}

export function withChange(base: Scenario, change: WhatIfChange): Scenario {
	const context = change.context ?? base.context;
	return {
		...base,
		batch: change.batch ?? base.batch,
		context,
		prompt: Math.min(base.prompt, context),
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
	return {
		model,
		weights,
		kvDtype,
		hardware,
		devices,
		tensorParallel: tp,
		pipelineParallel: pp,
		batch: sc.batch,
		context: sc.context,
		prompt: sc.prompt,
		maxContext: sc.context,
		engine: sc.engine,
		gpuMemoryUtilization: sc.gpuMemoryUtilization,
		gpuLayers: hardwareId === sc.hardwareId ? sc.gpuLayers : undefined,
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
