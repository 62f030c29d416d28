/**
 * What SGLang does with settings a launch command leaves out. Its KV pool is what `mem_fraction_static`
 * of each GPU's memory holds after the weights; the rest of the memory is left for activations, CUDA
 * graphs and the CUDA context. When the fraction is not given, server_args.py derives it from the GPU's
 * memory: `round((gpu_mem - reserved) / gpu_mem, 3)`, with `reserved` by memory tier and
 * parallel size (TP × PP), plus 2 GiB with speculative decoding and 4 GiB with DP attention; 0.88 when
 * no GPU is seen. Source: sgl-project/sglang python/sglang/srt/server_args.py (2025 version,
 * ServerArgs.__post_init__ "Set mem fraction static"); the 0.1 series used 0.90/0.85/0.82/0.80 by TP size.
 */
import type { Setting, Workload, WorkloadSettings } from '../types';

const SOURCE = 'SGLang server_args.py';

/** Reserved GiB per GPU by memory tier (gpu_mem is nvidia-smi's total in MiB; tiers in GiB). */
function reservedGiB(gpuGiB: number, parallel: number): { gib: number; tier: string } {
	if (gpuGiB < 35) return { gib: 2.8 + parallel / 10, tier: '< 35 GiB (A10, L40, 4090): 2.8 + P/10' };
	if (gpuGiB < 90) return { gib: 9.5 + parallel / 2, tier: '< 90 GiB (H100, A100): 9.5 + P/2' };
	if (gpuGiB < 160) return { gib: 12 + parallel / 2, tier: '< 160 GiB (H20, H200): 12 + P/2' };
	return { gib: 32, tier: '≥ 160 GiB (B200, MI300): 32' };
}

export interface MemFractionInput {
	/** Memory of one GPU in GiB; undefined when the target is not known. */
	gpuGiB?: number;
	tensorParallel: number;
	pipelineParallel: number;
	speculative: boolean;
	dpAttention: boolean;
}

/** SGLang's default `mem_fraction_static` and how it was derived. */
export function sglangDefaultMemFraction(i: MemFractionInput): Setting<number> {
	if (i.gpuGiB === undefined || i.gpuGiB <= 0)
		return {
			value: 0.88,
			source: 'engine-default',
			note: `SGLang default mem_fraction_static 0.88 when the GPU memory is not known (${SOURCE})`,
		};
	const parallel = i.tensorParallel * i.pipelineParallel;
	const r = reservedGiB(i.gpuGiB, parallel);
	let gib = r.gib;
	const extras: string[] = [];
	if (i.speculative) {
		gib += 2;
		extras.push('+2 GiB for speculative decoding');
	}
	if (i.dpAttention) {
		gib += 4;
		extras.push('+4 GiB for DP attention');
	}
	const value = Math.round(((i.gpuGiB - gib) / i.gpuGiB) * 1000) / 1000;
	return {
		value,
		source: 'engine-default',
		note:
			`SGLang default mem_fraction_static: (${i.gpuGiB.toFixed(1)} GiB - ${gib.toFixed(1)} GiB reserved) / ` +
			`${i.gpuGiB.toFixed(1)} GiB, reserved for tier ${r.tier} with P = TP×PP = ${parallel}` +
			(extras.length ? `, ${extras.join(', ')}` : '') +
			` (${SOURCE})`,
	};
}

const has = (w: Workload, canonical: string) => w.flags.some((f) => f.canonical === canonical);

/** The SGLang defaults the estimate rests on; `gpuGiB` is one target GPU's memory when known. */
export function sglangDefaults(
	w: Workload,
	gpuGiB: number | undefined,
	modelMax?: number,
): Partial<WorkloadSettings> {
	const tp = w.settings.tensorParallelSize?.value ?? 1;
	const pp = w.settings.pipelineParallelSize?.value ?? 1;
	const def = <T>(value: T, note: string): Setting<T> => ({ value, source: 'engine-default', note });
	const out: Partial<WorkloadSettings> = {
		gpuMemoryUtilization: sglangDefaultMemFraction({
			gpuGiB,
			tensorParallel: tp,
			pipelineParallel: pp,
			speculative: has(w, 'speculative-algorithm'),
			dpAttention: has(w, 'enable-dp-attention'),
		}),
		tensorParallelSize: def(1, `SGLang default --tp-size 1 (${SOURCE})`),
		pipelineParallelSize: def(1, `SGLang default --pp-size 1 (${SOURCE})`),
		kvCacheDtype: def('auto', `SGLang default --kv-cache-dtype auto: the model dtype (${SOURCE})`),
		weightFormat: def('auto', `SGLang default --dtype auto (${SOURCE})`),
		deviceCount: def(tp * pp, 'SGLang runs one replica on tensor-parallel × pipeline-parallel GPUs'),
	};
	if (modelMax)
		out.contextLength = def(modelMax, `SGLang default --context-length: the model's own maximum (${SOURCE})`);
	return out;
}
