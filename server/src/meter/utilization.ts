/**
 * Measured rate × bytes (or FLOPs) per step ÷ peak = utilisation. The bytes and FLOPs per step come
 * from the physics engine for the run's own batch and context; llama-bench's real file size replaces
 * the catalog's weight bytes when the run reports it.
 *
 *   achieved bandwidth = bytes per decode step × decode steps per second
 *   MBU = achieved bandwidth ÷ (peak bandwidth per device × devices)
 *   MFU = FLOPs per step × steps per second ÷ (peak FLOP/s per device × devices)
 */
import type {
	ComputeDtype,
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../analysis/catalog/types';
import type { Engine, Estimate } from '../analysis/physics/types';
import type { MeterDeps, MeterRun, RunKind } from './types';

export interface Measurement {
	source: string;
	test: string;
	kind: RunKind;
	/** Measured tokens per second, all sequences together. */
	tokensPerSecond: number;
	tokensPerSecondStddev?: number;
	/** Decode steps per second (null for prompt-processing runs). */
	stepsPerSecond: number | null;
	batch: number;
	/** Tokens in each sequence's KV cache during the measured steps (mean over the run). */
	context: number;
	/** Prompt tokens per sequence (pp runs: the tokens processed). */
	prompt: number;
	engine: Engine;
	gpuLayers?: number;
	/** llama-bench `model_size`: bytes of the tensors in the GGUF file. */
	weightFileBytes?: number;
	weightFileBytesApprox?: boolean;
	notes: string[];
}

export interface RunSpecs {
	model?: ModelSpec;
	modelMatchedBy?: string;
	weights?: FormatSpec;
	kv?: KvDtypeSpec;
	hardware?: HardwareSpec;
	devices: number;
	errors: string[];
	notes: string[];
}

/** Preferred compute dtype, then the next-best ones a device quotes (CPUs often list fp32 only). */
const FLOPS_FALLBACK: ComputeDtype[] = ['bf16', 'fp16', 'fp32'];

export function peakTflopsFor(
	hardware: HardwareSpec,
	dtype: ComputeDtype,
): { tflops: number; dtype: ComputeDtype } | undefined {
	for (const d of [dtype, ...FLOPS_FALLBACK]) {
		const v = hardware.peakTflops[d];
		if (v !== undefined && v > 0) return { tflops: v, dtype: d };
	}
	return undefined;
}

/** Stand-in device when none is known: bytes and FLOPs per step do not depend on it. */
const PLACEHOLDER_HW: HardwareSpec = {
	id: 'unknown-device',
	name: 'unknown device',
	vendor: 'unknown',
	deviceClass: 'gpu',
	spectrum: 'gpu',
	memoryType: 'unknown',
	memoryGB: 1e6,
	bandwidthGBs: 1000,
	peakTflops: { bf16: 100, fp16: 100, fp32: 50 },
	sources: ['placeholder: no hardware given'],
	origin: 'ad-hoc',
};

export function assessRun(m: Measurement, specs: RunSpecs, deps: MeterDeps): MeterRun {
	const run: MeterRun = {
		source: m.source,
		test: m.test,
		kind: m.kind,
		model: specs.model?.id ?? null,
		modelMatchedBy: specs.modelMatchedBy,
		weights: specs.weights?.id ?? null,
		kvDtype: specs.kv?.id ?? null,
		hardware: specs.hardware?.id ?? null,
		devices: specs.devices,
		peakBandwidthGBs: specs.hardware ? specs.hardware.bandwidthGBs * specs.devices : null,
		peakBandwidthOrigin: specs.hardware ? bandwidthOrigin(specs.hardware) : null,
		peakTflops: null,
		peakTflopsDtype: null,
		tokensPerSecond: m.tokensPerSecond,
		tokensPerSecondStddev: m.tokensPerSecondStddev,
		stepsPerSecond: m.stepsPerSecond,
		batch: m.batch,
		context: m.context,
		bytesPerStep: null,
		weightBytesPerStep: null,
		kvBytesPerStep: null,
		bytesPerStepSource: null,
		achievedBandwidthGBs: null,
		achievedTflops: null,
		mbu: null,
		mfu: null,
		bound: m.kind === 'pp' ? 'compute' : m.kind === 'pp+tg' ? null : 'memory',
		expectedTokensPerSecond: null,
		rooflineTokensPerSecond: null,
		measuredOverExpected: null,
		notes: [...m.notes, ...specs.notes],
		errors: [...specs.errors],
	};
	if (!specs.model || !specs.weights || !specs.kv) return run;
	const hw = specs.hardware ?? PLACEHOLDER_HW;
	let est: Estimate;
	try {
		est = deps.estimate(
			{
				model: specs.model,
				weights: specs.weights,
				kvDtype: specs.kv,
				hardware: hw,
				devices: specs.devices,
				tensorParallel: specs.devices,
				batch: Math.max(1, Math.round(m.batch)),
				context: Math.max(1, Math.round(m.context)),
				prompt: Math.max(1, Math.round(m.prompt)),
				engine: m.engine,
				gpuLayers: m.gpuLayers,
			},
			deps.catalog.hardware,
		);
	} catch (e) {
		run.errors.push(`the physics engine could not estimate this run: ${(e as Error).message}`);
		return run;
	}
	const peak = specs.hardware ? peakTflopsFor(specs.hardware, specs.weights.computeDtype) : undefined;
	if (peak) {
		run.peakTflops = peak.tflops * specs.devices;
		run.peakTflopsDtype = peak.dtype;
		if (peak.dtype !== specs.weights.computeDtype)
			run.notes.push(`no ${specs.weights.computeDtype} peak for ${hw.id}; MFU uses its ${peak.dtype} peak`);
	}
	if (m.kind === 'pp') fillPrefill(run, m, est, specs.weights, specs.hardware);
	else if (m.kind === 'pp+tg')
		run.notes.push(
			'mixed prompt+generation test: its tok/s counts both phases, so MBU/MFU are not split out; use separate pp and tg tests',
		);
	else fillDecode(run, m, est);
	if (run.mbu !== null && run.mbu > 1.1)
		run.notes.push(
			`MBU above 100% means an assumption is off: device or device count, weight/KV format (fewer bytes per token), or tokens per step (speculative decoding)`,
		);
	if (!specs.hardware) {
		run.expectedTokensPerSecond = null;
		run.rooflineTokensPerSecond = null;
		run.measuredOverExpected = null;
		run.mbu = null;
		run.mfu = null;
	}
	return run;
}

function fillDecode(run: MeterRun, m: Measurement, est: Estimate): void {
	const d = est.decode;
	let weights = d.weightBytesPerStep;
	if (m.weightFileBytes && est.memory.weightsBytes > 0) {
		// Scale the engine's per-step weight traffic (active experts, embeddings skipped) by how the
		// real file compares with the catalog's idea of the weights.
		const scale = m.weightFileBytes / est.memory.weightsBytes;
		weights = d.weightBytesPerStep * scale;
		run.bytesPerStepSource =
			`weights from llama-bench model_size (${gib(m.weightFileBytes)}${m.weightFileBytesApprox ? ', rounded in the markdown table' : ''}` +
			`, ×${scale.toFixed(3)} vs the catalog's ${gib(est.memory.weightsBytes)}) + KV at ${Math.round(m.context)} tokens from the physics engine`;
	} else {
		run.bytesPerStepSource = `physics engine: weights (${gib(d.weightBytesPerStep)}/step) + KV at ${Math.round(m.context)} tokens × batch ${Math.round(m.batch)}`;
	}
	run.weightBytesPerStep = weights;
	run.kvBytesPerStep = d.kvBytesPerStep;
	run.bytesPerStep = weights + d.kvBytesPerStep + d.activationBytesPerStep;
	if (m.stepsPerSecond !== null) {
		run.achievedBandwidthGBs = (run.bytesPerStep * m.stepsPerSecond) / 1e9;
		run.achievedTflops = (d.flopsPerStep * m.stepsPerSecond) / 1e12;
		if (run.peakBandwidthGBs) run.mbu = run.achievedBandwidthGBs / run.peakBandwidthGBs;
		if (run.peakTflops) run.mfu = run.achievedTflops / run.peakTflops;
	}
	const batch = Math.max(1, Math.round(m.batch));
	run.expectedTokensPerSecond = d.tokensPerSecondTotal;
	run.rooflineTokensPerSecond = d.rooflineTokensPerSecondPerUser * batch;
	if (run.expectedTokensPerSecond > 0)
		run.measuredOverExpected = m.tokensPerSecond / run.expectedTokensPerSecond;
	if (d.bound === 'compute') run.bound = 'compute';
}

function fillPrefill(
	run: MeterRun,
	m: Measurement,
	est: Estimate,
	weights?: FormatSpec,
	hw?: HardwareSpec,
): void {
	const p = est.prefill;
	const tokens = Math.max(1, Math.round(m.prompt));
	const flopsPerToken = p.flops / tokens;
	const bytesPerToken = p.bytes / tokens;
	run.bytesPerStep = bytesPerToken;
	run.bytesPerStepSource = `physics engine prefill: ${gib(p.bytes)} moved for ${tokens} prompt tokens (per token here)`;
	run.achievedTflops = (flopsPerToken * m.tokensPerSecond) / 1e12;
	run.achievedBandwidthGBs = (bytesPerToken * m.tokensPerSecond) / 1e9;
	if (run.peakTflops) run.mfu = run.achievedTflops / run.peakTflops;
	if (run.peakBandwidthGBs) run.mbu = run.achievedBandwidthGBs / run.peakBandwidthGBs;
	run.expectedTokensPerSecond = p.tokensPerSecond;
	if (run.peakTflops && run.peakBandwidthGBs)
		run.rooflineTokensPerSecond = Math.min(
			(run.peakTflops * 1e12) / flopsPerToken,
			(run.peakBandwidthGBs * 1e9) / bytesPerToken,
		);
	if (p.tokensPerSecond > 0) run.measuredOverExpected = m.tokensPerSecond / p.tokensPerSecond;
	const int8 = hw?.peakTflops.int8;
	if (
		weights?.family === 'gguf' &&
		weights.quantized &&
		int8 &&
		hw?.deviceClass === 'gpu' &&
		run.achievedTflops
	)
		run.notes.push(
			`llama.cpp multiplies quantized GGUF weights with int8 kernels (MMQ) on GPUs: against the ${int8} TOPS int8 peak, ` +
				`MFU would be ${((run.achievedTflops / (int8 * run.devices)) * 100).toFixed(0)}%`,
		);
}

function bandwidthOrigin(hw: HardwareSpec): 'spec' | 'measured' | 'flag' {
	// A user catalog marks its entries 'user'; the probe's entry says "measured …" in its sources.
	if (hw.origin === 'measured' || hw.sources.some((s) => /^measured\b/i.test(s))) return 'measured';
	if (hw.origin === 'ad-hoc') return 'flag';
	return 'spec';
}

export function gib(bytes: number): string {
	return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}
