/**
 * Catalog entry types. Every entry carries `sources`; numbers are plain SI-ish units named in the
 * field (GB = 10^9 bytes, GB/s = 10^9 bytes/s, TFLOPS = 10^12 FLOP/s, dense — never 2:4 sparse).
 * Formatting (GB vs GiB) happens only at the edges (CLI, hover, panel).
 */

/** Numeric dtypes that a device has a peak rate for. Integer types are TOPS, stored in the same map. */
export type ComputeDtype = 'fp32' | 'tf32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'int4' | 'fp4';

/** What kind of silicon it is; drives the efficiency model and how memory is shared. */
export type DeviceClass =
	| 'cpu' // CPU socket(s) streaming weights from DDR
	| 'apple-gpu' // Apple M-series GPU on unified LPDDR
	| 'unified-gpu' // other SoC GPUs on unified LPDDR (Strix Halo, GB10-class)
	| 'gpu' // discrete GPU with its own GDDR/HBM
	| 'accelerator' // TPU, Gaudi, Inferentia: HBM + matrix engines, GPU-like coupling
	| 'dataflow' // FuriosaAI RNGD, SambaNova SN40L
	| 'in-memory' // d-Matrix Corsair: compute next to SRAM
	| 'sram' // Cerebras WSE, Groq LPU: weights live in on-chip SRAM
	| 'hardwired'; // Taalas HC1: weights etched into the chip

/** Position on the memory–compute coupling spectrum, loosest (cheapest) first. */
export type SpectrumClass = 'cpu' | 'gpu' | 'dataflow' | 'in-memory-compute' | 'sram' | 'hardwired';

export const SPECTRUM_ORDER: readonly SpectrumClass[] = [
	'cpu',
	'gpu',
	'dataflow',
	'in-memory-compute',
	'sram',
	'hardwired',
];

export interface HardwareSpec {
	/** Stable kebab-case id, e.g. `h100-sxm`. */
	id: string;
	name: string;
	vendor: string;
	deviceClass: DeviceClass;
	spectrum: SpectrumClass;
	memoryType: string;
	/**
	 * Marketing capacity of the memory weights and KV are read from, decimal GB per device ("80 GB"). A label:
	 * physics reads `memoryBytes` through `deviceMemoryBytes` (physics/memoryPlan/device.ts).
	 */
	memoryGB: number;
	/** Bytes the driver reports (nvidia-smi / rocm-smi memory.total; unified memory in GiB). */
	memoryBytes?: number;
	/** What CUDA reports to the process (vLLM's total_gpu_memory), where a start-up log shows it. */
	memoryVisibleBytes?: number;
	/** Where `memoryBytes` comes from. */
	memorySource?: string;
	/** Peak (spec) bandwidth of that memory, decimal GB/s per device. */
	bandwidthGBs: number;
	/** On-chip SRAM where it matters for placement (Groq, Cerebras, Corsair), MB and TB/s. */
	sramMB?: number;
	sramBandwidthTBs?: number;
	/** Dense peak per dtype, TFLOPS (TOPS for int types). Missing dtype = not supported natively. */
	peakTflops: Partial<Record<ComputeDtype, number>>;
	tdpW?: number;
	/** Purchase price per device in USD, with the year it was quoted. */
	priceUsd?: number;
	priceYear?: number;
	/** Scale-up link per device (NVLink, Infinity Fabric, ICI), GB/s per direction. */
	interconnect?: { name: string; bandwidthGBs: number };
	/** Models the device can run when it is hardwired to them (Taalas HC1). */
	fixedModels?: string[];
	/** Field names whose value lacks a primary source (from `UNVERIFIED` cells). */
	unverified?: string[];
	sources: string[];
	notes?: string;
	/** Marks entries that came from a user catalog or `--bandwidth-gbs` flags. */
	origin?: 'catalog' | 'user' | 'ad-hoc' | 'measured';
	/** Other names that resolve to this device (nvidia-smi names, short forms). */
	aliases?: string[];
	/** On-demand cloud price per device-hour in USD where the device is rented, not sold (TPU). */
	cloudUsdPerHour?: number;
	cloudPriceYear?: number;
	/** CPU sockets: the facts that decide how fast llama.cpp decodes on them (cores, NUMA, ISA). */
	cpu?: CpuSpec;
	/**
	 * Vendor stacks (dataflow, SRAM, in-memory): measured or claimed time one token spends in one transformer
	 * layer, µs — the whole layer time, with the claim it comes from.
	 */
	layerLatency?: {
		/** µs per layer at zero layer size (the fixed part), or the whole figure when no slope is given. */
		us: number;
		/** µs more per 10⁹ parameters in the layer, from a second claim on a wider model. */
		usPerLayerBillionParams?: number;
		/**
		 * µs more per doubling of the chips the model spans (SRAM parts: a wider layer is split over more chips and
		 * each doubling adds a chip-to-chip hop to its reductions), from a second claim on a larger model.
		 */
		usPerChipDoubling?: number;
		/** Ledger rows (decode.csv ids) the constant was derived from: they cannot score it, so accuracy skips them. */
		ledgerRows?: string[];
		source: string;
	};
	/**
	 * A larger, slower memory tier behind the one `memoryGB`/`bandwidthGBs` describe (SambaNova SN40L's DDR5 behind
	 * its HBM): weights that do not fit the device tier stream from here.
	 */
	capacityMemory?: { type: string; gb: number; bandwidthGBs: number; source: string };
	/** GPUs: streaming multiprocessors (NVIDIA SMs, AMD CUs) — how many bytes a kernel can keep in flight. */
	streamingMultiprocessors?: {
		count: number;
		source: string;
		/**
		 * FP32 lanes per SM where fewer than the SM's 128 threads issued per clock (4 warp schedulers × 32): 64 on
		 * GV100, TU10x and GA100, whose integer work runs on 64 separate INT32 lanes; absent = FP32 lanes = issue width.
		 */
		fp32Lanes?: number;
		fp32LanesSource?: string;
	};
	/**
	 * GPUs whose shader ISA changes which llama.cpp kernel path runs (AMD GCN/Vega: wave64 compute units, with or
	 * without a packed int8 dot product), with the source.
	 */
	gpuIsa?: GpuIsa;
	/** Vendor systems sold or served as a fixed group of chips (a SambaNova node): the count and its source. */
	systemChips?: { count: number; source: string };
}

/** A GPU's shader ISA facts that decide llama.cpp's mat-vec path (ggml-cuda common.cuh, vendors/hip.h). */
export interface GpuIsa {
	/** LLVM target (gfx803 Polaris, gfx900 Vega 10, gfx906 Vega 20), or Intel's Xe generation ('xe-hpg' Alchemist, 'xe2-hpg' Battlemage). */
	arch: string;
	/** 64-lane waves on 4 × SIMD16 per compute unit (GCN/Vega): 64 lanes issued per clock per CU. */
	wave64: boolean;
	/** A packed int8 dot product (v_dot4_i32_i8 / dp4a); without it llama.cpp emulates ggml_cuda_dp4a. */
	intDot4: boolean;
	source: string;
}

/**
 * The dot-product instruction set llama.cpp's CPU kernels use on a part. `neon` is Arm NEON with the SDOT/UDOT
 * dot-product instructions (Armv8.2+ dotprod: Cortex-A55/A76 and later, Apple, Neoverse); `neon-nodot` is Armv8.0
 * NEON without them (Cortex-A53/A57/A72/A73), where ggml-cpu-impl.h emulates each vdotq_s32 with two vmull_s8,
 * two vpaddlq_s16 and two adds.
 */
export type CpuIsa = 'avx2' | 'avx512' | 'amx' | 'neon' | 'neon-nodot';

/**
 * How much DRAM bandwidth one core of a part can keep in flight (Little's law: its outstanding line fills ×
 * 64 B / memory latency): `mobile` for the Cortex-A/Kryo cores of phones, SBCs and laptop SoCs (few fill buffers,
 * LPDDR latency), `apple` for Apple's performance cores (AnandTech measured ~100 GB/s from one M1 Max P-core);
 * absent for desktop and server cores (x86, Neoverse, Ampere).
 */
export type CpuCoreClass = 'mobile' | 'apple';

export interface CpuSpec {
	/** Physical cores per socket (llama.cpp's default -t is the physical core count). */
	cores: number;
	/** Hardware threads per core (SMT siblings share a core's vector units). */
	threadsPerCore: number;
	/** NUMA nodes per socket in the default BIOS setting (EPYC NPS1 = 1, Xeon SNC off = 1). */
	numaNodes: number;
	/** Core complexes (AMD CCDs) that each reach DRAM through one fabric link; 1 for monolithic dies. */
	ccds: number;
	/** Read bandwidth one CCD's fabric link sustains, GB/s (AMD GMI); absent = not a limit. */
	ccdReadGBs?: number;
	isa: CpuIsa;
	/**
	 * The cores have a bf16 dot-product instruction (x86 AVX512_BF16 `vdpbf16ps` or AMX-BF16; Arm FEAT_BF16
	 * BFDOT/BFMMLA). PyTorch's bf16 matmuls use it; without it they convert each weight to fp32 first. Absent =
	 * no (AMX parts have it whatever this says).
	 */
	bf16Dot?: boolean;
	/** Per-core DRAM stream class (absent: desktop/server core); see CpuCoreClass. */
	coreClass?: CpuCoreClass;
	/**
	 * A many-core server part (EPYC, Xeon Scalable / Xeon 6, Ampere, Graviton, Grace): its cores reach one another
	 * over a mesh, CCD fabric or socket link, so llama.cpp's per-op barrier costs grow with every thread that
	 * arrives (cpuRates.ts cpuServerBarrierScale). Absent = desktop, laptop or SoC part.
	 */
	server?: boolean;
	sources: string[];
}

export interface MoeSpec {
	experts: number;
	expertsPerToken: number;
	sharedExperts: number;
	expertIntermediate: number;
	/** Leading dense layers before MoE layers start (DeepSeek first_k_dense_replace). */
	firstDenseLayers: number;
	/** Every `layerStep`-th layer is MoE (Llama 4 Maverick = 2); 1 = every layer. */
	layerStep: number;
}

export interface MlaSpec {
	kvLoraRank: number;
	qLoraRank?: number;
	ropeHeadDim: number;
	nopeHeadDim: number;
	vHeadDim: number;
}

/**
 * Linear-attention (Gated DeltaNet) layers of a hybrid model (Qwen3-Next, Qwen3.5/3.6: three of every four
 * layers, config `full_attention_interval` 4). Such a layer keeps no KV cache: it carries a fixed recurrent
 * state of valueHeads × keyHeadDim × valueHeadDim f32 per sequence (llama.cpp hparams.n_embd_s()), read and
 * written once per token, plus a short convolution window.
 */
export interface LinearAttentionSpec {
	/** How many of the model's layers are linear-attention layers. */
	layers: number;
	keyHeads: number;
	valueHeads: number;
	keyHeadDim: number;
	valueHeadDim: number;
	/** Causal conv1d kernel width (config linear_conv_kernel_dim). */
	convKernel: number;
}

export interface ModelSpec {
	/** Canonical Hugging Face id, e.g. `meta-llama/Llama-3.1-8B`. */
	id: string;
	architecture: string;
	/** Other ids and tags that name the same weights (Instruct variants, Ollama tags). */
	aliases?: string[];
	layers: number;
	hidden: number;
	intermediate: number;
	heads: number;
	kvHeads: number;
	headDim: number;
	vocab: number;
	tiedEmbeddings: boolean;
	maxContext: number;
	paramsTotal: number;
	/** Parameters read per token (MoE: routed top-k + shared + dense parts). */
	paramsActive: number;
	moe?: MoeSpec;
	mla?: MlaSpec;
	/** Hybrid models: the Gated DeltaNet layers (no KV cache; a recurrent state instead). */
	linearAttention?: LinearAttentionSpec;
	/** Layers with a sliding/chunked window cap their KV at `window` tokens. */
	slidingWindow?: { window: number; layers: number };
	nativeDtype?: string;
	sources: string[];
	notes?: string;
	origin?: 'catalog' | 'user' | 'config.json' | 'gguf';
	/** Field names whose value was not checked against a primary config.json (see notes). */
	unverified?: string[];
}

/** A weight storage format: what decides bytes per parameter and which compute units decode uses. */
export interface FormatSpec {
	id: string;
	label: string;
	/** Effective bits per weight including block scales/zero points. */
	bitsPerWeight: number;
	/** The dtype the matmuls run in (fp8 on Hopper for fp8; bf16/fp16 for weight-only int4). */
	computeDtype: ComputeDtype;
	/** True when weights are dequantized on the fly (costs ALU time on CPUs, small on GPUs). */
	quantized: boolean;
	family: 'float' | 'int' | 'gguf' | 'awq' | 'gptq' | 'bnb' | 'mx' | 'nv' | 'mlc' | 'onnx';
	aliases: string[];
	sources: string[];
	notes?: string;
	/** GGUF: bits of the bare tensor block type (Q4_0 = 4.5), where it differs from a preset mix. */
	blockBitsPerWeight?: number;
	/** Whole-file bits per weight measured for a preset on a named model (llama-quantize sizes). */
	measuredBitsPerWeight?: { value: number; on: string };
}

export interface KvDtypeSpec {
	id: string;
	label: string;
	/** Bytes per stored K or V element, including block scales (q8_0 = 34/32). */
	bytesPerElement: number;
	aliases: string[];
	sources: string[];
	notes?: string;
}

/** The four catalogs, validated; what `getCatalog()` returns and resolvers search. */
export interface Catalog {
	hardware: HardwareSpec[];
	models: ModelSpec[];
	formats: FormatSpec[];
	kvDtypes: KvDtypeSpec[];
}
