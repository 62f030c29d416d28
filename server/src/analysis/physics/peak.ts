/**
 * Which peak rate a format's matmuls run at on a device, with a sensible fallback when the device has no
 * native unit for that dtype (int4 weight-only → the bf16/fp16 units it dequantizes to).
 */
import type { ComputeDtype, HardwareSpec } from '../catalog/types';

const FALLBACK: Record<ComputeDtype, ComputeDtype[]> = {
	fp4: ['fp4', 'fp8', 'bf16', 'fp16', 'fp32'],
	fp8: ['fp8', 'bf16', 'fp16', 'fp32'],
	int4: ['int4', 'int8', 'fp16', 'bf16', 'fp32'],
	int8: ['int8', 'fp16', 'bf16', 'fp32'],
	bf16: ['bf16', 'fp16', 'fp32'],
	fp16: ['fp16', 'bf16', 'fp32'],
	tf32: ['tf32', 'fp32'],
	fp32: ['fp32', 'tf32'],
};

export interface PeakChoice {
	/** Dense peak in FLOP/s (0 when the device lists none). */
	flopsPerSecond: number;
	tflops: number;
	dtype: ComputeDtype | 'unknown';
	note?: string;
}

export function peakFor(hardware: HardwareSpec, dtype: ComputeDtype): PeakChoice {
	for (const d of FALLBACK[dtype] ?? [dtype]) {
		const t = hardware.peakTflops[d];
		if (t !== undefined && t > 0) {
			return {
				flopsPerSecond: t * 1e12,
				tflops: t,
				dtype: d,
				note: d === dtype ? undefined : `${hardware.id} has no ${dtype} peak listed; using dense ${d}`,
			};
		}
	}
	return {
		flopsPerSecond: 0,
		tflops: 0,
		dtype: 'unknown',
		note: `${hardware.id} lists no peak FLOPS: compute terms omitted`,
	};
}
