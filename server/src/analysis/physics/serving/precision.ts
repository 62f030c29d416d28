/**
 * Which tensor units a serving step's matmuls run on, and what share of their peak they reach. Weight
 * formats and attention are treated apart: linear layers run at the weight format's compute dtype when the
 * device has units for it, attention runs at the KV/activation dtype. Derivations in docs/physics.md
 * § "Serving: compute precision".
 */
import type { ComputeDtype, FormatSpec, HardwareSpec, KvDtypeSpec } from '../../catalog/types';

export interface ComputeChoice {
	dtype: ComputeDtype;
	/** Dense peak FLOP/s of those units (0 when the device lists none). */
	flopsPerSecond: number;
	/** Share of that peak a large GEMM reaches relative to bf16 (1 for 16-bit). */
	precisionEfficiency: number;
	note?: string;
}

/**
 * Share of a low-precision peak a large GEMM reaches relative to a bf16 GEMM's share of its own peak. FP8
 * GEMMs add per-tensor/per-block scaling and quantize activations every layer; FP4 (NVFP4/MXFP4) adds a scale
 * per 16/32 elements. Published cuBLAS/CUTLASS results put FP8 at ≈ 0.65–0.75 of dense FP8 peak where bf16
 * reaches ≈ 0.75–0.8 of its peak (ratio ≈ 0.9), FP4 lower again. Stated assumptions, not fitted.
 */
export const PRECISION_EFFICIENCY: Partial<Record<ComputeDtype, number>> = {
	fp32: 1,
	tf32: 1,
	bf16: 1,
	fp16: 1,
	fp8: 0.9,
	int8: 0.9,
	fp4: 0.8,
	int4: 0.8,
};

function peak(hw: HardwareSpec, d: ComputeDtype): number {
	return (hw.peakTflops[d] ?? 0) * 1e12;
}

function sixteenBit(hw: HardwareSpec): { dtype: ComputeDtype; flops: number } {
	for (const d of ['bf16', 'fp16', 'fp32'] as ComputeDtype[])
		if (peak(hw, d) > 0) return { dtype: d, flops: peak(hw, d) };
	return { dtype: 'bf16', flops: 0 };
}

/**
 * Linear layers: FP8 and FP4 weights run on FP8/FP4 units where the device has them. Where it does not, the
 * kernels (Marlin and friends) dequantize to 16-bit and run on bf16 units: NVFP4/MXFP4 on Hopper, FP8 on
 * Ampere. Weight-only int formats (AWQ, GPTQ, GGUF) always run on 16-bit units.
 */
export function linearCompute(weights: FormatSpec, hw: HardwareSpec): ComputeChoice {
	const want = weights.computeDtype;
	if ((want === 'fp8' || want === 'fp4' || want === 'int8') && peak(hw, want) > 0)
		return {
			dtype: want,
			flopsPerSecond: peak(hw, want),
			precisionEfficiency: PRECISION_EFFICIENCY[want] ?? 1,
		};
	const s = sixteenBit(hw);
	const fallback = want === 'fp8' || want === 'fp4' || want === 'int8';
	return {
		dtype: s.dtype,
		flopsPerSecond: s.flops,
		precisionEfficiency: 1,
		note: fallback
			? `${hw.id} has no ${want} units: ${weights.id} matmuls dequantize to ${s.dtype} (weight-only kernels)`
			: undefined,
	};
}

/** Attention (QKᵀ, AV) runs at the KV/activation precision: FP8 attention when the KV cache is FP8 and the device has FP8 units, else 16-bit. */
export function attentionCompute(kv: KvDtypeSpec, hw: HardwareSpec): ComputeChoice {
	if (kv.bytesPerElement <= 1 && /fp8|e4m3|e5m2/i.test(kv.id) && peak(hw, 'fp8') > 0)
		return {
			dtype: 'fp8',
			flopsPerSecond: peak(hw, 'fp8'),
			precisionEfficiency: PRECISION_EFFICIENCY.fp8 ?? 1,
		};
	const s = sixteenBit(hw);
	return { dtype: s.dtype, flopsPerSecond: s.flops, precisionEfficiency: 1 };
}
