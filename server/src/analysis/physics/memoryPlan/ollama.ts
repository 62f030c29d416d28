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
import type { FormatSpec, KvDtypeSpec, ModelSpec } from '../../catalog/types';
import { ggufBlockBytes } from './ollamaBlocks';
import { gib } from './device';
import { cmp, parseVersion } from './vllm';
import { blockSizes, OLLAMA_MINIMUM_MEMORY, ollamaLayoutLayers } from './ollamaLayout';

export { OLLAMA_MINIMUM_MEMORY } from './ollamaLayout';
import type { PlanLine } from './types';

const GIB = 1024 ** 3;

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

/**
 * What changed in Ollama's estimator from release to release (llm/memory.go, read per tag):
 *   < 0.6.1   the log's weights.repeating is Σ(blk + KV/n) − output: it includes the KV (memory.go
 *             summed layerSize, KV included, and subtracted the output layer for the log)
 *   < 0.7.0   blocks are placed from blk.0 upwards (GPU chosen by i % gpus), overflow counted after
 *   0.7.0     top-down (last block first); the one-layer buffer is the largest layer, not blk.0
 *   ≥ 0.7.1   top-down, blk.0 buffer again; the Ollama-engine vision projector (VisionGraphSize:
 *             weights + graph) travels with the output layer, a llama-engine projector stays on GPU 0
 *   ≥ 0.12.11 memory.go is gone: llm/server.go buildLayout / assignLayers (ollamaLayout.ts)
 */
export interface OllamaEstimatorRules {
	repeatingIncludesKv: boolean;
	topDown: boolean;
	bufferIsLargestLayer: boolean;
	visionWithOutput: boolean;
	layout: boolean;
	/** The version the rules were chosen for, or "current" when none was given. */
	version: string;
}

export function ollamaEstimatorRules(version: string | undefined): OllamaEstimatorRules {
	const v = parseVersion(version);
	const at = (x: number[]) => !v || cmp(v, x) >= 0;
	return {
		repeatingIncludesKv: !at([0, 6, 1]),
		topDown: at([0, 7, 0]),
		bufferIsLargestLayer: at([0, 7, 0]) && !at([0, 7, 1]),
		visionWithOutput: at([0, 7, 1]),
		layout: at([0, 12, 11]),
		version: v ? v.join('.') : 'current',
	};
}

/**
 * Default num_parallel (server/sched.go, envconfig): before 0.2.0 one slot; 0.2.0–0.6.x try 4 then 1,
 * 0.7.0–0.9.6 try 2 then 1 (the first that fits entirely on the GPU(s), else 1); from 0.10.0 (0.9.7-rc)
 * OLLAMA_NUM_PARALLEL defaults to 1.
 */
export function ollamaDefaultNumParallel(version: string | undefined): { tries: number[]; rule: string } {
	const v = parseVersion(version);
	if (v && cmp(v, [0, 2, 0]) < 0) return { tries: [1], rule: 'Ollama before 0.2.0: one slot' };
	if (v && cmp(v, [0, 7, 0]) < 0)
		return {
			tries: [4, 1],
			rule: 'Ollama 0.2–0.6: num_parallel 4 if the model then fits on the GPU, else 1',
		};
	if (v && cmp(v, [0, 10, 0]) < 0)
		return {
			tries: [2, 1],
			rule: 'Ollama 0.7–0.9: num_parallel 2 if the model then fits on the GPU, else 1',
		};
	return { tries: [1], rule: 'Ollama 0.10 and later: OLLAMA_NUM_PARALLEL defaults to 1' };
}

export interface OllamaLayerInput {
	/** Free bytes per GPU as Ollama reads them ("memory.available"). */
	gpuFree: number[];
	library: 'cuda' | 'rocm' | 'metal';
	blockCount: number;
	/** Weights of each repeating block (blk.N), bytes; one number = every block the same. */
	layerBytes: number | number[];
	/** KV of one block, bytes (at num_ctx × num_parallel). */
	kvPerLayer: number[];
	/** output + output_norm (or token_embd when tied). */
	outputBytes: number;
	graphPartial: number;
	graphFull: number;
	/** A llama-engine projector (separate mmproj GGUF): on GPU 0 (before 0.7.1: any projector, with its graph). */
	projectorBytes?: number;
	/** From 0.7.1, the Ollama-engine vision weights + graph (VisionGraphSize), placed with the output layer. */
	visionBytes?: number;
	/** OLLAMA_GPU_OVERHEAD. */
	overhead?: number;
	/** num_gpu; -1 / undefined = as many as fit. */
	numGpu?: number;
	/** Ollama version; undefined = the current rules. */
	version?: string;
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
	/** Which estimator produced it: memory.go (by version) or the 0.12.11+ layout. */
	estimator: string;
}

/** estimateGPULayers (llm/memory.go) step for step, with the release's rules; ≥ 0.12.11 the layout. */
export function ollamaEstimateLayers(input: OllamaLayerInput): OllamaLayerResult {
	const rules = ollamaEstimatorRules(input.version);
	if (rules.layout) return ollamaLayoutLayers(input);
	const minimum = input.library === 'metal' ? OLLAMA_MINIMUM_MEMORY.metal : OLLAMA_MINIMUM_MEMORY.cuda;
	const overhead = input.overhead ?? 0;
	const numGpu = input.numGpu ?? -1;
	let graphPartial = input.graphPartial;
	let graphFull = input.graphFull || graphPartial;
	if (input.library === 'metal') graphPartial = graphFull;
	else if (input.gpuFree.length > 1) graphFull = graphPartial;
	const graphMax = Math.max(graphPartial, graphFull);
	const kvTotal = input.kvPerLayer.reduce((a, b) => a + b, 0);
	const blocks = blockSizes(input);
	const layerOf = (i: number) => blocks[i] + (input.kvPerLayer[i] ?? 0);
	const projector = input.projectorBytes ?? 0;
	const lastLayer = input.outputBytes + (rules.visionWithOutput ? (input.visionBytes ?? 0) : 0);
	const gpuZero = projector + (rules.visionWithOutput ? 0 : (input.visionBytes ?? 0));
	const alloc = input.gpuFree.map(() => 0);
	const split = input.gpuFree.map(() => 0);
	// The one-layer buffer: blk.0 with its KV (0.7.0: the largest layer group, weights only).
	const buffer = rules.bufferIsLargestLayer
		? Math.max(...blocks, input.outputBytes) + (input.kvPerLayer[0] ?? 0)
		: layerOf(0);
	let withSpace: number[] = [];
	input.gpuFree.forEach((free, i) => {
		const gzo = withSpace.length === 0 ? gpuZero : 0;
		if (free < overhead + gzo + graphMax + minimum + 2 * buffer) return;
		withSpace.push(i);
		alloc[i] += minimum + buffer;
	});
	let overflow = 0;
	if (withSpace.length > 0) alloc[withSpace[0]] += gpuZero;
	else overflow += gpuZero;
	let count = 0;
	const order = Array.from({ length: input.blockCount }, (_, k) =>
		rules.topDown ? input.blockCount - 1 - k : k,
	);
	for (const i of order) {
		const layer = layerOf(i);
		if (numGpu >= 0 && count >= numGpu) {
			overflow += layer;
			continue;
		}
		let placed = false;
		for (let j = withSpace.length; j > 0; j--) {
			const g = withSpace[i % j];
			if (input.gpuFree[g] > overhead + alloc[g] + graphMax + layer) {
				alloc[g] += layer;
				split[g]++;
				count++;
				placed = true;
				break;
			}
			withSpace = withSpace.filter((_, k) => k !== i % j);
		}
		if (!placed) overflow += layer;
	}
	let fullyLoaded = count >= input.blockCount;
	if (lastLayer > 0) {
		if (numGpu < 0 || count < numGpu) {
			for (let j = withSpace.length; j > 0; j--) {
				const g = withSpace[count % j];
				if (input.gpuFree[g] > overhead + alloc[g] + graphMax + lastLayer) {
					alloc[g] += lastLayer;
					split[g]++;
					count++;
					break;
				}
			}
		}
		if (count < input.blockCount + 1) {
			fullyLoaded = false;
			overflow += lastLayer;
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
		estimator: `llm/memory.go estimateGPULayers (Ollama ${rules.version}: ${rules.topDown ? 'top-down' : 'from blk.0 up'})`,
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
	/** The weight format, for per-block sizes (K-quant presets upgrade some blocks). */
	format?: FormatSpec;
	gpuFree: number[];
	library: 'cuda' | 'rocm' | 'metal';
	numCtx: number;
	/** OLLAMA_NUM_PARALLEL; undefined = the version's default (ollamaDefaultNumParallel). */
	numParallel?: number;
	numGpu?: number;
	overhead?: number;
	projectorBytes?: number;
	visionBytes?: number;
	version?: string;
}

export interface OllamaPlan {
	engine: 'ollama';
	numCtx: number;
	numParallel: number;
	library: 'cuda' | 'rocm' | 'metal';
	/** Free bytes of the first GPU as the estimator read them. */
	freeBytes: number;
	/** The one-layer buffer each GPU reserves: blk.0 with its KV. */
	bufferLayerBytes: number;
	estimate: OllamaLayerResult;
	lines: PlanLine[];
	notes: string[];
}

/** GraphSize's KV per block: num_ctx × num_parallel cells, except Gemma 3 (five of six layers hold
 * num_parallel × window + batch) and gpt-oss (even layers hold num_parallel × 4096 + batch). */
function kvPerBlock(model: ModelSpec, kvDtype: KvDtypeSpec, numCtx: number, par: number): number[] {
	const perCell = 2 * model.kvHeads * model.headDim * kvDtype.bytesPerElement;
	const batch = Math.min(numCtx, 512);
	return Array.from({ length: model.layers }, (_, i) => {
		const arch = model.architecture;
		if (/^Gemma3/.test(arch) && model.slidingWindow && (i + 1) % 6 !== 0)
			return (par * model.slidingWindow.window + batch) * perCell;
		if (/^GptOss/.test(arch) && i % 2 === 0) return (par * 4096 + batch) * perCell;
		return numCtx * par * perCell;
	});
}

/** From catalog specs: split the weights into blocks and output, then run the version's estimator. */
export function ollamaPlan(input: OllamaPlanInput): OllamaPlan {
	const { model } = input;
	const outputBytes = model.vocab * model.hidden * (input.weightsBytes / model.paramsTotal);
	const layerBytes = ggufBlockBytes(model, input.format, input.weightsBytes - outputBytes);
	const run = (par: number) => {
		const kvPerLayer = kvPerBlock(model, input.kvDtype, input.numCtx, par);
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
			visionBytes: input.visionBytes,
			overhead: input.overhead,
			numGpu: input.numGpu,
			version: input.version,
		});
		return { g, estimate, buffer: (layerBytes[0] ?? 0) + (kvPerLayer[0] ?? 0) };
	};
	// sched.go: with no OLLAMA_NUM_PARALLEL, the first of the version's tries that fits entirely, else 1.
	const parallel = ollamaDefaultNumParallel(input.version);
	const tries = input.numParallel !== undefined ? [input.numParallel] : parallel.tries;
	let par = tries[tries.length - 1];
	let chosen = run(par);
	for (const p of tries.slice(0, -1)) {
		const r = run(p);
		if (r.estimate.fullyLoaded) {
			par = p;
			chosen = r;
			break;
		}
	}
	const { g, estimate, buffer } = chosen;
	const lines: PlanLine[] = [
		{
			label: 'offload',
			text: `Ollama will put ${estimate.layers} of ${estimate.layersModel} layers on the GPU`,
			source: `layers.offload=${estimate.layers} layers.model=${estimate.layersModel} layers.split=${estimate.split.join(',')}; ${estimate.estimator}`,
		},
		{
			label: 'KV',
			bytes: estimate.kvTotal,
			text: `memory.required.kv="${gib(estimate.kvTotal, 1)} GiB"`,
			source: `num_ctx ${input.numCtx} × num_parallel ${par}${input.numParallel === undefined ? ` (${parallel.rule})` : ''}`,
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
	if (ollamaEstimatorRules(input.version).layout)
		notes.push(
			'Ollama 0.12.11 and later lay layers out from trial allocations (Ollama engine); this uses the estimated sizes in the same layout',
		);
	return {
		engine: 'ollama',
		numCtx: input.numCtx,
		numParallel: par,
		library: input.library,
		freeBytes: input.gpuFree[0] ?? 0,
		bufferLayerBytes: buffer,
		estimate,
		lines,
		notes,
	};
}
