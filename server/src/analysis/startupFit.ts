/**
 * The start-up check of engines that reserve KV memory up front (vLLM, llama.cpp, Ollama): one sequence of
 * the configured maximum context (max-model-len, -c, num_ctx) must fit in the KV budget beside the weights,
 * or the engine refuses to start. The diagnostic (kv-cache-does-not-fit), the concurrency the analysis
 * assumes (decode-compute-idle, the concurrency estimate) and the panel (memory card, comparison "fits")
 * all apply this one rule, so they cannot disagree. Pure: the webview bundles it with the physics.
 */
import type { MemoryPlan } from './physics/memoryPlan';
import type { Estimate, EstimateInput } from './physics/types';

/** Engines that allocate the KV cache for the configured context at start-up. */
export const PREALLOCATING_ENGINES: ReadonlySet<string> = new Set(['vllm', 'llama.cpp', 'ollama']);

export interface StartupFit {
	/** The configured maximum context checked (tokens, for one sequence). */
	context: number;
	/** One sequence of `context` tokens fits beside the weights: the engine starts. */
	fits: boolean;
	weightsFit: boolean;
	/** The longest single sequence the KV budget holds (0 when the weights alone do not fit). */
	maxContextThatFits: number;
	kvBytesPerToken: number;
	/** KV budget left after weights and overhead, all devices together. */
	kvBudgetBytes: number;
	/** The estimate at one sequence of `context` tokens. */
	estimate: Estimate;
	/** The engine's start-up plan where it has one (vLLM, llama.cpp, Ollama on GPUs). */
	plan?: MemoryPlan;
	/** vLLM: within 10 % of the line, so no refusal is claimed (a false "does not fit" is worse than none). */
	borderline?: boolean;
}

/**
 * The check for `engine` at a configured `context`; undefined when the engine does not preallocate, no
 * context is configured, or the estimator has nothing to say. `evaluate` runs the physics with overrides on
 * the workload's input (the analysis' memoized evaluate, or the panel's own).
 */
export function startupFit(
	engine: string,
	context: number | undefined,
	evaluate: (overrides: Partial<EstimateInput>) => Estimate | undefined,
): StartupFit | undefined {
	if (!PREALLOCATING_ENGINES.has(engine) || !context || !(context > 0)) return undefined;
	const e = evaluate({ batch: 1, context, maxContext: context });
	if (!e) return undefined;
	const m = e.memory;
	const plan = m.plan;
	if (plan?.engine === 'vllm') {
		// vLLM's own rule: one request of max_model_len must fit the KV blocks (hybrid-aware, by version).
		return {
			context,
			fits: plan.fits || plan.borderline,
			weightsFit: m.weightsFit,
			maxContextThatFits: Math.max(0, plan.estimatedMaxModelLen),
			kvBytesPerToken: m.kvBytesPerToken,
			kvBudgetBytes: Math.max(0, m.kvBudgetBytesPerDevice) * e.devices,
			estimate: e,
			plan,
			borderline: plan.borderline,
		};
	}
	return {
		context,
		fits: m.fits,
		weightsFit: m.weightsFit,
		maxContextThatFits: Math.max(0, Math.floor(m.maxContextAtBatch)),
		kvBytesPerToken: m.kvBytesPerToken,
		kvBudgetBytes: Math.max(0, m.kvBudgetBytesPerDevice) * e.devices,
		estimate: e,
		plan,
	};
}

/**
 * Sequences that really decode together: the configured concurrency, capped at what the KV budget holds at
 * the decode context — and 1 when the engine does not even start (no batch runs; one user is the only
 * honest what-if). Never below 1, since the physics needs a batch.
 */
export function runnableBatch(
	configured: number,
	maxBatchAtContext: number,
	fit: Pick<StartupFit, 'fits'> | undefined,
): number {
	if (fit && !fit.fits) return 1;
	const cap = maxBatchAtContext >= 1 ? Math.floor(maxBatchAtContext) : 1;
	return Math.max(1, Math.min(Math.floor(configured), cap));
}

/** How the engine spells its context setting, for messages. */
export function contextSettingName(engine: string): string {
	return engine === 'vllm'
		? 'max-model-len'
		: engine === 'ollama'
			? 'num_ctx'
			: engine === 'llama.cpp'
				? '-c'
				: 'context';
}
