/**
 * What each engine does with a setting the file leaves out (research/config-surface.md §1.4, §2.4, §3).
 * The rules stage calls `applyEngineDefaults` before estimating, so every number the estimate uses has a
 * source: the file, or the engine default named here with the version history that makes it uncertain.
 */
import type { Setting, Workload, WorkloadSettings } from '../types';
import { sglangDefaults } from './sglangDefaults';
import { compareVersions } from './versions';

/** Facts the caller already resolved; defaults that depend on them are skipped when absent. */
export interface DefaultsContext {
	/** The model's trained context (max_position_embeddings / GGUF context_length). */
	modelMaxContext?: number;
	/** Memory of one accelerator in GiB and its catalog id (vLLM sizes max-num-seqs by it). */
	deviceMemoryGiB?: number;
	hardwareId?: string;
}

const DOC = 'research/config-surface.md';

function def<T>(value: T, note: string): Setting<T> {
	return { value, source: 'engine-default', note };
}

/** vLLM V1 `_set_default_args`: GPUs with >= 70 GiB other than A100 get the larger batch defaults. */
function bigGpu(ctx: DefaultsContext): boolean | undefined {
	if (ctx.deviceMemoryGiB === undefined) return undefined;
	return ctx.deviceMemoryGiB >= 70 && !/a100/i.test(ctx.hardwareId ?? '');
}

function vllmDefaults(w: Workload, ctx: DefaultsContext): Partial<WorkloadSettings> {
	const big = bigGpu(ctx);
	const out: Partial<WorkloadSettings> = {
		gpuMemoryUtilization: def(0.9, `vLLM default 0.9 of each GPU's memory (CacheConfig; ${DOC} §1.4)`),
		kvCacheDtype: def('auto', `vLLM default \`auto\`: the KV cache uses the model dtype (${DOC} §1.4)`),
		weightFormat: def(
			'auto',
			`vLLM default dtype \`auto\`: bf16 checkpoints load as bf16, fp32/fp16 as fp16 (${DOC} §1.4)`,
		),
		tensorParallelSize: def(1, `vLLM default tensor parallel size 1 (${DOC} §1.4)`),
		pipelineParallelSize: def(1, `vLLM default pipeline parallel size 1 (${DOC} §1.4)`),
	};
	if (ctx.modelMaxContext)
		out.contextLength = def(
			ctx.modelMaxContext,
			`vLLM default max-model-len: the model's own maximum context (${DOC} §1.4)`,
		);
	// max-num-seqs and max-num-batched-tokens depend on the GPU; without it they are left to the caller.
	if (big !== undefined) {
		out.maxConcurrency = def(
			big ? 1024 : 256,
			`vLLM V1 default max-num-seqs: ${big ? '1024 on GPUs with >= 70 GiB other than A100' : '256 on this GPU'} (arg_utils.py _set_default_args; ${DOC} §1.4)`,
		);
		out.batchTokens = def(
			big ? 8192 : 2048,
			`vLLM OpenAI-server default max-num-batched-tokens: ${big ? 8192 : 2048} on this GPU (${DOC} §1.4)`,
		);
	}
	const tp = w.settings.tensorParallelSize?.value ?? 1;
	const pp = w.settings.pipelineParallelSize?.value ?? 1;
	out.deviceCount = def(tp * pp, 'vLLM runs on tensor-parallel x pipeline-parallel GPUs');
	return out;
}

/** Build number of a `b4567` version. */
const build = (v?: string) => (v && /^b\d+$/.test(v) ? Number(v.slice(1)) : undefined);

function llamaDefaults(w: Workload, ctx: DefaultsContext): Partial<WorkloadSettings> {
	const b = build(w.engineVersion?.value);
	const out: Partial<WorkloadSettings> = {
		kvCacheDtype: def('f16', `llama.cpp default cache types f16/f16 (common.h; ${DOC} §2.4)`),
		batchTokens: def(2048, `llama.cpp default logical batch 2048 (common.h; ${DOC} §2.4)`),
		maxConcurrency: def(
			1,
			`llama.cpp default 1 slot (common_params n_parallel; newer servers read -1 as auto; ${DOC} §2.4)`,
		),
		gpuLayers: def(
			-1,
			`llama.cpp without -ngl: the newest builds fit as many layers as memory allows (-1 = auto), mid-2025 builds offloaded all layers, older ones none (${DOC} §2.4)`,
		),
	};
	if (b !== undefined && b < 4000 && ctx.modelMaxContext)
		out.contextLength = def(
			ctx.modelMaxContext,
			`llama.cpp builds before Nov 2024 (PR #10136) default to the model's trained context`,
		);
	else
		out.contextLength = def(
			4096,
			`llama.cpp default -c 4096 since Nov 2024 (PR #10136); the newest builds (common.h@001d906, --fit on) use the model's full context, shrunk to fit memory but not below 4096 (${DOC} §2.4)`,
		);
	return out;
}

function ollamaDefaults(w: Workload): Partial<WorkloadSettings> {
	const v = w.engineVersion?.value;
	const old = v !== undefined && (compareVersions(v, '0.6.0') ?? 1) < 0;
	return {
		contextLength: def(
			old ? 2048 : 4096,
			`Ollama default num_ctx: 2048 in older releases, 4096 later, and recent releases size it by VRAM; OLLAMA_CONTEXT_LENGTH overrides (unverified; ${DOC} §3)`,
		),
		gpuLayers: def(-1, `Ollama default num_gpu: as many layers as fit in GPU memory (-1 = auto; ${DOC} §3)`),
		kvCacheDtype: def('f16', `Ollama default KV cache f16 (OLLAMA_KV_CACHE_TYPE overrides)`),
		maxConcurrency: def(
			1,
			`Ollama serves 1 request per model unless OLLAMA_NUM_PARALLEL says more (auto may pick 4; unverified)`,
		),
	};
}

/** The workload with every missing setting the engine would fill, each marked 'engine-default'. */
export function applyEngineDefaults(w: Workload, ctx: DefaultsContext = {}): Workload {
	const defaults =
		w.framework === 'vllm'
			? vllmDefaults(w, ctx)
			: w.framework === 'llama.cpp'
				? llamaDefaults(w, ctx)
				: w.framework === 'ollama'
					? ollamaDefaults(w)
					: w.framework === 'sglang'
						? sglangDefaults(w, ctx.deviceMemoryGiB, ctx.modelMaxContext)
						: {};
	const settings: WorkloadSettings = { ...w.settings };
	for (const [k, v] of Object.entries(defaults) as [keyof WorkloadSettings, Setting<never>][])
		if (settings[k] === undefined) (settings as Record<string, Setting<unknown>>)[k] = v;
	// `-c 0` / `max-model-len` unset both mean "the model's own context".
	if (w.framework === 'llama.cpp' && settings.contextLength?.value === 0 && ctx.modelMaxContext)
		settings.contextLength = {
			...settings.contextLength,
			value: ctx.modelMaxContext,
			raw: '0',
			note: '`-c 0` loads the context size from the model',
		};
	return { ...w, settings };
}
