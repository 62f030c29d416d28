/**
 * Mixture-of-experts traffic: which expert weights a decode step streams. Derivations in docs/physics.md
 * § "MoE decode traffic".
 */
import type { ModelSpec } from '../catalog/types';

/**
 * Expected distinct experts a batch of B tokens routes to in one MoE layer, each token picking k of E
 * experts. With uniform independent routing an expert is missed by one token with probability 1 − k/E, so
 * it is missed by all B tokens with (1 − k/E)^B: touched = E·(1 − (1 − k/E)^B). Real routers are skewed,
 * which touches fewer experts; uniform routing is the upper bound on bytes.
 */
export function expectedExpertsTouched(experts: number, perToken: number, batch: number): number {
	if (experts <= 0 || perToken <= 0 || batch <= 0) return 0;
	const k = Math.min(perToken, experts);
	if (k >= experts) return experts;
	const touched = experts * (1 - Math.pow(1 - k / experts, batch));
	// Never fewer than one token's own k experts (floating error near B = 1).
	return Math.min(experts, Math.max(k, touched));
}

export interface MoeSplit {
	/** Parameters of one routed expert summed over all MoE layers. */
	paramsPerExpertAllLayers: number;
	/** Routed expert parameters in total (E × the above). */
	routedParams: number;
	experts: number;
	expertsPerToken: number;
}

/**
 * Splits a MoE model's parameters into routed experts and the always-read rest, from the catalog's total
 * and active counts: total − active = (E − k)·P_e, so P_e = (total − active)/(E − k). This uses no layer
 * arithmetic, so it stays consistent with whatever the catalog counted (norms, biases, routers, shared
 * experts, dense-first layers all land in the always-read part).
 */
export function moeSplit(model: ModelSpec): MoeSplit | undefined {
	const moe = model.moe;
	if (!moe || moe.experts <= 0) return undefined;
	const k = Math.min(moe.expertsPerToken, moe.experts);
	if (moe.experts - k <= 0 || model.paramsTotal <= model.paramsActive) return undefined;
	const perExpert = (model.paramsTotal - model.paramsActive) / (moe.experts - k);
	return {
		paramsPerExpertAllLayers: perExpert,
		routedParams: perExpert * moe.experts,
		experts: moe.experts,
		expertsPerToken: k,
	};
}
