/**
 * Whether llama.cpp (or Ollama's ggml) replays each decode token as one CUDA graph: the conditions of
 * ggml-cuda.cu, and the pre-Ampere test they need. efficiency.ts picks the per-layer constant from it.
 */
import type { HardwareSpec } from '../catalog/types';
import type { Backend, Engine } from './types';

/**
 * NVIDIA parts before Ampere (compute capability < 8.0: Kepler K80, Maxwell M40, Pascal P40/P100/GTX 10xx,
 * Volta V100/Titan V, Turing T4/RTX 20xx/Quadro RTX). Catalog entries say it by their bf16 peak (Ampere was the
 * first NVIDIA generation with bf16 tensor cores); labels of ad-hoc devices by name.
 */
const PRE_AMPERE_NVIDIA =
	/\b(tesla\s+)?([km]\d{2}|p\d{2,3}|p4|v100|t4)\b|\bgtx\b|\brtx\s*20\d\d|\btitan\s*(x|xp|v)\b|\bquadro\s+(rtx|[gkmpt]\w*\d)|\brtx\s+[4568]000\b(?!\s*ada)/i;

export function nvidiaPreAmpere(
	hardware: Pick<HardwareSpec, 'name' | 'id' | 'vendor' | 'peakTflops'>,
): boolean {
	if (!/nvidia/i.test(hardware.vendor) && !/nvidia|tesla|geforce|quadro/i.test(hardware.name)) return false;
	if (PRE_AMPERE_NVIDIA.test(`${hardware.id} ${hardware.name}`)) return true;
	const peaks = hardware.peakTflops ?? {};
	return Object.keys(peaks).length > 0 && peaks.bf16 === undefined;
}

/** Whether a llama.cpp decode step replays a CUDA graph, and why (or why not). */
export interface CudaGraphUse {
	on: boolean;
	why: string;
}

/**
 * llama.cpp (and Ollama, which runs ggml) captures each token's ggml graph as one CUDA graph and replays it
 * (PR #6766, May 2024, NVIDIA); without it every ggml node is its own cudaLaunchKernel from the host. The
 * conditions are ggml-cuda.cu's: NVIDIA only (HIP graphs are off by default), compute capability ≥ 8.0
 * (ggml_cuda_graph_set_enabled disables graphs "due to GPU architecture" below Ampere), one token per step
 * (a GGML_OP_ADD over more than one row disables them: "disable CUDA graphs for batch size > 1"), and, in builds
 * before mid-2025, no MUL_MAT_ID node (MoE expert selection read the ids back to the host). `explicit` is what
 * the caller knows of the build (false: it predates graphs for this model); undefined means a current build.
 */
export function llamaCppCudaGraphs(
	engine: Engine,
	backend: Backend,
	hardware: Pick<HardwareSpec, 'name' | 'id' | 'vendor' | 'peakTflops'> | undefined,
	batch: number,
	explicit?: boolean,
): CudaGraphUse {
	if ((engine !== 'llama.cpp' && engine !== 'ollama') || backend !== 'cuda')
		return { on: false, why: 'no CUDA graphs off the CUDA backend' };
	if (explicit === false) return { on: false, why: 'build predates CUDA graphs for this model' };
	if (hardware && nvidiaPreAmpere(hardware))
		return { on: false, why: 'CUDA graphs disabled below compute capability 8.0 (pre-Ampere GPU)' };
	if (batch > 1 && explicit !== true) return { on: false, why: 'CUDA graphs disabled for batch > 1' };
	return { on: true, why: 'one CUDA graph replayed per token' };
}
