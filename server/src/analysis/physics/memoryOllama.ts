/**
 * Ollama's side of the memory estimate (memory.ts asks here for an Ollama workload on a GPU or Apple
 * silicon). Ollama does not run llama.cpp's --fit: its scheduler sizes the GPU share itself (llm/memory.go
 * before 0.12.11, llm/server.go after; memoryPlan/ollama.ts), reserving per GPU
 *
 *   minimum memory (457 MiB CUDA/ROCm, 512 MiB Metal) + OLLAMA_GPU_OVERHEAD
 *   + one layer as a buffer (blk.0 with its KV) + the compute graph (partial or full offload)
 *
 * so the runtime overhead is those reserves, taken from the plan, and the budget is the memory Ollama sees
 * free (the CUDA-visible total; on Apple, Metal's recommended working set), with no further margin.
 */
import type { OllamaPlan } from './memoryPlan';
import { OLLAMA_MINIMUM_MEMORY } from './memoryPlan/ollamaLayout';
import { gib } from './memoryPlan/device';

export interface OllamaReserve {
	bytes: number;
	parts: string[];
}

/** Per-GPU reserve beside weights and KV, as the estimator adds it up (GPU 0 of the plan). */
export function ollamaReserve(
	plan: OllamaPlan,
	library: 'cuda' | 'rocm' | 'metal',
	bufferLayerBytes: number,
): OllamaReserve {
	const minimum = library === 'metal' ? OLLAMA_MINIMUM_MEMORY.metal : OLLAMA_MINIMUM_MEMORY.cuda;
	const graph = plan.estimate.graph;
	return {
		bytes: minimum + bufferLayerBytes + graph,
		parts: [
			`Ollama minimum memory ${gib(minimum)} GiB (${library === 'metal' ? 'Metal' : 'CUDA/ROCm'})`,
			`one-layer buffer ${gib(bufferLayerBytes)} GiB (blk.0 + its KV)`,
			`compute graph ${gib(graph)} GiB (${plan.estimate.fullyLoaded ? 'full' : 'partial'} offload)`,
		],
	};
}

export interface OllamaBudget {
	bytes: number;
	rule: string;
}

/** What Ollama lets itself use per GPU: the free memory it reads, no --fit margin. */
export function ollamaBudget(visibleBytes: number, visibleRule: string, metal: boolean): OllamaBudget {
	return {
		bytes: visibleBytes,
		rule: metal
			? `Ollama on Metal: recommendedMaxWorkingSetSize ${gib(visibleBytes)} GiB`
			: `Ollama: ${gib(visibleBytes)} GiB free as it reads it (${visibleRule}); reserves counted in the overhead`,
	};
}
