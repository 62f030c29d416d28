/**
 * How a what-if writes a KV cache dtype into an engine's own setting. One rule for the language server's
 * what-if (lsp/whatIf.ts) and the panel's local "Apply to file" (client/src/panel/whatIfEdits.ts), so
 * neither can write a value the other refuses, and neither writes one the engine would reject at start-up.
 * Pure and import-free at run time: the client bundle takes it without any LSP code.
 *
 * The accepted values are the engines' own:
 * - vLLM `--kv-cache-dtype` (CacheConfig.cache_dtype choices): auto, bfloat16, fp8 (= fp8_e4m3), fp8_e4m3, fp8_e5m2, fp8_inc, fp8_ds_mla.
 *   vLLM has no 16-bit spelling other than "same as the model" for fp16, so the catalog's 16-bit ids
 *   `f16` and `bf16` become `auto` (2 bytes per element either way, which is what the estimate uses).
 * - llama.cpp `-ctk`/`-ctv` (`--cache-type-k/-v`, the server's kv_cache_types): f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
 * - Ollama `OLLAMA_KV_CACHE_TYPE`: f16, q8_0, q4_0.
 * - transformers and transformers.js have no KV dtype setting to write.
 */
import type { Framework } from '../types';

const VLLM_KV = new Set(['auto', 'bfloat16', 'fp8', 'fp8_e4m3', 'fp8_e5m2', 'fp8_inc', 'fp8_ds_mla']);
// A Map, not an object literal: a lookup of `constructor` must not find Object.prototype's.
const VLLM_FROM_CATALOG = new Map([
	['f16', 'auto'],
	['bf16', 'auto'],
]);
const LLAMA_CPP_KV = new Set(['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1']);
const OLLAMA_KV = new Set(['f16', 'q8_0', 'q4_0']);

/**
 * The value to write for KV dtype `id` (a catalog id such as `fp8` or `q8_0`, or the engine's own
 * spelling), or undefined when the engine cannot store its KV cache that way or has no such setting.
 */
export function kvSpelling(framework: Framework, id: string): string | undefined {
	const v = id.trim().toLowerCase();
	switch (framework) {
		case 'vllm':
			return VLLM_FROM_CATALOG.get(v) ?? (VLLM_KV.has(v) ? v : undefined);
		case 'llama.cpp':
			return LLAMA_CPP_KV.has(v) ? v : undefined;
		case 'ollama':
			return OLLAMA_KV.has(v) ? v : undefined;
		default:
			return undefined;
	}
}
