/**
 * `inference-meter estimate`: memory, decode, prefill, cost and coupling for one model on one device
 * (issue 2 §4). Resolution errors and bad flags exit 2 with one line naming what was wrong.
 */
import {
	adHocHardware,
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
	type Catalog,
} from '../analysis/catalog/index';
import type {
	DeviceClass,
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../analysis/catalog/types';
import { estimate } from '../analysis/physics/index';
import {
	DEFAULT_INPUT_TOKENS,
	DEFAULT_OUTPUT_TOKENS,
	estimateServing,
	SPECULATIVE_METHODS,
	type ServingEstimate,
	type ServingInput,
	type SpeculativeMethod,
} from '../analysis/physics/serving';
import { renderServing } from '../analysis/physics/serving/summary';
import { renderEstimate } from '../analysis/physics/summary';
import { ENGINES, type Engine, type Estimate } from '../analysis/physics/types';
import { formatHelp, parseArgs, type FlagSpec } from './args';
import { UsageError, type CliIO } from './io';
import { catalogFromFlag } from './userCatalog';

const DEVICE_CLASSES: readonly DeviceClass[] = [
	'cpu',
	'gpu',
	'apple-gpu',
	'unified-gpu',
	'accelerator',
	'dataflow',
	'in-memory',
	'sram',
	'hardwired',
];

const FLAGS: Record<string, FlagSpec> = {
	model: {
		kind: 'string',
		help: 'HF id, GGUF file name, Ollama tag or catalog alias (required)',
		alias: 'm',
	},
	weights: {
		kind: 'string',
		help: "weight format (bf16, fp8, awq, q4_k_m …); default: implied by the name, else the model's dtype",
	},
	'kv-dtype': {
		kind: 'string',
		help: 'KV cache dtype (bf16, fp16, fp8, q8_0 …); default: the engine default',
	},
	hardware: {
		kind: 'string',
		help: 'catalog hardware id (h100-sxm, apple-m2-ultra, epyc-9654 …)',
		alias: 'H',
	},
	'bandwidth-gbs': { kind: 'number', help: 'ad-hoc device: memory bandwidth, GB/s', min: 0.001 },
	tflops: { kind: 'number', help: 'ad-hoc device: dense 16-bit peak, TFLOPS', min: 0 },
	'memory-gb': { kind: 'number', help: 'ad-hoc device: memory capacity, GB', min: 0.001 },
	'device-class': { kind: 'string', help: 'ad-hoc device class', choices: DEVICE_CLASSES },
	devices: { kind: 'integer', help: 'devices the model spans (default 1)', min: 1, max: 4096 },
	tp: {
		kind: 'integer',
		help: 'tensor-parallel size (default: devices for vLLM-style engines)',
		min: 1,
		max: 4096,
	},
	pp: { kind: 'integer', help: 'pipeline-parallel size', min: 1, max: 4096 },
	batch: {
		kind: 'integer',
		help: 'concurrent sequences decoding together (default 1)',
		min: 1,
		max: 1_000_000,
	},
	context: {
		kind: 'integer',
		help: 'tokens in each KV cache at the decode step (default: --prompt, else 1024)',
		min: 0,
		max: 100_000_000,
	},
	prompt: {
		kind: 'integer',
		help: 'prompt tokens for prefill/TTFT (default 1024)',
		min: 1,
		max: 100_000_000,
	},
	engine: { kind: 'string', help: 'serving engine (default: from device and format)', choices: ENGINES },
	'gpu-memory-utilization': {
		kind: 'number',
		help: 'vLLM share of device memory (default 0.9)',
		min: 0.01,
		max: 1,
	},
	'gpu-layers': { kind: 'integer', help: 'llama.cpp layers on the accelerator (-ngl; default all)', min: 0 },
	threads: { kind: 'integer', help: 'CPU threads (llama.cpp -t)', min: 1, max: 4096 },
	'target-tps': { kind: 'number', help: 'latency target, tok/s per user (default 20)', min: 0.001 },
	'target-ttft': { kind: 'number', help: 'latency target, seconds to first token (default 2)', min: 0.001 },
	'input-tokens': {
		kind: 'integer',
		help: `serving: prompt tokens per request (alias --isl; default --prompt, else ${DEFAULT_INPUT_TOKENS})`,
		min: 1,
		max: 100_000_000,
		alias: 'isl',
	},
	'output-tokens': {
		kind: 'integer',
		help: `serving: answer tokens per request (alias --osl; default ${DEFAULT_OUTPUT_TOKENS})`,
		min: 1,
		max: 100_000_000,
		alias: 'osl',
	},
	concurrency: {
		kind: 'integer',
		help: 'serving: requests kept in flight by the clients (default --batch, else 1)',
		min: 1,
		max: 10_000_000,
	},
	offline: { kind: 'boolean', help: 'serving: every request queued at once (offline throughput run)' },
	'max-num-seqs': {
		kind: 'integer',
		help: 'serving: cap on running sequences (vLLM max-num-seqs, SGLang max-running-requests; default per engine/version)',
		min: 1,
	},
	'max-num-batched-tokens': {
		kind: 'integer',
		help: 'serving: tokens per engine step (vLLM max-num-batched-tokens, SGLang chunked-prefill-size; default per engine/version)',
		min: 1,
	},
	'engine-version': {
		kind: 'string',
		help: 'engine version (e.g. 0.8.5; default current): scheduler defaults, memory-plan rules, and for vLLM the engine (V0 before 0.8.0, with its per-sequence host cost per step)',
	},
	'speculative-tokens': {
		kind: 'integer',
		help: 'speculative decoding: draft tokens per step (K)',
		min: 1,
		max: 64,
	},
	'speculative-method': {
		kind: 'string',
		help: 'speculative decoding method (default eagle)',
		choices: SPECULATIVE_METHODS,
	},
	'acceptance-rate': {
		kind: 'number',
		help: 'speculative decoding: per-token acceptance 0–1 (default per method, stated)',
		min: 0,
		max: 0.99,
	},
	ep: {
		kind: 'integer',
		help: 'MoE: expert-parallel size (vLLM --enable-expert-parallel, SGLang --ep-size)',
		min: 1,
		max: 4096,
	},
	dp: {
		kind: 'integer',
		help: 'data-parallel size: MoE with --ep = attention DP ranks; dense = engine replicas',
		min: 1,
		max: 4096,
	},
	catalog: { kind: 'string', help: 'user catalog JSON file (extra or replacement entries)' },
	json: { kind: 'boolean', help: 'print JSON instead of the table' },
	help: { kind: 'boolean', help: 'show this help', alias: 'h' },
};

const USAGE = `usage: inference-meter estimate --model ID (--hardware ID | --bandwidth-gbs N [--tflops N --memory-gb N --device-class C]) [options]

Prints weight and KV memory, bytes and FLOPs per decode step, roofline and expected tok/s, TTFT,
$ per million tokens and the coupling-spectrum recommendation. Formulas: docs/physics.md.

Serving under load: a steady state of C clients (--concurrency) each keeping one request of
--input-tokens in / --output-tokens out in flight (defaults 1,000 / 1,000, stated as defaults). The
engine runs min(C, scheduler cap, KV capacity) sequences together, feeds prompt chunks into the same
steps under its token budget, and reports TTFT, inter-token latency, output tok/s per user and in
total, requests/s and what limits them. Built on the decode step above; the scheduler caps are the
engine's defaults by version unless given. What it does not simulate: request-length distributions
(every request has exactly the given lengths), prefix caching, preemption/recompute, arrival bursts
beyond the closed loop, and engine versions newer than its tables (it says so). Derivation and
measured accuracy: docs/physics.md § "Serving".`;

function pickHardware(f: Record<string, unknown>, catalog: Catalog): HardwareSpec {
	const adHoc = f['bandwidth-gbs'] !== undefined;
	if (f.hardware !== undefined && adHoc)
		throw new UsageError('give either --hardware or --bandwidth-gbs, not both');
	if (adHoc) {
		return {
			...adHocHardware({
				bandwidthGBs: f['bandwidth-gbs'] as number,
				tflops: f.tflops as number | undefined,
				memoryGB: f['memory-gb'] as number | undefined,
				deviceClass: f['device-class'] as DeviceClass | undefined,
			}),
			origin: 'ad-hoc',
		};
	}
	for (const k of ['tflops', 'memory-gb', 'device-class'])
		if (f[k] !== undefined)
			throw new UsageError(`--${k} describes an ad-hoc device: use it with --bandwidth-gbs`);
	if (f.hardware === undefined)
		throw new UsageError('estimate needs --hardware ID or --bandwidth-gbs N (see --help)');
	const r = resolveHardware(f.hardware as string, catalog);
	if (!r.ok) throw new UsageError(r.message);
	return r.hardware;
}

function pickWeights(
	f: Record<string, unknown>,
	model: ModelSpec,
	implied: string | undefined,
	catalog: Catalog,
): FormatSpec {
	const name = (f.weights as string | undefined) ?? implied ?? model.nativeDtype ?? 'bf16';
	const fmt = resolveFormat(name, catalog);
	if (fmt) return fmt;
	if (f.weights === undefined) return resolveFormat('bf16', catalog) as FormatSpec;
	const known = catalog.formats
		.map((x) => x.id)
		.slice(0, 24)
		.join(', ');
	throw new UsageError(`--weights: unknown format "${name}" (known: ${known} …)`);
}

function pickEngine(f: Record<string, unknown>, hw: HardwareSpec, fmt: FormatSpec): Engine {
	if (f.engine) return f.engine as Engine;
	if (fmt.family === 'gguf') return 'llama.cpp';
	if (fmt.family === 'onnx') return 'transformers.js';
	if (fmt.family === 'mlc') return 'mlc';
	if (hw.deviceClass === 'cpu' || hw.deviceClass === 'apple-gpu' || hw.deviceClass === 'unified-gpu')
		return 'llama.cpp';
	return 'vllm';
}

function pickKv(f: Record<string, unknown>, engine: Engine, fmt: FormatSpec, catalog: Catalog): KvDtypeSpec {
	const given = f['kv-dtype'] as string | undefined;
	// vLLM's `auto` stores KV in the model dtype; llama.cpp's default cache type is f16.
	const dflt =
		engine === 'vllm' || engine === 'sglang' || engine === 'trt-llm'
			? fmt.computeDtype === 'fp16'
				? 'fp16'
				: 'bf16'
			: 'f16';
	const kv = resolveKvDtype(given ?? dflt, catalog);
	if (kv) return kv;
	const known = catalog.kvDtypes.map((x) => x.id).join(', ');
	throw new UsageError(`--kv-dtype: unknown KV dtype "${given}" (known: ${known})`);
}

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { flags: f, positionals } = parseArgs(argv, FLAGS);
	if (f.help) {
		io.stdout(formatHelp(USAGE, FLAGS));
		return 0;
	}
	if (positionals.length)
		throw new UsageError(`estimate: unexpected argument "${positionals[0]}" (flags start with --)`);
	if (f.model === undefined)
		throw new UsageError('estimate needs --model (an HF id, GGUF file name or Ollama tag)');
	const catalog = catalogFromFlag(f.catalog as string | undefined, io);
	const res = resolveModel(f.model as string, catalog);
	if (!res.ok) throw new UsageError(res.message);
	const hardware = pickHardware(f, catalog);
	const weights = pickWeights(f, res.model, res.impliedFormat, catalog);
	const engine = pickEngine(f, hardware, weights);
	const kvDtype = pickKv(f, engine, weights, catalog);
	const prompt = (f.prompt as number | undefined) ?? 1024;
	const devices =
		(f.devices as number | undefined) ??
		((f.tp as number | undefined) ?? 1) * ((f.pp as number | undefined) ?? 1);
	const target = {
		...(f['target-tps'] !== undefined ? { tokensPerSecondPerUser: f['target-tps'] as number } : {}),
		...(f['target-ttft'] !== undefined ? { ttftSeconds: f['target-ttft'] as number } : {}),
	};
	// One workload for both estimates: the decode/prefill one at --batch/--context, the serving one at batch 1
	// (it sweeps its own batch) and the prompt as context.
	const base = {
		model: res.model,
		weights,
		kvDtype,
		hardware,
		devices,
		tensorParallel: f.tp as number | undefined,
		pipelineParallel: f.pp as number | undefined,
		prompt,
		engine,
		gpuMemoryUtilization: f['gpu-memory-utilization'] as number | undefined,
		gpuLayers: f['gpu-layers'] as number | undefined,
		threads: f.threads as number | undefined,
		// The version a config file would pin: the same memory-plan and engine rules as the editor applies.
		engineVersion: f['engine-version'] as string | undefined,
	};
	const est: Estimate = usageOnRangeError(() =>
		estimate(
			{
				...base,
				batch: (f.batch as number | undefined) ?? 1,
				context: (f.context as number | undefined) ?? prompt,
				latencyTarget: target,
			},
			catalog.hardware,
		),
	);
	if (res.note) est.assumptions.unshift(res.note);
	if (f.weights === undefined)
		est.assumptions.unshift(
			`weights ${weights.id}: ${res.impliedFormat ? 'implied by the model name' : "the model's native dtype"} (pass --weights to change)`,
		);
	const serving: ServingEstimate = usageOnRangeError(() =>
		estimateServing({ ...base, batch: 1, context: prompt }, servingInput(f, res.model.moe !== undefined)),
	);
	if (f.json) {
		const json = toJson(est, res.model, hardware, weights, res.matchedBy);
		io.stdout(`${JSON.stringify({ ...json, serving, assumptions: json.assumptions }, replacer, 2)}\n`);
	} else {
		io.stdout(renderEstimate(est, { model: res.model, hardware, weights, kvDtype }));
		io.stdout(renderServing(serving));
	}
	return 0;
}

/** The physics throws RangeError for inputs it cannot take (e.g. TP that does not divide): a usage error here. */
function usageOnRangeError<T>(run: () => T): T {
	try {
		return run();
	} catch (e) {
		if (e instanceof RangeError) throw new UsageError(e.message);
		throw e;
	}
}

/** The serving workload from flags; lengths and concurrency not given are defaults and say so. */
function servingInput(f: Record<string, unknown>, moe: boolean): ServingInput {
	const given = (k: string) => f[k] !== undefined;
	const inputTokens =
		(f['input-tokens'] as number | undefined) ?? (f.prompt as number | undefined) ?? DEFAULT_INPUT_TOKENS;
	const outputTokens = (f['output-tokens'] as number | undefined) ?? DEFAULT_OUTPUT_TOKENS;
	if (f.offline && given('concurrency'))
		throw new UsageError('give either --concurrency or --offline, not both');
	const concurrency = f.offline
		? Infinity
		: ((f.concurrency as number | undefined) ?? (f.batch as number | undefined) ?? 1);
	const tokens = f['speculative-tokens'] as number | undefined;
	if (tokens === undefined && (given('speculative-method') || given('acceptance-rate')))
		throw new UsageError('--speculative-method and --acceptance-rate need --speculative-tokens K');
	const ep = (f.ep as number | undefined) ?? 1;
	const dp = (f.dp as number | undefined) ?? 1;
	if (ep > 1 && !moe) throw new UsageError('--ep applies to mixture-of-experts models only');
	return {
		inputTokens,
		outputTokens,
		concurrency,
		scheduler: {
			maxRunning: f['max-num-seqs'] as number | undefined,
			tokenBudget: f['max-num-batched-tokens'] as number | undefined,
			engineVersion: f['engine-version'] as string | undefined,
		},
		// MoE with expert parallelism: DP ranks share the experts and run attention data-parallel; otherwise
		// DP means independent replicas of the whole engine.
		layout: moe && ep > 1 ? { expertParallel: ep, attentionDataParallel: dp } : { replicas: dp },
		speculative:
			tokens !== undefined
				? {
						method: ((f['speculative-method'] as string | undefined) ?? 'eagle') as SpeculativeMethod,
						tokens,
						acceptanceRate: f['acceptance-rate'] as number | undefined,
					}
				: undefined,
		defaulted: {
			inputTokens: !given('input-tokens') && !given('prompt'),
			outputTokens: !given('output-tokens'),
			concurrency: !f.offline && !given('concurrency') && !given('batch'),
		},
	};
}

/** JSON numbers cannot be Infinity/NaN: print null. */
function replacer(_k: string, v: unknown): unknown {
	return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

function toJson(est: Estimate, model: ModelSpec, hw: HardwareSpec, fmt: FormatSpec, matchedBy: string) {
	const { memory, decode, prefill, cost, coupling, assumptions, ...rest } = est;
	return {
		tool: { name: 'inference-meter', command: 'estimate' },
		model: {
			id: model.id,
			matchedBy,
			paramsTotal: model.paramsTotal,
			paramsActive: model.paramsActive,
			layers: model.layers,
			maxContext: model.maxContext,
		},
		hardware: {
			id: hw.id,
			name: hw.name,
			deviceClass: hw.deviceClass,
			spectrum: hw.spectrum,
			origin: hw.origin ?? 'catalog',
			memoryGB: hw.memoryGB,
			...(hw.memoryBytes !== undefined ? { memoryBytes: hw.memoryBytes, memorySource: hw.memorySource } : {}),
			bandwidthGBs: hw.bandwidthGBs,
			bandwidthKind: 'spec',
			peakTflops: decode.peakTflopsUsed ?? 0,
			peakDtype: decode.computeDtypeUsed,
			peakKind: 'dense',
			peakTflopsByDtype: hw.peakTflops,
			ridgeFlopsPerByte: decode.ridgeFlopsPerByte,
		},
		weights: { id: fmt.id, bitsPerWeight: fmt.bitsPerWeight, computeDtype: fmt.computeDtype },
		...rest,
		memory,
		decode,
		prefill,
		cost: cost ?? null,
		coupling: coupling ?? null,
		assumptions,
	};
}
