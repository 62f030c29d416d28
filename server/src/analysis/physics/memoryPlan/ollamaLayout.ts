/**
 * Ollama 0.12.11 and later: memory.go's estimator is gone; llm/server.go (llamaServer.Load → createLayout →
 * buildLayout → assignLayers → findBestFit → greedyFit) lays the layers out instead:
 *
 *   layers[i]  = blk.i weights + its KV; the last entry is the output layer (output + output_norm)
 *   free[g]   -= blk.0 + its KV (one layer as a buffer), the projector on the first GPU,
 *               minimum memory (457 MiB CUDA/ROCm, 512 MiB Metal) + OLLAMA_GPU_OVERHEAD + the graph
 *               of every GPU already holding layers (none on the first pass)
 *   assign     from the output layer down, greedily, into the fewest GPUs (largest free first) that take
 *              the most layers; if not all fit, the output layer is dropped and the blocks tried again
 *   repeat     while the set of GPUs used grows, with max(graph partial, graph full) reserved on each
 *
 * The Ollama engine (ollamaServer.Load) feeds the same layout with sizes from trial allocations; from
 * catalog specs the estimated sizes stand in for them. GPUs are assumed to be one performance class.
 */
import type { OllamaLayerInput, OllamaLayerResult } from './ollama';

const MIB = 1024 ** 2;
export const OLLAMA_MINIMUM_MEMORY = { cuda: 457 * MIB, metal: 512 * MIB } as const;

export function blockSizes(input: Pick<OllamaLayerInput, 'layerBytes' | 'blockCount'>): number[] {
	const l = input.layerBytes;
	return Array.from({ length: input.blockCount }, (_, i) => (typeof l === 'number' ? l : (l[i] ?? 0)));
}

/** Layers given to each GPU (indices into the free list), as greedyFit fills them. */
type Assignment = { gpu: number; layers: number[] }[];

const sum = (a: Assignment) => a.reduce((n, g) => n + g.layers.length, 0);

/** greedyFit: from the top layer down, filling the last (smallest) GPU first, spilling to the next. */
function greedyFit(
	layers: number[],
	free: number[],
	gpus: number[],
	capacity: number,
	requested: number,
): Assignment {
	let device = gpus.length - 1;
	const out: Assignment = [{ gpu: gpus[device], layers: [] }];
	let space = free[gpus[device]] * capacity;
	for (let i = layers.length - 1; i >= 0; i--) {
		if (requested >= 0 && layers.length - 1 - i >= requested) break;
		for (;;) {
			if (layers[i] <= space) {
				out[0].layers.unshift(i);
				space -= layers[i];
				break;
			}
			device--;
			if (device < 0) return out;
			out.unshift({ gpu: gpus[device], layers: [] });
			space = free[gpus[device]] * capacity;
		}
	}
	return out;
}

/** findBestFit: the smallest capacity factor that still places the most layers (balances the GPUs). */
function findBestFit(
	layers: number[],
	free: number[],
	gpus: number[],
	requested: number,
	force: boolean,
): Assignment {
	let high = requested >= 0 && force ? 1000 : 1;
	let low = 0;
	let best = greedyFit(layers, free, gpus, high, requested);
	const most = sum(best);
	while (high - low > 1e-6) {
		const mid = (low + high) / 2;
		const a = greedyFit(layers, free, gpus, mid, requested);
		if (sum(a) === most) {
			high = mid;
			best = a;
		} else low = mid;
	}
	return best;
}

/** assignLayers: pack into as few GPUs as possible; drop the output layer if not everything fits. */
function assignLayers(
	layersIn: number[],
	free: number[],
	order: number[],
	requestedIn: number,
	lastUsed: number,
): Assignment {
	let layers = layersIn;
	let best: Assignment = [];
	for (let pass = 0; pass < 2; pass++) {
		const requested = requestedIn < 0 ? requestedIn : Math.min(layers.length, requestedIn);
		for (let i = lastUsed; i < order.length; i++) {
			best = findBestFit(layers, free, order.slice(0, i + 1), requested, i === order.length - 1);
			if (sum(best) === layers.length || sum(best) === requested) break;
		}
		if (sum(best) === layers.length) return best;
		layers = layers.slice(0, -1);
	}
	return best;
}

/** llamaServer.Load's layout loop from the estimator inputs. */
export function ollamaLayoutLayers(input: OllamaLayerInput): OllamaLayerResult {
	const minimum = input.library === 'metal' ? OLLAMA_MINIMUM_MEMORY.metal : OLLAMA_MINIMUM_MEMORY.cuda;
	const overhead = input.overhead ?? 0;
	const numGpu = input.numGpu ?? -1;
	let graphPartial = input.graphPartial;
	const graphFull = input.graphFull || graphPartial;
	if (input.library === 'metal') graphPartial = graphFull;
	const graphMax = Math.max(graphPartial, graphFull);
	const blocks = blockSizes(input);
	const kvTotal = input.kvPerLayer.reduce((a, b) => a + b, 0);
	const layers = [
		...blocks.map((b, i) => b + (input.kvPerLayer[i] ?? 0)),
		input.outputBytes + (input.visionBytes ?? 0),
	];
	const buffer = layers[0] ?? 0;
	const base = input.gpuFree.map((f, i) => f - buffer - (i === 0 ? (input.projectorBytes ?? 0) : 0));
	// Largest free first (sort.Reverse(ByFreeMemory)); stable for equal GPUs.
	const order = base.map((_, i) => i).sort((a, b) => base[b] - base[a] || a - b);
	const graph = input.gpuFree.map(() => 0);
	let assignment: Assignment = [];
	for (let round = 0; round <= input.gpuFree.length; round++) {
		const free = base.map((f, i) => Math.max(0, f - minimum - overhead - graph[i]));
		let lastUsed = 0;
		order.forEach((g, k) => {
			if (graph[g] > 0) lastUsed = k;
		});
		const used = (a: Assignment) => a.filter((g) => g.layers.length > 0).length;
		const prev = used(assignment);
		assignment = assignLayers(layers, free, order, numGpu, lastUsed);
		if (used(assignment) <= prev) break;
		for (const g of assignment) if (g.layers.length > 0) graph[g.gpu] = graphMax;
	}
	const count = sum(assignment);
	const fullyLoaded = count >= layers.length;
	const g = fullyLoaded ? graphFull : graphPartial;
	const split = input.gpuFree.map(() => 0);
	const alloc = input.gpuFree.map(() => 0);
	for (const a of assignment) {
		split[a.gpu] += a.layers.length;
		for (const l of a.layers) alloc[a.gpu] += layers[l];
		if (a.layers.length > 0) alloc[a.gpu] += g;
	}
	if (input.projectorBytes) alloc[0] += input.projectorBytes;
	const partial = alloc.reduce((a, b) => a + b, 0);
	const all = layers.reduce((a, b) => a + b, 0) + (input.projectorBytes ?? 0) + g;
	return {
		layers: count,
		layersModel: layers.length,
		split,
		allocations: alloc,
		requiredFull: Math.max(all, partial),
		requiredPartial: partial,
		kvTotal,
		graph: g,
		fullyLoaded,
		estimator: 'llm/server.go layout (Ollama ≥ 0.12.11)',
	};
}
