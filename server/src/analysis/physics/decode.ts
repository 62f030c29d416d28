/**
 * One decode step at batch B and context C: bytes, FLOPs, roofline and expected time. Derivations in
 * docs/physics.md § "Decode step".
 */
import type { CpuCoreClass, ModelSpec } from '../catalog/types';
import {
	backendFor,
	bandwidthEfficiency,
	BANDWIDTH_EFFICIENCY,
	cpuDequantRate,
	cpuThreadGBs,
	cpuThreadConstant,
	cpuDotRate,
	decodeComputeShare,
	fixedOverhead,
	MLA_LAYER_KERNEL_FACTOR,
	MOE_LAYER_KERNEL_FACTOR,
} from './efficiency';
import { chipsToHold, vendorLayerUs, weightTier, type WeightTier } from './accelerator';
import { constant } from './calibration';
import { kvBytesForSequence, kvLayerTokens, recurrentStateBytes } from './kv';
import { moeSplit } from './moe';
import { offloadFraction } from './memory';
import { allReduceSecondsPerStep, kvReplication, pipelineTiming, type ParallelLayout } from './parallel';
import { gcnComputeUnitCap, llamaCppSmStream, xeCoreCap } from './llamaCppUnitCaps';
import { mmvqIssueCap } from './llamaCppIssue';
import { peakFor } from './peak';
import { nativeHalfDot, torchCpuPath } from './torchCpu';
import type { DecodeEstimate, EstimateInput, MemoryEstimate } from './types';
import { decodeWeightRead, tensorBits } from './weights';
import { vllmV0HostSeconds } from './vllmV0Host';

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

/** Bandwidth the weights stream at: on-chip SRAM, device memory, or a capacity tier behind it (accelerator.ts). */
function bandwidthFor(ctx: DecodeContext): WeightTier {
	const tier = weightTier(ctx.input.hardware, ctx.memory.weightsBytesPerDevice, ctx.memory.kvBytesPerDevice);
	if (tier.why) ctx.notes.push(tier.why);
	return tier;
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
	const read = decodeWeightRead(model, weights, input.identicalSequences ? 1 : micro);
	const embBits = tensorBits(weights).embedding;
	const kvSeq = kvBytesForSequence(model, input.kvDtype, context);
	return {
		weightsDevice: (read.bytes * onDevice) / shards,
		weightsHost: read.bytes * (1 - onDevice),
		// A hybrid's linear-attention layers read and write their recurrent state once per token.
		kvDevice: (micro * (kvSeq * kvReplication(model, tp) + 2 * recurrentStateBytes(model))) / shards,
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

/** CPU limits: threads actually used, the dequant+dot ceiling per ISA, NUMA and CCD reach. */
function cpuLimits(
	ctx: DecodeContext,
	t: StageTraffic,
	weightBw: number,
	reasons: string[],
): { weightBw: number; otherBw?: number; dequantSeconds: number } {
	const { input } = ctx;
	const cpu = input.hardware.cpu;
	// llama.cpp's default -t is the physical core count (cpu_get_num_math); SMT siblings share a core's vector
	// units, so threads beyond the physical cores add no dot-product throughput.
	const threads = input.threads ?? cpu?.cores;
	const torch = input.engine === 'pytorch' || input.engine === 'pytorch-compiled';
	// PyTorch's CPU GEMV (oneDNN/MKL, Arm ACL/KleidiAI, IPEX) reaches a share of ggml's stream: calibrated on the
	// ledger's CPU PyTorch runs (issue #12), applied after the thread, NUMA and CCD caps below.
	// On Apple CPUs PyTorch's intra-op pool has one thread per physical core, efficiency cores included
	// (c10/core/thread_pool.cpp defaultNumThreads: cpuinfo's core count), and at::parallel_for hands each thread an
	// equal static chunk (ATen/ParallelOpenMP.h invoke_parallel), so every matmul waits for the E-cores' chunks;
	// macOS cannot pin the team to the P-cores either. A share of its own (cpuStreamShare.pytorch-apple).
	const torchShareName = torchStreamConstant(cpu?.coreClass);
	const torchShare = torch ? constant(torchShareName) : 1;
	if (!threads) {
		ctx.notes.push('CPU threads unknown: assumed enough cores to saturate memory bandwidth');
		if (torch) reasons.push(torchStreamReason(torchShare, torchShareName));
		return { weightBw: weightBw * torchShare, dequantSeconds: 0 };
	}
	const ggml = input.engine === 'llama.cpp' || input.engine === 'ollama';
	if (!input.threads && cpu)
		ctx.notes.push(
			ggml
				? `CPU threads: llama.cpp default -t = ${cpu.cores} physical cores`
				: `CPU threads: ${cpu.cores} physical cores assumed (torch.get_num_threads() default)`,
		);
	const path = torchCpuPath(input.engine, input.weights, input.kvDtype, cpu);
	if (path.kind === 'woq')
		// The weight-only kernels differ several-fold between releases and ops (torchchat #472: 21 → 54 tok/s on
		// the same model once aten._weight_int8pack_mm replaced dequantize-then-matmul); the rate is their median.
		ctx.notes.push(
			`${input.engine} on CPU with ${input.weights.id} weights: PyTorch's weight-only int8/int4 CPU kernels vary several-fold between releases; the dequant rate (cpuWoqRate.pytorch) is a median over the ledger's runs`,
		);
	else if (!ggml && !torch)
		// The per-thread stream and dot rates were chosen on llama.cpp rows (ggml's hand-written SIMD kernels);
		// no ledger run measures this engine's CPU path.
		ctx.notes.push(
			`${input.engine} on CPU: the CPU rates are llama.cpp's (ggml kernels); no measured run backs this engine's CPU kernels, so read the speed as an upper bound`,
		);
	const cores = cpu ? Math.min(threads, cpu.cores) : threads;
	let bw = weightBw;
	// One thread's stream is bounded by the line fills its core keeps in flight (Little's law), which differs by
	// core class: desktop/server cores, mobile Cortex-A/Kryo cores, Apple performance cores.
	const perThread = cpuThreadGBs(cpu?.coreClass);
	const threadCap = threads * perThread * 1e9;
	if (threadCap < bw) {
		bw = threadCap;
		reasons.push(
			`${threads} threads × ${Number(perThread.toPrecision(3))} GB/s per thread (calibrated ${cpuThreadConstant(cpu?.coreClass)}) caps the stream`,
		);
	}
	if (cpu && cpu.numaNodes > 1) {
		if (input.numaPages === 'spread')
			// --numa distribute pins threads across the nodes; a fresh load lets each thread first-touch the rows
			// it multiplies every token, so the pages are local to their reader: every node's channels.
			reasons.push(`${cpu.numaNodes} NUMA nodes, pages spread by --numa distribute: every node's channels`);
		else {
			// The model's pages sit on the node that loaded them (page cache): one node's channels.
			bw /= cpu.numaNodes;
			reasons.push(`${cpu.numaNodes} NUMA nodes, pages on one node: 1/${cpu.numaNodes} of the channels`);
		}
	}
	if (cpu?.ccdReadGBs && cpu.ccds > 1) {
		const ccdsUsed = Math.min(cpu.ccds, Math.ceil((cores / cpu.cores) * cpu.ccds));
		const ccdCap = ccdsUsed * cpu.ccdReadGBs * 1e9;
		if (ccdCap < bw) {
			bw = ccdCap;
			reasons.push(`${ccdsUsed} CCDs × ${cpu.ccdReadGBs} GB/s fabric links cap the stream`);
		}
	}
	if (torch) {
		bw *= torchShare;
		reasons.push(torchStreamReason(torchShare, torchShareName));
	}
	let dequantSeconds: number;
	let weightBytesFactor = 1;
	if (path.kind === 'woq-materialized') {
		// The cast kernel and the matmul are separate streams over the weights (int8 in, a copy out, the copy
		// back in), then the matmul on that copy runs PyTorch's own 16-bit/fp32 path.
		weightBytesFactor = path.bytesFactor;
		reasons.push(path.why);
		const copy = path.activation;
		dequantSeconds =
			cpu && !nativeHalfDot(copy, cpu) ? halfConvertSeconds(t.paramsDevice, cores, copy, reasons) : 0;
	} else if (path.kind === 'half-convert') {
		// No native dot for this 16-bit type: a convert + fp32 FMA per weight per core (torchCpu.ts).
		reasons.push(path.why);
		dequantSeconds = halfConvertSeconds(t.paramsDevice, cores, path.dtype, reasons);
	} else if (torch && input.weights.quantized && input.weights.bitsPerWeight < 16) {
		// Weight-only int8/int4 in PyTorch unpacks each weight to a float and FMAs it per core, far below ggml's
		// integer dot products: its own calibrated rate replaces the llama.cpp one.
		const rate = constant('cpuWoqRate.pytorch');
		dequantSeconds = t.paramsDevice / (rate * 1e9 * cores);
		reasons.push(
			`${cores} cores × ${Number(rate.toPrecision(3))}×10⁹ weights/s (calibrated cpuWoqRate.pytorch) in PyTorch's weight-only ${input.weights.id} matmuls`,
		);
	} else if (cpu) {
		const dot = cpuDotRate(input.weights, cpu.isa);
		dequantSeconds = t.paramsDevice / (dot.rate * 1e9 * cores);
		reasons.push(`${cores} cores: ${dot.why}`);
	} else {
		const perThread = cpuDequantRate(input.weights);
		dequantSeconds = t.paramsDevice / (perThread * 1e9 * threads);
		reasons.push(`${input.weights.id} dequant+dot ≈ ${perThread}×10⁹ weights/s per thread`);
	}
	return { weightBw: bw / weightBytesFactor, otherBw: bw, dequantSeconds };
}

/** Seconds the cores spend widening 16-bit weights to fp32 for the FMA (no native dot for that type). */
function halfConvertSeconds(params: number, cores: number, dtype: string, reasons: string[]): number {
	const rate = constant('cpuHalfRate.pytorch');
	reasons.push(
		`${cores} cores × ${Number(rate.toPrecision(3))}×10⁹ weights/s (calibrated cpuHalfRate.pytorch) converting ${dtype} weights to fp32 for the FMA`,
	);
	return params / (rate * 1e9 * cores);
}

/** The calibrated share of the CPU stream PyTorch's GEMV reaches on this core class (Apple: its own, see cpuLimits). */
export function torchStreamConstant(
	coreClass?: CpuCoreClass,
): 'cpuStreamShare.pytorch' | 'cpuStreamShare.pytorch-apple' {
	return coreClass === 'apple' ? 'cpuStreamShare.pytorch-apple' : 'cpuStreamShare.pytorch';
}

function torchStreamReason(share: number, name: string): string {
	return `PyTorch CPU GEMV kernels reach ${Math.round(share * 100)} % of that stream (calibrated ${name})`;
}

/**
 * llama.cpp batched decode (B parallel sequences, -np): the first token's matmuls ride the weight stream,
 * but every further token runs through the quantized mmq/mmvq paths, which are compute-limited far below
 * dense peak at these small batches (dequantize per tile, no tensor-core-shaped M). So each extra token adds
 * its FLOPs at a small share of peak on top of the stream instead of overlapping it:
 * (B − 1) × FLOPs per token / (peak × batchedComputeShare.llama.cpp).
 */
export function llamaCppBatchedSeconds(
	input: EstimateInput,
	t: { flopsDevice: number },
	micro: number,
	peakFlops: number,
	share: number,
	stageLayers: number,
): { applies: boolean; seconds: number } {
	const applies = input.engine === 'llama.cpp' || input.engine === 'ollama';
	if (!applies || micro <= 1 || peakFlops <= 0 || share <= 0 || input.hardware.deviceClass === 'cpu')
		return { applies: applies && input.hardware.deviceClass !== 'cpu', seconds: 0 };
	const perToken = t.flopsDevice / micro;
	return {
		applies: true,
		seconds: ((micro - 1) * perToken) / (peakFlops * share) + moeBatchedSeconds(input, micro, stageLayers),
	};
}

/**
 * llama.cpp MoE layers at B > 1: ggml_mul_mat_id leaves the one-token mmvq path for the batched one, which
 * buckets the tokens by expert id and launches its matmul tiles over every expert of the layer (tiles of
 * experts no token chose still launch and exit). That costs per MoE layer in proportion to the expert count E,
 * whichever experts the batch touches: E × moeBatchedExpertUs.llama.cpp per layer. (llama-batched-bench feeds
 * every sequence the same token, so its rows touch only k experts and still pay this.)
 */
export function moeBatchedSeconds(input: EstimateInput, micro: number, stageLayers: number): number {
	const moe = input.model.moe;
	// Dense-first layers (DeepSeek) are few; every layer of the stage is counted as MoE.
	if (!moe || micro <= 1 || !moeSplit(input.model)) return 0;
	return (stageLayers * moe.experts * constant('moeBatchedExpertUs.llama.cpp')) / 1e6;
}

/** The efficiency model for one stage: stack bandwidth share × kernel terms, CPU limits, host stream. */
function expectedStage(
	ctx: DecodeContext,
	t: StageTraffic,
	bwBytes: number,
	peakFlops: number,
	stageLayers: number,
	micro: number,
): ExpectedStage {
	const { input } = ctx;
	const cls = input.hardware.deviceClass;
	const ids = { vendor: input.hardware.vendor, backend: input.backend };
	const eff = bandwidthEfficiency(input.engine, cls, input.weights, {
		...ids,
		coreClass: input.hardware.cpu?.coreClass,
	});
	const reasons = [...eff.reasons];
	let weightBw = bwBytes * eff.factor;
	let otherBw = bwBytes * Math.max(eff.factor, BANDWIDTH_EFFICIENCY[cls]);
	let dequantSeconds = 0;
	const sm = input.hardware.streamingMultiprocessors;
	const stack = backendFor(input.engine, cls, ids.vendor, ids.backend);
	// A per-unit stream cap (bytes in flight per compute unit) holds the weights and the KV/activation reads alike.
	const capStream = (cap: { bytesPerSecond: number; reason: string }) => {
		if (cap.bytesPerSecond >= weightBw) return;
		weightBw = cap.bytesPerSecond;
		otherBw = Math.min(otherBw, cap.bytesPerSecond);
		reasons.push(cap.reason);
	};
	const gcn = gcnComputeUnitCap(input, stack);
	const xe = xeCoreCap(input, stack);
	if (xe) {
		// Intel Arc: Xe-cores × the per-SM llama.cpp rate (× 1/1.7 on Alchemist) set the quantized stream (replacing
		// the Vulkan share), never above the spec bandwidth.
		weightBw = Math.min(xe.bytesPerSecond, bwBytes);
		otherBw = Math.min(otherBw, weightBw);
		reasons.push(xe.reason);
	} else if (gcn) {
		// GCN/Vega (wave64, 4 × SIMD16 per CU): llama.cpp's quantized mat-vec kernels reach CUs × a per-CU rate
		// (calibrated per stack: llamaCppGBsPerCU.gcn-hip / .gcn-vulkan), far below these cards' spec bandwidth.
		capStream(gcn);
	} else if (
		sm &&
		(input.engine === 'llama.cpp' || input.engine === 'ollama') &&
		(stack === 'cuda' || stack === 'rocm')
	) {
		// Little's law per SM: llama.cpp's mul_mat_vec kernels keep a bounded number of bytes in flight per SM,
		// so the stream they reach is SMs × (bytes in flight / latency), whatever the memory's spec. The latency
		// is the memory path's: an integrated GPU reaches its LPDDR through the SoC's memory controllers, a longer
		// path than a discrete card's GDDR/HBM, so its SMs have their own rate (llamaCppSmStream).
		capStream(llamaCppSmStream(input.hardware.deviceClass, sm.count));
	}
	const issue = mmvqIssueCap(input, stack);
	if (issue && t.paramsDevice > 0 && t.weightsDevice > 0) {
		// Low-bit GGUF types on CUDA/HIP: mmvq's instructions per weight, not the bytes, set the weight stream's pace
		// (llamaCppIssue.ts). As a byte rate: the bytes this stage streams per the seconds its weights take to issue.
		const issueBw = t.weightsDevice / (t.paramsDevice / issue.weightsPerSecond);
		if (issueBw < weightBw) {
			weightBw = issueBw;
			reasons.push(issue.reason);
		}
	}
	if (cls === 'cpu') {
		const c = cpuLimits(ctx, t, weightBw, reasons);
		weightBw = c.weightBw;
		otherBw = Math.min(otherBw, c.otherBw ?? weightBw);
		dequantSeconds = c.dequantSeconds;
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
	const share = decodeComputeShare(input.engine, cls, stack);
	const batched = llamaCppBatchedSeconds(input, t, micro, peakFlops, share.share, stageLayers);
	const computeSeconds = peakFlops > 0 && !batched.applies ? t.flopsDevice / (peakFlops * share.share) : 0;
	if (peakFlops > 0 && computeSeconds > memSeconds)
		reasons.push(
			`compute-bound: ${Math.round(share.share * 100)} % of dense peak${share.name ? ` (calibrated ${share.name})` : ''}`,
		);
	if (batched.seconds > 0)
		reasons.push(
			`llama.cpp batched decode: ${micro - 1} more tokens × FLOPs/token at ${Math.round(share.share * 100)} % of dense peak (calibrated ${share.name}) added to the stream`,
		);
	let layerSeconds = 0;
	if (backendFor(input.engine, cls, ids.vendor, ids.backend) === 'vendor') {
		// Dataflow/SRAM stacks: a token spends the vendor's per-layer latency in each layer; that is the layer
		// time, streaming included, unless the stream itself is slower.
		// The chips a model spans: those given, or (SRAM parts) at least as many as hold its weights on chip.
		const chips = Math.max(ctx.layout.devices, chipsToHold(input.hardware, ctx.memory.weightsBytes));
		const v = vendorLayerUs(cls, input.hardware, input.model, chips);
		// A fused MoE / MLA layer is a deeper program (router, top-k, dispatch and combine; latent projections):
		// its latency grows with its stage count as a GPU layer's does with its kernel count.
		const stages =
			(input.model.moe ? MOE_LAYER_KERNEL_FACTOR : 1) * (input.model.mla ? MLA_LAYER_KERNEL_FACTOR : 1);
		layerSeconds = (stageLayers * v.us * stages) / 1e6;
		reasons.push(
			`${v.us.toPrecision(3)} µs per layer per token${stages > 1 ? ` × ${Number(stages.toPrecision(3))} for the MoE/MLA layer stages` : ''} (${v.why})`,
		);
	}
	return {
		stageSeconds: Math.max(memSeconds, computeSeconds, dequantSeconds, layerSeconds) + batched.seconds,
		hostSeconds,
		reasons,
	};
}

export function estimateDecode(ctx: DecodeContext): DecodeEstimate {
	const { input, layout } = ctx;
	const { model, weights, hardware, batch, context } = input;
	const tp = layout.tensorParallel;
	const pp = layout.pipelineParallel;
	const pipe = pipelineTiming(pp, batch);
	const micro = batch / pipe.microBatches;

	// Whole-step totals (all devices, whole batch).
	// Identical sequences route to the same experts: the step reads one token's experts, computes B tokens.
	const routed = decodeWeightRead(model, weights, batch);
	const read = input.identicalSequences
		? {
				...routed,
				bytes: decodeWeightRead(model, weights, 1).bytes,
				expertsTouchedPerLayer:
					routed.expertsTouchedPerLayer && decodeWeightRead(model, weights, 1).expertsTouchedPerLayer,
			}
		: routed;
	const kvRead = batch * (kvBytesForSequence(model, input.kvDtype, context) + 2 * recurrentStateBytes(model));
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
	const x = expectedStage(ctx, t, bwBytes, peak.flopsPerSecond, model.layers / pp, micro);
	// On vendor stacks the per-layer token latency already covers the chips' own collectives.
	const vendor = backendFor(input.engine, hardware.deviceClass, hardware.vendor, input.backend) === 'vendor';
	const allReduce = vendor ? 0 : allReduceSecondsPerStep(model, hardware, tp, micro);
	const fixed = fixedOverhead(input.engine, hardware.deviceClass, model.layers, {
		model,
		hardware,
		backend: input.backend,
		threads: input.threads,
		format: input.weights,
		batch: micro,
		cudaGraphs: input.cudaGraphs,
	});
	// vLLM V0's per-sequence host work runs between GPU steps (the whole batch, every step).
	const v0Host = vllmV0HostSeconds(input, batch);
	const reasons = [...x.reasons, fixed.reason, ...(v0Host.reason ? [v0Host.reason] : [])];
	if (allReduce > 0) reasons.push(`TP ${tp} all-reduce ${(allReduce * 1e6).toFixed(0)} µs/step`);
	if (pp > 1)
		reasons.push(`PP ${pp}: ${(pipe.bubbleFraction * 100).toFixed(0)} % pipeline bubble at batch ${batch}`);
	// allReduce already covers every layer of the model (two collectives per layer), so it is counted once
	// per step, not once per pipeline stage.
	const step = Math.max(
		pp * x.stageSeconds + allReduce + x.hostSeconds + fixed.seconds + v0Host.seconds,
		roofStep,
	);

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
