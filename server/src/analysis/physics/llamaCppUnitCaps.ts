/**
 * Per-compute-unit caps on llama.cpp's quantized mat-vec stream for GPUs whose kernels are issue-bound rather than
 * bandwidth-bound (issue #12): AMD GCN/Vega compute units and Intel Arc Xe-cores. Each returns the stream the
 * units sustain (units × a calibrated per-unit rate) and the reason shown beside the estimate; decode.ts applies it.
 */
import { constant } from './calibration';
import type { EstimateInput } from './types';

/** The capped path: llama.cpp (or Ollama's build of it) with quantized weights; float weights run other kernels. */
export function quantizedLlamaCppMatVec(input: EstimateInput): boolean {
	if (input.engine !== 'llama.cpp' && input.engine !== 'ollama') return false;
	return input.weights.quantized && input.weights.bitsPerWeight < 16;
}

/**
 * llama.cpp on an AMD GCN/Vega GPU (catalog gpuIsa.wave64: Polaris gfx803, Vega gfx900, Vega 20 gfx906) with
 * quantized weights, on HIP or Vulkan: a compute unit is 4 × SIMD16 that each take 4 clocks per wave64 instruction
 * (ggml-cuda common.cuh: physical warp size 64 on __GFX8__/__GFX9__; mmvq.cu runs the GCN parameter table, 2 wave64
 * per row block), so it issues half the lanes per clock of an Ampere/Ada/Hopper SM and keeps fewer loads in flight.
 * The quantized weight stream is then CUs × a per-CU rate (calibrated llamaCppGBsPerCU.gcn-hip on ROCm,
 * llamaCppGBsPerCU.gcn-vulkan on Vulkan), whatever the HBM2/GDDR5 spec.
 * The dp4a emulation on parts without v_dot4 (gfx803, gfx900) is not the binding term: at 6 (gfx900 asm) to ~8 (C
 * fallback) instructions per 4 weights it needs ~2 lane-instructions per weight, and an RX 570's 5.1 TFLOPS (2.6 ×
 * 10¹² lane-ops/s) then still covers ~10¹² weights/s, several times its 224 GB/s stream. Float (F16/BF16) weights run
 * other kernels (mul_mat_vec_f, hipBLAS) that no GCN ledger row measures; they keep the stack's bandwidth share.
 */
export function gcnComputeUnitCap(
	input: EstimateInput,
	stack: string,
): { bytesPerSecond: number; reason: string } | undefined {
	const hw = input.hardware;
	const cus = hw.streamingMultiprocessors?.count;
	if (!cus || !hw.gpuIsa?.wave64 || !quantizedLlamaCppMatVec(input)) return undefined;
	if (stack !== 'rocm' && stack !== 'vulkan') return undefined;
	// HIP mmvq and the Vulkan mul_mat_vec shaders are different kernels (the latter built by the driver's shader
	// compiler): each stack has its own per-CU rate.
	const name = stack === 'rocm' ? 'llamaCppGBsPerCU.gcn-hip' : 'llamaCppGBsPerCU.gcn-vulkan';
	const perCu = constant(name);
	return {
		bytesPerSecond: cus * perCu * 1e9,
		reason: `llama.cpp quantized mat-vec on ${hw.gpuIsa.arch} (wave64 GCN): ${cus} CUs × ${Number(perCu.toPrecision(3))} GB/s per CU (calibrated ${name}) cap the stream`,
	};
}

/** Xe-core in SMs of llama.cpp mat-vec stream, per generation (vendor facts; see xeCoreCap). */
export const XE_CORE_PER_SM: Record<'xe-hpg' | 'xe2-hpg', number> = { 'xe2-hpg': 1, 'xe-hpg': 1 / 1.7 };

/**
 * llama.cpp on an Intel Arc GPU (catalog gpuIsa.arch 'xe-hpg' Alchemist, 'xe2-hpg' Battlemage) with quantized
 * weights, on SYCL or Vulkan (the ledger and `backendFor` file both as 'vulkan'): the mat-vec kernels do not reach
 * a share of spec bandwidth; they reach Xe-cores × a per-core rate, as llama.cpp's CUDA/HIP kernels reach SMs × a
 * per-SM rate (llamaCppSmStream). ggml-sycl's mmvq (mmvq.cpp reorder_mul_mat_vec_q4_0_q8_1_sycl) runs one row per
 * 16-lane sub-group (reqd_sub_group_size(WARP_SIZE)), 16 sub-groups per work-group, and spends per 4 weights an
 * unpack plus a dp4a on the Xe vector engines: the same row-per-sub-group scheme as ggml-cuda's mmvq on an SM
 * (llama.cpp PR #21992 finds Q4_0/Q4_K TG "dp4a-compute-bound on Intel Arc"; PR #21527 Q8_0 at 21 % of spec
 * bandwidth before the reorder layout). The per-core rate is therefore not a constant of Intel's own but the
 * per-SM rate the NVIDIA/AMD rows choose (llamaCppGBsPerSM), scaled by a vendor fact per generation (XE_CORE_PER_SM):
 * - Battlemage (Xe2): one Xe2-core = one SM. Both are 128 FP32 lanes split into partitions that each issue one
 *   full-width instruction per clock (an Xe2-core's 8 vector engines are native SIMD16, the width of llama.cpp's
 *   SYCL sub-group, as an SM's 4 partitions issue a 32-wide warp), with a private L1/shared memory (Xe2 256 KB;
 *   Ampere/Ada SM 128 KB).
 * - Alchemist (Xe-HPG): one Xe-core = one SM ÷ 1.7. Intel states Battlemage's Xe2-core delivers 70 % more
 *   performance than an Alchemist Xe-core (Battlemage launch, Dec 2024; Maximum PC Feb 2025: "Intel says
 *   Battlemage delivers 70 percent more performance per Xe-core"): Alchemist's 16 vector engines are SIMD8, so
 *   each SIMD16 sub-group instruction takes two passes, and Intel merged pairs of them into Xe2's SIMD16 engines.
 * Bounded by the spec bandwidth, it replaces the Vulkan stack's share of spec. Float weights keep the stack's share.
 */
export function xeCoreCap(
	input: EstimateInput,
	stack: string,
): { bytesPerSecond: number; reason: string } | undefined {
	const hw = input.hardware;
	const cores = hw.streamingMultiprocessors?.count;
	const arch = hw.gpuIsa?.arch;
	if (!cores || (arch !== 'xe-hpg' && arch !== 'xe2-hpg') || !quantizedLlamaCppMatVec(input))
		return undefined;
	if (stack !== 'vulkan') return undefined;
	const perCore = constant('llamaCppGBsPerSM') * XE_CORE_PER_SM[arch];
	const gen = arch === 'xe2-hpg' ? 'Xe2 (Battlemage)' : 'Xe-HPG (Alchemist)';
	const ratio = arch === 'xe2-hpg' ? 'one SM' : 'one SM ÷ 1.7';
	return {
		bytesPerSecond: cores * perCore * 1e9,
		reason: `llama.cpp quantized mat-vec on Intel ${gen}: ${cores} Xe-cores × ${Number(perCore.toPrecision(3))} GB/s per core (${ratio}: calibrated llamaCppGBsPerSM) set the stream (SYCL/Vulkan)`,
	};
}

/**
 * The stream llama.cpp's CUDA/HIP mat-vec kernels reach on a GPU of `sms` SMs (Little's law per SM: the bytes its
 * warps keep in flight over the memory latency). The rate per SM is a property of the memory path, so it has two
 * calibrated values: llamaCppGBsPerSM for discrete cards (GDDR/HBM on the GPU's own controllers) and
 * llamaCppGBsPerSM.unified for integrated GPUs (catalog deviceClass 'unified-gpu': Jetson Orin/Thor, GB10), whose
 * loads cross the SoC fabric to shared LPDDR5/5X (on Orin the GPU shares the EMC with the CPU cluster and the
 * engines), a longer round trip for the same bytes in flight. On an integrated GPU with many SMs per GB/s (GB10:
 * 48 SMs for 273 GB/s) the cap stays above the stack's share of spec; on one with few (AGX Orin: 16 SMs for
 * 204.8 GB/s, Orin Nano: 8 for 68/102 GB/s) it binds. Kernels that keep more bytes in flight per SM (MLC/TVM,
 * TensorRT) reach the stack share on the same Jetsons, so only llama.cpp (and Ollama's build of it) is capped.
 */
export function llamaCppSmStream(
	deviceClass: string,
	sms: number,
): { bytesPerSecond: number; reason: string; name: string } {
	const name = deviceClass === 'unified-gpu' ? 'llamaCppGBsPerSM.unified' : 'llamaCppGBsPerSM';
	const perSm = constant(name);
	const where = deviceClass === 'unified-gpu' ? ' (integrated GPU: SoC path to shared LPDDR)' : '';
	return {
		name,
		bytesPerSecond: sms * perSm * 1e9,
		reason: `llama.cpp kernels: ${sms} SMs × ${Number(perSm.toPrecision(3))} GB/s per SM${where} (calibrated ${name}) cap the stream`,
	};
}
