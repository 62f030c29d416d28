/**
 * vLLM's KV block accounting for one worker: the bytes of a 16-token block across the layers, and how many blocks a
 * request of a given length takes — uniform layers, or the hybrid allocator's groups for mixed sliding-window/full
 * models (v1/core/kv_cache_utils.py) — then the pool's blocks, tokens and concurrency from the available memory.
 */
import type { ModelSpec } from '../../catalog/types';
import type { VllmPlanInput } from './vllm';
import { planGeneration, versionAtLeast, type VllmGeneration } from './vllmVersion';

export const VLLM_BLOCK_SIZE = 16;

/** Per token and layer, the K+V elements one worker stores (KV heads split by TP, replicated when fewer). */
function kvElementsPerTokenLayer(model: ModelSpec, tp: number): number {
	if (model.mla) return model.mla.kvLoraRank + model.mla.ropeHeadDim; // MLA: one latent, replicated
	const heads = Math.max(1, Math.ceil(model.kvHeads / tp));
	return 2 * heads * model.headDim;
}

export interface KvLayout {
	blockBytes: number;
	blocksPerRequest: (len: number) => number;
	hybrid: boolean;
	note?: string;
}

/** Block accounting: uniform layers, or vLLM's hybrid allocator for mixed sliding-window/full models. */
export function kvLayout(input: VllmPlanInput, gen: VllmGeneration): KvLayout {
	const { model, kvDtype } = input;
	const tp = input.tensorParallel;
	const pp = Math.max(1, input.pipelineParallel);
	const perLayerBlock = VLLM_BLOCK_SIZE * kvElementsPerTokenLayer(model, tp) * kvDtype.bytesPerElement;
	const layers = Math.ceil(model.layers / pp);
	const sw = model.slidingWindow;
	const swaLayers = sw ? Math.min(Math.ceil(sw.layers / pp), layers) : 0;
	const fullLayers = layers - swaLayers;
	const cdiv = (a: number, b: number) => Math.ceil(a / b);
	const hybridAllocator =
		gen === 'v1' &&
		versionAtLeast(input.version, [0, 10, 0], input.versionBelow) &&
		!input.disableHybridKvCache;
	if (sw && swaLayers > 0 && fullLayers === 0 && hybridAllocator) {
		// Every layer windowed (Mistral v0.1): one group, a request needs the window's blocks only.
		const wBlocks = (len: number) =>
			Math.min(cdiv(len, VLLM_BLOCK_SIZE), cdiv(sw.window - 1, VLLM_BLOCK_SIZE) + 1);
		return { blockBytes: perLayerBlock * layers, blocksPerRequest: wBlocks, hybrid: true };
	}
	if (sw && swaLayers > 0 && fullLayers > 0 && hybridAllocator) {
		// Groups of the smaller type's size. The pool has g tensors, each shared by one layer of every group, so
		// one block (taken by one group) costs g layers' pages; a request takes blocks in every group: full groups
		// for its whole length, sliding-window groups for the window only.
		const g = Math.min(swaLayers, fullLayers);
		const fullGroups = cdiv(fullLayers, g);
		const swaGroups = cdiv(swaLayers, g);
		const wBlocks = (len: number) =>
			Math.min(cdiv(len, VLLM_BLOCK_SIZE), cdiv(sw.window - 1, VLLM_BLOCK_SIZE) + 1);
		return {
			blockBytes: perLayerBlock * g,
			blocksPerRequest: (len) => fullGroups * cdiv(len, VLLM_BLOCK_SIZE) + swaGroups * wBlocks(len),
			hybrid: true,
			note: `hybrid KV cache manager: ${fullGroups} full-attention and ${swaGroups} sliding-window (${sw.window}) group(s) of ${g} layers share one block pool`,
		};
	}
	const note =
		sw && swaLayers > 0
			? gen === 'v0'
				? 'V0 keeps a full-length cache for every layer of this sliding-window model'
				: 'hybrid KV cache manager off (before 0.10.0 or disabled): every layer keeps a full-length cache'
			: undefined;
	return {
		blockBytes: perLayerBlock * layers,
		blocksPerRequest: (len) => cdiv(len, VLLM_BLOCK_SIZE),
		hybrid: false,
		note,
	};
}

export interface KvPool {
	numBlocks: number;
	kvTokens: number;
	maxConcurrency: number;
	blockBytes: number;
	bytesPerRequest: number;
	hybrid: boolean;
	note?: string;
}

/** Blocks, tokens and concurrency vLLM reports for `availableBytes` of KV memory (kv_cache_utils.py). */
export function vllmKvPool(
	input: Pick<
		VllmPlanInput,
		| 'model'
		| 'kvDtype'
		| 'tensorParallel'
		| 'pipelineParallel'
		| 'maxModelLen'
		| 'version'
		| 'versionBelow'
		| 'generation'
		| 'computeCapabilityMajor'
		| 'disableHybridKvCache'
	>,
	availableBytes: number,
): KvPool {
	const { gen } = planGeneration(input);
	const layout = kvLayout(input as VllmPlanInput, gen);
	const L = input.maxModelLen;
	const numBlocks = availableBytes > 0 ? Math.floor(availableBytes / layout.blockBytes) : 0;
	const perReq = layout.blocksPerRequest(L);
	const maxConcurrency = perReq > 0 ? numBlocks / perReq : 0;
	const kvTokens = layout.hybrid ? Math.floor(maxConcurrency * L) : numBlocks * VLLM_BLOCK_SIZE;
	return {
		numBlocks,
		kvTokens,
		maxConcurrency,
		blockBytes: layout.blockBytes,
		bytesPerRequest: perReq * layout.blockBytes,
		hybrid: layout.hybrid,
		note: layout.note,
	};
}
