/**
 * Typed inputs and outputs of the agent tools (MCP and VS Code language-model tools share them). Bounds are
 * those of the `estimate` command's flags, so a NaN, a negative or a 20-digit number is refused here with a
 * clear message before any physics runs. Output schemas name the fields an agent reads most and let the rest
 * of the CLI's JSON through unchanged (the CLI's JSON contract is the reference: docs/physics.md).
 */
import { z } from 'zod';
import { ENGINES } from '../analysis/physics/types';

const count = (max: number) => z.number().int().min(1).max(max);

/** What `estimate` takes: the workload, then the hardware by catalog id or as an ad-hoc device. */
export const workloadShape = {
	model: z.string().min(1).max(300).describe('HF id, GGUF file name, Ollama tag or catalog alias'),
	weights: z
		.string()
		.min(1)
		.max(60)
		.optional()
		.describe('weight format: bf16, fp8, awq, gptq-int4, q4_k_m …'),
	kvDtype: z
		.string()
		.min(1)
		.max(30)
		.optional()
		.describe('KV cache dtype: bf16, fp8, q8_0 …; default: the engine default'),
	engine: z
		.enum(ENGINES as [string, ...string[]])
		.optional()
		.describe('serving engine; default: from device and format'),
	devices: count(4096).optional().describe('devices the model spans (default 1, or tp × pp)'),
	tp: count(4096).optional().describe('tensor-parallel size'),
	pp: count(4096).optional().describe('pipeline-parallel size'),
	batch: count(1_000_000).optional().describe('sequences decoding together (default 1)'),
	context: z
		.number()
		.int()
		.min(0)
		.max(100_000_000)
		.optional()
		.describe('tokens in each KV cache at the decode step'),
	prompt: count(100_000_000).optional().describe('prompt tokens for prefill / TTFT (default 1024)'),
	concurrency: count(1_000_000).optional().describe('concurrent requests for the serving estimate'),
	inputTokens: count(100_000_000).optional().describe('input (prompt) tokens per request for serving'),
	outputTokens: count(100_000_000).optional().describe('output tokens per request for serving'),
	gpuMemoryUtilization: z.number().min(0.01).max(1).optional().describe("vLLM's share of device memory"),
	gpuLayers: z
		.number()
		.int()
		.min(0)
		.max(100_000)
		.optional()
		.describe('llama.cpp layers on the accelerator (-ngl)'),
	threads: count(4096).optional().describe('CPU threads (llama.cpp -t)'),
	targetTokensPerSecondPerUser: z
		.number()
		.positive()
		.max(1e6)
		.optional()
		.describe('latency target: decode tok/s each user should see (default 20)'),
	targetTtftSeconds: z
		.number()
		.positive()
		.max(1e6)
		.optional()
		.describe('latency target: seconds to first token (default 2)'),
} as const;

export const hardwareShape = {
	hardware: z
		.string()
		.min(1)
		.max(100)
		.optional()
		.describe('catalog hardware id (h100-sxm, rtx-4090, apple-m4-max …)'),
	bandwidthGBs: z
		.number()
		.positive()
		.max(1e7)
		.optional()
		.describe('ad-hoc device: memory bandwidth, decimal GB/s'),
	tflops: z.number().min(0).max(1e7).optional().describe('ad-hoc device: dense 16-bit peak, TFLOPS'),
	memoryGB: z
		.number()
		.positive()
		.max(1e7)
		.optional()
		.describe('ad-hoc device: memory per device, decimal GB'),
	deviceClass: z
		.string()
		.min(1)
		.max(30)
		.optional()
		.describe('ad-hoc device class: gpu, cpu, apple-gpu, sram …'),
} as const;

export const estimateInputShape = { ...workloadShape, ...hardwareShape } as const;
export const estimateInput = z.object(estimateInputShape);
export type EstimateInput = z.infer<typeof estimateInput>;

export const compareInputShape = {
	...workloadShape,
	spectrum: z
		.enum(['cpu', 'gpu', 'dataflow', 'in-memory-compute', 'sram', 'hardwired'])
		.optional()
		.describe('only devices of this spectrum class'),
	limit: z.number().int().min(1).max(200).optional().describe('rows to return (default 15)'),
} as const;
export const compareInput = z.object(compareInputShape);
export type CompareInput = z.infer<typeof compareInput>;

export const analyzeFileInputShape = {
	path: z
		.string()
		.min(1)
		.max(4096)
		.describe('a file inside the workspace roots (absolute, or relative to the first root)'),
	hardware: z.string().min(1).max(100).optional().describe('target when the file names none (catalog id)'),
	devices: count(4096).optional().describe('devices available when the file does not say'),
} as const;
export const analyzeFileInput = z.object(analyzeFileInputShape);
export type AnalyzeFileInput = z.infer<typeof analyzeFileInput>;

export const explainInputShape = {
	code: z.string().min(1).max(80).describe('a diagnostic code, e.g. kv-cache-does-not-fit'),
} as const;
export const explainInput = z.object(explainInputShape);

const numberOrNull = z.number().nullable();

const estimateOutputShape = {
	model: z.looseObject({ id: z.string(), paramsTotal: z.number(), layers: z.number() }),
	hardware: z.looseObject({
		id: z.string(),
		name: z.string(),
		bandwidthGBs: z.number(),
		memoryGB: z.number(),
	}),
	engine: z.string(),
	devices: z.number(),
	batch: z.number(),
	memory: z.looseObject({ fits: z.boolean(), weightsBytes: z.number(), kvBytesPerToken: z.number() }),
	decode: z.looseObject({
		expectedTokensPerSecondPerUser: numberOrNull,
		rooflineTokensPerSecondPerUser: numberOrNull,
		bound: z.string(),
	}),
	prefill: z.looseObject({ ttftSeconds: numberOrNull }),
	cost: z.looseObject({ usdPerMillionTokens: numberOrNull, joulesPerToken: numberOrNull }).nullable(),
	coupling: z
		.looseObject({ current: z.string(), recommendedClass: z.string(), reasons: z.array(z.string()) })
		.nullable(),
	assumptions: z.array(z.string()),
} as const;

const rangeSchema = z.object({
	start: z.object({ line: z.number(), character: z.number() }),
	end: z.object({ line: z.number(), character: z.number() }),
});

const analyzeFileOutputShape = {
	path: z.string(),
	workloads: z.array(
		z.looseObject({ framework: z.string(), model: z.string(), resolvedModel: z.string().nullable() }),
	),
	diagnostics: z.array(
		z.looseObject({
			code: z.string(),
			severity: z.enum(['error', 'warning', 'information', 'hint']),
			message: z.string(),
			range: rangeSchema,
			fixes: z
				.array(
					z.looseObject({
						title: z.string(),
						edits: z.array(z.object({ range: rangeSchema, newText: z.string() })),
					}),
				)
				.optional(),
		}),
	),
} as const;

export const compareRow = z.object({
	id: z.string(),
	name: z.string(),
	spectrum: z.string(),
	deviceClass: z.string(),
	devices: z.number(),
	fits: z.boolean(),
	expectedTokensPerSecondPerUser: numberOrNull,
	rooflineTokensPerSecondPerUser: numberOrNull,
	bound: z.string().nullable(),
	usdPerMillionTokens: numberOrNull,
	joulesPerToken: numberOrNull,
	memoryPerDeviceGB: numberOrNull,
	note: z.string().optional(),
});
export type CompareRow = z.infer<typeof compareRow>;

const compareOutputShape = {
	model: z.string(),
	weights: z.string(),
	rankedBy: z.string(),
	rows: z.array(compareRow),
	skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
} as const;

const recommendOutputShape = {
	current: z.object({ hardware: z.string(), spectrum: z.string() }),
	recommendedClass: z.string(),
	recommendedHardware: z.string().nullable(),
	recommendedDevices: z.number().nullable(),
	reasons: z.array(z.string()),
	candidates: z.array(compareRow),
} as const;

const explainOutputShape = {
	code: z.string(),
	defaultSeverity: z.string(),
	summary: z.string(),
	stage: z.string(),
	reference: z.string(),
	url: z.string(),
} as const;

/**
 * Output schemas are open objects: the CLI's JSON carries more fields than the ones named here, and an
 * agent may read them all; the named ones are guaranteed.
 */
export const estimateOutput = z.looseObject(estimateOutputShape);
export const analyzeFileOutput = z.looseObject(analyzeFileOutputShape);
export const compareOutput = z.looseObject(compareOutputShape);
export const recommendOutput = z.looseObject(recommendOutputShape);
export const explainOutput = z.looseObject(explainOutputShape);
