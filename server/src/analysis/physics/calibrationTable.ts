/**
 * The table of data-chosen decode constants: what each one is, its prior (the value before any data, with its
 * physical reason and source), its physical bounds, and the pool it may borrow from. `npm run calibrate` chooses
 * the values within these bounds (cli/accuracy/calibrate.ts); calibration.ts serves the active values.
 */
export interface CalibratedConstant {
	/** Value before any data and why it is physically plausible. */
	prior: number;
	/** Bounds the calibration may choose within (physical limits, not tuning ranges). */
	min: number;
	max: number;
	what: string;
	/**
	 * Constants of one kind (the per-core dot rate of each CPU ISA: similar SIMD datapaths, 512 bits per cycle on
	 * Zen 4 and on Apple P-cores; Apple's per-thread stream and llama.cpp layer cost with the other big cores'):
	 * one the ledger cannot choose borrows the median of its pool's chosen values instead of keeping its prior.
	 * Bandwidth shares are not pooled: each stack's prior has its own reason.
	 */
	pool?: string;
}

/** Every data-chosen decode constant, with its prior and physical bounds. */
export const CALIBRATED: Record<string, CalibratedConstant> = {
	'bandwidthShare.cuda': {
		prior: 0.85,
		min: 0.4,
		max: 1,
		what: 'share of spec DRAM bandwidth NVIDIA CUDA decode kernels reach on the weight stream',
	},
	'bandwidthShare.rocm': {
		prior: 0.75,
		min: 0.3,
		max: 1,
		what: 'share of spec bandwidth AMD ROCm/HIP decode kernels reach on the weight stream',
	},
	'bandwidthShare.metal': {
		prior: 0.85,
		min: 0.4,
		max: 1,
		what: 'share of spec unified-memory bandwidth Apple Metal kernels reach',
	},
	'bandwidthShare.vulkan': {
		prior: 0.75,
		min: 0.3,
		max: 1,
		what: 'share of spec bandwidth llama.cpp Vulkan/SYCL kernels reach',
	},
	'bandwidthShare.unified': {
		prior: 0.8,
		min: 0.3,
		max: 1,
		what: 'share of spec LPDDR5X bandwidth native kernels reach on non-Apple unified-memory SoCs (GB10, Jetson, Strix Halo)',
	},
	'bandwidthShare.cpu': {
		prior: 0.8,
		min: 0.3,
		max: 1,
		what: 'share of spec DDR bandwidth a CPU decode reaches when enough cores stream (STREAM-triad-like)',
	},
	'bandwidthShare.cpu-mobile': {
		// Prior: on phone/SBC/laptop Arm SoCs the CPU cluster reaches DRAM through an interconnect port narrower
		// than the memory interface: one Raspberry Pi 5 core already reads 9.4 GB/s of the 17.1 GB/s spec
		// (tinymembench "C scan 64", geerlingguy/sbc-reviews #21), and all four cores reach about as much.
		// raspberrypi/firmware issue #1876 (ThomasKaiser, 2024-04-02) has the same test on two boards at one
		// software version: C scan 64 9407.4 MB/s (4 GB) and 9122.2 MB/s (8 GB Pi 5B), 0.55 and 0.53 of 17.07.
		// Not pooled with bandwidthShare.cpu: desktop parts reach most of their spec, these ports do not.
		// Checked 2026-12 (issue #12): measured tok/s × weight bytes gives 9.1–10.9 GB/s on the Pi 5 rows of
		// three sources (L0343, L0884–L0886, and held-out X077), i.e. this prior; one source's 8 GB rows
		// (L0877–L0883) sit at 5.8–7.1 GB/s and pull the fitted value below it. Those three are 0.77–0.92 of one
		// Pi 5 core's glibc memchr scan (11853.4 MB/s, ThomasKaiser/sbc-bench results/reviews/RPi-5B-Rev1.0.md);
		// a per-board "share of the measured read scan" would carry to the Pi 4 too (see cpuDot.neon-nodot), but
		// no citable arm64 Pi 4 scan was found (that repo's Pi 4 review is armhf: 1289.8 MB/s, 32-bit memchr).
		prior: 0.55,
		min: 0.15,
		max: 1,
		what: 'share of spec LPDDR bandwidth the CPU cluster of a phone/SBC/laptop Arm SoC (Cortex-A/Kryo cores) reaches under llama.cpp: its port into the SoC interconnect is narrower than the memory interface',
	},
	'bandwidthShare.accelerator': {
		prior: 0.8,
		min: 0.3,
		max: 1,
		what: 'share of spec HBM bandwidth TPU/Gaudi/Inferentia vendor stacks reach',
	},
	'dequantShare.gpu': {
		prior: 0.95,
		min: 0.5,
		max: 1,
		what: 'GPU quantized-weight kernels (int4/int8/GGUF/AWQ/GPTQ/FP8) relative to plain 16-bit streaming',
	},
	llamaCppGBsPerSM: {
		prior: 10,
		min: 2,
		max: 60,
		what: "GB/s of DRAM one SM sustains under llama.cpp's CUDA/HIP matrix-vector kernels (bytes in flight per SM / memory latency): HBM parts need more in flight than these kernels keep, so they stay below their spec. Intel Arc Xe-cores under llama.cpp's SYCL/Vulkan mat-vec use the same rate (Xe2-core = one SM, Alchemist Xe-core = one SM ÷ 1.7, Intel's per-core gain; llamaCppUnitCaps.ts xeCoreCap)",
	},
	'llamaCppGBsPerSM.unified': {
		// Prior: the discrete prior (10). Same kernels and the same bytes in flight per SM; what differs is the
		// round trip of an integrated GPU's loads through the SoC fabric and shared memory controllers to LPDDR5/5X
		// (no vendor latency figure retrieved), so the ledger's integrated-GPU llama.cpp rows choose it.
		prior: 10,
		min: 2,
		max: 60,
		what: "GB/s of LPDDR one SM of an integrated GPU (deviceClass 'unified-gpu': Jetson, GB10) sustains under llama.cpp's CUDA/HIP matrix-vector kernels (bytes in flight per SM / the SoC memory path's latency): SMs × this caps the stream on parts with few SMs per GB/s",
	},
	llamaCppIssueRate: {
		// Prior: a third of the ideal issue rate. Q4_0 costs 2.25 lane-instructions per weight in mmvq (llamaCppIssue.ts,
		// counted from vecdotq.cuh), so an SM issuing every lane every cycle would do 1/2.25 = 0.44 Q4_0-weights per
		// lane-cycle; mmvq runs 4 warps per row block, one dependent chain of global loads (q8_1 ints, d8 halves, scale
		// bytes) before each dp4a, so most issue slots idle on load latency, and on Ampere/Ada consumer SMs half the
		// FP32 lanes cannot run the integer work: about a third of the ideal.
		prior: 0.15,
		min: 0.02,
		max: 0.44,
		what: "Q4_0-weights per FP32 lane-cycle llama.cpp's quantized mat-vec (mmvq, CUDA/HIP) issues: lane-cycles/s (peakTflops.fp32 / 2) × this ÷ the type's instruction cost relative to Q4_0 (llamaCppIssue.ts) caps the weights/s of low-bit types (Q2_K, Q3_K, IQ2/IQ3), which are issue-bound rather than bandwidth-bound",
	},
	'llamaCppGBsPerCU.gcn-hip': {
		// Prior: half of llamaCppGBsPerSM's prior. A GCN/Vega compute unit is 4 × SIMD16 running wave64, so it issues
		// 64 lanes per clock where an Ampere/Ada/Hopper SM issues 128; llama.cpp's HIP mmvq kernel runs the same
		// per-lane work on it (GCN parameter table: 2 wave64 per row block), so a CU keeps about half an SM's loads
		// in flight per unit of latency.
		prior: 5,
		min: 1,
		max: 30,
		what: "GB/s of DRAM one AMD GCN/Vega compute unit (4 × SIMD16, wave64; catalog gpuIsa.wave64) sustains under llama.cpp's HIP quantized mat-vec kernel (mmvq, GCN table): CUs × this caps the quantized weight stream on ROCm",
	},
	'llamaCppGBsPerCU.gcn-vulkan': {
		// Prior: as the HIP rate; the Vulkan backend's mul_mat_vec shaders (64-wide subgroups on GCN) are compiled by
		// the driver's shader compiler (RADV/ACO or AMD's PAL), a different kernel, so their per-CU rate is its own.
		prior: 5,
		min: 1,
		max: 30,
		what: "GB/s of DRAM one AMD GCN/Vega compute unit (wave64; catalog gpuIsa.wave64) sustains under llama.cpp's Vulkan quantized mul_mat_vec shaders: CUs × this caps the quantized weight stream on Vulkan",
	},
	'layerUs.bnb-int8': {
		prior: 2000,
		min: 100,
		max: 20000,
		what: 'µs more per layer for bitsandbytes LLM.int8 (per linear: activation int8 quantization, outlier column split, an int8 and an fp16 matmul, then the merge)',
	},
	'layerUs.cuda-graphs': {
		prior: 8,
		min: 0,
		max: 200,
		what: 'µs per transformer layer for engines replaying CUDA graphs (vLLM, SGLang, TRT-LLM, torch.compile): kernel gaps + small-kernel tails',
	},
	'layerUs.llama.cpp-cuda': {
		// One constant for every host-dispatched llama.cpp GPU backend: CUDA without graphs and HIP launch each of
		// the ~25 ggml nodes of a layer from the host; Vulkan records the same ~25 dispatches into command buffers,
		// each fenced by a pipeline barrier, with no graph replay either. Fitted apart, the two costs came out alike
		// (CUDA/HIP 63.9 µs on 159 rows, Vulkan 52.9 µs on 35), and the separate Vulkan cost was loosely held (most
		// Vulkan rows are stream-bound: it drifted to 125 µs when the NVIDIA consumer family was held out).
		prior: 35,
		// Physical floor: ≥ ~0.4 µs a dispatch (barrier or launch) × ~25 a layer on any driver.
		min: 10,
		max: 300,
		what: 'µs per layer for llama.cpp on a GPU without graph replay: CUDA without CUDA graphs and HIP (~25 ggml nodes per layer, each a kernel launch from the host: builds before mid-2024, pre-Ampere GPUs, batch > 1) and Vulkan/SYCL (the same dispatches recorded into command buffers, each behind a pipeline barrier)',
	},
	'layerUs.llama.cpp-cuda-graphs': {
		// Prior: the same ~25 kernels per layer replayed from one CUDA graph (llama.cpp PR #6766: +6–14 % tg on
		// 3090/4090/H100-PCIe for a 7B at ~7 ms/token, i.e. ~15–30 µs a layer less than launching each), leaving the
		// device-side gaps and small-kernel tails: ~20 µs a layer.
		prior: 20,
		min: 0,
		max: 300,
		what: 'µs per layer for llama.cpp on NVIDIA CUDA when each token replays one CUDA graph (Ampere or newer, batch 1, builds from mid-2024; MoE from mid-2025): kernel gaps and small-kernel tails, no host launches',
	},
	'layerUs.llama.cpp-metal': {
		prior: 150,
		min: 0,
		max: 600,
		what: 'µs per layer for llama.cpp on Metal (~22 dispatches per layer, encode + barrier each)',
	},
	'layerUs.llama.cpp-cpu': {
		prior: 40,
		min: 0,
		max: 600,
		what: 'µs per layer for llama.cpp on CPU at 8 threads (~25 ops per layer, a thread-pool barrier each; scales with log2(1 + threads), 0 at one thread)',
		pool: 'layerUs.llama.cpp-cpu',
	},
	'layerUs.llama.cpp-cpu-server': {
		// Prior: the ~25 barriers per layer of layerUs.llama.cpp-cpu's prior, but on a many-core server part each barrier
		// is a chain of serialized atomic arrivals across the mesh / CCD fabric (ggml_barrier, libgomp bar.c), so the
		// cost grows linearly with threads (cpuServerBarrierScale) instead of with their log. Not pooled: the desktop
		// and Apple figures are measured at 1–8 threads where other per-layer costs dominate, and would be multiplied
		// by the server's tens of threads.
		prior: 40,
		min: 0,
		max: 600,
		what: 'µs per layer for llama.cpp on a many-core server CPU (EPYC, Xeon, Ampere, Graviton, Grace) at 8 threads: ~25 ops per layer, a barrier each whose serialized arrivals cross the fabric; scales linearly with threads (threads / 8), 0 at one thread',
	},
	'layerUs.llama.cpp-cpu-apple': {
		// Prior: the same ~25 barriers per layer, but macOS cannot pin ggml's threads (ggml_thread_apply_affinity is
		// a no-op on Apple platforms): the scheduler spreads them over P-clusters and E-cores, and each barrier
		// waits for the thread that landed on the slower or farther core — several times the Linux figure.
		prior: 150,
		min: 0,
		max: 1500,
		what: 'µs per layer for llama.cpp on an Apple CPU at 8 threads (~25 ops per layer, a barrier each; threads unpinned on macOS, so stragglers on E-cores or the other P-cluster gate every barrier; scales with log2(1 + threads))',
		pool: 'layerUs.llama.cpp-cpu',
	},
	'layerFactor.moe': {
		// Prior: the kernel count (efficiency.ts MOE_LAYER_KERNEL_FACTOR): router GEMM, top-k, permute, grouped
		// expert GEMMs and the weighted sum add ~6 launches to a dense layer's ~10. Engines fuse some of them
		// (ggml-cuda's topk_moe and fused adds, vLLM's fused_moe), so the data choose the factor within [1, 3].
		prior: 1.6,
		min: 1,
		max: 3,
		what: 'fixed per-layer cost of a MoE layer in dense-layer units (router, top-k, expert dispatch and combine kernels on top of the attention and projections), on GPU stacks (CPU backends keep the kernel count, 1.6: each routing op is its own barrier-separated node)',
	},
	'layerFactor.linear-attention': {
		// Prior: a Gated DeltaNet layer in llama.cpp (src/models/qwen35moe.cpp build_layer_attn_linear, qwen3next)
		// builds ~28 nodes where an attention block builds ~16: qkv and z projections, beta (mat-vec + sigmoid),
		// alpha (mat-vec + add + softplus + mul), conv-state concat and copy, ssm_conv + silu, two l2_norms, the
		// delta-rule recurrence and its state copy, the gated RMS norm (norm, mul, silu, mul), out projection.
		// About 12 more launches on a dense layer's ~25: the layer costs ~1.5 dense layers of fixed time.
		// The ledger's hybrid rows (Qwen3.5/3.6 and Qwen3-Next on MI50 and Strix Halo, HIP and Vulkan) choose more
		// (3.75 at the time of writing): the recurrence, conv and norm kernels are tiny f32 kernels whose cost is
		// their launch and tail, and the gated shared expert these models put in every layer (three mat-vecs, a
		// sigmoid gate, a mul and an add) has no term of its own, so it lands here too. The MoE routing itself is not
		// the gap: ggml-cuda (also the HIP build) fuses the softmax/top-k/get_rows gating (ggml_cuda_op_topk_moe) and
		// the n_expert_used − 1 aggregation adds of build_moe_ffn (ggml_cuda_op_fused_add, up to 8), and plain MoE
		// models (Qwen3-30B-A3B, gpt-oss, Llama 4 Scout) on the same GPUs fit with the flat MoE factor.
		prior: 1.5,
		// Bounds: at least an attention layer's cost; at most a few times it (the unfused, op-by-op delta rule of
		// the first builds adds ~15 more nodes).
		min: 1,
		max: 6,
		what: 'fixed cost of one linear-attention (Gated DeltaNet) layer of a hybrid model (Qwen3-Next, Qwen3.5/3.6) in dense-layer units: its extra nodes (projections, conv state, l2 norms, delta-rule recurrence, gated norm) on top of the per-layer constant',
	},
	'layerUs.mlc': {
		prior: 15,
		min: 0,
		max: 300,
		what: 'µs per layer for MLC-LLM compiled TVM kernels',
	},
	'layerUs.mlx': {
		prior: 60,
		min: 0,
		max: 600,
		what: 'µs per layer for MLX / mlx-lm on Apple Metal (~10 fused kernels per layer from a lazy graph evaluated each token)',
	},
	'layerUs.exllama': {
		prior: 20,
		min: 0,
		max: 300,
		what: 'µs per layer for ExLlama v1/v2 on CUDA/ROCm (fused int4/EXL2 matmul and attention kernels, no CUDA graphs)',
	},
	'layerUs.pytorch': {
		prior: 600,
		min: 50,
		max: 3000,
		what: 'µs per layer for eager PyTorch / HF transformers generate() (~30 ops × Python dispatch)',
	},
	'layerUs.pytorch-cpu': {
		// Prior: eager PyTorch runs ~30 ATen ops per decoder layer, each a Python call + dispatcher + an OpenMP
		// parallel region, serial with the op's own work on a CPU (nothing overlaps as on a GPU stream):
		// ~30 × ~20 µs, the same Python dispatch as on a GPU (layerUs.pytorch's prior).
		prior: 600,
		min: 50,
		max: 5000,
		what: 'µs per transformer layer for eager PyTorch (HF transformers generate, torchchat eager) on a CPU: ~30 ops × (Python dispatch + OpenMP fork/join), serial with the weight stream',
	},
	'layerUs.pytorch-compiled-cpu': {
		// Prior: Inductor's CPU codegen (and IPEX's fused TorchScript graph) leaves ~10 C++ kernels per layer, each
		// an OpenMP parallel region (fork/join + barrier ~5–10 µs at tens of threads) plus the packed-GEMV calls.
		prior: 100,
		min: 0,
		max: 3000,
		what: 'µs per transformer layer for compiled PyTorch on a CPU (torch.compile Inductor C++ kernels, IPEX fused TorchScript graph): ~10 OpenMP regions per layer, no Python per op',
	},
	'cpuStreamShare.pytorch': {
		// Prior: oneDNN/MKL/ACL/KleidiAI GEMV at M = 1 streams weights well but splits each matmul into its own
		// parallel region with a cold start; ~80 % of what ggml's fused per-thread loops reach.
		prior: 0.8,
		min: 0.2,
		max: 1,
		what: "share of llama.cpp's CPU weight stream (bandwidthShare.cpu × thread and NUMA caps) PyTorch's CPU GEMV kernels (oneDNN/MKL, Arm ACL/KleidiAI, IPEX) reach at batch 1",
	},
	'cpuStreamShare.pytorch-apple': {
		// Prior: PyTorch runs one intra-op thread per physical core, E-cores included (c10/core/thread_pool.cpp
		// defaultNumThreads counts cpuinfo cores), and at::parallel_for splits each matmul into equal static chunks
		// (ATen/ParallelOpenMP.h invoke_parallel), so a step ends when the slowest core finishes its chunk. On an
		// 8P+2E part whose E-cores stream a third of a P-core's rate, an E-core's tenth takes 3/10 of the P-core time
		// for the whole matrix, the eight P-cores alone 1/8: (1/8)/(3/10) ≈ 0.4 of the stream.
		prior: 0.4,
		min: 0.1,
		max: 1,
		what: "share of llama.cpp's CPU weight stream PyTorch's CPU GEMV reaches on Apple silicon, where its intra-op pool spans the efficiency cores and every equal static chunk waits for them (replaces cpuStreamShare.pytorch on Apple CPUs)",
	},
	'cpuWoqRate.pytorch': {
		// Prior: PyTorch's CPU weight-only int8/int4 kernels (_weight_int8pack_mm, _weight_int4pack_mm, IPEX WOQ)
		// unpack each weight to fp32/bf16 and FMA it: a few 10⁹ weights per core per second, several times below
		// ggml's integer dot products (torchchat #627 / pytorch #122813 report them slower than the 16-bit path).
		prior: 5,
		min: 0.1,
		max: 100,
		what: "10⁹ weights one core dequantizes and multiplies per second in PyTorch's CPU weight-only int8/int4 matmuls (replaces the llama.cpp cpuDot rate for PyTorch engines)",
	},
	'cpuHalfRate.pytorch': {
		// Prior: without a native dot for the type, PyTorch's 16-bit CPU GEMV loads each weight, widens it to fp32
		// and FMAs it (MKL cblas_gemm_bf16bf16f32 upconverts and calls SGEMM; ATen's *_dot_with_fp32_arith loops):
		// a load, a convert and an FMA per weight on 128–512-bit vectors, ~5×10⁹ weights per core per second once
		// loop overheads count — the same order as the weight-only int8 kernels (cpuWoqRate.pytorch).
		prior: 5,
		min: 0.1,
		max: 100,
		what: '10⁹ 16-bit weights one core converts to fp32 and multiplies per second in PyTorch CPU matmuls when the core has no native dot for that type (bf16 without AVX512_BF16/AMX/Arm BF16; fp16 except on AMX parts)',
	},
	'collectiveUs.fabric': {
		// Prior: a one-shot custom all-reduce of a decode-sized message (4 KiB) takes 3.7–3.9 µs at TP 2 on H100
		// NVLink (sgl-project/sglang PR #2904 unit test, kernel only, no CUDA graph).
		prior: 4,
		// Physical floor: the fastest one-shot custom all-reduce kernels take 3.7–5.9 µs for a 4 KiB message at
		// TP 2–8 on H100 NVLink (sgl-project/sglang PR #2904 unit test, kernel only; NCCL took 8.5–10 µs). Below
		// that, a fit would be hiding per-layer cost in the all-reduce term or the other way round.
		min: 3,
		max: 100,
		what: 'µs per TP all-reduce on NVLink/Infinity Fabric at TP 2 (small-message latency; grows with TP, see collectiveTpExponent)',
	},
	'collectiveUs.pcie': {
		prior: 25,
		min: 2,
		max: 300,
		what: 'µs per TP all-reduce over PCIe at TP 2 (no NVLink, often no P2P: staged through host; grows with TP, see collectiveTpExponent)',
	},
	collectiveTpExponent: {
		// Prior: the same one-shot kernels go from 3.7 µs at TP 2 to 5.9 µs at TP 8 for 512 B (sglang PR #2904):
		// (8/2)^x = 1.6 gives x ≈ 0.34; NCCL's small-message latency barely grows (8.5 → 9.3 µs for 4 KiB).
		prior: 0.33,
		min: 0,
		max: 1.5,
		what: 'growth of the all-reduce latency with TP: latency(TP) = latency(2) × (TP/2)^this (0: one-shot kernels, constant; 1: a ring, linear in hops)',
	},
	cpuThreadGBs: {
		prior: 16,
		min: 4,
		max: 100,
		what: "GB/s of DRAM one CPU thread can stream (Little's law: outstanding misses × 64 B / latency; prefetchers raise it)",
		pool: 'cpuThreadGBs',
	},
	'cpuThreadGBs.mobile': {
		// Prior: a Cortex-A7x/A5x core keeps ~10–20 line fills in flight against ~110–130 ns LPDDR4/5 latency
		// (Little's law: 16 × 64 B / 120 ns ≈ 8.5 GB/s), and SBC/phone interconnects share less than that per core.
		prior: 6,
		min: 0.5,
		max: 60,
		what: "GB/s of DRAM one mobile-class Arm core (Cortex-A/Kryo in phones, SBCs, laptop SoCs) streams under llama.cpp (Little's law: few line fills in flight against LPDDR latency); replaces cpuThreadGBs on those cores",
	},
	'cpuThreadGBs.apple': {
		// Prior: AnandTech measured ~100 GB/s from one M1 Max performance core (2021-10-25); llama.cpp's NEON loops
		// interleave the dot products with the loads, so somewhat less.
		prior: 60,
		min: 4,
		max: 150,
		what: 'GB/s of DRAM one Apple performance core streams under llama.cpp (large reorder window and fill buffers: AnandTech measured ~100 GB/s from one M1 Max P-core); replaces cpuThreadGBs on Apple CPUs',
		pool: 'cpuThreadGBs',
	},
	'cpuDot.avx2': {
		prior: 20,
		min: 1,
		max: 200,
		what: '10⁹ Q4_0-equivalent weights one x86 AVX2 core dequantizes and dots per second',
		pool: 'cpuDot',
	},
	'cpuDot.avx512': {
		prior: 25,
		min: 1,
		max: 200,
		what: '10⁹ Q4_0-equivalent weights one AVX-512 (VNNI) core dequantizes and dots per second',
		pool: 'cpuDot',
	},
	'cpuDot.amx': {
		prior: 30,
		min: 1,
		max: 300,
		what: '10⁹ Q4_0-equivalent weights one Xeon AMX core handles per second at batch 1',
		pool: 'cpuDot',
	},
	'cpuDot.neon': {
		prior: 20,
		min: 1,
		max: 200,
		what: '10⁹ Q4_0-equivalent weights one Arm NEON/SVE (dotprod/i8mm) core dequantizes and dots per second',
		pool: 'cpuDot',
	},
	'cpuDot.neon-nodot': {
		// Prior: without SDOT ggml emulates each 16-lane int8 dot (ggml-cpu-impl.h ggml_vdotq_s32) with two
		// vmull_s8, two vpaddlq_s16 and two vaddq — ~5 NEON ops for one — on 2 × 128-bit pipes of a ~1.5–2 GHz
		// Cortex-A72: a few 10⁹ weights per second per core. Not pooled: a different datapath from the SDOT cores.
		// Not derived from cpuDot.neon either (checked 2026-12, issue #12): counting ggml_vec_dot_q4_0_q8_0's
		// vector ops per 32-weight block (8 with SDOT: and, ushr, 2 sub, 2 sdot, scvtf, fmla; 18 without: the two
		// sdot become 4 smull + 4 saddlp + 4 add) on 2 ASIMD pipes at 1.5–1.8 GHz against 4 pipes at 3.2–4 GHz
		// (Apple, which chooses cpuDot.neon) gives cpuDot.neon × ~0.1 ≈ 4–5, this prior, while two independent
		// Pi 4 sources (L0870–L0876, L0888–L0890; held-out X078) run at ~1.4–1.7 per core. Those rows stream a
		// constant 3.3–3.6 GB/s whatever the format (Q4_0 4.5 b/w … Q5_K_M 5.7 b/w in one source), which reads
		// as a memory limit (0.27 of the 12.8 GB/s spec; one core's tinymembench C copy moves 2.8 GB/s each way,
		// geerlingguy/sbc-reviews #110) that this rate stands in for; no published Pi 4 read-only bandwidth was
		// found to make that a structure.
		prior: 4,
		min: 0.3,
		max: 60,
		what: '10⁹ Q4_0-equivalent weights one Armv8.0 NEON core without dot-product instructions (Cortex-A53/A72/A73) dequantizes and dots per second (ggml emulates vdotq_s32 with vmull_s8 + vpaddlq_s16)',
	},
	'batchedComputeShare.llama.cpp': {
		// Prior: llama.cpp's quantized mmvq/mmq kernels at B ≤ 32 dequantize every weight tile per token group
		// and leave the tensor cores mostly idle; published batched-bench runs show tens of % of dense peak
		// at best, so a small share. The data choose it (≈0.1 on the DGX Spark -np sweeps).
		prior: 0.15,
		min: 0.01,
		max: 1,
		what: 'share of dense peak at which each extra sequence of a llama.cpp batched decode step (-np B) on CUDA/ROCm/Vulkan adds its matmul FLOPs on top of the weight stream ((B − 1) × FLOPs/token / (peak × this)): the quantized mmq/mmvq paths are compute-limited far below peak at small batches (Metal: batchedComputeShare.llama.cpp-metal)',
	},
	'batchedComputeShare.llama.cpp-metal': {
		// The same mechanism on Metal (llama.cpp's mul_mv / mul_mv_ext small-batch kernels). Split from the
		// CUDA/ROCm constant because the two are shares of different peaks: the catalog's Apple peak is the SIMD
		// ALU peak those kernels run on, a CUDA part's is the tensor-core peak the dp4a mmvq path leaves idle.
		// Same prior as the CUDA constant (no Metal-specific guess); the Metal batched-bench rows choose it.
		prior: 0.15,
		min: 0.01,
		max: 1,
		what: 'share of the Apple GPU SIMD peak at which each extra sequence of a llama.cpp batched decode step on Metal adds its matmul FLOPs on top of the weight stream ((B − 1) × FLOPs/token / (peak × this))',
	},
	'moeBatchedExpertUs.llama.cpp': {
		// Prior: bucketing the token ids and launching (mostly empty) tiles for one expert ≈ a few µs of GPU time.
		prior: 3,
		min: 0,
		max: 60,
		what: 'µs per routed expert per MoE layer a llama.cpp batched decode step (B > 1) spends in the batched mul_mat_id path (ids bucketed by expert, matmul tiles launched over all E experts): E × this per layer',
	},
	'seqUs.vllm-v0': {
		// Prior: V0's per-sequence Python work per step (scheduler bookkeeping, building the input tensors from
		// per-sequence lists, one output object per sequence) is tens of µs per sequence; vLLM's profile of V0
		// (v0.6.0 blog, Sep 2024) puts scheduling at 29 % of execution time for an 8B model on one H100.
		prior: 50,
		min: 0,
		max: 500,
		what: "µs of host time per running sequence per decode step in vLLM's V0 engine (scheduler, input preparation, output processing), serialized with the GPU step: batch × this (physics/vllmV0Host.ts)",
	},
	'batchedComputeShare.serving': {
		prior: 0.7,
		// Physical floor: decode GEMMs at the batches where compute binds (M ≥ 64) run at 50–75 % of dense peak
		// in cuBLAS/CUTLASS on A100/H100 (NVIDIA's published GEMM efficiency); a fit below 0.3 is absorbing
		// something else (prefill interleaved in the measured runs, a mis-described model), not GEMM speed.
		min: 0.3,
		max: 1,
		what: 'share of dense peak vLLM/SGLang/TRT-LLM decode GEMMs reach once compute-bound',
	},
};
