/**
 * Resolve: turns an extracted Workload into everything the estimator and the rules need — the model
 * spec, weight format, KV dtype, target hardware (with why), devices, batch and context — filling
 * engine defaults with their provenance. The catalog functions are injected (see analyze.ts), so this
 * stage stays a pure function.
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from './catalog/types';
import type { Engine, EstimateInput, LatencyTarget, PricingInput } from './physics/types';
import { DECODE_CONTEXT, PROMPT_TOKENS, fillDefaults } from './resolve/defaults';
import type { FormatLookups } from './resolve/formats';
import { pickKv, pickWeights } from './resolve/formats';
import type { ModelApi } from './resolve/model';
import { resolveModelFor } from './resolve/model';
import type { HardwareLookup } from './resolve/target';
import { resolveTarget, targetLabel } from './resolve/target';
import type { HardwareProblem, ModelOutcome } from './rules/types';
import { deviceMemoryBytes } from './physics/memoryPlan/device';
import type { AnalysisOptions, Framework, TargetChoice, Workload } from './types';

export interface ResolveApi extends ModelApi, FormatLookups {
	hardware: HardwareLookup;
	/** The extraction stage's engine defaults (extract/engineDefaults.ts); this module fills what it leaves. */
	applyEngineDefaults?: (
		w: Workload,
		ctx: { modelMaxContext?: number; deviceMemoryGiB?: number; hardwareId?: string },
	) => Workload;
	defaultPricing?: PricingInput;
}

export interface ResolvedWorkload {
	/** The workload with every default the estimate uses filled in. */
	workload: Workload;
	model: ModelOutcome;
	resolvedModel: string | null;
	target: TargetChoice;
	targetLabel: string;
	hardware?: HardwareSpec;
	hardwareProblem?: HardwareProblem;
	weights?: FormatSpec;
	kvDtype?: KvDtypeSpec;
	/** Batch-1 input at the decode context; undefined when something essential is unknown. */
	input?: EstimateInput;
	/** Concurrency the configuration allows. */
	concurrency: number;
	/** Assumptions in words, added to the estimate's own. */
	assumptions: string[];
}

const ENGINE: Record<Framework, Engine> = {
	vllm: 'vllm',
	'llama.cpp': 'llama.cpp',
	ollama: 'ollama',
	'transformers.js': 'transformers.js',
	transformers: 'pytorch',
	sglang: 'sglang',
};

export function resolveWorkload(
	raw: Workload,
	docPath: string,
	options: AnalysisOptions,
	api: ResolveApi,
	/** The document, for the file's hardware hints (ROCm, TPU, Instinct parts). */
	docText?: string,
): ResolvedWorkload {
	const m = resolveModelFor(raw, docPath, options.host, api);
	// Target and device count: one function decides (file hints > override layers > engine default).
	const chosen = resolveTarget(raw, options, api.hardware, docText);
	const withDevices = chosen.workload;
	const model = m.outcome.ok ? m.outcome.model : undefined;
	const hw = chosen.hardware;
	const base = api.applyEngineDefaults
		? api.applyEngineDefaults(withDevices, {
				modelMaxContext: model?.maxContext,
				deviceMemoryGiB: hw ? deviceMemoryBytes(hw) / 1024 ** 3 : undefined,
				hardwareId: hw?.id,
			})
		: withDevices;
	const workload: Workload = {
		...fillDefaults(base, model, hw),
		localModelInfo: raw.localModelInfo ?? m.localModelInfo,
	};
	// Resolved by family and size (resolve/family.ts): the provenance of the model says what was assumed.
	const familyNote = m.outcome.ok && m.outcome.matchedBy === 'family' ? m.outcome.note : undefined;
	if (familyNote)
		workload.model = {
			...workload.model,
			note: workload.model.note ? `${workload.model.note}; ${familyNote}` : familyNote,
		};
	const assumptions = [
		...m.notes,
		...(familyNote ? [`model: ${familyNote}`] : []),
		`target: ${chosen.target.hardwareId} — ${chosen.target.note}`,
	];
	const s = workload.settings;
	const concurrency = Math.max(1, Math.floor(s.maxConcurrency?.value ?? 1));
	const out: ResolvedWorkload = {
		workload,
		model: m.outcome,
		resolvedModel: m.catalogId,
		target: chosen.target,
		targetLabel: targetLabel(chosen.target, chosen.hardware),
		hardware: chosen.hardware,
		hardwareProblem: chosen.problem,
		concurrency,
		assumptions,
	};
	if (!model) return out;
	const weights = pickWeights(workload, model, m.impliedFormat, api);
	const kv = pickKv(workload, weights.spec, model, api);
	out.weights = weights.spec;
	out.kvDtype = kv.spec;
	assumptions.push(
		`weights: ${weights.spec?.id ?? 'unknown'} — ${weights.why}`,
		`KV cache: ${kv.spec?.id ?? 'unknown'} — ${kv.why}`,
	);
	if (weights.unknown)
		assumptions.push(
			`format "${weights.unknown}" is not in the catalog; used ${weights.spec?.id ?? 'nothing'}`,
		);
	if (kv.unknown)
		assumptions.push(`KV dtype "${kv.unknown}" is not in the catalog; used ${kv.spec?.id ?? 'nothing'}`);
	if (!chosen.hardware || !weights.spec || !kv.spec) return out;
	out.input = estimateInput(
		workload,
		model,
		weights.spec,
		kv.spec,
		chosen.hardware,
		chosen.target.devices,
		options,
		api,
	);
	return out;
}

/** Devices when the file does not say: the project config, else the setting / --devices. */

function estimateInput(
	w: Workload,
	model: ModelSpec,
	weights: FormatSpec,
	kvDtype: KvDtypeSpec,
	hardware: HardwareSpec,
	devices: number,
	options: AnalysisOptions,
	api: ResolveApi,
): EstimateInput {
	const s = w.settings;
	const contextLength = Math.max(1, s.contextLength?.value ?? model.maxContext);
	// llama.cpp splits -c across its slots: each sequence gets c / np tokens.
	const slots = w.framework === 'llama.cpp' ? Math.max(1, s.maxConcurrency?.value ?? 1) : 1;
	const perSequence = Math.max(1, Math.floor(contextLength / slots));
	const context = Math.min(perSequence, DECODE_CONTEXT);
	const input: EstimateInput = {
		model,
		weights,
		kvDtype,
		hardware,
		devices,
		batch: 1,
		context,
		prompt: Math.min(PROMPT_TOKENS, context),
		engine:
			w.framework === 'transformers' && s.compiledDecode?.value ? 'pytorch-compiled' : ENGINE[w.framework],
		maxContext: contextLength,
	};
	if (w.framework === 'vllm' || w.framework === 'sglang') {
		input.tensorParallel = s.tensorParallelSize?.value ?? 1;
		input.pipelineParallel = s.pipelineParallelSize?.value ?? 1;
		input.gpuMemoryUtilization = s.gpuMemoryUtilization?.value;
		// Only values the user wrote: vLLM's own defaults depend on version and GPU (memoryPlan/vllm.ts).
		const written = (src: string | undefined) => src === 'file' || src === 'user-setting' || src === 'cli';
		if (s.batchTokens && written(s.batchTokens.source)) input.maxBatchedTokens = s.batchTokens.value;
		if (s.maxConcurrency && written(s.maxConcurrency.source)) input.maxNumSeqs = s.maxConcurrency.value;
	}
	if (w.engineVersion?.value) input.engineVersion = w.engineVersion.value;
	// llama.cpp's "all layers" spellings (≥ layers, or negative = auto/all) both mean no host layers.
	const ngl = s.gpuLayers?.value;
	if (ngl !== undefined && ngl >= 0 && ngl < model.layers && hardware.deviceClass !== 'cpu')
		input.gpuLayers = ngl;
	const latency: LatencyTarget | undefined = options.latencyTarget;
	if (latency) input.latencyTarget = latency;
	if (options.electricityUsdPerKwh !== undefined || options.amortizationYears !== undefined) {
		const d = api.defaultPricing ?? { electricityUsdPerKwh: 0.12, amortizationYears: 4, utilization: 0.5 };
		input.pricing = {
			electricityUsdPerKwh: options.electricityUsdPerKwh ?? d.electricityUsdPerKwh,
			amortizationYears: options.amortizationYears ?? d.amortizationYears,
			utilization: d.utilization,
		};
	}
	return input;
}
