/**
 * partial-offload: llama.cpp (-ngl) and Ollama (num_gpu) keep the layers not offloaded in host memory,
 * and every decode step streams them over the CPU's DDR bandwidth, which then sets the pace. The fix
 * raises the layer count to the most that fit beside the KV cache.
 */
import { setSetting } from '../fixes/edits';
import type { Fix } from '../types';
import { finding, keyName, spanOf } from './common';
import type { Rule, RuleContext } from './types';
import { gb, int, tokS } from './units';

/** llama.cpp's conventional "all layers" value (any count ≥ the layers + output works). */
const ALL_LAYERS = 999;

export const partialOffload: Rule = {
	code: 'partial-offload',
	defaultSeverity: 'warning',
	summary: 'llama.cpp/Ollama leaves layers on the CPU; decode streams them from host memory.',
	check(ctx) {
		const fw = ctx.workload.framework;
		const ngl = ctx.workload.settings.gpuLayers;
		if ((fw !== 'llama.cpp' && fw !== 'ollama') || !ngl || ngl.value < 0 || !ctx.model.ok || !ctx.estimate)
			return [];
		if (!ctx.hardware || ctx.hardware.deviceClass === 'cpu') return [];
		const layers = ctx.model.model.layers;
		if (ngl.value >= layers) return [];
		const now = ctx.estimate;
		const all = ctx.evaluate({ gpuLayers: undefined });
		if (!all) return [];
		const name = keyName(ngl, fw === 'ollama' ? 'num_gpu' : '-ngl');
		const left = layers - ngl.value;
		const host = now.memory.hostBytes !== undefined ? ` (${gb(now.memory.hostBytes)})` : '';
		const message =
			`${name} ${ngl.value} keeps ${left} of ${layers} layers${host} in host memory, read over the CPU's memory ` +
			`each token: ≈ ${tokS(now.decode.expectedTokensPerSecondPerUser)} per user vs ≈ ` +
			`${tokS(all.decode.expectedTokensPerSecondPerUser)} with every layer on the ${ctx.hardware.name}`;
		return [
			finding(
				ctx,
				partialOffload.code,
				'warning',
				message,
				spanOf(ctx, ngl),
				{
					gpuLayers: ngl.value,
					layers,
					tokensPerSecond: now.decode.expectedTokensPerSecondPerUser,
					tokensPerSecondAllOnGpu: all.decode.expectedTokensPerSecondPerUser,
				},
				raiseFix(ctx, ngl.value, layers),
			),
		];
	},
};

/** The most layers that fit with the configured context (binary search; fit is monotone in layers). */
function raiseFix(ctx: RuleContext, current: number, layers: number): Fix[] {
	const context = ctx.workload.settings.contextLength?.value ?? ctx.input?.context ?? 0;
	// The whole -c is allocated at start-up (its slots share it), so fit is checked at the full context.
	const full = context > 0 ? { batch: 1, context, maxContext: context } : {};
	const fits = (n: number) => ctx.evaluate({ ...full, gpuLayers: n })?.memory.fits === true;
	let best: number;
	if (fits(layers)) best = layers;
	else {
		let lo = current;
		let hi = layers;
		while (hi - lo > 1) {
			const mid = Math.floor((lo + hi) / 2);
			if (fits(mid)) lo = mid;
			else hi = mid;
		}
		best = lo;
	}
	if (best <= current) return [];
	const value = best >= layers ? ALL_LAYERS : best;
	const edits = setSetting(ctx.text, ctx.workload, 'gpuLayers', value);
	const e = ctx.evaluate({ gpuLayers: best >= layers ? undefined : best });
	if (!edits || !e) return [];
	const what = best >= layers ? `all ${layers} layers` : `${int(best)} of ${layers} layers`;
	return [
		{
			title: best >= layers ? `Offload all layers (${ALL_LAYERS})` : `Offload ${best} layers`,
			edits,
			effect: `${what} on the GPU: ≈ ${tokS(e.decode.expectedTokensPerSecondPerUser)} per user`,
			isPreferred: true,
		},
	];
}
