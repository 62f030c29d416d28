/**
 * Tensor and pipeline parallelism: how work splits over devices and what it costs. Derivations in
 * docs/physics.md § "Parallelism".
 */
import type { DeviceClass, HardwareSpec, ModelSpec } from '../catalog/types';
import { constant } from './calibration';
import type { Engine } from './types';

export interface ParallelLayout {
	tensorParallel: number;
	pipelineParallel: number;
	devices: number;
	notes: string[];
}

/**
 * Resolves TP × PP from what was given. Without explicit sizes, vLLM-style engines shard tensors across all
 * devices (TP = devices) and llama.cpp splits layers across them (its default `--split-mode layer`, which
 * behaves like a pipeline without micro-batching).
 */
export function resolveLayout(
	devices: number,
	engine: Engine,
	tp: number | undefined,
	pp: number | undefined,
	deviceClass?: DeviceClass,
): ParallelLayout {
	const notes: string[] = [];
	const n = Math.max(1, Math.floor(devices || 1));
	let t = tp && tp > 0 ? Math.floor(tp) : undefined;
	let p = pp && pp > 0 ? Math.floor(pp) : undefined;
	if (t === undefined && p === undefined) {
		if (n > 1 && (engine === 'llama.cpp' || engine === 'ollama')) {
			p = n;
			notes.push(`llama.cpp splits layers over ${n} devices (pipeline, one stage active at a time)`);
		} else if (n > 1 && deviceClass && LAYER_PIPELINE_CLASSES.includes(deviceClass)) {
			p = n;
			notes.push(`${deviceClass} stack places layers across ${n} chips (layer pipeline)`);
		} else t = n;
	}
	t ??= Math.max(1, Math.floor(n / (p ?? 1)));
	p ??= Math.max(1, Math.floor(n / t));
	if (t * p !== n && devices > 1) notes.push(`TP ${t} × PP ${p} = ${t * p} devices used of ${n} given`);
	return { tensorParallel: t, pipelineParallel: p, devices: t * p, notes };
}

/**
 * KV replication under TP: each rank holds kvHeads/TP heads, but when TP > kvHeads a head is replicated on
 * TP/kvHeads ranks (TRT-LLM's max(tp, kvHeads)); MLA's single latent is replicated on every TP rank (vLLM).
 * Returns the factor by which per-device KV exceeds total/TP.
 */
export function kvReplication(model: ModelSpec, tp: number): number {
	if (tp <= 1) return 1;
	if (model.mla) return tp;
	return Math.max(1, tp / Math.max(1, model.kvHeads));
}

/**
 * Vendor stacks whose compilers lay consecutive layers on consecutive chips by default (Groq, Cerebras,
 * d-Matrix, Taalas): each chip holds its layers in on-chip memory, so a token visits the chips in turn.
 * Dataflow chips that stream from HBM (SambaNova SN40L) are not here: a layer pipeline would leave one
 * chip's HBM streaming at a time, and the published node figures need all 16 streaming at once.
 */
export const LAYER_PIPELINE_CLASSES: readonly DeviceClass[] = ['in-memory', 'sram', 'hardwired'];

/** Default scale-up link when the catalog names none: PCIe 4.0 ×16, ~25 GB/s achievable per direction. */
export const DEFAULT_LINK = { name: 'PCIe 4.0 x16 (assumed)', bandwidthGBs: 25, latencySeconds: 25e-6 };
/** Prior per-collective latency on a scale-up fabric (NVLink/Infinity Fabric/ICI); the active value is calibrated. */
export const FABRIC_LATENCY_SECONDS = 8e-6;

/** Whether the device's scale-up link is PCIe (consumer and PCIe datacenter cards) or a fabric. */
export function linkKind(hardware: HardwareSpec): 'pcie' | 'fabric' {
	const link = hardware.interconnect;
	return !link || /pcie/i.test(link.name) ? 'pcie' : 'fabric';
}

/**
 * Latency of one small-message all-reduce at TP n: the calibrated TP-2 latency of the link kind × (n/2)^k,
 * k calibrated between 0 (one-shot kernels that write every peer at once: constant) and 1 (a ring: one hop per
 * peer); NCCL's tree/LL protocols sit in between.
 */
export function collectiveLatencySeconds(hardware: HardwareSpec, tp: number): number {
	const us = constant(`collectiveUs.${linkKind(hardware)}`);
	return (us * Math.max(1, tp / 2) ** constant('collectiveTpExponent')) / 1e6;
}

/**
 * Time per decode step in TP all-reduces: two per layer (after attention and after the MLP), each of
 * B × hidden activations at 2 bytes. A ring all-reduce moves 2(n−1)/n of the buffer over each link, plus a
 * fixed per-collective latency.
 */
export function allReduceSecondsPerStep(
	model: ModelSpec,
	hardware: HardwareSpec,
	tp: number,
	batch: number,
): number {
	if (tp <= 1) return 0;
	const link = hardware.interconnect;
	const linkBytesPerSecond = (link?.bandwidthGBs ?? DEFAULT_LINK.bandwidthGBs) * 1e9;
	const latency = collectiveLatencySeconds(hardware, tp);
	const bufferBytes = batch * model.hidden * 2;
	const perCollective = ((2 * (tp - 1)) / tp) * (bufferBytes / linkBytesPerSecond) + latency;
	return 2 * model.layers * perCollective;
}

export interface PipelineTiming {
	/** Micro-batches in flight (min(B, PP)). */
	microBatches: number;
	/** Share of stage time spent idle. */
	bubbleFraction: number;
}

/**
 * Pipeline parallel decode: a token must pass all PP stages in turn, so per-user step time is PP × stage
 * time; the pipeline is only full when at least PP micro-batches are in flight (B ≥ PP). At batch 1 every
 * stage idles (PP − 1)/PP of the time.
 */
export function pipelineTiming(pp: number, batch: number): PipelineTiming {
	if (pp <= 1) return { microBatches: 1, bubbleFraction: 0 };
	const m = Math.max(1, Math.min(batch, pp));
	return { microBatches: m, bubbleFraction: 1 - m / pp };
}
