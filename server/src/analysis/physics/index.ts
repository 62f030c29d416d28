/**
 * The decode physics engine: pure functions from (model, format, KV dtype, hardware, engine, batch,
 * context) to memory, decode, prefill, cost and coupling estimates. Every formula is derived in
 * docs/physics.md; every constant sits in efficiency.ts / memory.ts tables.
 */
import type { HardwareSpec } from '../catalog/types';
import { canRun, etchedFormat, recommend } from './coupling';
import { estimateCost } from './cost';
import { estimateDecode } from './decode';
import { estimateMemory } from './memory';
import { resolveLayout } from './parallel';
import { estimatePrefill } from './prefill';
import type { Estimate, EstimateInput } from './types';

export { DEFAULT_PRICING, estimateCost } from './cost';
export { weightBytes, tensorParams, tensorBits, decodeWeightRead } from './weights';
export {
	kvBytesPerToken,
	kvBytesForSequence,
	kvBytesForBatch,
	kvElementsPerTokenPerLayer,
	maxContextForBytes,
	linearAttentionLayers,
	recurrentStateBytes,
} from './kv';
export { expectedExpertsTouched, moeSplit } from './moe';
export {
	resolveLayout,
	allReduceSecondsPerStep,
	kvReplication,
	pipelineTiming,
	collectiveLatencySeconds,
	linkKind,
} from './parallel';
export {
	CALIBRATED,
	constant,
	activeConstants,
	committedConstants,
	priorConstants,
	withConstants,
} from './calibration';
export { peakFor } from './peak';
export { attentionFlopsPerToken } from './decode';
export { prefillAttentionFlops, causalPairs } from './prefill';
export { DEFAULT_LATENCY_TARGET, DEVICE_CAP, canRun } from './coupling';
export {
	BANDWIDTH_EFFICIENCY,
	COMPUTE_EFFICIENCY,
	PREFILL_MFU,
	ENGINE_OVERHEAD,
	VENDOR_LAYER_LATENCY_US,
	POWER_LOAD_FACTOR,
	fixedOverhead,
	bandwidthEfficiency,
	backendFor,
	MOE_LAYER_KERNEL_FACTOR,
	MLA_LAYER_KERNEL_FACTOR,
} from './efficiency';
export { OVERHEAD, runtimeOverhead, memoryBudget } from './memory';
export { chipsToHold, layerBillionParams, vendorLayerUs, weightTier } from './accelerator';

function validate(input: EstimateInput): void {
	const bad = (what: string) => {
		throw new RangeError(`estimate: ${what}`);
	};
	if (!(input.batch >= 1)) bad(`batch must be ≥ 1, got ${input.batch}`);
	if (!(input.context >= 0)) bad(`context must be ≥ 0, got ${input.context}`);
	if (!(input.prompt >= 0)) bad(`prompt must be ≥ 0, got ${input.prompt}`);
	if (!(input.hardware.bandwidthGBs > 0)) bad(`${input.hardware.id} has no memory bandwidth`);
	if (!(input.weights.bitsPerWeight > 0)) bad(`${input.weights.id} has no bits per weight`);
	if (!(input.model.paramsTotal > 0 && input.model.layers > 0))
		bad(`${input.model.id} has no parameter count`);
}

/**
 * Hardwired silicon runs the weights etched into it: a model it carries is estimated with those weights
 * (capacity / parameters bits each); any other model cannot run on it at all.
 */
function hardwired(input: EstimateInput): { input: EstimateInput; notes: string[]; runs: boolean } {
	const hw = input.hardware;
	if (hw.deviceClass !== 'hardwired') return { input, notes: [], runs: true };
	if (!canRun(hw, input.model)) {
		const list = (hw.fixedModels ?? []).join(', ') || 'none listed';
		return {
			input,
			notes: [`${hw.id} is hardwired to ${list}: it cannot run ${input.model.id}`],
			runs: false,
		};
	}
	const weights = etchedFormat(hw, input.model);
	return {
		input: { ...input, weights },
		notes: [
			`${hw.id} runs its etched weights (${weights.bitsPerWeight.toFixed(2)} bits/weight), not ${input.weights.id}`,
		],
		runs: true,
	};
}

/** Everything but the coupling recommendation (which calls this for each catalog device). */
function estimateCore(original: EstimateInput): Estimate {
	validate(original);
	const hw = hardwired(original);
	const input = hw.input;
	const layout = resolveLayout(
		input.devices,
		input.engine,
		input.tensorParallel,
		input.pipelineParallel,
		input.hardware.deviceClass,
	);
	const notes: string[] = [...hw.notes, ...layout.notes];
	const memory = estimateMemory(input, layout);
	if (hw.runs && input.hardware.deviceClass === 'hardwired') {
		// The etched weights are the capacity; KV lives in on-chip SRAM the catalog does not size.
		memory.fits = true;
		memory.weightsFit = true;
		memory.maxContextAtBatch = input.maxContext ?? input.model.maxContext;
		memory.maxBatchAtContext = Number.MAX_SAFE_INTEGER;
		memory.budgetRule = `${input.hardware.id}: weights etched in silicon; KV in on-chip SRAM (capacity not modeled)`;
	}
	if (!hw.runs) {
		memory.fits = false;
		memory.weightsFit = false;
		memory.maxContextAtBatch = 0;
		memory.maxBatchAtContext = 0;
	}
	const decode = estimateDecode({ input, layout, memory, notes });
	const prefill = estimatePrefill(input, layout, decode.stepSeconds, notes);
	const cost = estimateCost(input.hardware, layout.devices, decode.tokensPerSecondTotal, input.pricing);
	const assumptions = [
		`weights ${input.weights.id} at ${input.weights.bitsPerWeight} bits/weight`,
		`KV cache ${input.kvDtype.id} at ${input.kvDtype.bytesPerElement} bytes/element`,
		`memory: ${memory.budgetRule}`,
		...notes,
	];
	if (input.hardware.origin === 'ad-hoc') assumptions.push('hardware given by flags, not from the catalog');
	const limit = input.maxContext ?? input.model.maxContext;
	if (input.context > limit)
		assumptions.push(`context ${input.context} exceeds the ${limit}-token maximum of ${input.model.id}`);
	return {
		modelId: input.model.id,
		hardwareId: input.hardware.id,
		weightsFormat: input.weights.id,
		kvDtype: input.kvDtype.id,
		engine: input.engine,
		devices: layout.devices,
		batch: input.batch,
		context: input.context,
		prompt: input.prompt,
		memory,
		decode,
		prefill,
		cost,
		assumptions,
	};
}

/** Largest context each of `batch` sequences can hold (0 when the weights do not fit). */
export function maxContextThatFits(input: EstimateInput, batch = input.batch): number {
	return estimateCore({ ...input, batch }).memory.maxContextAtBatch;
}

/** Largest batch whose KV fits at `context` tokens per sequence (0 when the weights do not fit). */
export function maxBatchAtContext(input: EstimateInput, context = input.context): number {
	return estimateCore({ ...input, context }).memory.maxBatchAtContext;
}

/**
 * Estimates memory, decode, prefill and cost for one workload; with `catalogHardware`, also places it on the
 * coupling spectrum and recommends the cheapest class that fits and meets the latency target.
 * Throws RangeError on inputs that have no physical meaning (batch 0, no bandwidth).
 */
export function estimate(input: EstimateInput, catalogHardware?: HardwareSpec[]): Estimate {
	const est = estimateCore(input);
	if (catalogHardware && catalogHardware.length > 0) lazyCoupling(est, input, catalogHardware);
	return est;
}

/**
 * The recommendation evaluates the workload on every catalog device, several times the cost of the estimate
 * itself. Rules re-evaluate a workload many times for what-if fixes and never read their coupling, so it is
 * computed on first read (spreads and JSON read it like a plain field) and kept. While typing, each new value
 * misses the candidate cache; computing it for every what-if made up most of the analysis time.
 */
function lazyCoupling(est: Estimate, input: EstimateInput, catalog: HardwareSpec[]): void {
	let value: Estimate['coupling'];
	let done = false;
	Object.defineProperty(est, 'coupling', {
		enumerable: true,
		configurable: true,
		get: () => {
			if (!done) {
				done = true;
				// Read lazily, a failure would surface wherever the field is read (a spread, JSON): keep it here.
				try {
					value = recommend(est, input, catalog, estimateCore);
				} catch (e) {
					est.assumptions.push(`No coupling recommendation: ${e instanceof Error ? e.message : String(e)}`);
				}
			}
			return value;
		},
		set: (v: Estimate['coupling']) => {
			done = true;
			value = v;
		},
	});
}

export type * from './types';
