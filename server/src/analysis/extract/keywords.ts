/**
 * Words whose absence proves a file holds no LLM workload we can read. The detector checks them before
 * any parsing so unrelated files cost one scan; the language server reuses the same list to decide which
 * documents to watch. Keep it central: an extractor that learns a new entry point adds its word here.
 */
export const ENGINE_KEYWORDS: readonly string[] = [
	// vLLM: CLI, module entry point, images, production-stack Helm values, --config YAML keys.
	'vllm',
	'max-model-len',
	'max_model_len',
	'maxModelLen',
	'modelURL',
	'tensor-parallel-size',
	'tensor_parallel_size',
	'gpu-memory-utilization',
	'gpu_memory_utilization',
	'max-num-seqs',
	'max_num_seqs',
	'kv-cache-dtype',
	'kv_cache_dtype',
	// llama.cpp: binaries (current and legacy), image, env vars, GGUF files.
	'llama-server',
	'llama-cli',
	'llama.cpp',
	'llama-cpp',
	'LLAMA_ARG_',
	'./main',
	'./server',
	'.gguf',
	'n-gpu-layers',
	'ctx-size',
	// SGLang: module entry point, `sglang serve`, images.
	'sglang',
	// Ollama.
	'ollama',
	'OLLAMA_',
	// Modelfiles written in any case.
	'PARAMETER',
	'parameter',
	// Python / JavaScript model loading (the other extractors share this pre-filter).
	'transformers',
	'from_pretrained',
	'LLM(',
	'EngineArgs',
	'Llama(',
	'llama_cpp',
	'LlamaCpp',
	'pipeline(',
];

/** True when at least one engine keyword appears in the text (case-sensitive, as written above). */
export function hasEngineKeyword(text: string): boolean {
	for (const k of ENGINE_KEYWORDS) if (text.includes(k)) return true;
	return false;
}
