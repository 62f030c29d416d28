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

export function estimateDecode(ctx: DecodeContext): DecodeEstimate {
	const { input, layout } = ctx;
	const { model, weights, hardware, batch, context } = input;
	const cls = hardware.deviceClass;
	const tp = layout.tensorParallel;
	const pp = layout.pipelineParallel;
	const shards = tp * pp;
	const pipe = pipelineTiming(pp, batch);
	const micro = batch / pipe.microBatches;

	const read = decodeWeightRead(model, weights, batch);
	const bits = tensorBits(weights);
	const kvRead = batch * kvBytesForSequence(model, input.kvDtype, context);
	const act = activationBytesPerStep(model, batch, bits.embedding);
	const bytesPerStep = read.bytes + kvRead + act;
	const attn = attentionFlopsPerToken(model, context);
	const flopsPerStep = batch * (2 * read.paramsPerToken + attn);

	const peak = peakFor(hardware, weights.computeDtype);
	if (peak.note) ctx.notes.push(peak.note);
	const bw = bandwidthFor(ctx);
	const bwBytes = bw.gbs * 1e9;
	const ridge = peak.flopsPerSecond > 0 ? peak.flopsPerSecond / bwBytes : 0;
	const intensity = bytesPerStep > 0 ? flopsPerStep / bytesPerStep : 0;

	// Per stage (one device of each TP group) and per micro-batch.
	const onDevice = offloadFraction(input);
	const microRead = decodeWeightRead(model, weights, micro);
	const wDev = (microRead.bytes * onDevice) / shards;
	const wHost = microRead.bytes * (1 - onDevice);
	const kvDev =
		(micro * kvBytesForSequence(model, input.kvDtype, context) * kvReplication(model, tp)) / shards;
	const actDev = activationBytesPerStep(model, micro, bits.embedding) / shards;
	const flopsDev = (micro * (2 * read.paramsPerToken + attn)) / shards;

	const roofStage = Math.max(
		(wDev + kvDev + actDev) / bwBytes,
		peak.flopsPerSecond > 0 ? flopsDev / peak.flopsPerSecond : 0,
	);
	const hostGbs = input.hostBandwidthGBs ?? DEFAULT_HOST_BANDWIDTH_GBS;
	const roofStep = pp * roofStage + wHost / (hostGbs * 1e9);

	// Expected: class bandwidth ceiling × kernel terms, thread limits on CPUs, fixed overheads.
	const eff = bandwidthEfficiency(input.engine, cls, weights);
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
		const rate = cpuDequantRate(weights) * 1e9 * input.threads;
		dequantSeconds = (microRead.paramsPerToken * onDevice) / shards / rate;
		reasons.push(`${weights.id} dequant+dot ≈ ${cpuDequantRate(weights)}×10⁹ weights/s per thread`);
	} else if (cls === 'cpu') {
		ctx.notes.push('CPU threads unknown: assumed enough cores to saturate memory bandwidth');
	}
	let hostSeconds = 0;
	if (wHost > 0) {
		hostSeconds = wHost / (hostGbs * 1e9 * BANDWIDTH_EFFICIENCY.cpu);
		reasons.push(
			`${((1 - onDevice) * 100).toFixed(0)} % of weights stream from host memory at ${hostGbs} GB/s`,
		);
		if (input.hostBandwidthGBs === undefined) ctx.notes.push(`host memory bandwidth assumed ${hostGbs} GB/s`);
	}
	const memSeconds = wDev / weightBw + (kvDev + actDev) / otherBw;
	const computeSeconds =
		peak.flopsPerSecond > 0 ? flopsDev / (peak.flopsPerSecond * COMPUTE_EFFICIENCY[cls]) : 0;
	const allReduce = allReduceSecondsPerStep(model, hardware, tp, micro);
	const stage = Math.max(memSeconds, computeSeconds, dequantSeconds) + allReduce;
	const fixed = fixedOverhead(input.engine, cls, model.layers);
	reasons.push(fixed.reason);
	if (allReduce > 0) reasons.push(`TP ${tp} all-reduce ${(allReduce * 1e6).toFixed(0)} µs/step`);
	if (pp > 1)
		reasons.push(`PP ${pp}: ${(pipe.bubbleFraction * 100).toFixed(0)} % pipeline bubble at batch ${batch}`);
	const step = Math.max(pp * stage + hostSeconds + fixed.seconds, roofStep);

	const rooflinePerUser = roofStep > 0 ? 1 / roofStep : Infinity;
	const expectedPerUser = 1 / step;
	const total = batch * expectedPerUser;
	const devices = layout.devices;
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
		tokensPerSecondTotal: total,
		computeUtilization: peak.flopsPerSecond > 0 ? flopsPerStep / step / (peak.flopsPerSecond * devices) : 0,
		efficiency: { factor: expectedPerUser / rooflinePerUser, reasons },
		allReduceSecondsPerStep: allReduce,
		stepSeconds: step,
		expertsTouchedPerLayer: read.expertsTouchedPerLayer,
		fixedSecondsPerStep: fixed.seconds,
		pipelineBubbleFraction: pipe.bubbleFraction,
		bandwidthGBsUsed: bw.gbs,
		peakTflopsUsed: peak.tflops,
		computeDtypeUsed: peak.dtype,
		weightsResidence: wHost > 0 ? 'device+host' : bw.residence,
	};
}
