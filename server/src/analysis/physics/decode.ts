/**
 * One decode step at batch B and context C: bytes, FLOPs, roofline and expected time. Derivations in
 * docs/physics.md § "Decode step".
 */
import type { ModelSpec } from '../catalog/types';
import {
	bandwidthEfficiency,
	BANDWIDTH_EFFICIENCY,
	COMPUTE_EFFICIENCY,
	CPU_PER_THREAD_BANDWIDTH_GBS,
	cpuDequantRate,
	fixedOverhead,
} from './efficiency';
import { kvBytesForSequence, kvLayerTokens } from './kv';
import { offloadFraction } from './memory';
import { allReduceSecondsPerStep, kvReplication, pipelineTiming, type ParallelLayout } from './parallel';
import { peakFor } from './peak';
import type { DecodeEstimate, EstimateInput, MemoryEstimate } from './types';
import { decodeWeightRead, tensorBits } from './weights';

/** Host memory the non-offloaded llama.cpp layers stream from when none is given: dual-channel DDR5-4000. */
export const DEFAULT_HOST_BANDWIDTH_GBS = 64;

/** Attention FLOPs one token spends at context C (QKᵀ and AV over the cached tokens, window-capped). */
export function attentionFlopsPerToken(model: ModelSpec, context: number): number {
	const layerTokens = kvLayerTokens(model, context);
	if (model.mla) {
		// Absorbed MLA decode: scores over the latent+rope key, values over the latent.
		return 2 * model.heads * (2 * model.mla.kvLoraRank + model.mla.ropeHeadDim) * layerTokens;
	}
	return 4 * model.heads * model.headDim * layerTokens;
}

/** Activation traffic per step: hidden/MLP intermediates per layer, embedding rows and fp32 logits. */
export function activationBytesPerStep(model: ModelSpec, batch: number, embeddingBits: number): number {
	const inter = model.moe ? model.moe.expertIntermediate * model.moe.expertsPerToken : model.intermediate;
	const perLayer = (8 * model.hidden + 3 * inter) * 2;
	return batch * (model.layers * perLayer + model.vocab * 4 + (model.hidden * embeddingBits) / 8);
}

export interface DecodeContext {
	input: EstimateInput;
	layout: ParallelLayout;
	memory: MemoryEstimate;
	/** Assumptions the step adds (peak fallback, unknown threads, …). */
	notes: string[];
}

/** Bandwidth the weights stream at: on-chip SRAM when weights + KV fit there, else device memory. */
function bandwidthFor(ctx: DecodeContext): { gbs: number; residence: 'device' | 'sram' } {
	const hw = ctx.input.hardware;
	const m = ctx.memory;
	if (hw.sramMB && hw.sramBandwidthTBs) {
		const resident = m.weightsBytesPerDevice + m.kvBytesPerDevice <= hw.sramMB * 1e6;
		if (resident || hw.deviceClass === 'hardwired')
			return { gbs: hw.sramBandwidthTBs * 1000, residence: 'sram' };
	}
	return { gbs: hw.bandwidthGBs, residence: 'device' };
}

/** What one device of one pipeline stage moves and computes for one micro-batch. */
interface StageTraffic {
	weightsDevice: number;
	weightsHost: number;
	kvDevice: number;
	activationsDevice: number;
	flopsDevice: number;
	/** Parameters one device dequantizes per micro-batch step (CPU dequant term). */
	paramsDevice: number;
	onDevice: number;
}

function stageTraffic(input: EstimateInput, layout: ParallelLayout, micro: number): StageTraffic {
	const { model, weights, context } = input;
	const tp = layout.tensorParallel;
	const shards = tp * layout.pipelineParallel;
	const onDevice = offloadFraction(input);
	const read = decodeWeightRead(model, weights, micro);
	const embBits = tensorBits(weights).embedding;
	const kvSeq = kvBytesForSequence(model, input.kvDtype, context);
	return {
		weightsDevice: (read.bytes * onDevice) / shards,
		weightsHost: read.bytes * (1 - onDevice),
		kvDevice: (micro * kvSeq * kvReplication(model, tp)) / shards,
		activationsDevice: activationBytesPerStep(model, micro, embBits) / shards,
		flopsDevice: (micro * (2 * read.paramsPerToken + attentionFlopsPerToken(model, context))) / shards,
		paramsDevice: (read.paramsPerToken * onDevice) / shards,
		onDevice,
	};
}

interface ExpectedStage {
	/** Seconds of one stage on its device (memory, compute or dequant, whichever is longest). */
	stageSeconds: number;
	/** Seconds streaming host-resident weights (llama.cpp partial offload), once per step. */
	hostSeconds: number;
	reasons: string[];
}

/** The efficiency model for one stage: class bandwidth ceiling × kernel terms, CPU thread limits, host stream. */
function expectedStage(
	ctx: DecodeContext,
	t: StageTraffic,
	bwBytes: number,
	peakFlops: number,
): ExpectedStage {
	const { input } = ctx;
	const cls = input.hardware.deviceClass;
	const eff = bandwidthEfficiency(input.engine, cls, input.weights);
	const reasons = [...eff.reasons];
	let weightBw = bwBytes * eff.factor;
	let otherBw = bwBytes * BANDWIDTH_EFFICIENCY[cls];
	let dequantSeconds = 0;
	if (cls === 'cpu' && input.threads) {
		const cap = input.threads * CPU_PER_THREAD_BANDWIDTH_GBS * 1e9;
		if (cap < weightBw) {
			weightBw = cap;
			otherBw = Math.min(otherBw, cap);
			reasons.push(
				`${input.threads} threads × ${CPU_PER_THREAD_BANDWIDTH_GBS} GB/s per thread caps the stream`,
			);
		}
		const perThread = cpuDequantRate(input.weights);
		dequantSeconds = t.paramsDevice / (perThread * 1e9 * input.threads);
		reasons.push(`${input.weights.id} dequant+dot ≈ ${perThread}×10⁹ weights/s per thread`);
	} else if (cls === 'cpu') {
		ctx.notes.push('CPU threads unknown: assumed enough cores to saturate memory bandwidth');
	}
	let hostSeconds = 0;
	if (t.weightsHost > 0) {
		const hostGbs = input.hostBandwidthGBs ?? DEFAULT_HOST_BANDWIDTH_GBS;
		hostSeconds = t.weightsHost / (hostGbs * 1e9 * BANDWIDTH_EFFICIENCY.cpu);
		reasons.push(
			`${((1 - t.onDevice) * 100).toFixed(0)} % of weights stream from host memory at ${hostGbs} GB/s`,
		);
		if (input.hostBandwidthGBs === undefined) ctx.notes.push(`host memory bandwidth assumed ${hostGbs} GB/s`);
	}
	const memSeconds = t.weightsDevice / weightBw + (t.kvDevice + t.activationsDevice) / otherBw;
	const computeSeconds = peakFlops > 0 ? t.flopsDevice / (peakFlops * COMPUTE_EFFICIENCY[cls]) : 0;
	return { stageSeconds: Math.max(memSeconds, computeSeconds, dequantSeconds), hostSeconds, reasons };
}

export function estimateDecode(ctx: DecodeContext): DecodeEstimate {
	const { input, layout } = ctx;
	const { model, weights, hardware, batch, context } = input;
	const tp = layout.tensorParallel;
	const pp = layout.pipelineParallel;
	const pipe = pipelineTiming(pp, batch);
	const micro = batch / pipe.microBatches;

	// Whole-step totals (all devices, whole batch).
	const read = decodeWeightRead(model, weights, batch);
	const kvRead = batch * kvBytesForSequence(model, input.kvDtype, context);
	const act = activationBytesPerStep(model, batch, tensorBits(weights).embedding);
	const bytesPerStep = read.bytes + kvRead + act;
	const flopsPerStep = batch * (2 * read.paramsPerToken + attentionFlopsPerToken(model, context));

	const peak = peakFor(hardware, weights.computeDtype);
	if (peak.note) ctx.notes.push(peak.note);
	const bw = bandwidthFor(ctx);
	const bwBytes = bw.gbs * 1e9;
	const ridge = peak.flopsPerSecond > 0 ? peak.flopsPerSecond / bwBytes : 0;
	const intensity = bytesPerStep > 0 ? flopsPerStep / bytesPerStep : 0;

	// Roofline: spec bandwidth and peak, per stage device and micro-batch; stages run in turn.
	const t = stageTraffic(input, layout, micro);
	const hostGbs = input.hostBandwidthGBs ?? DEFAULT_HOST_BANDWIDTH_GBS;
	const roofStage = Math.max(
		(t.weightsDevice + t.kvDevice + t.activationsDevice) / bwBytes,
		peak.flopsPerSecond > 0 ? t.flopsDevice / peak.flopsPerSecond : 0,
	);
	const roofStep = pp * roofStage + t.weightsHost / (hostGbs * 1e9);

	// Expected: efficiency terms, TP all-reduce, PP stages in turn, fixed engine overhead; never above roofline.
	const x = expectedStage(ctx, t, bwBytes, peak.flopsPerSecond);
	const allReduce = allReduceSecondsPerStep(model, hardware, tp, micro);
	const fixed = fixedOverhead(input.engine, hardware.deviceClass, model.layers);
	const reasons = [...x.reasons, fixed.reason];
	if (allReduce > 0) reasons.push(`TP ${tp} all-reduce ${(allReduce * 1e6).toFixed(0)} µs/step`);
	if (pp > 1)
		reasons.push(`PP ${pp}: ${(pipe.bubbleFraction * 100).toFixed(0)} % pipeline bubble at batch ${batch}`);
	// allReduce already covers every layer of the model (two collectives per layer), so it is counted once
	// per step, not once per pipeline stage.
	const step = Math.max(pp * x.stageSeconds + allReduce + x.hostSeconds + fixed.seconds, roofStep);

	const rooflinePerUser = roofStep > 0 ? 1 / roofStep : Infinity;
	const expectedPerUser = 1 / step;
	return {
		bytesPerStep,
		weightBytesPerStep: read.bytes,
		kvBytesPerStep: kvRead,
		activationBytesPerStep: act,
		flopsPerStep,
		arithmeticIntensity: intensity,
		ridgeFlopsPerByte: ridge,
		bound: ridge > 0 && intensity > ridge ? 'compute' : 'memory',
		rooflineTokensPerSecondPerUser: rooflinePerUser,
		expectedTokensPerSecondPerUser: expectedPerUser,
		tokensPerSecondTotal: batch * expectedPerUser,
		computeUtilization:
			peak.flopsPerSecond > 0 ? flopsPerStep / step / (peak.flopsPerSecond * layout.devices) : 0,
		efficiency: { factor: expectedPerUser / rooflinePerUser, reasons },
		allReduceSecondsPerStep: allReduce,
		stepSeconds: step,
		expertsTouchedPerLayer: read.expertsTouchedPerLayer,
		fixedSecondsPerStep: fixed.seconds,
		pipelineBubbleFraction: pipe.bubbleFraction,
		bandwidthGBsUsed: bw.gbs,
		peakTflopsUsed: peak.tflops,
		computeDtypeUsed: peak.dtype,
		weightsResidence: t.weightsHost > 0 ? 'device+host' : bw.residence,
	};
}
