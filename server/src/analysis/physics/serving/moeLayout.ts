/**
 * Parallel layouts for serving MoE and MLA models: expert parallelism (experts split over ranks, tokens
 * dispatched and combined by all-to-all), data-parallel attention (each rank runs attention for its own
 * sequences, so KV — MLA's latent included — is not replicated across the tensor-parallel group), and the
 * grouped-GEMM efficiency of experts that see few tokens. Derivations in docs/physics.md § "Serving: MoE layouts".
 */
import type { HardwareSpec, ModelSpec } from '../../catalog/types';
import { DEFAULT_LINK, FABRIC_LATENCY_SECONDS } from '../parallel';

export interface ServingLayout {
	/** Expert-parallel ranks (1 = experts sharded by TP like any weight). */
	expertParallel: number;
	/** Data-parallel attention ranks inside the engine (1 = attention sharded by TP). */
	attentionDataParallel: number;
	/** Independent engine replicas (dense data parallelism): concurrency splits evenly over them. */
	replicas: number;
}

export const SINGLE_ENGINE: ServingLayout = { expertParallel: 1, attentionDataParallel: 1, replicas: 1 };

/** Rows of one Hopper/Blackwell warp-group MMA (wgmma m64): an expert GEMM with fewer tokens pads to this. */
export const EXPERT_GEMM_TILE_TOKENS = 64;

/**
 * Share of an expert GEMM's issued FLOPs that are real when it sees `tokens` tokens: tiles of 64 rows are
 * computed whole, so 8 tokens use 8/64 of the work issued.
 */
export function expertGemmEfficiency(tokensPerExpert: number): number {
	if (!(tokensPerExpert > 0)) return 1;
	const tiles = Math.ceil(tokensPerExpert / EXPERT_GEMM_TILE_TOKENS);
	return tokensPerExpert / (tiles * EXPERT_GEMM_TILE_TOKENS);
}

/** MoE layers of a model (dense-first layers excluded). */
export function moeLayers(model: ModelSpec): number {
	const moe = model.moe;
	if (!moe) return 0;
	const step = Math.max(1, moe.layerStep ?? 1);
	return Math.max(0, Math.floor((model.layers - (moe.firstDenseLayers ?? 0)) / step));
}

/**
 * Attention parameters per layer (q, k, v, o projections; MLA: the low-rank q/kv paths and the output).
 * Used where data-parallel attention gives every rank a full copy to read.
 */
export function attentionParamsPerLayer(model: ModelSpec): number {
	const h = model.hidden;
	if (model.mla) {
		const m = model.mla;
		const qk = m.nopeHeadDim + m.ropeHeadDim;
		const q = m.qLoraRank ? h * m.qLoraRank + m.qLoraRank * model.heads * qk : h * model.heads * qk;
		const kv = h * (m.kvLoraRank + m.ropeHeadDim) + m.kvLoraRank * model.heads * (m.nopeHeadDim + m.vHeadDim);
		return q + kv + model.heads * m.vHeadDim * h;
	}
	return h * model.heads * model.headDim * 2 + h * model.kvHeads * model.headDim * 2;
}

/**
 * Seconds per engine step in expert-parallel all-to-all: per MoE layer each rank sends its tokens' hidden
 * states to the ranks holding their top-k experts (dispatch, 1 byte/value as FP8 in DeepEP-style kernels) and
 * receives the results back (combine, 2 bytes/value), (ep − 1)/ep of it off-rank, plus a latency per
 * collective. `tokens` is the whole step's token count over all ranks.
 */
export function allToAllSecondsPerStep(
	model: ModelSpec,
	hw: HardwareSpec,
	ep: number,
	tokens: number,
): number {
	if (!model.moe || ep <= 1 || tokens <= 0) return 0;
	const link = hw.interconnect;
	const linkBytes = (link?.bandwidthGBs ?? DEFAULT_LINK.bandwidthGBs) * 1e9;
	const latency = link ? FABRIC_LATENCY_SECONDS : DEFAULT_LINK.latencySeconds;
	const fanout = Math.min(model.moe.expertsPerToken, ep);
	const perRankBytes = (tokens / ep) * fanout * model.hidden * (1 + 2) * ((ep - 1) / ep);
	return moeLayers(model) * (perRankBytes / linkBytes + 2 * latency);
}
