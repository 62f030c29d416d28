/**
 * invalid-parallelism: vLLM refuses to start when the tensor-parallel size does not divide the model's
 * heads (or KV heads / MLP width), and when TP × PP asks for more devices than there are.
 */
import { setSetting } from '../fixes/edits';
import type { Finding, Fix } from '../types';
import { devicesAvailable, finding, keyName, spanOf } from './common';
import { nearestValidTp, tensorParallelProblems } from './parallelism';
import type { Rule, RuleContext } from './types';
import { gb, int } from './units';

export const invalidParallelism: Rule = {
	code: 'invalid-parallelism',
	defaultSeverity: 'error',
	summary: 'The tensor/pipeline-parallel size does not divide the model or exceeds the devices available.',
	check(ctx) {
		if (ctx.workload.framework !== 'vllm' || ctx.model.ok !== true) return [];
		const model = ctx.model.model;
		const s = ctx.workload.settings;
		const tp = s.tensorParallelSize?.value ?? 1;
		const pp = s.pipelineParallelSize?.value ?? 1;
		const available = devicesAvailable(ctx);
		const out: Finding[] = [];
		const tpName = keyName(s.tensorParallelSize, '--tensor-parallel-size');
		const maxTp = Math.max(1, Math.floor((available ?? Math.max(tp, 8)) / pp));

		const problems = tensorParallelProblems(model, tp);
		if (problems.length > 0) {
			const what = problems.map((p) => `${p.what} (${int(p.count)})`).join(', ');
			const best = nearestValidTp(model, tp, maxTp);
			out.push(
				finding(
					ctx,
					invalidParallelism.code,
					'error',
					`${tpName} ${tp} does not divide the ${what} of ${model.id}; vLLM refuses to start. Nearest valid size: ${best}`,
					spanOf(ctx, s.tensorParallelSize),
					{ tensorParallelSize: tp, problems, suggestedTensorParallelSize: best },
					tpFix(ctx, best, pp),
				),
			);
		}
		if (available !== undefined && tp * pp > available) {
			const best = nearestValidTp(model, Math.min(tp, maxTp), maxTp);
			const setting =
				s.pipelineParallelSize?.source === 'file' && tp === 1 ? s.pipelineParallelSize : s.tensorParallelSize;
			out.push(
				finding(
					ctx,
					invalidParallelism.code,
					'error',
					`TP ${tp} × PP ${pp} needs ${tp * pp} devices but the workload has ${available} (${s.deviceCount?.source === 'file' ? keyName(s.deviceCount, 'device count') : (s.deviceCount?.note ?? 'device count')})`,
					spanOf(ctx, setting),
					{
						tensorParallelSize: tp,
						pipelineParallelSize: pp,
						devicesAvailable: available,
						suggestedTensorParallelSize: best,
					},
					best * pp <= available ? tpFix(ctx, best, pp) : [],
				),
			);
		}
		if (pp > model.layers) {
			out.push(
				finding(
					ctx,
					invalidParallelism.code,
					'error',
					`Pipeline-parallel size ${pp} exceeds the ${model.layers} layers of ${model.id}`,
					spanOf(ctx, s.pipelineParallelSize),
					{ pipelineParallelSize: pp, layers: model.layers },
					ppFix(ctx, model.layers, tp),
				),
			);
		}
		return out;
	},
};

/** One layer per stage at most: PP = layers. */
function ppFix(ctx: RuleContext, layers: number, tp: number): Fix[] {
	const edits = setSetting(ctx.text, ctx.workload, 'pipelineParallelSize', layers);
	if (!edits) return [];
	return [
		{
			title: `Set pipeline-parallel size to ${layers}`,
			edits,
			effect: `one layer per stage; ${tp * layers} devices (TP ${tp} × PP ${layers})`,
			isPreferred: true,
		},
	];
}

function tpFix(ctx: RuleContext, tp: number, pp: number): Fix[] {
	const current = ctx.workload.settings.tensorParallelSize?.value ?? 1;
	if (tp === current) return [];
	const edits = setSetting(ctx.text, ctx.workload, 'tensorParallelSize', tp);
	if (!edits) return [];
	const e = ctx.evaluate({ tensorParallel: tp, devices: tp * pp });
	const heads = ctx.model.ok ? `${ctx.model.model.heads / tp} attention heads per device` : '';
	const weights = e ? `; weights ${gb(e.memory.weightsBytesPerDevice)} per device` : '';
	const fits = e && !e.memory.weightsFit ? ' (the weights then do not fit)' : '';
	return [
		{
			title: `Set tensor-parallel size to ${tp}`,
			edits,
			effect: `${heads}${weights}${fits}`,
			isPreferred: true,
		},
	];
}
