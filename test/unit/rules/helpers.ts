/**
 * Hand-made inputs for rule tests: workloads whose spans are found by searching the text, a small
 * model/hardware set with round numbers, and a toy estimator whose arithmetic the tests restate.
 * Toy memory model: budget = capacity × util; KV budget = budget − weights/devices − 2 GB overhead;
 * max tokens = KV budget × devices / KV bytes per token. Toy decode: bytes per step over bandwidth.
 */
import type {
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../../../server/src/analysis/catalog/types';
import type { Estimate, EstimateInput } from '../../../server/src/analysis/physics/types';
import type { RuleContext } from '../../../server/src/analysis/rules/types';
import type { Framework, Setting, Workload, WorkloadSettings } from '../../../server/src/analysis/types';

export const OVERHEAD = 2e9;

export const llama8b: ModelSpec = {
	id: 'meta-llama/Llama-3.1-8B-Instruct',
	architecture: 'LlamaForCausalLM',
	layers: 32,
	hidden: 4096,
	intermediate: 14336,
	heads: 32,
	kvHeads: 8,
	headDim: 128,
	vocab: 128256,
	tiedEmbeddings: false,
	maxContext: 131072,
	paramsTotal: 8.03e9,
	paramsActive: 8.03e9,
	nativeDtype: 'bf16',
	sources: ['test'],
};

export const llama3b: ModelSpec = {
	...llama8b,
	id: 'meta-llama/Llama-3.2-3B-Instruct',
	layers: 28,
	hidden: 3072,
	intermediate: 8192,
	heads: 24,
	kvHeads: 8,
	paramsTotal: 3.21e9,
	paramsActive: 3.21e9,
};

function fmt(id: string, bits: number, family: FormatSpec['family'] = 'float'): FormatSpec {
	return {
		id,
		label: id,
		bitsPerWeight: bits,
		computeDtype: 'bf16',
		quantized: bits < 16,
		family,
		aliases: [],
		sources: [],
	};
}
export const formats: Record<string, FormatSpec> = {
	bf16: fmt('bf16', 16),
	fp16: fmt('fp16', 16),
	fp32: fmt('fp32', 32),
	q8: fmt('q8', 8, 'onnx'),
	q4f16: fmt('q4f16', 4.5, 'onnx'),
	q4: fmt('q4', 4.5, 'onnx'),
	q4_k_m: fmt('q4_k_m', 4.5, 'gguf'),
};
function kv(id: string, bytes: number): KvDtypeSpec {
	return { id, label: id, bytesPerElement: bytes, aliases: [], sources: [] };
}
export const kvs: Record<string, KvDtypeSpec> = {
	bf16: kv('bf16', 2),
	f16: kv('f16', 2),
	fp8: kv('fp8', 1),
	q8_0: kv('q8_0', 1),
	f32: kv('f32', 4),
};

function hw(
	id: string,
	name: string,
	memoryGB: number,
	bandwidthGBs: number,
	deviceClass: HardwareSpec['deviceClass'] = 'gpu',
): HardwareSpec {
	return {
		id,
		name,
		vendor: 'x',
		deviceClass,
		spectrum: deviceClass === 'cpu' ? 'cpu' : 'gpu',
		memoryType: 'x',
		memoryGB,
		bandwidthGBs,
		peakTflops: { bf16: 1000 },
		sources: [],
	};
}
export const hardware: Record<string, HardwareSpec> = {
	'h100-sxm': hw('h100-sxm', 'H100 SXM', 80, 3350),
	l4: hw('l4', 'L4', 24, 300),
	'rtx-4090': hw('rtx-4090', 'RTX 4090', 24, 1000),
	'browser-wasm': hw('browser-wasm', 'Browser (WASM)', 16, 50, 'cpu'),
	'browser-webgpu': hw('browser-webgpu', 'Browser (WebGPU)', 8, 200),
};
/** Host memory bandwidth for the toy partial-offload model, bytes/s. */
export const HOST_BW = 64e9;

/** The toy estimator described at the top of this file. */
export function toyEstimate(i: EstimateInput): Estimate {
	const m = i.model;
	const weightsBytes = (m.paramsTotal * i.weights.bitsPerWeight) / 8;
	const kvPerToken = 2 * m.layers * m.kvHeads * m.headDim * i.kvDtype.bytesPerElement;
	const util = i.gpuMemoryUtilization ?? 1;
	const capacity = i.hardware.memoryGB * 1e9;
	const budget = capacity * util;
	const onGpuShare = i.gpuLayers === undefined ? 1 : Math.min(1, i.gpuLayers / m.layers);
	const weightsPerDevice = (weightsBytes * onGpuShare) / i.devices;
	const kvBudget = budget - weightsPerDevice - OVERHEAD;
	const kvBytes = kvPerToken * i.batch * i.context;
	const reserve = kvPerToken * i.batch * (i.maxContext ?? i.context);
	const weightsFit = weightsPerDevice + OVERHEAD <= budget;
	const fits = weightsFit && reserve / i.devices <= kvBudget;
	const total = Math.max(0, kvBudget) * i.devices;
	const hostBytes = weightsBytes * (1 - onGpuShare);
	const gpuBytes = weightsBytes * onGpuShare + kvBytes;
	const step = gpuBytes / i.devices / (i.hardware.bandwidthGBs * 1e9) + hostBytes / HOST_BW;
	const flops = 2 * m.paramsActive * i.batch;
	const peak = (i.hardware.peakTflops.bf16 ?? 1) * 1e12 * i.devices;
	return {
		modelId: m.id,
		hardwareId: i.hardware.id,
		weightsFormat: i.weights.id,
		kvDtype: i.kvDtype.id,
		engine: i.engine,
		devices: i.devices,
		batch: i.batch,
		context: i.context,
		prompt: i.prompt,
		memory: {
			weightsBytes,
			weightsBytesPerDevice: weightsPerDevice,
			kvBytesPerToken: kvPerToken,
			kvBytes,
			kvBytesPerDevice: kvBytes / i.devices,
			runtimeOverheadBytesPerDevice: OVERHEAD,
			totalBytesPerDevice: weightsPerDevice + OVERHEAD + kvBytes / i.devices,
			capacityBytesPerDevice: capacity,
			budgetBytesPerDevice: budget,
			kvBudgetBytesPerDevice: kvBudget,
			fits,
			weightsFit,
			maxContextAtBatch: weightsFit ? total / (kvPerToken * i.batch) : 0,
			maxBatchAtContext: weightsFit ? total / (kvPerToken * (i.maxContext ?? i.context)) : 0,
			hostBytes: i.gpuLayers === undefined ? undefined : hostBytes,
		},
		decode: {
			bytesPerStep: gpuBytes + hostBytes,
			weightBytesPerStep: weightsBytes,
			kvBytesPerStep: kvBytes,
			activationBytesPerStep: 0,
			flopsPerStep: flops,
			arithmeticIntensity: flops / (gpuBytes + hostBytes),
			ridgeFlopsPerByte: peak / (i.hardware.bandwidthGBs * 1e9 * i.devices),
			bound: 'memory',
			rooflineTokensPerSecondPerUser: 1 / step,
			expectedTokensPerSecondPerUser: 1 / step,
			tokensPerSecondTotal: i.batch / step,
			computeUtilization: flops / step / peak,
			efficiency: { factor: 1, reasons: [] },
			allReduceSecondsPerStep: 0,
			stepSeconds: step,
		},
		prefill: { flops: 0, bytes: 0, seconds: 0, ttftSeconds: 0, tokensPerSecond: 0, bound: 'compute' },
		coupling: { current: 'gpu', recommendedClass: 'gpu', reasons: ['test'] },
		assumptions: [],
	};
}

/** A setting whose value text is the first occurrence of `needle` at or after `from` in `text`. */
export function at<T>(text: string, needle: string, value: T, key?: string, from = 0): Setting<T> {
	const offset = text.indexOf(needle, from);
	if (offset < 0) throw new Error(`"${needle}" not in text`);
	return { value, source: 'file', span: { offset, length: needle.length }, key };
}

export function workload(
	text: string,
	framework: Framework,
	syntax: Workload['syntax'],
	model: Setting<string>,
	settings: WorkloadSettings = {},
	flags: Workload['flags'] = [],
): Workload {
	return {
		framework,
		model,
		settings,
		span: { offset: 0, length: text.trimEnd().length },
		syntax,
		flags,
		unknowns: [],
	};
}

export interface CtxOptions {
	hardwareId?: string;
	devices?: number;
	batchContext?: number;
	model?: ModelSpec | null;
	weights?: string;
	kv?: string;
	concurrency?: number;
}

/** A RuleContext over the toy estimator; the input mirrors what resolve.ts would build. */
export function context(text: string, w: Workload, o: CtxOptions = {}): RuleContext {
	const hardwareSpec = hardware[o.hardwareId ?? 'h100-sxm'];
	const model = o.model === null ? undefined : (o.model ?? llama8b);
	const weights = formats[o.weights ?? 'bf16'];
	const kvDtype = kvs[o.kv ?? 'bf16'];
	const devices = o.devices ?? 1;
	const maxContext = w.settings.contextLength?.value ?? model?.maxContext ?? 4096;
	const input: EstimateInput | undefined = model
		? {
				model,
				weights,
				kvDtype,
				hardware: hardwareSpec,
				devices,
				tensorParallel: w.settings.tensorParallelSize?.value,
				batch: 1,
				context: Math.min(maxContext, o.batchContext ?? 2048),
				prompt: 1024,
				engine: w.framework === 'transformers' ? 'pytorch' : w.framework,
				maxContext,
				gpuMemoryUtilization:
					w.framework === 'vllm' ? (w.settings.gpuMemoryUtilization?.value ?? 0.9) : undefined,
				gpuLayers: w.settings.gpuLayers?.value,
			}
		: undefined;
	const evaluate = (over: Partial<EstimateInput>) => (input ? toyEstimate({ ...input, ...over }) : undefined);
	return {
		workload: w,
		index: 0,
		text,
		target: { hardwareId: hardwareSpec.id, devices, source: 'default', note: 'test' },
		targetLabel: `${hardwareSpec.name}, default`,
		hardware: hardwareSpec,
		model: model
			? { ok: true, model, matchedBy: 'exact' }
			: { ok: false, query: w.model.value, suggestions: ['a/b'], message: 'Unknown model x; closest: a/b' },
		weights,
		kvDtype,
		input,
		estimate: evaluate({}),
		concurrency: o.concurrency ?? w.settings.maxConcurrency?.value ?? 1,
		evaluate,
		formatById: (id) => formats[id],
		kvDtypeById: (id) => kvs[id],
	};
}

/** Applies a fix's edits (back to front) to the text. */
export function applyEdits(
	text: string,
	edits: { span: { offset: number; length: number }; newText: string }[],
): string {
	let out = text;
	for (const e of [...edits].sort((a, b) => b.span.offset - a.span.offset)) {
		out = out.slice(0, e.span.offset) + e.newText + out.slice(e.span.offset + e.span.length);
	}
	return out;
}
