/**
 * Serving under load: steady-state continuous batching built on the decode step of physics/decode. A fixed
 * number of clients (the concurrency) each keep one request in flight; every request is a prompt of ISL tokens
 * and an answer of OSL tokens. The engine runs up to B sequences together (B = concurrency capped by the
 * scheduler and the KV capacity), feeds prompt chunks into the same steps under its token budget, and each
 * slot cycles through one prefill and OSL decode steps. Derivation and limits: docs/physics.md § "Serving".
 */
import type { ModelSpec } from '../catalog/types';
import { attentionFlopsPerToken, estimateDecode } from './decode';
import { BANDWIDTH_EFFICIENCY, COMPUTE_EFFICIENCY, PREFILL_MFU } from './efficiency';
import { kvBytesForSequence } from './kv';
import { estimateMemory } from './memory';
import { moeSplit, expectedExpertsTouched } from './moe';
import { allReduceSecondsPerStep, kvReplication, resolveLayout, type ParallelLayout } from './parallel';
import { prefillAttentionFlops } from './prefill';
import {
	allToAllSecondsPerStep,
	attentionParamsPerLayer,
	expertGemmEfficiency,
	SINGLE_ENGINE,
	type ServingLayout,
} from './serving/moeLayout';
import { attentionCompute, linearCompute, type ComputeChoice } from './serving/precision';
import { schedulerCaps } from './serving/scheduler';
import { DEFAULT_ACCEPTANCE, draftStepShare, expectedTokensPerStep } from './serving/speculative';
import type { ServingEstimate, ServingInput, ServingLimit, ServingStep } from './serving/types';
import type { DecodeEstimate, EstimateInput, MemoryEstimate } from './types';
import { decodeWeightRead, tensorBits } from './weights';

export * from './serving/types';
export { schedulerCaps, parseVersion } from './serving/scheduler';
export {
	DEFAULT_ACCEPTANCE,
	SPECULATIVE_METHODS,
	expectedTokensPerStep,
	speculativeMethodOf,
} from './serving/speculative';
export type { SpeculativeMethod, SpeculativeSettings } from './serving/speculative';
export { expertGemmEfficiency, allToAllSecondsPerStep } from './serving/moeLayout';
export { linearCompute, attentionCompute, PRECISION_EFFICIENCY } from './serving/precision';

/**
 * Share of the shorter of (memory time, compute time) of one step that does not hide under the longer one.
 * A decode step alternates memory-bound GEMVs/attention and compute-heavy GEMMs layer by layer, so the two do
 * not overlap perfectly. Chosen by scripts/serving/pickOverlap.mjs over server/data/measurements/serving.csv
 * (the one constant of this model taken from data; see docs/physics.md § "Serving").
 */
export const STEP_OVERLAP_PENALTY = 0.65;

/**
 * Host time per running sequence per step (scheduling, sampling bookkeeping, detokenization), by engine.
 * vLLM V1 and SGLang do it in Python per request; TensorRT-LLM's executor in C++. First-principles estimates
 * (a few µs of Python per request per step), not fitted.
 */
export const HOST_SECONDS_PER_SEQUENCE: Record<string, number> = {
	vllm: 4e-6,
	sglang: 4e-6,
	'trt-llm': 1e-6,
};

interface Units {
	linear: ComputeChoice;
	attention: ComputeChoice;
}

/** Seconds of compute for `tokens` tokens at mean context `ctx` on all devices, at efficiency `eff`. */
function computeSeconds(
	input: EstimateInput,
	u: Units,
	devices: number,
	eff: number,
	linearFlops: number,
	attentionFlops: number,
): number {
	const lin = u.linear.flopsPerSecond * u.linear.precisionEfficiency * eff * devices;
	const att = u.attention.flopsPerSecond * u.attention.precisionEfficiency * eff * devices;
	return (lin > 0 ? linearFlops / lin : 0) + (att > 0 ? attentionFlops / att : 0);
}

/**
 * Linear FLOPs of `tokens` tokens in one step, with expert GEMMs padded to whole 64-row tiles: a step of B
 * decode tokens routes B·k token-slots over the experts it touches, few per expert at small B.
 */
function linearFlops(model: ModelSpec, paramsPerToken: number, tokens: number): number {
	const real = 2 * paramsPerToken * tokens;
	const split = moeSplit(model);
	if (!split || tokens <= 0) return real;
	const touched = expectedExpertsTouched(split.experts, split.expertsPerToken, tokens);
	const perExpert = (tokens * split.expertsPerToken) / Math.max(1, touched);
	const routed = 2 * split.paramsPerExpertAllLayers * split.expertsPerToken * tokens;
	return real - routed + routed / expertGemmEfficiency(perExpert);
}

interface StepParts {
	decode: DecodeEstimate;
	memorySeconds: number;
	computeSeconds: number;
}

function decodeStep(
	input: EstimateInput,
	layout: ParallelLayout,
	memory: MemoryEstimate,
	batch: number,
	context: number,
	units: Units,
	notes: string[],
): StepParts {
	const at = { ...input, batch, context };
	const decode = estimateDecode({ input: at, layout, memory, notes });
	const cls = input.hardware.deviceClass;
	const bw = (decode.bandwidthGBsUsed ?? input.hardware.bandwidthGBs) * 1e9 * BANDWIDTH_EFFICIENCY[cls];
	const memorySeconds = decode.bytesPerStep / layout.devices / bw;
	const read = decodeWeightRead(input.model, input.weights, batch);
	const comp = computeSeconds(
		input,
		units,
		layout.devices,
		COMPUTE_EFFICIENCY[cls],
		linearFlops(input.model, read.paramsPerToken, batch),
		batch * attentionFlopsPerToken(input.model, context),
	);
	return { decode, memorySeconds, computeSeconds: comp };
}

/** Device seconds of one request's prompt: its FLOPs at prefill efficiency (weights are streamed by the steps it shares). */
function prefillSeconds(
	input: EstimateInput,
	layout: ParallelLayout,
	units: Units,
	chunk: number,
	ep: number,
): number {
	const { model, hardware } = input;
	const isl = Math.max(1, input.prompt);
	const read = decodeWeightRead(model, input.weights, 1);
	const cls = hardware.deviceClass;
	const tokensInChunk = Math.max(1, Math.min(isl, chunk));
	// Padding of expert tiles depends on the chunk the prompt shares a step with, so scale per-token FLOPs from it.
	const lin = (linearFlops(model, read.paramsPerToken, tokensInChunk) / tokensInChunk) * isl;
	const comp = computeSeconds(
		input,
		units,
		layout.devices,
		PREFILL_MFU[cls],
		lin,
		prefillAttentionFlops(model, isl),
	);
	const chunks = Math.ceil(isl / tokensInChunk);
	const allReduce = chunks * allReduceSecondsPerStep(model, hardware, layout.tensorParallel, tokensInChunk);
	return comp + allReduce + chunks * allToAllSecondsPerStep(model, hardware, ep, tokensInChunk);
}

interface Cycle {
	stepSeconds: number;
	cycleSeconds: number;
	ttftInSlot: number;
	itl: number;
	parts: ServingStep;
}

/** One slot's cycle (prefill + OSL decode steps) at running batch B, with or without speculation. */
function cycleAt(
	input: EstimateInput,
	s: ServingInput,
	layout: ParallelLayout,
	sl: ServingLayout,
	memory: MemoryEstimate,
	batch: number,
	units: Units,
	caps: { tokenBudget: number; chunkedPrefill: boolean },
	spec: { tokens: number; perStep: number; draftShare: number },
	notes: string[],
): Cycle {
	const { model, hardware } = input;
	const isl = s.inputTokens;
	const osl = s.outputTokens;
	const ctx = isl + osl / 2;
	const p = decodeStep(input, layout, memory, batch, ctx, units, notes);
	const verifyTokens = spec.tokens + 1;
	const comp = p.computeSeconds * verifyTokens;
	const base = p.decode.stepSeconds;
	// Speculation verifies K+1 tokens per sequence: memory is read once, compute grows K+1-fold.
	const specExtra = Math.max(
		0,
		Math.max(p.memorySeconds, comp) - Math.max(p.memorySeconds, p.computeSeconds),
	);
	const overlap = (s.overlapPenalty ?? STEP_OVERLAP_PENALTY) * Math.min(p.memorySeconds, comp);
	const host = (HOST_SECONDS_PER_SEQUENCE[input.engine] ?? 0) * batch;
	const a2a = allToAllSecondsPerStep(model, hardware, sl.expertParallel, batch * verifyTokens);
	// Data-parallel attention: every rank reads the whole attention weights instead of 1/TP of them.
	let dpAttention = 0;
	if (sl.attentionDataParallel > 1 && layout.tensorParallel > 1) {
		const bytes = (attentionParamsPerLayer(model) * model.layers * tensorBits(input.weights).body) / 8;
		const bw = hardware.bandwidthGBs * 1e9 * BANDWIDTH_EFFICIENCY[hardware.deviceClass];
		dpAttention = (bytes * (1 - 1 / layout.tensorParallel)) / bw;
	}
	const draft = spec.draftShare * spec.tokens * base;
	const step = base + specExtra + overlap + host + a2a + dpAttention + draft;
	const chunk = Math.max(1, caps.tokenBudget - batch * verifyTokens);
	const tPf = prefillSeconds(input, layout, units, caps.chunkedPrefill ? chunk : isl, sl.expertParallel);
	const steps = osl / spec.perStep;
	// Prompt tokens the steps of one cycle can carry beside decode tokens; the rest needs steps of their own.
	const carried = caps.chunkedPrefill ? steps * chunk : 0;
	const extraSteps = Math.max(0, (batch * isl - carried) / Math.max(1, caps.tokenBudget));
	const extraStepSeconds = caps.chunkedPrefill ? p.memorySeconds + (p.decode.fixedSecondsPerStep ?? 0) : 0;
	const cycle = steps * step + batch * tPf + extraSteps * extraStepSeconds;
	// TTFT inside a slot: the chunks of its own prompt, queued behind other prompts (M/D/1 wait at the
	// prefill utilization ρ), and half a step to reach a step boundary.
	const rho = Math.min(0.95, (batch * tPf) / cycle);
	const ownChunks = caps.chunkedPrefill ? Math.ceil(isl / chunk) : 1;
	const ttftInSlot = tPf + ownChunks * step + 0.5 * step + (rho / (2 * (1 - rho))) * tPf;
	// A slot's request lives one cycle: its first token after ttftInSlot, the other OSL − 1 over the rest.
	const itl =
		osl > 1 ? Math.max(step / spec.perStep, (cycle - Math.min(ttftInSlot, cycle)) / (osl - 1)) : step;
	return {
		stepSeconds: step,
		cycleSeconds: cycle,
		ttftInSlot,
		itl,
		parts: {
			decodeStepSeconds: base,
			stepSeconds: step,
			memorySeconds: p.memorySeconds,
			computeSeconds: comp,
			overlapPenaltySeconds: overlap,
			hostSeconds: host,
			allToAllSeconds: a2a,
			prefillSecondsPerRequest: tPf,
			// Without chunking prompts always take steps of their own: that is not a budget limit.
			extraPrefillStepsPerCycle: caps.chunkedPrefill ? extraSteps : 0,
		},
	};
}

/**
 * The KV a running sequence is counted for when the scheduler admits it. TensorRT-LLM's default capacity
 * policy (GUARANTEED_NO_EVICT) reserves blocks for the whole prompt + answer before admitting a request;
 * vLLM and SGLang admit on the blocks needed now and preempt when the cache runs out, so in steady state a
 * running sequence holds the mean ISL + OSL/2.
 */
function admissionContext(engine: string, isl: number, osl: number): { context: number; why: string } {
	if (engine === 'trt-llm')
		return {
			context: isl + osl,
			why: `TensorRT-LLM GUARANTEED_NO_EVICT: KV reserved for ISL + OSL = ${isl + osl} tokens per running request`,
		};
	return {
		context: isl + osl / 2,
		why: `KV capacity counted at the mean running context ISL + OSL/2 = ${isl + osl / 2} tokens (blocks allocated as tokens arrive)`,
	};
}

/** KV capacity in sequences of mean context ISL + OSL/2 (all devices of one replica). */
function kvCapacity(
	input: EstimateInput,
	layout: ParallelLayout,
	sl: ServingLayout,
	memory: MemoryEstimate,
	ctx: number,
): number {
	if (!memory.weightsFit) return 0;
	const perSeq = kvBytesForSequence(input.model, input.kvDtype, ctx);
	// Without DP attention each TP rank holds its share of every sequence (MLA: the whole latent on every rank);
	// with it, each rank holds whole sequences of its own.
	const replication = sl.attentionDataParallel > 1 ? 1 : kvReplication(input.model, layout.tensorParallel);
	if (perSeq <= 0) return Number.MAX_SAFE_INTEGER;
	return Math.floor((memory.kvBudgetBytesPerDevice * layout.devices) / (perSeq * replication));
}

/**
 * The serving estimate for one workload. `input` carries model, format, KV dtype, hardware, engine and
 * devices as for `estimate`; its batch/context/prompt are ignored in favour of `s`.
 */
export function estimateServing(input0: EstimateInput, s: ServingInput): ServingEstimate {
	const notes: string[] = [];
	const isl = Math.max(1, Math.floor(s.inputTokens));
	const osl = Math.max(1, Math.floor(s.outputTokens));
	const sl: ServingLayout = { ...SINGLE_ENGINE, ...s.layout };
	const replicas = Math.max(1, Math.floor(sl.replicas));
	// vLLM `--data-parallel-size N --enable-expert-parallel` with TP T spans N × T ranks: the experts shard over
	// all of them while attention runs data-parallel, so the engine's devices are the expert-parallel ranks.
	const epRanks = Math.floor(sl.expertParallel);
	const spansMore = epRanks > Math.max(1, input0.devices) && input0.model.moe !== undefined;
	const input: EstimateInput = {
		...input0,
		...(spansMore ? { devices: epRanks, tensorParallel: epRanks, pipelineParallel: 1 } : {}),
		prompt: isl,
		context: isl + osl / 2,
		batch: 1,
		maxBatchedTokens: s.scheduler?.tokenBudget ?? input0.maxBatchedTokens,
	};
	const layout = resolveLayout(input.devices, input.engine, input.tensorParallel, input.pipelineParallel);
	notes.push(...layout.notes);
	if (spansMore)
		notes.push(
			`expert parallelism over ${epRanks} ranks (DP × TP): weights sharded over all of them, attention data-parallel`,
		);
	const caps = schedulerCaps(input.engine, input.hardware, {
		...s.scheduler,
		maxModelLen: s.scheduler?.maxModelLen ?? input.maxContext,
	});
	notes.push(...caps.sources);
	const units: Units = {
		linear: linearCompute(input.weights, input.hardware),
		attention: attentionCompute(input.kvDtype, input.hardware),
	};
	if (units.linear.note) notes.push(units.linear.note);
	const ctx = isl + osl / 2;
	const memory = estimateMemory(input, layout);
	const reserve = admissionContext(input.engine, isl, osl);
	const capacity = kvCapacity(input, layout, sl, memory, reserve.context);
	notes.push(reserve.why);
	const offline = !Number.isFinite(s.concurrency);
	const perReplica = offline ? Number.MAX_SAFE_INTEGER : Math.max(1, Math.ceil(s.concurrency / replicas));
	const spec = s.speculative && s.speculative.tokens > 0 ? s.speculative : undefined;
	const verifyTokens = spec ? spec.tokens + 1 : 1;
	const budgetCap = Math.max(1, Math.floor(caps.tokenBudget / verifyTokens));
	const candidates: [number, ServingLimit][] = [
		[capacity, 'kv-capacity'],
		[caps.maxRunning, 'max-num-seqs'],
		[budgetCap, 'max-num-batched-tokens'],
	];
	let batch = perReplica;
	let cap: ServingLimit | undefined;
	for (const [n, why] of candidates)
		if (n < batch) {
			batch = n;
			cap = why;
		}
	const layoutOut = {
		...sl,
		replicas,
		tensorParallel: layout.tensorParallel,
		pipelineParallel: layout.pipelineParallel,
		devices: layout.devices * replicas,
	};
	if (batch < 1) {
		notes.push(
			memory.weightsFit
				? `one sequence of ${ctx} tokens does not fit the KV budget`
				: 'the weights do not fit: nothing is served',
		);
		return emptyEstimate(
			s,
			isl,
			osl,
			capacity,
			caps,
			layoutOut,
			memory.weightsFit ? 'kv-capacity' : 'weights-do-not-fit',
			notes,
		);
	}
	const bMem = estimateMemory({ ...input, batch, context: ctx }, layout);
	const perStep = spec
		? expectedTokensPerStep(spec.tokens, spec.acceptanceRate ?? DEFAULT_ACCEPTANCE[spec.method])
		: 1;
	const noSpeculation = { tokens: 0, perStep: 1, draftShare: 0 };
	const specArg = spec
		? { tokens: spec.tokens, perStep, draftShare: draftStepShare(spec.method, input.model.layers) }
		: noSpeculation;
	// One request cycle at this batch; with speculation it is computed twice (with and without) for the report.
	const cycle = (speculation: typeof specArg, cycleNotes: string[]) =>
		cycleAt(
			input,
			{ ...s, inputTokens: isl, outputTokens: osl },
			layout,
			sl,
			bMem,
			batch,
			units,
			caps,
			speculation,
			cycleNotes,
		);
	const c = cycle(specArg, notes);
	const perReplicaTotal = (batch * osl) / c.cycleSeconds;
	const total = perReplicaTotal * replicas;
	const requestsPerSecond = (batch * replicas) / c.cycleSeconds;
	const queued = offline ? 0 : Math.max(0, perReplica - batch) * replicas;
	// Closed loop: a client waiting for a slot waits (queue length) / (completion rate) — Little's law.
	const queueWait = offline ? 0 : Math.max(0, perReplica - batch) / (batch / c.cycleSeconds);
	const ttft = offline ? null : c.ttftInSlot + queueWait;

	// Roofline: spec bandwidth and peak, perfect overlap, no engine overheads, prefill at full peak.
	const roofStep = 1 / cycleRoofline(input, layout, bMem, batch, ctx, notes);
	const linPeak = units.linear.flopsPerSecond * layout.devices;
	const read = decodeWeightRead(input.model, input.weights, 1);
	const roofPrefill = linPeak > 0 ? (2 * read.paramsPerToken * isl) / linPeak : 0;
	const roofCycle = osl * roofStep + batch * roofPrefill;
	const roofline = ((batch * osl) / roofCycle) * replicas;

	const limitedBy: ServingLimit = cap ?? dominant(c.parts, offline);
	if (s.defaulted?.inputTokens) notes.push(`input length ${isl} tokens is a default (give --input-tokens)`);
	if (s.defaulted?.outputTokens)
		notes.push(`output length ${osl} tokens is a default (give --output-tokens)`);
	if (s.defaulted?.concurrency) notes.push(`concurrency ${s.concurrency} is a default (give --concurrency)`);
	notes.push(
		`steady state: ${offline ? 'all requests queued (offline)' : `${s.concurrency} clients each keep one request in flight`}; each slot cycles one prefill and ${osl} decode steps at mean context ${ctx}`,
		`memory and compute of a step overlap imperfectly: ${STEP_OVERLAP_PENALTY} × the shorter is added (chosen from the serving ledger)`,
	);
	const out: ServingEstimate = {
		concurrency: offline ? null : s.concurrency,
		inputTokens: isl,
		outputTokens: osl,
		runningSequences: batch,
		queuedRequests: queued,
		ttftSeconds: ttft,
		interTokenLatencySeconds: c.itl,
		outputTokensPerSecondPerUser: 1 / c.itl,
		outputTokensPerSecondTotal: total,
		requestsPerSecond,
		limitedBy,
		rooflineOutputTokensPerSecondTotal: Math.max(roofline, spec ? 0 : total),
		caps: {
			kvCapacitySequences: capacity,
			maxRunning: caps.maxRunning,
			tokenBudget: caps.tokenBudget,
			chunkedPrefill: caps.chunkedPrefill,
		},
		layout: layoutOut,
		step: c.parts,
		assumptions: notes,
	};
	if (spec) {
		const plain = cycle(noSpeculation, []);
		const rate = spec.acceptanceRate ?? DEFAULT_ACCEPTANCE[spec.method];
		out.speculative = {
			method: spec.method,
			tokens: spec.tokens,
			acceptanceRate: rate,
			acceptanceIsDefault: spec.acceptanceRate === undefined,
			tokensPerStep: perStep,
			without: {
				outputTokensPerSecondPerUser: 1 / plain.itl,
				outputTokensPerSecondTotal: ((batch * osl) / plain.cycleSeconds) * replicas,
				interTokenLatencySeconds: plain.itl,
			},
		};
		notes.push(
			`speculative ${spec.method}: ${spec.tokens} draft tokens, acceptance ${rate}${spec.acceptanceRate === undefined ? ' (default for the method)' : ''} ⇒ ${perStep.toFixed(2)} tokens per step`,
		);
	}
	return out;
}

/** Roofline step at batch B: spec bandwidth, spec peak, no efficiency terms (the decode roofline). */
function cycleRoofline(
	input: EstimateInput,
	layout: ParallelLayout,
	memory: MemoryEstimate,
	batch: number,
	ctx: number,
	notes: string[],
): number {
	const d = estimateDecode({ input: { ...input, batch, context: ctx }, layout, memory, notes: [] });
	void notes;
	return d.rooflineTokensPerSecondPerUser;
}

/** Which resource dominates when no cap binds. */
function dominant(p: ServingStep, offline: boolean): ServingLimit {
	const interconnect = p.allToAllSeconds;
	const compute = p.computeSeconds;
	const memory = p.memorySeconds;
	if (p.hostSeconds > Math.max(compute, memory, interconnect)) return 'host';
	if (interconnect > Math.max(compute, memory)) return 'interconnect';
	if (p.extraPrefillStepsPerCycle > 0) return 'max-num-batched-tokens';
	if (!offline && memory >= compute) return 'concurrency';
	return compute > memory ? 'compute' : 'bandwidth';
}

function emptyEstimate(
	s: ServingInput,
	isl: number,
	osl: number,
	capacity: number,
	caps: { maxRunning: number; tokenBudget: number; chunkedPrefill: boolean },
	layout: ServingEstimate['layout'],
	limitedBy: ServingLimit,
	notes: string[],
): ServingEstimate {
	return {
		concurrency: Number.isFinite(s.concurrency) ? s.concurrency : null,
		inputTokens: isl,
		outputTokens: osl,
		runningSequences: 0,
		queuedRequests: Number.isFinite(s.concurrency) ? s.concurrency : 0,
		ttftSeconds: null,
		interTokenLatencySeconds: Infinity,
		outputTokensPerSecondPerUser: 0,
		outputTokensPerSecondTotal: 0,
		requestsPerSecond: 0,
		limitedBy,
		rooflineOutputTokensPerSecondTotal: 0,
		caps: { kvCapacitySequences: capacity, ...caps },
		layout,
		step: {
			decodeStepSeconds: 0,
			stepSeconds: 0,
			memorySeconds: 0,
			computeSeconds: 0,
			overlapPenaltySeconds: 0,
			hostSeconds: 0,
			allToAllSeconds: 0,
			prefillSecondsPerRequest: 0,
			extraPrefillStepsPerCycle: 0,
		},
		assumptions: notes,
	};
}
