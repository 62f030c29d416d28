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
import { llamaCppKvLayers } from './llamacppKvRules';
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
	splitMode?: 'layer' | 'row' | 'none';
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
	const n = Math.max(1, input.freeBytesPerDevice.length);
	const layersTotal = model.layers + 1; // llama.cpp counts the output layer: "offloaded 33/33 layers"
	const ngl = Math.min(layersTotal, input.gpuLayers ?? layersTotal);
	const onGpu = ngl / layersTotal;
	const split = input.tensorSplit?.length === n ? input.tensorSplit : input.freeBytesPerDevice;
	const sum = split.reduce((a, b) => a + b, 0) || 1;
	const share = split.map((s) => s / sum);
	const compute = llamaCppComputeBytes(model, kv.cells, input.flashAttention ?? true, input.nUbatch);
	const kvOnGpu = input.noKvOffload ? 0 : kv.totalBytes * Math.min(1, ngl / model.layers);
	const perDevice = input.freeBytesPerDevice.map((free, i) => {
		const weights = input.weightsBytes * onGpu * (input.splitMode === 'none' ? (i === 0 ? 1 : 0) : share[i]);
		const kvd = kvOnGpu * (input.splitMode === 'none' ? (i === 0 ? 1 : 0) : share[i]);
		const total = weights + kvd + compute;
		return { weights, kv: kvd, compute, total, free, fits: total <= free - LLAMACPP_FIT_MARGIN_BYTES };
	});
	const hostBytes = input.weightsBytes * (1 - onGpu) + (kv.totalBytes - kvOnGpu);
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
	if (input.mmap !== false && onGpu < 1)
		notes.push(
			'mmap: the layers left on the CPU are read from the page cache, not copied into process memory',
		);
	if (input.splitMode === 'row')
		notes.push('-sm row splits each weight matrix across devices; KV and compute stay on the main GPU');
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
