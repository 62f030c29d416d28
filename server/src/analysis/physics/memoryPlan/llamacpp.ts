/**
 * llama.cpp's start-up memory, as llama_kv_cache / llama_context compute and log it:
 *
 *   cells      = n_ctx padded to 256                                  (llama_context, n_pad 256)
 *   KV (layer) = cells × (n_embd_k_gqa + n_embd_v_gqa) × type size     (full-attention layers)
 *   KV (SWA)   = min(cells, pad(n_swa · n_seq + n_ubatch, 256)) × …   (iSWA cache, unless --swa-full)
 *   compute    = without flash attention the KQ scores [cells × n_ubatch × n_head] f32 of one layer, so it
 *                grows with the context; with it, the logits and hidden buffers of one ubatch
 *   fit        = weights + KV + compute ≤ free memory − 1024 MiB (--fit's margin)
 *
 * Which layers get the sliding-window cache, and which none (hybrids), is the per-architecture table in
 * llamacppKvRules.ts (from llama-model.cpp): Gemma 2/3, Cohere 2, Llama 4 (chunked), gpt-oss windowed;
 * Nemotron-H's Mamba and MLP layers hold no KV; Phi-3 and Mistral v0.1 keep a full cache on every layer.
 */
import type { KvDtypeSpec, ModelSpec } from '../../catalog/types';
import { mib } from './device';
import { llamaCppKvLayers, llamaCppLayerKinds } from './llamacppKvRules';
import { llamaCppFit } from './llamacppFit';
import { llamaCppSplit, type SplitMode } from './llamacppSplit';
import type { PlanLine } from './types';

const MIB = 1024 ** 2;
export const LLAMACPP_CTX_PAD = 256;
export const LLAMACPP_FIT_MARGIN_BYTES = 1024 * MIB;
export const LLAMACPP_DEFAULT_UBATCH = 512;

/**
 * Whether llama.cpp caps some layers' KV below n_ctx for this model (an iSWA cache, or a hybrid whose
 * recurrent layers hold none); false where a window in config.json is ignored (Phi-3, Mistral v0.1).
 */
export function llamaCppUsesSwa(model: ModelSpec): boolean {
	const l = llamaCppKvLayers(model);
	return l.swa > 0 || l.none > 0;
}

export const pad = (n: number, to: number) => Math.ceil(n / to) * to;

/** K and V elements per token and layer as llama.cpp stores them (n_embd_k_gqa, n_embd_v_gqa). */
export function llamaCppKvWidths(model: ModelSpec, legacyMla = false): { k: number; v: number } {
	if (model.mla) {
		if (legacyMla) {
			// GGUFs converted before MLA support store per-head K (nope + rope) and V.
			const k = model.heads * (model.mla.nopeHeadDim + model.mla.ropeHeadDim);
			return { k, v: model.heads * model.mla.vHeadDim };
		}
		return { k: model.mla.kvLoraRank + model.mla.ropeHeadDim, v: model.mla.kvLoraRank };
	}
	return { k: model.kvHeads * model.headDim, v: model.kvHeads * model.headDim };
}

export interface LlamaCppKvInput {
	model: ModelSpec;
	nCtx: number;
	typeK: KvDtypeSpec;
	typeV?: KvDtypeSpec;
	nSeq?: number;
	nUbatch?: number;
	swaFull?: boolean;
	legacyMla?: boolean;
}

export interface LlamaCppKv {
	cells: number;
	swaCells: number;
	kBytes: number;
	vBytes: number;
	totalBytes: number;
	fullLayers: number;
	swaLayers: number;
	/** The size line as llama.cpp logs it. */
	logLine: string;
}

/** KV cache bytes exactly as llama.cpp allocates them. */
export function llamaCppKv(input: LlamaCppKvInput): LlamaCppKv {
	const { model } = input;
	const typeV = input.typeV ?? input.typeK;
	const cells = pad(Math.max(1, input.nCtx), LLAMACPP_CTX_PAD);
	const layers = llamaCppKvLayers(model, input.swaFull);
	const swa = layers.swa > 0;
	const swaLayers = layers.swa;
	const fullLayers = layers.full;
	const nSeq = input.nSeq ?? 1;
	const ub = input.nUbatch ?? LLAMACPP_DEFAULT_UBATCH;
	const swaCells = swa ? Math.min(cells, pad(layers.nSwa * nSeq + ub, LLAMACPP_CTX_PAD)) : 0;
	const w = llamaCppKvWidths(model, input.legacyMla);
	const layerCells = fullLayers * cells + swaLayers * swaCells;
	const kBytes = layerCells * w.k * input.typeK.bytesPerElement;
	const vBytes = layerCells * w.v * typeV.bytesPerElement;
	const total = kBytes + vBytes;
	const kName = input.typeK.id;
	const vName = typeV.id;
	const logLine = swa
		? `llama_kv_cache: size = ${mib(fullLayers * cells * (w.k * input.typeK.bytesPerElement + w.v * typeV.bytesPerElement))} MiB (${cells} cells, ${fullLayers} layers, ${nSeq}/${nSeq} seqs) + SWA ${mib(swaLayers * swaCells * (w.k * input.typeK.bytesPerElement + w.v * typeV.bytesPerElement))} MiB (${swaCells} cells, ${swaLayers} layers)`
		: `llama_kv_cache: size = ${mib(total)} MiB (${cells} cells, ${fullLayers} layers, ${nSeq}/${nSeq} seqs), K (${kName}): ${mib(kBytes)} MiB, V (${vName}): ${mib(vBytes)} MiB`;
	return { cells, swaCells, kBytes, vBytes, totalBytes: total, fullLayers, swaLayers, logLine };
}

/**
 * Compute buffer of one device. Without flash attention the KQ scores of one layer, f32
 * [cells × ubatch × heads], dominate and grow with the context; the logits [ubatch × vocab] f32 bound it
 * from below either way.
 */
export function llamaCppComputeBytes(
	model: ModelSpec,
	cells: number,
	flashAttention: boolean,
	ubatch = LLAMACPP_DEFAULT_UBATCH,
): number {
	const logits = ubatch * model.vocab * 4;
	const hidden =
		ubatch *
		(4 * model.hidden +
			2 * (model.moe ? model.moe.expertIntermediate * model.moe.expertsPerToken : model.intermediate)) *
		4;
	const kq = flashAttention ? 0 : cells * ubatch * model.heads * 4;
	return Math.max(logits, hidden, kq);
}

export interface LlamaCppPlanInput extends LlamaCppKvInput {
	weightsBytes: number;
	/** Free bytes per device (what CUDA reports free at start-up). */
	freeBytesPerDevice: number[];
	/** -ngl; undefined = all layers (current default "auto" fits what it can, see fit). */
	gpuLayers?: number;
	/** -ts proportions; default: by free memory. */
	tensorSplit?: number[];
	splitMode?: SplitMode;
	flashAttention?: boolean;
	noKvOffload?: boolean;
	mmap?: boolean;
}

export interface LlamaCppPlan {
	engine: 'llama.cpp';
	kv: LlamaCppKv;
	computeBytes: number;
	/** Per device: weights, KV, compute. */
	perDevice: { weights: number; kv: number; compute: number; total: number; free: number; fits: boolean }[];
	hostBytes: number;
	offloadedLayers: number;
	fits: boolean;
	lines: PlanLine[];
	notes: string[];
}

export function llamaCppPlan(input: LlamaCppPlanInput): LlamaCppPlan {
	const { model } = input;
	const kv = llamaCppKv(input);
	const layersTotal = model.layers + 1; // llama.cpp counts the output layer: "offloaded 33/33 layers"
	const ngl = Math.min(layersTotal, input.gpuLayers ?? layersTotal);
	const compute = llamaCppComputeBytes(model, kv.cells, input.flashAttention ?? true, input.nUbatch);
	const n = input.freeBytesPerDevice.length;
	const proportions = input.tensorSplit?.length === n ? input.tensorSplit : input.freeBytesPerDevice;
	const mode = input.splitMode ?? 'layer';
	const split = llamaCppSplit({ nLayer: model.layers, nGpuLayers: ngl, proportions, mode });
	// Weights per block and the output layer (output + norm; the input embedding stays on the CPU).
	const outputBytes = Math.min(
		input.weightsBytes,
		model.vocab * model.hidden * (input.weightsBytes / model.paramsTotal),
	);
	const blockBytes = (input.weightsBytes - outputBytes) / Math.max(1, model.layers);
	const kinds = llamaCppLayerKinds(model, input.swaFull);
	const perCell = kv.totalBytes / Math.max(1, kv.fullLayers * kv.cells + kv.swaLayers * kv.swaCells);
	const layerKv = kinds.map((k) => (k === 'full' ? kv.cells : k === 'swa' ? kv.swaCells : 0) * perCell);
	const weightsOn = input.freeBytesPerDevice.map(() => 0);
	const kvOn = input.freeBytesPerDevice.map(() => 0);
	let cpuWeights = 0;
	let cpuKv = 0;
	split.layerDevice.forEach((d, il) => {
		if (d < 0) {
			cpuWeights += blockBytes;
			cpuKv += layerKv[il];
			return;
		}
		if (split.rowShare) split.rowShare.forEach((s, j) => (weightsOn[j] += blockBytes * s));
		else weightsOn[d] += blockBytes;
		// --no-kv-offload keeps every layer's KV in host memory.
		if (input.noKvOffload) cpuKv += layerKv[il];
		else kvOn[d] += layerKv[il];
	});
	if (split.outputDevice < 0) cpuWeights += outputBytes;
	else weightsOn[split.outputDevice] += outputBytes;
	const perDevice = input.freeBytesPerDevice.map((free, i) => {
		const used = weightsOn[i] > 0 || kvOn[i] > 0;
		const c = used ? compute : 0;
		const total = weightsOn[i] + kvOn[i] + c;
		return {
			weights: weightsOn[i],
			kv: kvOn[i],
			compute: c,
			total,
			free,
			fits: total <= free - LLAMACPP_FIT_MARGIN_BYTES,
		};
	});
	const hostBytes = cpuWeights + cpuKv;
	const lines: PlanLine[] = [
		{ label: 'offload', text: `load_tensors: offloaded ${ngl}/${layersTotal} layers to GPU` },
		{
			label: 'KV cache',
			bytes: kv.totalBytes,
			text: kv.logLine,
			source: `n_ctx ${input.nCtx} padded to ${kv.cells} cells`,
		},
		{
			label: 'compute buffer',
			bytes: compute,
			text: `compute buffer size ≈ ${mib(compute)} MiB per device`,
			source:
				input.flashAttention === false
					? 'no flash attention: KQ scores grow with the context'
					: 'flash attention: one ubatch of logits and hidden states',
		},
		...perDevice.map((d, i) => ({
			label: `device ${i}`,
			bytes: d.total,
			text: `device ${i}: ${mib(d.weights, 0)} MiB weights + ${mib(d.kv, 0)} MiB KV + ${mib(d.compute, 0)} MiB compute = ${mib(d.total, 0)} MiB of ${mib(d.free, 0)} MiB free`,
			source: `--fit keeps ${LLAMACPP_FIT_MARGIN_BYTES / MIB} MiB free per device`,
		})),
	];
	const notes: string[] = [];
	if (input.gpuLayers === undefined && n > 0) {
		// -ngl unset: current llama.cpp runs --fit (1024 MiB margin per device) before loading.
		const fit = llamaCppFit({
			free: input.freeBytesPerDevice,
			blockBytes,
			nLayer: model.layers,
			outputBytes,
			kvBytesPerCtx: kv.totalBytes / Math.max(1, kv.cells),
			computeBytes: compute,
			nCtx: kv.cells,
			ctxSetByUser: true,
			nglSetByUser: false,
		});
		if (fit.changed) notes.push(`--fit (llama.cpp default, 1024 MiB margin per device): ${fit.reason}`);
	}
	if (input.mmap !== false && cpuWeights > 0)
		notes.push(
			'mmap: the layers left on the CPU are read from the page cache, not copied into process memory',
		);
	if (input.splitMode === 'row')
		notes.push(
			"-sm row splits each weight matrix across devices in the -ts proportions; each layer's KV stays on its device",
		);
	if (kv.swaLayers > 0)
		notes.push(`sliding-window layers keep ${kv.swaCells} cells (--swa-full keeps ${kv.cells})`);
	return {
		engine: 'llama.cpp',
		kv,
		computeBytes: compute,
		perDevice,
		hostBytes,
		offloadedLayers: ngl,
		fits: perDevice.every((d) => d.fits),
		lines,
		notes,
	};
}
