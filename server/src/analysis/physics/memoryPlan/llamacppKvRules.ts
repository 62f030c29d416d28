/**
 * Which layers of a model llama.cpp gives a KV cache, and which of those are sliding-window, per
 * architecture, as src/llama-model.cpp (llama_model::load_hparams, create_memory) sets them. Read from the
 * llama.cpp that Ollama v0.24.0 vendors (commit ec98e2002); the rules have held since the iSWA cache
 * (llama.cpp b5500, May 2025).
 *
 *   set_swa_pattern(n)        layer il is SWA when il % n < n − 1 (the n-th of every n is dense)
 *   set_swa_pattern(n, true)  layer il is SWA when il % n ≠ 0 (dense first)
 *   iSWA cache                SWA layers hold pad(min(n_ctx, n_swa · n_seq + n_ubatch), 256) cells unless
 *                             --swa-full; dense layers n_ctx cells (llama-kv-cache-iswa.cpp)
 *   hybrid (Nemotron-H)       only the attention layers (not recurrent, n_ff = 0) are in the KV cache; the
 *                             Mamba layers live in the recurrent state, the MLP/MoE layers hold nothing
 *   Phi-3                     the GGUF's sliding window is ignored ("Phi SWA is currently disabled",
 *                             PR #13676): every layer keeps n_ctx cells
 *   Mistral v0.1              converts as LLM_ARCH_LLAMA, which reads no window: full cache
 */
import type { ModelSpec } from '../../catalog/types';

export interface LlamaCppKvRule {
	/** llama.cpp's LLM_ARCH name. */
	arch: string;
	/** Hugging Face `architectures` class(es) that convert to it. */
	match: RegExp;
	swa?: {
		type: 'standard' | 'chunked';
		pattern: number;
		denseFirst?: boolean;
		/** n_swa fixed by llama.cpp; otherwise the GGUF's sliding_window (the catalog's window). */
		nSwa?: number;
	};
	/** Layers with no KV cache at all (hybrid recurrent models). */
	noKvLayers?: (model: ModelSpec) => number;
	/** Why a window in config.json does not give an iSWA cache. */
	fullBecause?: string;
	source: string;
}

const SRC =
	'ggml-org/llama.cpp src/llama-model.cpp load_hparams (as vendored by ollama/ollama v0.24.0, ec98e2002)';

export const LLAMACPP_KV_RULES: readonly LlamaCppKvRule[] = [
	{
		arch: 'gemma2',
		match: /^Gemma2/,
		swa: { type: 'standard', pattern: 2 },
		source: `${SRC}: LLM_ARCH_GEMMA2 set_swa_pattern(2), n_swa 4096 unless the GGUF says`,
	},
	{
		arch: 'gemma3',
		match: /^Gemma3(?!n)/,
		swa: { type: 'standard', pattern: 6 },
		source: `${SRC}: LLM_ARCH_GEMMA3 set_swa_pattern(6), n_swa from the GGUF`,
	},
	{
		arch: 'cohere2',
		match: /^Cohere2/,
		swa: { type: 'standard', pattern: 4 },
		source: `${SRC}: LLM_ARCH_COHERE2 set_swa_pattern(4)`,
	},
	{
		arch: 'llama4',
		match: /^Llama4/,
		swa: { type: 'chunked', pattern: 4, nSwa: 8192 },
		source: `${SRC}: LLM_ARCH_LLAMA4 chunked attention, n_swa 8192, set_swa_pattern(4)`,
	},
	{
		arch: 'gpt-oss',
		match: /^GptOss/,
		swa: { type: 'standard', pattern: 2 },
		source: `${SRC}: LLM_ARCH_OPENAI_MOE set_swa_pattern(2), n_swa from the GGUF`,
	},
	{
		arch: 'nemotron_h',
		match: /^NemotronH/,
		noKvLayers: (m) => Math.min(m.layers, m.slidingWindow?.window === 1 ? m.slidingWindow.layers : 0),
		source: `${SRC}: create_memory, llama_memory_hybrid filter_attn = !is_recurrent(il) && n_ff(il) == 0`,
	},
	{
		arch: 'phi3',
		match: /^Phi3/,
		fullBecause: 'llama.cpp disables Phi-3 sliding-window attention (PR #13676): full cache on every layer',
		source: `${SRC}: LLM_ARCH_PHI3 swa_type NONE, n_swa 0`,
	},
	{
		arch: 'llama',
		match: /^(Llama|Mistral|Mixtral)ForCausalLM/,
		fullBecause: 'converted as LLM_ARCH_LLAMA, which reads no sliding window: full cache on every layer',
		source: `${SRC}: LLM_ARCH_LLAMA`,
	},
];

export function llamaCppKvRule(model: ModelSpec): LlamaCppKvRule | undefined {
	return LLAMACPP_KV_RULES.find((r) => r.match.test(model.architecture));
}

/** llama_hparams::set_swa_pattern: is layer il sliding-window? */
export function isSwaLayer(il: number, pattern: number, denseFirst = false): boolean {
	if (pattern === 0) return true;
	return denseFirst ? il % pattern !== 0 : il % pattern < pattern - 1;
}

export interface LlamaCppKvLayers {
	/** Layers in the KV cache with n_ctx cells. */
	full: number;
	/** Sliding-window layers (iSWA cache), 0 when the architecture has none or --swa-full. */
	swa: number;
	/** n_swa of the SWA layers. */
	nSwa: number;
	/** Layers with no KV (recurrent / MLP-only layers of hybrids). */
	none: number;
	rule: string;
}

/** How llama.cpp splits a model's layers between the dense cache, the SWA cache and none. */
export function llamaCppKvLayers(model: ModelSpec, swaFull = false): LlamaCppKvLayers {
	const rule = llamaCppKvRule(model);
	const n = model.layers;
	// Gated DeltaNet hybrids (qwen3next, qwen35, qwen35moe): llama_memory_hybrid keeps KV only for the layers
	// that are not recurrent (hparams.is_recr(il) false: every full_attention_interval-th layer).
	const linear = Math.min(n, model.linearAttention?.layers ?? 0);
	if (linear > 0)
		return {
			full: n - linear,
			swa: 0,
			nSwa: 0,
			none: linear,
			rule: `hybrid linear attention: ${n - linear} attention layers hold KV, ${linear} recurrent layers none`,
		};
	if (rule?.noKvLayers) {
		const none = rule.noKvLayers(model);
		return {
			full: n - none,
			swa: 0,
			nSwa: 0,
			none,
			rule: `${rule.arch}: ${n - none} attention layers hold KV`,
		};
	}
	const window = rule?.swa?.nSwa ?? model.slidingWindow?.window ?? 0;
	if (!rule?.swa || window <= 0 || swaFull) {
		const why = rule?.swa
			? '--swa-full: every layer n_ctx cells'
			: (rule?.fullBecause ?? 'no sliding window');
		return { full: n, swa: 0, nSwa: 0, none: 0, rule: `${rule?.arch ?? 'dense'}: ${why}` };
	}
	let swa = 0;
	for (let il = 0; il < n; il++) if (isSwaLayer(il, rule.swa.pattern, rule.swa.denseFirst)) swa++;
	return {
		full: n - swa,
		swa,
		nSwa: window,
		none: 0,
		rule: `${rule.arch}: ${swa} of ${n} layers ${rule.swa.type === 'chunked' ? 'chunked' : 'sliding'} (n_swa ${window}), pattern ${rule.swa.pattern}`,
	};
}

export type LlamaCppLayerKind = 'full' | 'swa' | 'none';

/**
 * Kind of each layer's cache, in layer order (for the multi-device split). Hybrids: the catalog gives the
 * number of attention layers, not where they sit, so they are spread evenly over the depth.
 */
export function llamaCppLayerKinds(model: ModelSpec, swaFull = false): LlamaCppLayerKind[] {
	const n = model.layers;
	const rule = llamaCppKvRule(model);
	const l = llamaCppKvLayers(model, swaFull);
	if (l.none > 0) {
		const attn = l.full;
		return Array.from({ length: n }, (_, il) =>
			Math.floor(((il + 1) * attn) / n) > Math.floor((il * attn) / n) ? 'full' : 'none',
		);
	}
	if (l.swa === 0 || !rule?.swa) return Array.from({ length: n }, () => 'full');
	const sw = rule.swa;
	return Array.from({ length: n }, (_, il) => (isSwaLayer(il, sw.pattern, sw.denseFirst) ? 'swa' : 'full'));
}
