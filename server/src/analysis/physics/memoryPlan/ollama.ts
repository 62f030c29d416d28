/**
 * Ollama's layer-offload estimator (llm/memory.go estimateGPULayers, v0.1.3x–v0.12.10; from v0.12.11 the
 * memory layouts come from trial allocations, which this reproduces only approximately), and the default
 * num_ctx by version:
 *
 *   per GPU reserve = minimum memory (457 MiB CUDA/ROCm, 512 MiB Metal) + OLLAMA_GPU_OVERHEAD
 *                     + max(graph partial, graph full) + one layer (blk.0 + its KV); GPU 0 also the projector
 *   layers          = from the last block down, each (weights + KV) placed while free > used + layer
 *   output layer    = output + output_norm (+ vision weights/graph) placed last if it fits → "L+1 layers"
 *   memory.required.full = every layer + graph full + output + projector
 *
 * Defaults: num_ctx 2048 before 0.6.7, 4096 from 0.6.7, and from 0.15.5 4096 / 32768 / 262144 for total
 * VRAM below 23 GiB / below 47 GiB / above (server/routes.go), capped at the model's trained context.
 */
import type { KvDtypeSpec, ModelSpec } from '../../catalog/types';
import { gib } from './device';
import { cmp, parseVersion } from './vllm';
import type { PlanLine } from './types';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
export const OLLAMA_MINIMUM_MEMORY = { cuda: 457 * MIB, metal: 512 * MIB } as const;

export function ollamaDefaultNumCtx(
	version: string | undefined,
	totalVramBytes: number,
	trainCtx: number,
): { numCtx: number; rule: string } {
	const v = parseVersion(version);
	let n: number;
	let rule: string;
	if (v && cmp(v, [0, 6, 7]) < 0) {
		n = 2048;
		rule = 'Ollama before 0.6.7: num_ctx 2048';
	} else if (v && cmp(v, [0, 15, 5]) < 0) {
		n = 4096;
		rule = 'Ollama 0.6.7–0.15.4: num_ctx 4096';
	} else {
		n = totalVramBytes >= 47 * GIB ? 262144 : totalVramBytes >= 23 * GIB ? 32768 : 4096;
		rule = `Ollama ${v ? '≥ 0.15.5' : '(version unknown; current rule)'}: num_ctx by total VRAM ${gib(totalVramBytes, 1)} GiB (< 23 GiB → 4096, < 47 GiB → 32768, else 262144)`;
	}
	if (trainCtx > 0 && n > trainCtx) {
		rule += `, capped at the model's ${trainCtx}`;
		n = trainCtx;
	}
	return { numCtx: n, rule };
}

export interface OllamaLayerInput {
	/** Free bytes per GPU as Ollama reads them ("memory.available"). */
	gpuFree: number[];
	library: 'cuda' | 'rocm' | 'metal';
	blockCount: number;
	/** Weights of one repeating block (blk.N), bytes. */
	layerBytes: number;
	/** KV of one block, bytes (at num_ctx × num_parallel). */
	kvPerLayer: number[];
	/** output + output_norm (or token_embd when tied). */
	outputBytes: number;
	graphPartial: number;
	graphFull: number;
	projectorBytes?: number;
	/** OLLAMA_GPU_OVERHEAD. */
	overhead?: number;
	/** num_gpu; -1 / undefined = as many as fit. */
	numGpu?: number;
}

export interface OllamaLayerResult {
	layers: number;
	layersModel: number;
	split: number[];
	allocations: number[];
	requiredFull: number;
	requiredPartial: number;
	kvTotal: number;
	graph: number;
	fullyLoaded: boolean;
}

/** The allocation loop of estimateGPULayers, step for step. */
export function ollamaEstimateLayers(input: OllamaLayerInput): OllamaLayerResult {
	const minimum = input.library === 'metal' ? OLLAMA_MINIMUM_MEMORY.metal : OLLAMA_MINIMUM_MEMORY.cuda;
	const overhead = input.overhead ?? 0;
	const numGpu = input.numGpu ?? -1;
	let graphPartial = input.graphPartial;
	let graphFull = input.graphFull || graphPartial;
	if (input.library === 'metal') graphPartial = graphFull;
	else if (input.gpuFree.length > 1) graphFull = graphPartial;
	const graphMax = Math.max(graphPartial, graphFull);
	const kvTotal = input.kvPerLayer.reduce((a, b) => a + b, 0);
	const projector = input.projectorBytes ?? 0;
	const alloc = input.gpuFree.map(() => 0);
	const split = input.gpuFree.map(() => 0);
	const firstLayer = input.layerBytes + (input.kvPerLayer[0] ?? 0);
	let withSpace: number[] = [];
	input.gpuFree.forEach((free, i) => {
		const gzo = withSpace.length === 0 ? projector : 0;
		if (free < overhead + gzo + graphMax + minimum + 2 * firstLayer) return;
		withSpace.push(i);
		alloc[i] += minimum + firstLayer;
	});
	let overflow = 0;
	if (withSpace.length > 0) alloc[withSpace[0]] += projector;
	else overflow += projector;
	let count = 0;
	for (let i = input.blockCount - 1; i >= 0; i--) {
		const layer = input.layerBytes + (input.kvPerLayer[i] ?? 0);
		if (numGpu >= 0 && count >= numGpu) {
			overflow += layer;
			continue;
		}
		for (let j = withSpace.length; j > 0; j--) {
			const g = withSpace[i % j];
			if (input.gpuFree[g] > overhead + alloc[g] + graphMax + layer) {
				alloc[g] += layer;
				split[g]++;
				count++;
				break;
			}
			withSpace = withSpace.filter((_, k) => k !== i % j);
		}
		if (withSpace.length === 0) overflow += layer;
	}
	let fullyLoaded = count >= input.blockCount;
	if (input.outputBytes > 0) {
		if (numGpu < 0 || count < numGpu) {
			for (let j = withSpace.length; j > 0; j--) {
				const g = withSpace[count % j];
				if (input.gpuFree[g] > overhead + alloc[g] + graphMax + input.outputBytes) {
					alloc[g] += input.outputBytes;
					split[g]++;
					count++;
					break;
				}
			}
		}
		if (count < input.blockCount + 1) {
			fullyLoaded = false;
			overflow += input.outputBytes;
		}
	}
	split.forEach((s, i) => {
		if (s > 0) alloc[i] += fullyLoaded ? graphFull : graphPartial;
	});
	const partial = alloc.reduce((a, b) => a + b, 0);
	return {
		layers: count,
		layersModel: input.blockCount + 1,
		split,
		allocations: alloc,
		requiredFull: partial + overflow,
		requiredPartial: partial,
		kvTotal,
		graph: fullyLoaded ? graphFull : graphPartial,
		fullyLoaded,
	};
}

/** Ollama's GraphSize for the architectures it has formulas for (fs/ggml/ggml.go); others: gqa·kv/6. */
export function ollamaGraphSize(
	model: ModelSpec,
	numCtx: number,
	numParallel: number,
	kvTotal: number,
	batch = 512,
): { partial: number; full: number } {
	const context = numCtx * numParallel;
	const b = Math.min(numCtx, batch);
	const e = model.hidden;
	const heads = model.heads;
	const headsKV = model.kvHeads;
	const vocab = model.vocab;
	const eh = model.headDim;
	const arch = model.architecture;
	if (/^(Llama|Mistral)ForCausalLM/.test(arch) && !model.moe) {
		const full = Math.max(4 * b * (1 + 4 * e + context * (1 + heads)), 4 * b * (e + vocab));
		const partial =
			4 * b * e +
			Math.max(
				4 * b * (1 + e + Math.max(context, e)) +
					Math.floor((e * e * 9) / 16) +
					4 * context * (b * heads + eh * headsKV),
				4 * b * (e + vocab) + Math.floor((e * vocab * 105) / 128),
			);
		return { partial, full };
	}
	if (/^Qwen2ForCausalLM/.test(arch)) {
		const full = Math.max(4 * b * (e + vocab), 4 * b * (1 + 2 * e + context + context * heads));
		const partial = Math.max(
			4 * b * (e + vocab) + Math.floor((e * vocab * 105) / 128),
			4 * (b * (1 + 2 * e + context * (1 + heads)) + e * (1 + context)),
		);
		return { partial, full };
	}
	const gqa = Math.floor(heads / Math.max(1, headsKV));
	const partial = Math.floor((gqa * kvTotal) / 6);
	return { partial, full: partial };
}

export interface OllamaPlanInput {
	model: ModelSpec;
	kvDtype: KvDtypeSpec;
	weightsBytes: number;
	gpuFree: number[];
	library: 'cuda' | 'rocm' | 'metal';
	numCtx: number;
	numParallel?: number;
	numGpu?: number;
	overhead?: number;
	projectorBytes?: number;
	version?: string;
}

export interface OllamaPlan {
	engine: 'ollama';
	numCtx: number;
	estimate: OllamaLayerResult;
	lines: PlanLine[];
	notes: string[];
}

/** From catalog specs: split the weights into blocks and output, then run the estimator. */
export function ollamaPlan(input: OllamaPlanInput): OllamaPlan {
	const { model } = input;
	const par = input.numParallel ?? 1;
	const outputBytes = model.vocab * model.hidden * (input.weightsBytes / model.paramsTotal);
	const layerBytes = (input.weightsBytes - outputBytes) / model.layers;
	// GraphSize's KV per block: num_ctx × num_parallel cells, except Gemma 3 (five of six layers hold
	// num_parallel × window + batch) and gpt-oss (even layers hold num_parallel × 4096 + batch).
	const perCell = 2 * model.kvHeads * model.headDim * input.kvDtype.bytesPerElement;
	const batch = Math.min(input.numCtx, 512);
	const kvPerLayer = Array.from({ length: model.layers }, (_, i) => {
		const arch = model.architecture;
		if (/^Gemma3/.test(arch) && model.slidingWindow && (i + 1) % 6 !== 0)
			return (par * model.slidingWindow.window + batch) * perCell;
		if (/^GptOss/.test(arch) && i % 2 === 0) return (par * 4096 + batch) * perCell;
		return input.numCtx * par * perCell;
	});
	const kvTotal = kvPerLayer.reduce((a, b) => a + b, 0);
	const g = ollamaGraphSize(model, input.numCtx, par, kvTotal);
	const estimate = ollamaEstimateLayers({
		gpuFree: input.gpuFree,
		library: input.library,
		blockCount: model.layers,
		layerBytes,
		kvPerLayer,
		outputBytes,
		graphPartial: g.partial,
		graphFull: g.full,
		projectorBytes: input.projectorBytes,
		overhead: input.overhead,
		numGpu: input.numGpu,
	});
	const lines: PlanLine[] = [
		{
			label: 'offload',
			text: `Ollama will put ${estimate.layers} of ${estimate.layersModel} layers on the GPU`,
			source: `layers.offload=${estimate.layers} layers.model=${estimate.layersModel} layers.split=${estimate.split.join(',')}`,
		},
		{
			label: 'KV',
			bytes: estimate.kvTotal,
			text: `memory.required.kv="${gib(estimate.kvTotal, 1)} GiB"`,
			source: `num_ctx ${input.numCtx} × num_parallel ${par}`,
		},
		{
			label: 'graph',
			bytes: estimate.graph,
			text: `memory.graph.full="${gib(g.full, 1)} GiB" memory.graph.partial="${gib(g.partial, 1)} GiB"`,
		},
		{
			label: 'required',
			bytes: estimate.requiredFull,
			text: `memory.required.full="${gib(estimate.requiredFull, 1)} GiB" memory.required.partial="${gib(estimate.requiredPartial, 1)} GiB"`,
		},
	];
	const notes: string[] = [];
	const v = parseVersion(input.version);
	if (!v || cmp(v, [0, 12, 11]) >= 0)
		notes.push(
			'Ollama 0.12.11 and later size layers by trial allocation; this reproduces the earlier estimator (memory.go)',
		);
	return { engine: 'ollama', numCtx: input.numCtx, estimate, lines, notes };
}
