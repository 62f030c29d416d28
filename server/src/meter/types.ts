/**
 * The meter's contract: what one measured run becomes once it is set against the roofline, and the
 * catalog/physics functions it needs (injected, so the arithmetic is testable with hand-made specs).
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from '../analysis/catalog/types';
import type { Estimate, EstimateInput } from '../analysis/physics/types';

export interface MeterCatalog {
	hardware: HardwareSpec[];
	models: ModelSpec[];
	formats: FormatSpec[];
	kvDtypes: KvDtypeSpec[];
}

export type ModelLookup =
	| { ok: true; model: ModelSpec; matchedBy: string; impliedFormat?: string; note?: string }
	| { ok: false; query: string; suggestions: string[]; message: string };

export type HardwareLookup =
	{ ok: true; hardware: HardwareSpec } | { ok: false; query: string; suggestions: string[]; message: string };

/** The catalog and physics functions the meter calls; the CLI passes the real modules. */
export interface MeterDeps {
	catalog: MeterCatalog;
	resolveModel(query: string, catalog?: MeterCatalog): ModelLookup;
	resolveHardware(query: string, catalog?: MeterCatalog): HardwareLookup;
	resolveFormat(name: string, catalog?: MeterCatalog): FormatSpec | undefined;
	resolveKvDtype(name: string, catalog?: MeterCatalog): KvDtypeSpec | undefined;
	estimate(input: EstimateInput, catalogHardware?: HardwareSpec[]): Estimate;
}

/** What the user said on the command line; each overrides what the measurement file implies. */
export interface MeterOverrides {
	model?: string;
	weights?: string;
	kvDtype?: string;
	/** A resolved device (from --hardware or --bandwidth-gbs/--tflops). */
	hardware?: HardwareSpec;
	/** Devices the run spans (tensor parallel); peak bandwidth and FLOPs scale with it. */
	devices?: number;
	/** vLLM latency runs: the batch/input/output the run used when the file does not say. */
	batch?: number;
	inputLen?: number;
	outputLen?: number;
	/** Live scrapes: context per sequence when the server does not report KV occupancy. */
	context?: number;
}

export type RunKind = 'pp' | 'tg' | 'pp+tg' | 'serve' | 'latency';

export interface MeterRun {
	/** Where it came from: `llama-bench json entry 0`, `vllm bench serve`. */
	source: string;
	test: string;
	kind: RunKind;
	/** Catalog model id, or null when it could not be resolved (see errors). */
	model: string | null;
	modelMatchedBy?: string;
	weights: string | null;
	kvDtype: string | null;
	hardware: string | null;
	devices: number;
	/** Peak bandwidth of all devices together, decimal GB/s, and where it came from. */
	peakBandwidthGBs: number | null;
	peakBandwidthOrigin: 'spec' | 'measured' | 'flag' | null;
	peakTflops: number | null;
	peakTflopsDtype: string | null;
	/** Measured tokens per second (all sequences together). */
	tokensPerSecond: number;
	tokensPerSecondStddev?: number;
	/** Measured decode steps per second (one token per running sequence per step); null for pp runs. */
	stepsPerSecond: number | null;
	batch: number;
	/** Tokens in each sequence's KV cache the bytes-per-step figure assumes. */
	context: number;
	/** Bytes read per decode step (pp runs: per prompt token), and how that was worked out. */
	bytesPerStep: number | null;
	weightBytesPerStep: number | null;
	kvBytesPerStep: number | null;
	bytesPerStepSource: string | null;
	achievedBandwidthGBs: number | null;
	achievedTflops: number | null;
	/** Model bandwidth utilisation: achieved ÷ peak bandwidth (0..1+). */
	mbu: number | null;
	/** Model FLOPs utilisation: achieved ÷ peak FLOP/s (0..1). */
	mfu: number | null;
	/** Which of the two is the run's constraint: tg/decode → 'memory' (MBU), pp → 'compute' (MFU). */
	bound: 'memory' | 'compute' | null;
	/** Physics engine: tok/s with its efficiency model, and the pure roofline. */
	expectedTokensPerSecond: number | null;
	rooflineTokensPerSecond: number | null;
	/** measured ÷ expected. */
	measuredOverExpected: number | null;
	notes: string[];
	errors: string[];
}

export interface MeterReport {
	tool: 'inference-meter meter';
	input: { kind: 'llama-bench' | 'vllm-bench'; file: string; format: string };
	runs: MeterRun[];
	errors: string[];
}
