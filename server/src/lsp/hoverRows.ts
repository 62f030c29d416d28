/**
 * The numbers a hover lists, each as value + formula with the inputs filled in, and which of them each kind
 * of setting drives (a KV dtype changes KV bytes and fit, not the weight bytes).
 */
import type { HardwareSpec, ModelSpec } from '../analysis/catalog/types';
import type { Estimate } from '../analysis/physics/types';
import * as fmt from './format';

export interface Row {
	label: string;
	value: string;
	formula?: string;
}

type RowId =
	| 'weights'
	| 'kvPerToken'
	| 'kvTotal'
	| 'reservation'
	| 'bytesPerStep'
	| 'intensity'
	| 'tokS'
	| 'fit'
	| 'cost'
	| 'plan';

const ALL: RowId[] = [
	'weights',
	'kvPerToken',
	'kvTotal',
	'reservation',
	'bytesPerStep',
	'intensity',
	'tokS',
	'fit',
	'cost',
];

/** Which numbers each setting drives. Anything not listed gets the summary rows. */
const DRIVES: Record<string, RowId[]> = {
	model: ALL,
	weightFormat: ['weights', 'bytesPerStep', 'intensity', 'tokS', 'fit'],
	quantization: ['weights', 'bytesPerStep', 'intensity', 'tokS', 'fit'],
	kvCacheDtype: ['kvPerToken', 'kvTotal', 'reservation', 'bytesPerStep', 'tokS', 'fit'],
	contextLength: ['reservation', 'plan', 'kvTotal', 'bytesPerStep', 'tokS', 'fit'],
	gpuMemoryUtilization: ['plan', 'reservation', 'fit'],
	maxConcurrency: ['kvTotal', 'bytesPerStep', 'intensity', 'tokS', 'fit', 'cost'],
	batchTokens: ['intensity', 'tokS', 'fit'],
	tensorParallelSize: ['weights', 'fit', 'tokS', 'intensity'],
	pipelineParallelSize: ['weights', 'fit', 'tokS'],
	deviceCount: ['weights', 'fit', 'tokS', 'cost'],
	hardware: ['intensity', 'tokS', 'fit', 'cost'],
	device: ['intensity', 'tokS', 'fit'],
	gpuLayers: ['fit', 'tokS'],
	threads: ['tokS'],
};
const SUMMARY: RowId[] = ['bytesPerStep', 'tokS', 'fit'];

function weights(e: Estimate, m?: ModelSpec): Row {
	const w = e.memory.weightsBytes;
	const perDevice = e.devices > 1 ? ` (${fmt.bytes(e.memory.weightsBytesPerDevice)} per device)` : '';
	const formula = m
		? `${fmt.count(m.paramsTotal)} params × ${fmt.plain((w * 8) / m.paramsTotal)} bits/weight (${e.weightsFormat}) ÷ 8`
		: `params × bits per weight (${e.weightsFormat}) ÷ 8`;
	return { label: 'Weights', value: fmt.bytes(w) + perDevice, formula };
}

function kvPerToken(e: Estimate, m?: ModelSpec): Row {
	const kv = e.memory.kvBytesPerToken;
	let formula = `2 (K and V) × layers × KV heads × head dim × bytes per element (${e.kvDtype})`;
	if (m?.mla) {
		const perElement = kv / (m.layers * (m.mla.kvLoraRank + m.mla.ropeHeadDim));
		formula = `${m.layers} layers × (${m.mla.kvLoraRank} latent + ${m.mla.ropeHeadDim} RoPE) × ${fmt.plain(perElement)} B (${e.kvDtype}, MLA)`;
	} else if (m) {
		const perElement = kv / (2 * m.layers * m.kvHeads * m.headDim);
		formula = `2 × ${m.layers} layers × ${m.kvHeads} KV heads × ${m.headDim} head dim × ${fmt.plain(perElement)} B (${e.kvDtype})`;
	}
	return { label: 'KV cache per token', value: fmt.bytes(kv), formula };
}

function kvTotal(e: Estimate, m?: ModelSpec): Row {
	const capped = m?.slidingWindow
		? `; ${m.slidingWindow.layers} sliding-window layers keep at most ${m.slidingWindow.window} tokens`
		: '';
	return {
		label: 'KV cache',
		value: fmt.bytes(e.memory.kvBytes),
		formula: `KV per token × batch × context = ${fmt.bytesDecimal(e.memory.kvBytesPerToken)} × ${e.batch} × ${e.context}${capped}`,
	};
}

/**
 * What the configured context reserves: engines that preallocate KV (vLLM, llama.cpp) need one whole
 * sequence of it beside the weights at start-up, whatever the typical request length.
 */
function reservation(e: Estimate, configuredContext: number | undefined): Row | undefined {
	if (!configuredContext) return undefined;
	const need = e.memory.kvBytesPerToken * configuredContext;
	const budget = Math.max(0, e.memory.kvBudgetBytesPerDevice) * e.devices;
	const maxTokens = e.memory.kvBytesPerToken > 0 ? Math.floor(budget / e.memory.kvBytesPerToken) : 0;
	const verdict = need <= budget ? 'fits' : `does not fit: at most ${maxTokens} tokens`;
	return {
		label: 'KV for one sequence at the configured context',
		value: `${fmt.bytes(need)} of ${fmt.bytes(budget)} left for KV — ${verdict}`,
		formula: `KV per token × context = ${fmt.bytesDecimal(e.memory.kvBytesPerToken)} × ${configuredContext}; left = budget − weights − runtime`,
	};
}

function bytesPerStep(e: Estimate): Row {
	const d = e.decode;
	return {
		label: 'Bytes per decode step',
		value: fmt.bytes(d.bytesPerStep),
		formula:
			`weights read ${fmt.bytesDecimal(d.weightBytesPerStep)} + KV read ${fmt.bytesDecimal(d.kvBytesPerStep)}` +
			` + activations ${fmt.bytesDecimal(d.activationBytesPerStep)}`,
	};
}

function intensity(e: Estimate): Row {
	const d = e.decode;
	return {
		label: 'Arithmetic intensity',
		value: `${fmt.plain(d.arithmeticIntensity)} FLOP/byte vs ridge ${fmt.plain(d.ridgeFlopsPerByte)} FLOP/byte → ${d.bound}-bound`,
		formula: `FLOPs per step ÷ bytes per step = ${fmt.flops(d.flopsPerStep)} ÷ ${fmt.bytesDecimal(d.bytesPerStep)}; ridge = peak FLOP/s ÷ bandwidth`,
	};
}

function tokS(e: Estimate, hw?: HardwareSpec): Row {
	const d = e.decode;
	const bw = hw ? `${fmt.plain(hw.bandwidthGBs)} GB/s × ${e.devices}` : `bandwidth × ${e.devices} devices`;
	const reasons = d.efficiency.reasons.length ? ` (${d.efficiency.reasons.join('; ')})` : '';
	return {
		label: 'Decode speed',
		value:
			`≈ ${fmt.tokensPerSecond(d.expectedTokensPerSecondPerUser)} per user expected, roofline ` +
			`${fmt.tokensPerSecond(d.rooflineTokensPerSecondPerUser)}; ${fmt.tokensPerSecond(d.tokensPerSecondTotal)} total`,
		formula:
			`roofline = ${bw} ÷ ${fmt.bytesDecimal(d.bytesPerStep)} per step (capped by compute); ` +
			`expected = roofline × ${fmt.plain(d.efficiency.factor)}${reasons}; compute busy ${fmt.percent(d.computeUtilization)}`,
	};
}

function fit(e: Estimate): Row {
	const m = e.memory;
	const verdict = m.fits ? 'fits' : m.weightsFit ? 'KV cache does not fit' : 'weights do not fit';
	return {
		label: 'Memory per device',
		value: `${fmt.bytes(m.totalBytesPerDevice)} of ${fmt.bytes(m.budgetBytesPerDevice)} budget — ${verdict}; at most ${m.maxBatchAtContext} sequences at this context, ${m.maxContextAtBatch} tokens at this batch`,
		formula:
			`weights ${fmt.bytesDecimal(m.weightsBytesPerDevice)} + KV ${fmt.bytesDecimal(m.kvBytesPerDevice)} + runtime ` +
			`${fmt.bytesDecimal(m.runtimeOverheadBytesPerDevice)}; budget = usable share × ${fmt.bytesDecimal(m.capacityBytesPerDevice)}` +
			(m.hostBytes ? `; ${fmt.bytesDecimal(m.hostBytes)} stay in host memory` : ''),
	};
}

/**
 * The engine's start-up plan line by line, in its own log wording (physics/memoryPlan), so a user can hold
 * the numbers against their own start-up log.
 */
function planRows(e: Estimate): Row[] | undefined {
	const plan = e.memory.plan;
	if (!plan) return undefined;
	const title =
		plan.engine === 'vllm'
			? `vLLM ${plan.generation.toUpperCase()} start-up plan`
			: plan.engine === 'ollama'
				? 'Ollama start-up plan'
				: 'llama.cpp start-up plan';
	const rows: Row[] = plan.lines.map((l, i) => ({
		label: i === 0 ? `${title}: ${l.label}` : l.label,
		value: l.text,
		formula: l.source,
	}));
	for (const n of plan.notes) rows.push({ label: 'note', value: n });
	return rows;
}

function cost(e: Estimate): Row | undefined {
	if (!e.cost) return undefined;
	return {
		label: 'Cost',
		value: `$${fmt.plain(e.cost.usdPerMillionTokens)} per million output tokens, ${fmt.plain(e.cost.joulesPerToken)} J/token`,
		formula: e.cost.basis,
	};
}

export function rowsFor(
	name: string,
	e: Estimate,
	m?: ModelSpec,
	hw?: HardwareSpec,
	configuredContext?: number,
): Row[] {
	const make: Record<RowId, () => Row | Row[] | undefined> = {
		plan: () => planRows(e),
		reservation: () => reservation(e, configuredContext),
		weights: () => weights(e, m),
		kvPerToken: () => kvPerToken(e, m),
		kvTotal: () => kvTotal(e, m),
		bytesPerStep: () => bytesPerStep(e),
		intensity: () => intensity(e),
		tokS: () => tokS(e, hw),
		fit: () => fit(e),
		cost: () => cost(e),
	};
	return (DRIVES[name] ?? SUMMARY).flatMap((id) => make[id]() ?? []).filter((r): r is Row => r !== undefined);
}
