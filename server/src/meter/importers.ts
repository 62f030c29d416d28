/**
 * From parsed benchmark files to assessed runs: each llama-bench row or vLLM result becomes a
 * Measurement (rate, steps/s, batch, context) plus the catalog entries it ran with.
 */
import type { LlamaBenchRun } from './llamaBench';
import { parseLlamaBench } from './llamaBench';
import {
	baseName,
	formatFromFileName,
	ggufFtypeToFormat,
	resolveRunFormat,
	resolveRunHardware,
	resolveRunKv,
	resolveRunModel,
	runSpecs,
} from './resolve';
import type { MeterDeps, MeterOverrides, MeterReport, MeterRun } from './types';
import type { Measurement } from './utilization';
import { assessRun } from './utilization';
import type { VllmLatencyResult, VllmServeResult } from './vllmBench';
import { parseVllmBench } from './vllmBench';

/** Backends whose presence means llama-bench ran layers on an accelerator (`ngl` counts). */
const ACCEL_BACKEND = /CUDA|Metal|MTL|Vulkan|ROCm|HIP|SYCL|CANN|MUSA|OpenCL|Kompute|WebGPU/i;

export function meterLlamaBench(text: string, file: string, deps: MeterDeps, o: MeterOverrides): MeterReport {
	const parsed = parseLlamaBench(text);
	const runs = parsed.runs.map((r) => assessLlamaBenchRun(r, parsed.format, deps, o));
	const errors = [...parsed.errors];
	if (runs.length === 0 && errors.length === 0) errors.push('no llama-bench results in the file');
	return {
		tool: 'inference-meter meter',
		input: { kind: 'llama-bench', file, format: parsed.format },
		runs,
		errors,
	};
}

export function assessLlamaBenchRun(
	r: LlamaBenchRun,
	format: string,
	deps: MeterDeps,
	o: MeterOverrides,
): MeterRun {
	const desc = splitModelType(r.modelType);
	const fileName = r.modelFilename ? baseName(r.modelFilename) : undefined;
	const model = resolveRunModel(deps, o.model, [fileName, desc.name, r.modelType], {
		params: r.modelParams,
		arch: desc.arch,
	});
	const weights = resolveRunFormat(
		deps,
		o.weights,
		[
			{ name: model.impliedFormat, from: 'model name' },
			{ name: fileName ? formatFromFileName(fileName) : undefined, from: 'file name' },
			{ name: desc.ftype ? ggufFtypeToFormat(desc.ftype) : undefined, from: 'model_type' },
		],
		model.value,
	);
	const kv = resolveRunKv(deps, o.kvDtype, r.typeK, 'f16');
	const onAccel = (r.nGpuLayers ?? 0) > 0 && ACCEL_BACKEND.test(r.backends ?? '');
	const named = onAccel ? r.gpuInfo?.split(/,\s*/)[0] : r.cpuInfo;
	const hw = resolveRunHardware(deps, o.hardware, named);
	const notes: string[] = [];
	const gpus = r.gpuInfo?.split(/,\s*/).filter(Boolean) ?? [];
	if (onAccel && gpus.length > 1 && !o.devices)
		notes.push(
			`llama-bench saw ${gpus.length} GPUs; with the default layer split they run one after another, so one GPU's ` +
				'bandwidth is the peak (pass --devices N for row/tensor split)',
		);
	if (r.typeV && r.typeK && r.typeV !== r.typeK)
		notes.push(`type_v ${r.typeV} differs from type_k ${r.typeK}; KV bytes use type_k for both`);
	const tg = r.kind === 'tg';
	const m: Measurement = {
		source: `llama-bench ${format} ${r.where}`,
		test: r.test,
		kind: r.kind,
		tokensPerSecond: r.avgTs,
		tokensPerSecondStddev: r.stddevTs,
		stepsPerSecond: tg ? r.avgTs : null,
		batch: 1,
		// A tg run fills the cache from n_depth to n_depth + n_gen: its mean context is halfway.
		context: tg ? r.nDepth + r.nGen / 2 : r.nDepth + r.nPrompt,
		prompt: r.kind === 'tg' ? Math.max(1, r.nDepth) : r.nPrompt,
		engine: 'llama.cpp',
		gpuLayers: hw.value?.deviceClass === 'cpu' ? undefined : r.nGpuLayers,
		weightFileBytes: r.modelSizeBytes,
		weightFileBytesApprox: r.modelSizeApprox,
		notes,
	};
	return assessRun(m, runSpecs(model, weights, kv, hw, o.devices ?? 1), deps);
}

/** `llama 7B Q4_K - Medium` → arch `llama`, name `llama 7B`, ftype `Q4_K - Medium`. */
export function splitModelType(t: string | undefined): { arch?: string; name?: string; ftype?: string } {
	const m = /^(\S+)\s+(\S+)\s+(.+)$/.exec(t?.trim() ?? '');
	if (!m) return {};
	return { arch: m[1], name: `${m[1]} ${m[2]}`, ftype: m[3] };
}

export function meterVllmBench(text: string, file: string, deps: MeterDeps, o: MeterOverrides): MeterReport {
	const parsed = parseVllmBench(text);
	const report: MeterReport = {
		tool: 'inference-meter meter',
		input: { kind: 'vllm-bench', file, format: parsed.ok ? parsed.result.kind : 'unknown' },
		runs: [],
		errors: [],
	};
	if (!parsed.ok) {
		report.errors.push(parsed.message);
		return report;
	}
	const res = parsed.result;
	const model = resolveRunModel(deps, o.model, [res.modelId]);
	const weights = resolveRunFormat(
		deps,
		o.weights,
		[{ name: model.impliedFormat, from: 'model name' }],
		model.value,
	);
	const kvDefault = weights.value?.computeDtype === 'fp16' ? 'fp16' : 'bf16';
	const kv = resolveRunKv(deps, o.kvDtype, undefined, kvDefault);
	const hw = resolveRunHardware(deps, o.hardware, undefined);
	const m = res.kind === 'serve' ? serveMeasurement(res) : latencyMeasurement(res, o);
	m.notes.push(...parsed.notes);
	report.runs.push(assessRun(m, runSpecs(model, weights, kv, hw, o.devices ?? 1), deps));
	return report;
}

export function serveMeasurement(r: VllmServeResult): Measurement {
	const notes: string[] = [];
	const stepMs = r.itlMs.mean ?? r.tpotMs.mean ?? r.tpotMs.median;
	let stepsPerSecond: number;
	let batch: number;
	if (stepMs && stepMs > 0) {
		stepsPerSecond = 1000 / stepMs;
		// Little's law: tokens/s of all requests ÷ steps/s = sequences decoding in each step.
		batch = r.outputThroughput / stepsPerSecond;
		if (r.maxConcurrency && batch > r.maxConcurrency) batch = r.maxConcurrency;
		notes.push(
			`decode steps/s = 1000 / mean ${r.itlMs.mean !== undefined ? 'ITL' : 'TPOT'} (${stepMs.toFixed(2)} ms); ` +
				`effective batch = output tok/s ÷ steps/s = ${batch.toFixed(1)}`,
		);
	} else {
		batch = r.maxConcurrency ?? 1;
		stepsPerSecond = r.outputThroughput / batch;
		notes.push(
			`no ITL/TPOT in the file: batch taken as max_concurrency (${batch}), steps/s = output tok/s ÷ batch`,
		);
	}
	const done = r.completed ?? r.numPrompts;
	let context = 1024;
	let prompt = 512;
	if (done && r.totalInputTokens !== undefined && r.totalOutputTokens !== undefined) {
		prompt = r.totalInputTokens / done;
		context = prompt + r.totalOutputTokens / done / 2;
	} else notes.push('mean prompt/output lengths not in the file: context assumed 1024 tokens');
	const conc = r.maxConcurrency !== undefined ? `c=${r.maxConcurrency}` : `rate=${r.requestRate ?? '?'}`;
	return {
		source: 'vllm bench serve',
		test: `serve ${conc}${r.numPrompts ? ` n=${r.numPrompts}` : ''}`,
		kind: 'serve',
		tokensPerSecond: r.outputThroughput,
		stepsPerSecond,
		batch: Math.max(1, batch),
		context,
		prompt,
		engine: 'vllm',
		notes,
	};
}

export function latencyMeasurement(r: VllmLatencyResult, o: MeterOverrides): Measurement {
	const notes: string[] = [];
	const pick = (flag: number | undefined, file: number | undefined, dflt: number, name: string) => {
		if (flag !== undefined) return flag;
		if (file !== undefined) return file;
		notes.push(
			`${name} not in the file: vLLM's default ${dflt} assumed (pass --${name} if the run differed)`,
		);
		return dflt;
	};
	const batch = pick(o.batch, r.batchSize, 8, 'batch');
	const inputLen = pick(o.inputLen, r.inputLen, 32, 'input-len');
	const outputLen = pick(o.outputLen, r.outputLen, 128, 'output-len');
	notes.push('latency includes the prefill of the prompt, so steps/s and MBU are lower bounds for decode');
	return {
		source: 'vllm bench latency',
		test: `latency b${batch} in${inputLen} out${outputLen}`,
		kind: 'latency',
		tokensPerSecond: (batch * outputLen) / r.avgLatencySeconds,
		stepsPerSecond: outputLen / r.avgLatencySeconds,
		batch,
		context: inputLen + outputLen / 2,
		prompt: inputLen,
		engine: 'vllm',
		notes,
	};
}
