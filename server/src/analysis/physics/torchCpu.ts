/**
 * Which matmul path PyTorch takes on a CPU at batch 1, from the CPU's ISA facts and the weight/activation dtype
 * (issue #12). Each path has its own ceiling in decode.ts (cpuLimits):
 *
 * - 16-bit float weights with a native dot for that type: oneDNN's bf16 GEMM with AVX512_BF16 `vdpbf16ps` or
 *   AMX tiles, its fp16 GEMM with AVX512_FP16 (AMX parts), or on Arm with FEAT_BF16 PyTorch's reduced-precision
 *   GEMV fast path (aten/src/ATen/native/cpu/ReducedPrecisionFloatGemvFastPathKernel.cpp,
 *   `dot_with_fp32_arith_main_inner_loop_bfdot`: `vbfdotq_f32`) — the weight stream binds, as for llama.cpp.
 * - 16-bit float weights without one: every weight is converted to fp32 and FMA'd in fp32 — MKL's
 *   `cblas_gemm_bf16bf16f32` "upconverts to fp32 and calls SGEMM" on x86 without AVX512_BF16 (torchchat #1253,
 *   where bf16 decodes no faster than fp32), PyTorch's `*_dot_with_fp32_arith_*_no_bfdot` loops on Arm without
 *   FEAT_BF16, and its `fp16_dot_with_fp32_arith` default for fp16 on Arm (fp16 reductions are off by default:
 *   `allowFP16ReductionCPU`). That per-weight convert + FMA runs at a per-core rate (cpuHalfRate.pytorch).
 * - Weight-only int8 under torch.compile with non-bf16 activations: torchchat (quantization/qops.py
 *   `linear_int8_aoti`: `F.linear(input, weight.to(dtype=input.dtype)) * scales` while compiling) and gpt-fast
 *   write the dequantize as a cast before the matmul. Inductor rewrites that pattern to `_weight_int8pack_mm` only
 *   when the activation is bf16 (torch/_inductor/fx_passes/quantization.py `_is_valid_woq_optimization_pattern`:
 *   `x.dtype == torch.bfloat16`); otherwise the cast is its own kernel that writes a 16-bit (or fp32) copy of
 *   every weight each step and the matmul streams that copy back: int8 read + copy written + copy read.
 */
import type { CpuSpec, FormatSpec, KvDtypeSpec } from '../catalog/types';
import type { Engine } from './types';

export type TorchFloat = 'bf16' | 'fp16' | 'fp32';

export type TorchCpuPath =
	| { kind: 'half-native'; dtype: TorchFloat; why: string }
	| { kind: 'half-convert'; dtype: TorchFloat; why: string }
	| { kind: 'woq'; why: string }
	| { kind: 'woq-materialized'; activation: TorchFloat; bytesFactor: number; why: string }
	| { kind: 'other' };

const isTorch = (engine: Engine) => engine === 'pytorch' || engine === 'pytorch-compiled';

/** The float type a 16-bit weight format computes in, if it is a plain 16-bit float. */
function halfDtype(weights: FormatSpec): TorchFloat | undefined {
	if (weights.quantized || Math.abs(weights.bitsPerWeight - 16) > 1e-9) return undefined;
	if (weights.computeDtype === 'bf16') return 'bf16';
	if (weights.computeDtype === 'fp16') return 'fp16';
	return undefined;
}

/**
 * The activation type of a PyTorch decode: torchchat and gpt-fast allocate the KV cache in the model dtype
 * (`--dtype`), so the cache type is the activation type; fp8/quantized caches say nothing and read as fp16.
 */
export function torchActivation(kv: KvDtypeSpec): TorchFloat {
	if (kv.id === 'bf16') return 'bf16';
	if (kv.id === 'f32') return 'fp32';
	return 'fp16';
}

/**
 * Whether the CPU multiplies this 16-bit type natively in PyTorch's kernels: bf16 with AVX512_BF16, AMX-BF16 or
 * Arm FEAT_BF16 (catalog `bf16Dot`; AMX parts always); fp16 only on AMX parts (Sapphire Rapids and later carry
 * AVX512_FP16, which oneDNN's fp16 GEMM uses). Arm fp16 and x86 fp16 without AVX512_FP16 convert to fp32.
 */
export function nativeHalfDot(dtype: TorchFloat, cpu: CpuSpec): boolean {
	if (dtype === 'fp32') return true;
	if (cpu.isa === 'amx') return true;
	return dtype === 'bf16' && cpu.bf16Dot === true;
}

/** The matmul path PyTorch takes for these weights on this CPU (see the file comment). */
export function torchCpuPath(
	engine: Engine,
	weights: FormatSpec,
	kv: KvDtypeSpec,
	cpu: CpuSpec | undefined,
): TorchCpuPath {
	if (!isTorch(engine)) return { kind: 'other' };
	const half = halfDtype(weights);
	if (half) {
		if (!cpu) return { kind: 'other' };
		if (nativeHalfDot(half, cpu))
			return {
				kind: 'half-native',
				dtype: half,
				why: `${half} matmuls on a native ${half} dot (${cpu.isa === 'amx' ? 'AMX/AVX-512 16-bit' : 'BF16 dot instructions'})`,
			};
		return {
			kind: 'half-convert',
			dtype: half,
			why: `no native ${half} dot on this CPU: PyTorch converts each weight to fp32 before the FMA`,
		};
	}
	if (!weights.quantized || weights.bitsPerWeight >= 16) return { kind: 'other' };
	const int8 = weights.family === 'int' && Math.abs(weights.bitsPerWeight - 8) < 0.5;
	const act = torchActivation(kv);
	if (engine === 'pytorch-compiled' && int8 && act !== 'bf16') {
		const copy = act === 'fp32' ? 4 : 2;
		const stored = weights.bitsPerWeight / 8;
		return {
			kind: 'woq-materialized',
			activation: act,
			bytesFactor: (stored + 2 * copy) / stored,
			why: `torch.compile with ${act} activations leaves int8 weight-only as a cast kernel (Inductor lowers it to _weight_int8pack_mm only for bf16): each step reads int8, writes and re-reads a ${act} copy (${Number(((stored + 2 * copy) / stored).toPrecision(3))}× the bytes)`,
		};
	}
	return { kind: 'woq', why: 'weight-only int8/int4 matmul kernel' };
}
