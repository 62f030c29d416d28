/**
 * Inputs and outputs of the estimator. All numbers are plain SI units (bytes, FLOPs, seconds,
 * bytes/s, joules, USD); unit conversion for display happens at the edges.
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec, SpectrumClass } from '../catalog/types';
import type { MemoryPlan } from './memoryPlan';

export type Engine =
	| 'vllm'
	| 'llama.cpp'
	| 'transformers.js'
	| 'trt-llm'
	| 'mlc'
	| 'pytorch'
	| 'ollama'
	| 'sglang'
	// torch.compile with a static KV cache (gpt-fast, HF cache_implementation="static" + compile): CUDA graphs
	| 'pytorch-compiled'
	// Apple's MLX / mlx-lm (Metal kernels, lazy graph compiled per step) and ExLlama v1/v2 (CUDA int4/EXL2 kernels)
	| 'mlx'
	| 'exllama';

/** The kernel stack a decode step runs on; decides the bandwidth share and fixed per-token overheads. */
export type Backend = 'cuda' | 'rocm' | 'metal' | 'vulkan' | 'cpu' | 'webgpu' | 'wasm' | 'vendor';

export const ENGINES: readonly Engine[] = [
	'vllm',
	'llama.cpp',
	'transformers.js',
	'trt-llm',
	'mlc',
	'pytorch',
	'ollama',
	'sglang',
	'pytorch-compiled',
	'mlx',
	'exllama',
];

export interface PricingInput {
	/** Electricity price, USD per kWh. */
	electricityUsdPerKwh: number;
	/** Years over which the purchase price is spread. */
	amortizationYears: number;
	/** Share of wall-clock time the hardware does useful work (0..1). */
	utilization: number;
}

export interface LatencyTarget {
	tokensPerSecondPerUser?: number;
	ttftSeconds?: number;
}

export interface EstimateInput {
	model: ModelSpec;
	weights: FormatSpec;
	kvDtype: KvDtypeSpec;
	hardware: HardwareSpec;
	/** Devices the workload spans (TP × PP); default 1. */
	devices: number;
	tensorParallel?: number;
	pipelineParallel?: number;
	/** Concurrent sequences decoding together. */
	batch: number;
	/** Tokens already in each sequence's KV cache at the decode step (prompt + generated so far). */
	context: number;
	/** Prompt length for prefill / TTFT. */
	prompt: number;
	engine: Engine;
	/** vLLM: share of device memory the engine may use (default 0.9). */
	gpuMemoryUtilization?: number;
	/** llama.cpp: layers offloaded to the accelerator; undefined = all. */
	gpuLayers?: number;
	/** Maximum context the engine reserves KV for (vLLM max-model-len, llama.cpp -c). */
	maxContext?: number;
	pricing?: PricingInput;
	latencyTarget?: LatencyTarget;
	/** CPU decode: threads the engine uses (llama.cpp -t); undefined = enough to saturate memory. */
	threads?: number;
	/**
	 * CPU decode on several NUMA nodes: where the model's pages sit. 'one-node' (default): the node that loaded
	 * the file holds them (page cache, first touch by the loading thread), so the stream gets that node's
	 * channels. 'spread': llama.cpp --numa distribute with the pages first touched by the distributed threads
	 * (caches dropped, model loaded by the decode run itself): each thread reads its rows from its own node.
	 */
	numaPages?: 'one-node' | 'spread';
	/** llama.cpp partial offload: bandwidth of the host memory the non-offloaded layers stream from (GB/s). */
	hostBandwidthGBs?: number;
	/**
	 * Every sequence decodes the same token (llama-batched-bench feeds token 0 to all of them): MoE routing is
	 * identical across the batch, so a step reads one token's experts, not the union over B tokens.
	 */
	identicalSequences?: boolean;
	/** Kernel stack when it is known (llama.cpp built for Vulkan, ROCm); default: from device and engine. */
	backend?: Backend;
	/** vLLM max-num-batched-tokens (activation peak during profiling); default by version and GPU. */
	maxBatchedTokens?: number;
	/** vLLM max-num-seqs (sampler logits during profiling); default by version and GPU. */
	maxNumSeqs?: number;
	/** Engine version pinned in the file (image tag, requirements); picks the memory-plan rules. */
	engineVersion?: string;
	/**
	 * vLLM's engine when it is known apart from a version (a log, VLLM_USE_V1, a dated source); default: the
	 * pinned version's (memoryPlan/vllmVersion.ts vllmGeneration), V1 when none is pinned.
	 */
	vllmEngine?: 'v0' | 'v1';
	/**
	 * llama.cpp / Ollama on NVIDIA CUDA: whether the build replays each token as one CUDA graph. false: the build
	 * predates graphs for this model (before mid-2024; MoE before mid-2025); true: graphs also at batch > 1 (from
	 * early 2026); undefined: a current build, graphs where ggml-cuda enables them (Ampere or newer, batch 1).
	 */
	cudaGraphs?: boolean;
}

export type Bound = 'memory' | 'compute';

export interface MemoryEstimate {
	weightsBytes: number;
	weightsBytesPerDevice: number;
	/** KV bytes one token adds across all layers (whole model, not per device). */
	kvBytesPerToken: number;
	/** KV for batch × context (sliding windows capped). */
	kvBytes: number;
	kvBytesPerDevice: number;
	/** CUDA context, activations, graph buffers: engine- and device-dependent. */
	runtimeOverheadBytesPerDevice: number;
	totalBytesPerDevice: number;
	capacityBytesPerDevice: number;
	/** What the engine lets itself use (vLLM: utilization × capacity). */
	budgetBytesPerDevice: number;
	/** Budget left for KV after weights and overhead, per device. */
	kvBudgetBytesPerDevice: number;
	fits: boolean;
	weightsFit: boolean;
	/** Largest context one sequence can hold at the requested batch (0 if weights do not fit). */
	maxContextAtBatch: number;
	/** Largest batch that fits at the requested context. */
	maxBatchAtContext: number;
	/** llama.cpp partial offload: bytes that stay in host memory. */
	hostBytes?: number;
	/** What the runtime overhead is made of, in words with numbers. */
	overheadBreakdown?: string[];
	/** The rule that set the budget (e.g. "vLLM gpu_memory_utilization 0.90 × 80 GB"). */
	budgetRule?: string;
	tensorParallel?: number;
	pipelineParallel?: number;
	/** The engine's start-up plan, line by line in its own log wording (GPU engines with one). */
	plan?: MemoryPlan;
}

export interface DecodeEstimate {
	/** Bytes moved from memory per decode step (whole batch), all devices together. */
	bytesPerStep: number;
	weightBytesPerStep: number;
	kvBytesPerStep: number;
	activationBytesPerStep: number;
	/** FLOPs per decode step for the whole batch. */
	flopsPerStep: number;
	arithmeticIntensity: number;
	ridgeFlopsPerByte: number;
	bound: Bound;
	rooflineTokensPerSecondPerUser: number;
	expectedTokensPerSecondPerUser: number;
	tokensPerSecondTotal: number;
	/** Share of peak FLOPs used while decoding at the expected rate (0..1). */
	computeUtilization: number;
	/** Fraction of roofline the efficiency model expects, and why. */
	efficiency: { factor: number; reasons: string[] };
	/** Time per step spent in tensor-parallel all-reduces (0 for one device). */
	allReduceSecondsPerStep: number;
	/** Expected seconds per decode step. */
	stepSeconds: number;
	/** MoE: expected distinct experts read per MoE layer at this batch. */
	expertsTouchedPerLayer?: number;
	/** Fixed per-step cost of the engine (launches, syncs, scheduling), seconds. */
	fixedSecondsPerStep?: number;
	/** Pipeline parallel: share of stage time idle at this batch (0 when PP = 1). */
	pipelineBubbleFraction?: number;
	/** Bandwidth the roofline used per device (SRAM when the model lives there), decimal GB/s. */
	bandwidthGBsUsed?: number;
	/** Peak the roofline used per device and the dtype it is for (dense TFLOPS). */
	peakTflopsUsed?: number;
	computeDtypeUsed?: string;
	/** Where the weights are read from: device memory, on-chip SRAM, a capacity tier (SN40L DDR), or partly host memory. */
	weightsResidence?: 'device' | 'sram' | 'capacity' | 'device+host';
}

export interface PrefillEstimate {
	flops: number;
	bytes: number;
	seconds: number;
	ttftSeconds: number;
	tokensPerSecond: number;
	bound: Bound;
}

export interface CostEstimate {
	usdPerMillionTokens: number;
	joulesPerToken: number;
	/** Human-readable basis: price, years, $/kWh, power, utilization. */
	basis: string;
}

export interface CouplingEstimate {
	current: SpectrumClass;
	recommendedClass: SpectrumClass;
	recommendedHardware?: string;
	reasons: string[];
	/** Devices of the recommended hardware needed to fit and meet the target. */
	recommendedDevices?: number;
	/** The target the recommendation was made against. */
	target?: LatencyTarget;
}

export interface Estimate {
	modelId: string;
	hardwareId: string;
	weightsFormat: string;
	kvDtype: string;
	engine: Engine;
	devices: number;
	batch: number;
	context: number;
	prompt: number;
	memory: MemoryEstimate;
	decode: DecodeEstimate;
	prefill: PrefillEstimate;
	cost?: CostEstimate;
	coupling?: CouplingEstimate;
	/** Every default or assumption the numbers rest on, in words. */
	assumptions: string[];
}
