/**
 * Engine defaults this module fills itself when the extraction stage's applyEngineDefaults left a
 * setting unset — each with provenance and the source it was read from (research/config-surface.md).
 */
import { deviceMemoryBytes } from '../physics/memoryPlan/device';
import type { HardwareSpec, ModelSpec } from '../catalog/types';
import { sglangDefaults } from '../extract/sglangDefaults';
import type { Setting, Workload, WorkloadSettings } from '../types';

const GIB = 1024 ** 3;
/** Decode is estimated at this many tokens in context (prompt + output so far), or the context if smaller. */
export const DECODE_CONTEXT = 2048;
export const PROMPT_TOKENS = 1024;

function dflt<T>(value: T, note: string, source: Setting<T>['source'] = 'engine-default'): Setting<T> {
	return { value, source, note };
}

/** Returns a copy of the workload whose settings include every default the estimate rests on. */
export function fillDefaults(
	w: Workload,
	model: ModelSpec | undefined,
	hw: HardwareSpec | undefined,
): Workload {
	const s: WorkloadSettings = { ...w.settings };
	const modelMax = model?.maxContext;
	switch (w.framework) {
		case 'vllm': {
			s.gpuMemoryUtilization ??= dflt(0.9, 'vLLM default gpu_memory_utilization (CacheConfig)');
			if (!s.contextLength && modelMax)
				s.contextLength = dflt(modelMax, `max-model-len unset: vLLM takes the model's ${modelMax} tokens`);
			if (!s.maxConcurrency) {
				// arg_utils._set_default_args: ≥70 GiB GPUs other than A100 get 1024, others 256.
				const big = hw ? deviceMemoryBytes(hw) >= 70 * GIB && !/a100/i.test(hw.id) : true;
				s.maxConcurrency = dflt(
					big ? 1024 : 256,
					`vLLM default max-num-seqs on ${big ? '≥70 GiB GPUs' : 'this GPU class'}`,
				);
			}
			s.tensorParallelSize ??= dflt(1, 'vLLM default tensor-parallel-size');
			s.pipelineParallelSize ??= dflt(1, 'vLLM default pipeline-parallel-size');
			s.kvCacheDtype ??= dflt('auto', 'vLLM default kv-cache-dtype (the model dtype)');
			break;
		}
		case 'llama.cpp': {
			const python = w.syntax === 'python';
			if (!s.contextLength) {
				s.contextLength = python
					? dflt(512, 'llama-cpp-python default n_ctx')
					: dflt(
							4096,
							'llama.cpp default -c: 4096 in builds before --fit; newer builds take the model context and shrink it to fit',
						);
			} else if (s.contextLength.value === 0 && modelMax) {
				s.contextLength = {
					...s.contextLength,
					value: modelMax,
					note: `0 = the model's context (${modelMax})`,
				};
			}
			s.maxConcurrency ??= dflt(1, 'llama.cpp default -np (one slot)');
			if (python) s.gpuLayers ??= dflt(0, 'llama-cpp-python default n_gpu_layers (CPU only)');
			s.kvCacheDtype ??= dflt('f16', 'llama.cpp default cache type');
			break;
		}
		case 'sglang': {
			const gib = hw ? (hw.memoryGB * 1e9) / GIB : undefined;
			for (const [k, v] of Object.entries(sglangDefaults(w, gib, modelMax)))
				(s as Record<string, unknown>)[k] ??= v;
			break;
		}
		case 'ollama': {
			s.contextLength ??= dflt(4096, 'Ollama default num_ctx (2048 in older releases; unverified)');
			s.maxConcurrency ??= dflt(1, 'one request at a time (OLLAMA_NUM_PARALLEL not read)', 'assumed');
			s.kvCacheDtype ??= dflt('f16', 'Ollama default OLLAMA_KV_CACHE_TYPE');
			break;
		}
		case 'transformers.js': {
			const webgpu = /webgpu|gpu/.test(s.device?.value ?? '');
			s.weightFormat ??= dflt(
				webgpu ? 'fp32' : 'q8',
				`transformers.js v3 default dtype on ${webgpu ? 'WebGPU' : 'WASM'} (unverified)`,
			);
			s.contextLength ??= dflt(Math.min(modelMax ?? 2048, 2048), 'a chat turn of 2,048 tokens', 'assumed');
			s.maxConcurrency ??= dflt(
				1,
				webgpu || /wasm/.test(s.device?.value ?? 'wasm')
					? 'one user per browser tab'
					: 'one request at a time',
				'assumed',
			);
			break;
		}
		case 'transformers': {
			s.weightFormat ??= dflt(
				'fp32',
				'transformers 4.x loads fp32 unless torch_dtype is set (5.x defaults to auto)',
			);
			s.contextLength ??= dflt(
				Math.min(modelMax ?? 4096, 4096),
				'generate() grows the cache as needed; 4,096 tokens assumed',
				'assumed',
			);
			s.maxConcurrency ??= dflt(1, 'one sequence per generate() call', 'assumed');
			break;
		}
	}
	return { ...w, settings: s };
}
