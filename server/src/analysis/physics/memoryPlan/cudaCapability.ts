/**
 * CUDA compute capability (major) of a catalog card, where vLLM's engine choice depends on it: 0.8.x–0.10.x
 * fall back from V1 to V0 below 8.0 (vllm/engine/arg_utils.py `_is_v1_supported_oracle`: "Need at least
 * Ampere for now (FA support required)" → `_raise_or_fallback(feature_name="Compute Capability < 8.0")`).
 * Majors from NVIDIA's "CUDA GPUs – Compute Capability" table (https://developer.nvidia.com/cuda-gpus):
 * Pascal 6.x (Tesla P40/P100, GeForce GTX 10xx), Volta 7.0 (V100, Titan V), Turing 7.5 (T4, RTX 20xx,
 * Titan RTX, Quadro RTX); Ampere and later are 8.0 or above.
 */
import type { HardwareSpec } from '../../catalog/types';

const PRE_AMPERE: { pattern: RegExp; major: number }[] = [
	{ pattern: /\b(tesla[- ])?p(4|40|100)\b|\bgtx[- ]?1\d\d\d/i, major: 6 },
	{ pattern: /\bv100\b|\btitan[- ]v\b/i, major: 7 },
	{ pattern: /\bt4\b|\brtx[- ]?20\d\d\b|\btitan[- ]rtx\b|\bquadro[- ]rtx\b/i, major: 7 },
];

/** The major compute capability of an NVIDIA card: below 8 for the pre-Ampere cards above, else 8 (or unknown). */
export function cudaComputeMajor(hw: Pick<HardwareSpec, 'id' | 'name' | 'vendor'>): number | undefined {
	if (hw.vendor !== 'NVIDIA') return undefined;
	for (const { pattern, major } of PRE_AMPERE) if (pattern.test(hw.id) || pattern.test(hw.name)) return major;
	return 8;
}
