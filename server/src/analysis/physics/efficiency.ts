/**
 * The efficiency model: what share of the roofline a real engine reaches. Every constant lives in the
 * tables below and is documented, with where it comes from and whether it is first-principles or chosen,
 * in docs/physics.md § "Efficiency constants". None is fitted to individual calibration rows.
 */
import type { DeviceClass, FormatSpec } from '../catalog/types';
import type { Engine } from './types';

/** The kernel stack a decode step runs on; decides fixed per-token overheads. */
export type Backend = 'cuda' | 'metal' | 'cpu' | 'webgpu' | 'wasm' | 'vendor';

/** Achievable share of spec memory bandwidth on long streaming reads, by device class. */
export const BANDWIDTH_EFFICIENCY: Record<DeviceClass, number> = {
	gpu: 0.85, // HBM/GDDR streaming kernels reach 80–90 % of spec (AIConfigurator H200 factor 0.8; copy kernels ~90 %)
	'apple-gpu': 0.85, // Metal GPU on LPDDR5: 75–90 % of spec
	'unified-gpu': 0.8, // other LPDDR5X SoCs (Strix Halo, GB10)
	cpu: 0.8, // DDR sustained ≈ 70–85 % of channels × MT/s × 8 B (STREAM triad)
	accelerator: 0.8, // TPU/Gaudi/Inferentia HBM through vendor stacks
	dataflow: 0.8,
	'in-memory': 0.8,
	sram: 0.8,
	hardwired: 1,
};

/** Share of dense peak a decode GEMM/GEMV reaches once it is compute-bound (small M tiles). */
export const COMPUTE_EFFICIENCY: Record<DeviceClass, number> = {
	gpu: 0.7,
	'apple-gpu': 0.6,
	'unified-gpu': 0.6,
	cpu: 0.5,
	accelerator: 0.6,
	dataflow: 0.6,
	'in-memory': 0.6,
	sram: 0.5,
	hardwired: 1,
};

/** Model FLOPs utilization of prefill (large GEMMs), by class. */
export const PREFILL_MFU: Record<DeviceClass, number> = {
	gpu: 0.5,
	'apple-gpu': 0.45,
	'unified-gpu': 0.4,
	cpu: 0.35,
	accelerator: 0.45,
	dataflow: 0.5,
	'in-memory': 0.4,
	sram: 0.3,
	hardwired: 0.3,
};

/** Fixed cost per decode step: µs per transformer layer (launches, barriers) + µs per step (host loop). */
export interface FixedOverhead {
	perLayerUs: number;
	perStepUs: number;
	why: string;
}

/** By engine and backend; '*' rows are the fallback for the engine. */
export const ENGINE_OVERHEAD: Record<string, FixedOverhead> = {
	'vllm/cuda': {
		perLayerUs: 8,
		perStepUs: 200,
		why: 'CUDA graphs: ~8 kernels/layer × ~1 µs gaps; V1 scheduler + sampler',
	},
	'sglang/cuda': { perLayerUs: 8, perStepUs: 200, why: 'CUDA graphs, like vLLM' },
	'trt-llm/cuda': { perLayerUs: 5, perStepUs: 100, why: 'fused kernels in CUDA graphs, C++ runtime' },
	'mlc/*': { perLayerUs: 15, perStepUs: 300, why: 'compiled TVM kernels, no graph replay on every backend' },
	'llama.cpp/cuda': {
		perLayerUs: 35,
		perStepUs: 300,
		why: '~25 ggml nodes/layer × ~1.5 µs minimum kernel time; graph rebuild + sampling per token',
	},
	'llama.cpp/metal': {
		perLayerUs: 150,
		perStepUs: 500,
		why: '~22 Metal dispatches/layer × ~7 µs encode + barrier; command-buffer commit per token',
	},
	'llama.cpp/cpu': { perLayerUs: 40, perStepUs: 200, why: '~25 ops/layer × ~1.5 µs thread-pool barrier' },
	'llama.cpp/*': {
		perLayerUs: 40,
		perStepUs: 300,
		why: 'Vulkan/ROCm/SYCL backends: per-dispatch cost like CUDA without graphs',
	},
	'pytorch/*': {
		perLayerUs: 600,
		perStepUs: 2000,
		why: 'eager PyTorch/HF transformers: ~30 ops/layer × ~20 µs Python dispatch',
	},
	'transformers.js/webgpu': {
		perLayerUs: 400,
		perStepUs: 3000,
		why: 'ONNX Runtime Web on WebGPU: ~30 dispatches/layer × ~13 µs, JS sampling and readback',
	},
	'transformers.js/*': {
		perLayerUs: 200,
		perStepUs: 2000,
		why: 'ONNX Runtime (WASM or native CPU): per-op dispatch plus JS loop',
	},
	'vllm/*': { perLayerUs: 100, perStepUs: 1000, why: 'vLLM CPU/other backends: no CUDA graphs' },
	'sglang/*': { perLayerUs: 100, perStepUs: 1000, why: 'SGLang off CUDA: no graphs' },
	'trt-llm/*': { perLayerUs: 8, perStepUs: 200, why: 'TRT-LLM off its home GPU: like vLLM' },
};

/** Vendor stacks (dataflow, in-memory, SRAM, hardwired): per-layer latency implied by vendor claims. */
export const VENDOR_LAYER_LATENCY_US: Partial<Record<DeviceClass, number>> = {
	dataflow: 25, // SambaNova 1,042 tok/s on Llama 3.1 8B ⇒ ~30 µs/layer; RNGD compiled graphs similar
	'in-memory': 30, // d-Matrix: 1 ms/token on Llama3-8B (32 layers) ⇒ ~31 µs/layer
	sram: 25, // Cerebras 2,148 tok/s on 8B ⇒ 15 µs/layer; Groq 751 tok/s ⇒ 42 µs/layer; middle
	// Taalas HC1 claims 17,000 tok/s on 8B (59 µs/token); the catalog's effective bandwidth is derived from that
	// claim, so only a token latency is added here to avoid counting it twice.
	hardwired: 0.1,
};

/** CPU: sustained DRAM bandwidth one thread can pull (Little's law: ~24 misses × 64 B / ~95 ns). */
export const CPU_PER_THREAD_BANDWIDTH_GBS = 16;

/**
 * CPU: weights one thread can dequantize and dot per second (10^9/s), by GGUF type family. Half of the
 * instruction-count ideal of the AVX2/NEON dot kernels at ~4 GHz; K-quants and i-quants unpack more.
 */
export const CPU_DEQUANT_GWEIGHTS_PER_THREAD = {
	float: 30,
	q8: 25,
	q4: 20,
	kquant: 15,
	iquantLow: 8,
	other: 10,
} as const;

/** GPU dequantization kernel efficiency relative to plain 16-bit weights, by format family. */
export const GPU_DEQUANT_EFFICIENCY: Record<FormatSpec['family'], number> = {
	float: 1,
	int: 0.95,
	gguf: 0.95,
	awq: 0.95,
	gptq: 0.95,
	nv: 0.95,
	mx: 0.95,
	mlc: 0.95,
	bnb: 0.5, // bitsandbytes dequantizes to 16-bit per matmul
	onnx: 0.8,
};

/** Browser/ONNX kernels reach less of the bandwidth than hand-written CUDA/Metal. */
export const WEB_BANDWIDTH_FACTOR = 0.6;

/** Decode power draw as a share of TDP (memory-bound decode leaves the ALUs mostly idle). */
export const POWER_LOAD_FACTOR = 0.7;

const VENDOR_CLASSES: readonly DeviceClass[] = ['dataflow', 'in-memory', 'sram', 'hardwired'];

export function backendFor(engine: Engine, deviceClass: DeviceClass): Backend {
	if (VENDOR_CLASSES.includes(deviceClass)) return 'vendor';
	if (engine === 'transformers.js') return deviceClass === 'cpu' ? 'wasm' : 'webgpu';
	if (deviceClass === 'cpu') return 'cpu';
	if (deviceClass === 'apple-gpu') return 'metal';
	if (deviceClass === 'gpu' || deviceClass === 'accelerator') return 'cuda';
	return 'webgpu';
}

function engineKey(engine: Engine): string {
	return engine === 'ollama' ? 'llama.cpp' : engine;
}

/** Fixed seconds per decode step for this engine on this device class. */
export function fixedOverhead(
	engine: Engine,
	deviceClass: DeviceClass,
	layers: number,
): { seconds: number; reason: string } {
	const backend = backendFor(engine, deviceClass);
	if (backend === 'vendor') {
		const us = VENDOR_LAYER_LATENCY_US[deviceClass] ?? 25;
		return {
			seconds: (us * layers) / 1e6,
			reason: `${deviceClass} pipeline latency ~${us} µs/layer (from vendor tok/s claims)`,
		};
	}
	const key = engineKey(engine);
	const row =
		ENGINE_OVERHEAD[`${key}/${backend}`] ?? ENGINE_OVERHEAD[`${key}/*`] ?? ENGINE_OVERHEAD['pytorch/*'];
	const seconds = (row.perLayerUs * layers + row.perStepUs) / 1e6;
	return {
		seconds,
		reason: `${key} on ${backend}: ${row.perLayerUs} µs/layer + ${row.perStepUs} µs/step fixed (${row.why})`,
	};
}

export interface BandwidthEfficiency {
	factor: number;
	reasons: string[];
}

/** Share of spec bandwidth the decode weight stream reaches (class ceiling × kernel terms). */
export function bandwidthEfficiency(
	engine: Engine,
	deviceClass: DeviceClass,
	format: FormatSpec,
): BandwidthEfficiency {
	const base = BANDWIDTH_EFFICIENCY[deviceClass];
	const reasons = [`${deviceClass} reaches ~${pct(base)} of spec bandwidth on streaming reads`];
	let factor = base;
	const backend = backendFor(engine, deviceClass);
	const gpuLike = backend === 'cuda' || backend === 'metal' || backend === 'webgpu';
	if (gpuLike && format.quantized) {
		const d = GPU_DEQUANT_EFFICIENCY[format.family] ?? 0.9;
		if (d < 1) {
			factor *= d;
			reasons.push(`${format.id} dequantization kernels: ×${d}`);
		}
	}
	if (backend === 'webgpu' || backend === 'wasm') {
		factor *= WEB_BANDWIDTH_FACTOR;
		reasons.push(`ONNX Runtime Web kernels: ×${WEB_BANDWIDTH_FACTOR}`);
	}
	return { factor, reasons };
}

/** CPU dequant+dot throughput class of a weight format. */
export function cpuDequantRate(format: FormatSpec): number {
	const id = format.id.toLowerCase();
	const r = CPU_DEQUANT_GWEIGHTS_PER_THREAD;
	if (!format.quantized || format.bitsPerWeight >= 16) return r.float;
	if (format.family !== 'gguf') return format.bitsPerWeight >= 8 ? r.q8 : r.other;
	if (/^iq[123]/.test(id)) return r.iquantLow;
	if (/_k/.test(id)) return r.kquant;
	if (format.bitsPerWeight >= 8) return r.q8;
	return r.q4;
}

function pct(x: number): string {
	return `${Math.round(x * 100)} %`;
}
