/**
 * weights-do-not-fit: the weights alone exceed what the engine may use per device. The fix raises the
 * tensor-parallel size to the smallest valid one that fits, when the devices allow it (vLLM).
 */
import { setSetting } from '../fixes/edits';
import type { Fix } from '../types';
import { devicesAvailable, finding, spanOf } from './common';
import { quantizationFix } from './formatFix';
import { validTensorParallelSizes } from './parallelism';
import type { Rule, RuleContext } from './types';
import { gb } from './units';

export const weightsDoNotFit: Rule = {
	code: 'weights-do-not-fit',
	defaultSeverity: 'error',
	summary: 'The weights alone exceed the memory the engine may use on the target.',
	check(ctx) {
		const e = ctx.estimate;
		const fw = ctx.workload.framework;
		// transformers.js has its own browser limits; llama.cpp spills layers to the host (partial-offload).
		if (!e || e.memory.weightsFit || fw === 'transformers.js') return [];
		if ((fw === 'llama.cpp' || fw === 'ollama') && ctx.hardware?.deviceClass !== 'cpu') {
			if (ctx.workload.settings.gpuLayers?.value !== undefined && (e.memory.hostBytes ?? 0) > 0) return [];
		}
		const m = e.memory;
		const s = ctx.workload.settings;
		const perDevice = e.devices > 1 ? ` (${gb(m.weightsBytesPerDevice)} per device over ${e.devices})` : '';
		const message =
			`The ${e.weightsFormat} weights of ${e.modelId} need ${gb(m.weightsBytes)}${perDevice}, ` +
			`more than the ${gb(m.budgetBytesPerDevice)} the engine may use per device`;
		// accelerate's device_map="auto" spills what does not fit to CPU memory or disk: slow, not fatal.
		const spills = fw === 'transformers' && /^(auto|balanced|sequential)/.test(s.device?.value ?? '');
		const severity = spills ? 'warning' : 'error';
		const tail = spills
			? `; device_map="${s.device?.value}" puts the rest in CPU memory (or on disk), read from there every token`
			: '';
		const span = spanOf(ctx, s.weightFormat?.source === 'file' ? s.weightFormat : s.quantization);
		return [
			finding(
				ctx,
				weightsDoNotFit.code,
				severity,
				message + tail,
				span,
				{
					weightsBytes: m.weightsBytes,
					weightsBytesPerDevice: m.weightsBytesPerDevice,
					budgetBytesPerDevice: m.budgetBytesPerDevice,
				},
				fitFixes(ctx),
			),
		];
	},
};

/**
 * More devices when the workload may have them (preferred), and a smaller weight format that fits on
 * the devices it has — so a one-device workload gets a fix too.
 */
function fitFixes(ctx: RuleContext): Fix[] {
	const tp = tpFix(ctx);
	const quant = quantizationFix(ctx);
	if (!quant) return tp;
	return [...tp, { ...quant, isPreferred: tp.length === 0 }];
}

/** Smallest valid tensor-parallel size that fits the weights, within the devices available. */
function tpFix(ctx: RuleContext): Fix[] {
	if (ctx.workload.framework !== 'vllm' || ctx.model.ok !== true) return [];
	const pp = ctx.workload.settings.pipelineParallelSize?.value ?? 1;
	const available = devicesAvailable(ctx) ?? 8;
	const current = ctx.workload.settings.tensorParallelSize?.value ?? 1;
	for (const tp of validTensorParallelSizes(ctx.model.model, Math.floor(available / pp))) {
		if (tp <= current) continue;
		const e = ctx.evaluate({ tensorParallel: tp, devices: tp * pp });
		if (!e?.memory.weightsFit) continue;
		const edits = setSetting(ctx.text, ctx.workload, 'tensorParallelSize', tp);
		if (!edits) return [];
		return [
			{
				title: `Set tensor-parallel size to ${tp}`,
				edits,
				effect: `Weights then take ${gb(e.memory.weightsBytesPerDevice)} per device on ${tp * pp} devices`,
				isPreferred: true,
			},
		];
	}
	return [];
}
