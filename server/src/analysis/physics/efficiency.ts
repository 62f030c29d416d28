/**
 * The efficiency model: what share of the roofline a real engine reaches. Every constant lives in the
 * tables below and is documented, with where it comes from and whether it is first-principles or chosen,
 * in docs/physics.md § "Efficiency constants". None is fitted to individual calibration rows.
 */
import type { CpuCoreClass, DeviceClass, FormatSpec, HardwareSpec, ModelSpec } from '../catalog/types';
import { constant } from './calibration';
import { cpuBarrierScale, cpuServerBarrierScale } from './cpuRates';
import { llamaCppCudaGraphs } from './cudaGraphs';
import { linearAttentionLayers } from './kv';
import type { Backend, Engine } from './types';

// Moved to their own files (the non-GPU accelerator model, llama.cpp's CUDA-graph rule, the CPU rates);
// re-exported so existing imports keep working.
export { VENDOR_LAYER_LATENCY_US, vendorLayerUs } from './accelerator';
export { llamaCppCudaGraphs, nvidiaPreAmpere, type CudaGraphUse } from './cudaGraphs';
export {
	CPU_DEQUANT_GWEIGHTS_PER_THREAD,
	CPU_DOT_FORMAT_FACTOR,
	CPU_PER_THREAD_BANDWIDTH_GBS,
	cpuBarrierScale,
	cpuDequantRate,
	cpuDotRate,
	cpuThreadConstant,
	cpuThreadGBs,
} from './cpuRates';

export type { Backend } from './types';

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

/**
 * By engine and backend; '*' rows are the fallback for the engine. `perStepUs` (host loop, sampling) is
 * hand-derived; `perLayerUs` is the prior of the calibrated constant named in LAYER_CONSTANT where there is
 * one, and is used as is (hand-derived) where there is not.
 */
export const ENGINE_OVERHEAD: Record<string, FixedOverhead> = {
	'vllm/cuda': {
		perLayerUs: 8,
		perStepUs: 200,
		why: 'CUDA graphs: ~8 kernels/layer × ~1 µs gaps; V1 scheduler + sampler',
	},
	'sglang/cuda': { perLayerUs: 8, perStepUs: 200, why: 'CUDA graphs, like vLLM' },
	'trt-llm/cuda': { perLayerUs: 5, perStepUs: 100, why: 'fused kernels in CUDA graphs, C++ runtime' },
	'pytorch-compiled/cuda': {
		perLayerUs: 8,
		perStepUs: 150,
		why: 'torch.compile mode="reduce-overhead": one CUDA graph per step over fused Triton kernels; Python sampling',
	},
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
	'mlx/metal': {
		perLayerUs: 60,
		perStepUs: 300,
		why: 'MLX: ~10 fused Metal kernels per layer from a lazily built graph, evaluated per token; Python sampling loop',
	},
	'mlx/*': { perLayerUs: 60, perStepUs: 300, why: 'MLX off Metal (CPU/CUDA backends): like its Metal path' },
	'exllama/cuda': {
		perLayerUs: 20,
		perStepUs: 300,
		why: 'ExLlama: fused int4/EXL2 matmul + attention kernels (~10 per layer), no CUDA graphs; Python generator loop',
	},
	'exllama/*': { perLayerUs: 20, perStepUs: 300, why: 'ExLlama on ROCm/HIP: like its CUDA path' },
	'vllm/*': { perLayerUs: 100, perStepUs: 1000, why: 'vLLM CPU/other backends: no CUDA graphs' },
	'sglang/*': { perLayerUs: 100, perStepUs: 1000, why: 'SGLang off CUDA: no graphs' },
	'trt-llm/*': { perLayerUs: 8, perStepUs: 200, why: 'TRT-LLM off its home GPU: like vLLM' },
	'pytorch/cpu': {
		perLayerUs: 600,
		perStepUs: 2000,
		why: 'eager PyTorch on CPU: ~30 ops/layer × (Python dispatch + OpenMP region), serial with the work',
	},
	'pytorch-compiled/cpu': {
		perLayerUs: 100,
		perStepUs: 500,
		why: 'torch.compile / IPEX graph on CPU: ~10 C++ kernels (OpenMP regions) per layer; Python sampling loop',
	},
	'pytorch-compiled/*': {
		perLayerUs: 8,
		perStepUs: 150,
		why: 'torch.compile on ROCm/other GPUs: graph replay like CUDA',
	},
};

/** Which calibrated per-layer constant an engine/backend pair reads (calibrationTable.ts). */
export function layerConstantFor(
	engine: Engine,
	backend: Backend,
	cudaGraphs = false,
	coreClass?: CpuCoreClass,
	server = false,
): string | undefined {
	const key = engineKey(engine);
	const gpu = backend === 'cuda' || backend === 'rocm';
	if ((key === 'vllm' || key === 'sglang' || key === 'trt-llm' || key === 'pytorch-compiled') && gpu)
		return 'layerUs.cuda-graphs';
	if (key === 'llama.cpp') {
		if (backend === 'cuda' && cudaGraphs) return 'layerUs.llama.cpp-cuda-graphs';
		if (backend === 'metal') return 'layerUs.llama.cpp-metal';
		// macOS cannot pin threads (ggml-cpu.c: ggml_thread_apply_affinity is a no-op on __APPLE__), so the team
		// is scheduled across P-clusters and onto E-cores and every per-op barrier waits for the straggler: its
		// own constant, chosen on the Apple CPU rows.
		// A many-core server part: the per-op barrier across its fabric is the per-layer cost (cpuServerBarrierScale).
		if (backend === 'cpu')
			return coreClass === 'apple'
				? 'layerUs.llama.cpp-cpu-apple'
				: server
					? 'layerUs.llama.cpp-cpu-server'
					: 'layerUs.llama.cpp-cpu';
		// CUDA without graphs, HIP and Vulkan/SYCL: every node dispatched on its own (calibrationTable.ts).
		return 'layerUs.llama.cpp-cuda';
	}
	if (key === 'mlc') return 'layerUs.mlc';
	if (key === 'mlx') return 'layerUs.mlx';
	if (key === 'exllama' && gpu) return 'layerUs.exllama';
	// PyTorch on a CPU: no GPU stream to hide the dispatch behind, so its own per-layer constants (issue #12).
	if (key === 'pytorch') return backend === 'cpu' ? 'layerUs.pytorch-cpu' : 'layerUs.pytorch';
	if (key === 'pytorch-compiled' && backend === 'cpu') return 'layerUs.pytorch-compiled-cpu';
	return undefined;
}

/**
 * Kernels an MoE layer launches beyond a dense one (router GEMM, top-k, token permute, grouped expert GEMMs,
 * un-permute + weighted sum): ~6 more on top of ~10, so a MoE layer's fixed cost is ×1.6 (vLLM fused_moe
 * path; llama.cpp MoE graphs add ggml_mul_mat_id + argsort + get_rows nodes similarly). GPU stacks read the
 * data-chosen layerFactor.moe instead (this count is its prior); CPU backends and the vendor-stack layer latency
 * (decode.ts) keep the count.
 */
export const MOE_LAYER_KERNEL_FACTOR = 1.6;
/** MLA attention (DeepSeek V2/V3) adds the latent down/up projections and rope split: ~4 kernels more. */
export const MLA_LAYER_KERNEL_FACTOR = 1.3;

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

/**
 * The kernel stack: explicit when known, else from engine, class and vendor. Unified-memory SoCs (GB10,
 * Jetson, Strix Halo) run the same native CUDA/ROCm kernels as discrete GPUs; only transformers.js runs
 * browser (WebGPU/WASM) kernels.
 */
export function backendFor(
	engine: Engine,
	deviceClass: DeviceClass,
	vendor?: string,
	explicit?: Backend,
): Backend {
	if (VENDOR_CLASSES.includes(deviceClass)) return 'vendor';
	if (engine === 'transformers.js') return deviceClass === 'cpu' ? 'wasm' : 'webgpu';
	if (explicit) return explicit;
	if (deviceClass === 'cpu') return 'cpu';
	if (deviceClass === 'apple-gpu') return 'metal';
	if (/\bamd\b/i.test(vendor ?? '')) return 'rocm';
	// Intel GPUs (Arc) have no CUDA/ROCm path in llama.cpp: it runs its SYCL or Vulkan backend there, both filed
	// as 'vulkan' (the ledger maps sycl to it). Other engines on Intel GPUs (PyTorch XPU) keep the default.
	if (
		deviceClass === 'gpu' &&
		(engine === 'llama.cpp' || engine === 'ollama') &&
		/\bintel\b/i.test(vendor ?? '')
	)
		return 'vulkan';
	return 'cuda';
}

function engineKey(engine: Engine): string {
	return engine === 'ollama' ? 'llama.cpp' : engine;
}

/** What the fixed per-step cost depends on beyond engine and class. */
export interface OverheadContext {
	model?: ModelSpec;
	/** Weight format (bitsandbytes LLM.int8 adds per-layer work). */
	format?: FormatSpec;
	/** CPU threads the engine uses (the barrier cost scales with them). */
	threads?: number;
	vendor?: string;
	backend?: Backend;
	hardware?: HardwareSpec;
	/** Sequences decoding together (llama.cpp replays CUDA graphs only at one token per step). */
	batch?: number;
	/** llama.cpp on CUDA: false when the build predates CUDA graphs for this model (EstimateInput.cudaGraphs). */
	cudaGraphs?: boolean;
}

/** Fixed seconds per decode step for this engine on this device class. */
export function fixedOverhead(
	engine: Engine,
	deviceClass: DeviceClass,
	layers: number,
	ctx: OverheadContext = {},
): { seconds: number; reason: string } {
	const backend = backendFor(engine, deviceClass, ctx.vendor ?? ctx.hardware?.vendor, ctx.backend);
	if (backend === 'vendor') {
		// The vendor's per-layer latency is the whole layer time (decode.ts takes it as a floor on the stage),
		// so no fixed cost is added on top.
		return { seconds: 0, reason: `${deviceClass}: per-layer token latency is the layer time` };
	}
	const key = engineKey(engine);
	const row =
		ENGINE_OVERHEAD[`${key}/${backend}`] ??
		(backend === 'rocm' ? ENGINE_OVERHEAD[`${key}/cuda`] : undefined) ??
		ENGINE_OVERHEAD[`${key}/*`] ??
		ENGINE_OVERHEAD['pytorch/*'];
	const graphs = llamaCppCudaGraphs(engine, backend, ctx.hardware, ctx.batch ?? 1, ctx.cudaGraphs);
	const cpu = ctx.hardware?.cpu;
	const serverCpu = backend === 'cpu' && cpu?.server === true && cpu.coreClass === undefined;
	const name = layerConstantFor(engine, backend, graphs.on, cpu?.coreClass, serverCpu);
	let perLayer = name ? constant(name) : row.perLayerUs;
	const threads = ctx.threads ?? ctx.hardware?.cpu?.cores;
	// A thread-pool barrier after each op gathers every thread (log-depth in threads). PyTorch's CPU per-layer
	// constants are mostly Python dispatch and OpenMP region start-up, chosen on runs at their own thread counts,
	// and are taken flat.
	const torch = key === 'pytorch' || key === 'pytorch-compiled';
	if (backend === 'cpu' && threads && !torch)
		perLayer *= serverCpu && key === 'llama.cpp' ? cpuServerBarrierScale(threads) : cpuBarrierScale(threads);
	const m = ctx.model;
	let kernelFactor = 1;
	const extra: string[] = [];
	if (m?.moe) {
		// GPU stacks fuse the routing kernels (ggml-cuda topk_moe and fused adds, vLLM fused_moe), so the data
		// choose the factor; the CPU backend runs every routing op as its own barrier-separated graph node, so a
		// CPU MoE layer keeps the kernel count.
		const cpuStack = backend === 'cpu';
		const f = cpuStack ? MOE_LAYER_KERNEL_FACTOR : constant('layerFactor.moe');
		kernelFactor *= f;
		extra.push(
			`MoE ×${Number(f.toPrecision(3))}${cpuStack ? ', ops on the CPU' : ', calibrated layerFactor.moe'}`,
		);
	}
	if (m?.mla) {
		kernelFactor *= MLA_LAYER_KERNEL_FACTOR;
		extra.push(`MLA ×${MLA_LAYER_KERNEL_FACTOR}`);
	}
	let extraLayerUs = 0;
	// Hybrid models (Qwen3-Next, Qwen3.5/3.6): a Gated DeltaNet layer builds more nodes than an attention block
	// (calibrated layerFactor.linear-attention, in dense-layer units added per linear-attention layer).
	const linear = m ? linearAttentionLayers(m) : 0;
	let linearUs = 0;
	if (m && linear > 0) {
		const f = constant('layerFactor.linear-attention');
		linearUs = (f - 1) * perLayer * linear;
		extra.push(
			`${linear} gated-delta-net layers +${Number((f - 1).toFixed(2))} layer each (calibrated layerFactor.linear-attention)`,
		);
	}
	if (ctx.format?.id === 'bnb-int8') {
		extraLayerUs = constant('layerUs.bnb-int8');
		extra.push(`LLM.int8 +${round(extraLayerUs)} µs/layer (calibrated layerUs.bnb-int8)`);
	}
	const seconds = ((perLayer * kernelFactor + extraLayerUs) * layers + linearUs + row.perStepUs) / 1e6;
	let origin = name ? `calibrated ${name}` : row.why;
	if (key === 'llama.cpp' && backend === 'cuda') origin += `; ${graphs.why}`;
	return {
		seconds,
		reason: `${key} on ${backend}: ${round(perLayer)} µs/layer${extra.length ? ` (${extra.join(', ')})` : ''} + ${row.perStepUs} µs/step fixed (${origin})`,
	};
}

export interface BandwidthEfficiency {
	factor: number;
	reasons: string[];
}

/** The calibrated bandwidth-share constant for a device class and kernel stack. */
export function bandwidthShareConstant(
	deviceClass: DeviceClass,
	backend: Backend,
	vendor?: string,
	coreClass?: CpuCoreClass,
): string | undefined {
	// Browser kernels (transformers.js) keep the class ceiling × the web factor; no ledger row speaks for them.
	if (backend === 'webgpu' || backend === 'wasm' || backend === 'vendor') return undefined;
	// Phone/SBC/laptop Arm SoCs: the CPU cluster reaches the DRAM through a port narrower than the memory
	// interface (one Pi 5 core already reads 9.4 GB/s of the 17.1, tinymembench in geerlingguy/sbc-reviews #21;
	// all four reach about as much), so their share is their own.
	if (deviceClass === 'cpu')
		return coreClass === 'mobile' ? 'bandwidthShare.cpu-mobile' : 'bandwidthShare.cpu';
	if (deviceClass === 'accelerator') return 'bandwidthShare.accelerator';
	if (deviceClass === 'unified-gpu') return 'bandwidthShare.unified';
	if (backend === 'metal') return 'bandwidthShare.metal';
	if (backend === 'rocm') return 'bandwidthShare.rocm';
	// llama.cpp's Vulkan shaders on NVIDIA drivers (NVIDIA maintains that path: coopmat2, subgroup mat-vec) stream
	// weights like its CUDA kernels; AMD/Intel discrete drivers keep the Vulkan share.
	if (backend === 'vulkan')
		return /nvidia/i.test(vendor ?? '') ? 'bandwidthShare.cuda' : 'bandwidthShare.vulkan';
	if (backend === 'cuda') return 'bandwidthShare.cuda';
	return undefined;
}

/** Share of spec bandwidth the decode weight stream reaches (stack share × kernel terms). */
export function bandwidthEfficiency(
	engine: Engine,
	deviceClass: DeviceClass,
	format: FormatSpec,
	ctx: { vendor?: string; backend?: Backend; coreClass?: CpuCoreClass } = {},
): BandwidthEfficiency {
	const backend = backendFor(engine, deviceClass, ctx.vendor, ctx.backend);
	const name = bandwidthShareConstant(deviceClass, backend, ctx.vendor, ctx.coreClass);
	const base = name ? constant(name) : BANDWIDTH_EFFICIENCY[deviceClass];
	const reasons = [
		`${backend} kernels on ${deviceClass} reach ~${pct(base)} of spec bandwidth${name ? ` (calibrated ${name})` : ''}`,
	];
	let factor = base;
	const gpuLike = backend !== 'cpu' && backend !== 'wasm' && backend !== 'vendor';
	if (gpuLike && format.quantized) {
		const d =
			format.family === 'bnb' || format.family === 'onnx'
				? GPU_DEQUANT_EFFICIENCY[format.family]
				: constant('dequantShare.gpu');
		if (d < 1) {
			factor *= d;
			reasons.push(`${format.id} dequantization kernels: ×${round(d)}`);
		}
	}
	if (backend === 'webgpu' || backend === 'wasm') {
		factor *= WEB_BANDWIDTH_FACTOR;
		reasons.push(`ONNX Runtime Web kernels: ×${WEB_BANDWIDTH_FACTOR}`);
	}
	return { factor, reasons };
}

/**
 * Share of dense peak a compute-bound decode step reaches (batched decode), by engine, and for llama.cpp by
 * backend: on Metal the batched mat-vec kernels (mul_mv / mul_mv_ext) run on the same SIMD ALUs the catalog's
 * Apple peak counts (no tensor units before M5), while on CUDA/ROCm the catalog's peak is the tensor-core
 * peak that the dp4a mmvq path never touches, so one share of "dense peak" cannot describe both.
 */
export function decodeComputeShare(
	engine: Engine,
	deviceClass: DeviceClass,
	backend?: Backend,
): { share: number; name?: string } {
	const key = engineKey(engine);
	if (VENDOR_CLASSES.includes(deviceClass)) return { share: COMPUTE_EFFICIENCY[deviceClass] };
	// On a CPU, llama.cpp's matmul work is the per-ISA dequant+dot term (cpuDot.*); the batched GPU share (chosen
	// on CUDA/Metal -np sweeps) does not describe it, so the class ceiling stays a loose bound there.
	if (key === 'llama.cpp' && deviceClass !== 'cpu' && backend === 'metal')
		return {
			share: constant('batchedComputeShare.llama.cpp-metal'),
			name: 'batchedComputeShare.llama.cpp-metal',
		};
	if (key === 'llama.cpp' && deviceClass !== 'cpu')
		return { share: constant('batchedComputeShare.llama.cpp'), name: 'batchedComputeShare.llama.cpp' };
	if (['vllm', 'sglang', 'trt-llm', 'pytorch-compiled'].includes(key) && deviceClass !== 'cpu')
		return { share: constant('batchedComputeShare.serving'), name: 'batchedComputeShare.serving' };
	return { share: COMPUTE_EFFICIENCY[deviceClass] };
}

function round(x: number): string {
	return String(Number(x.toPrecision(3)));
}

function pct(x: number): string {
	return `${Math.round(x * 100)} %`;
}
