/**
 * What vLLM requires of a tensor-parallel size, from the model's shapes:
 * - attention heads % TP == 0 (ModelConfig.verify_with_parallel_config);
 * - KV heads: TP divides them, or TP is a multiple of them and they are replicated (QKVParallelLinear);
 * - the MLP intermediate size (and MoE expert intermediate) % TP == 0 (MergedColumnParallelLinear `divide`).
 * The vocabulary is padded per rank by VocabParallelEmbedding, so it sets no constraint.
 */
import type { ModelSpec } from '../catalog/types';

export interface TpProblem {
	what: string;
	count: number;
}

export function tensorParallelProblems(model: ModelSpec, tp: number): TpProblem[] {
	const out: TpProblem[] = [];
	if (tp <= 1) return out;
	if (model.heads % tp !== 0) out.push({ what: 'attention heads', count: model.heads });
	// MLA caches one latent per token, not per KV head, so only the query heads matter.
	if (!model.mla && model.kvHeads > 0) {
		const ok = tp <= model.kvHeads ? model.kvHeads % tp === 0 : tp % model.kvHeads === 0;
		if (!ok) out.push({ what: 'KV heads', count: model.kvHeads });
	}
	const denseFfn = !model.moe || model.moe.firstDenseLayers > 0 || model.moe.sharedExperts > 0;
	if (denseFfn && model.intermediate > 0 && model.intermediate % tp !== 0)
		out.push({ what: 'MLP intermediate size', count: model.intermediate });
	if (model.moe && model.moe.expertIntermediate > 0 && model.moe.expertIntermediate % tp !== 0)
		out.push({ what: 'expert intermediate size', count: model.moe.expertIntermediate });
	return out;
}

/** Valid TP sizes from 1 to `max`, ascending. */
export function validTensorParallelSizes(model: ModelSpec, max: number): number[] {
	const out: number[] = [];
	for (let tp = 1; tp <= Math.max(1, max); tp++)
		if (tensorParallelProblems(model, tp).length === 0) out.push(tp);
	return out;
}

/** The valid size nearest to `tp` (lower wins a tie), at most `max`. */
export function nearestValidTp(model: ModelSpec, tp: number, max: number): number {
	const valid = validTensorParallelSizes(model, max);
	let best = 1;
	for (const v of valid) if (Math.abs(v - tp) < Math.abs(best - tp)) best = v;
	return best;
}
