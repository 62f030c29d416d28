/**
 * Quick fixes that shrink the weights on the devices the workload already has: vLLM quantizes a 16-bit
 * checkpoint at load time with `--quantization fp8` (8 bits per weight; W8A8 on Hopper/Ada/Blackwell/
 * MI300, weight-only on older GPUs) or `--quantization bitsandbytes` (4-bit NF4 in flight). Each fix says
 * in numbers what the weights then take and how much KV room is left, from the same estimator.
 */
import { setSetting } from '../fixes/edits';
import type { FormatSpec } from '../catalog/types';
import type { Fix } from '../types';
import { tidyTokens } from './common';
import type { RuleContext } from './types';
import { gb, int } from './units';

/** In-flight quantization methods vLLM accepts for an unquantized checkpoint, smallest change first. */
const VLLM_IN_FLIGHT: { method: string; format: string; what: string }[] = [
	{ method: 'fp8', format: 'fp8', what: 'FP8 weights quantized at load time' },
	{ method: 'bitsandbytes', format: 'bnb-nf4', what: '4-bit NF4 weights quantized at load time' },
];

/** Below this many tokens a lowered context is no longer a useful server. */
const MIN_USEFUL_CONTEXT = 2048;

/**
 * The first in-flight quantization with which the engine starts: the weights fit and one sequence of
 * the configured context fits beside them; else the first whose weights fit, with the context lowered
 * to what then fits (both edits in one fix). Undefined when the checkpoint is already quantized, the
 * engine is not vLLM, or nothing useful fits.
 */
export function quantizationFix(ctx: RuleContext): Fix | undefined {
	const w = ctx.workload;
	if (w.framework !== 'vllm' || !ctx.weights || ctx.weights.quantized) return undefined;
	if (w.settings.quantization?.source === 'file') return undefined;
	const context = w.settings.contextLength?.value;
	const before = ctx.estimate?.memory.weightsBytesPerDevice ?? 0;
	let partial: { q: (typeof VLLM_IN_FLIGHT)[number]; format: FormatSpec; room: number } | undefined;
	for (const q of VLLM_IN_FLIGHT) {
		const format = ctx.formatById(q.format);
		if (!format) continue;
		const e = ctx.evaluate(
			context ? { weights: format, batch: 1, context, maxContext: context } : { weights: format },
		);
		if (!e?.memory.weightsFit) continue;
		const room = Math.floor(Math.max(0, e.memory.maxContextAtBatch));
		if (!context || e.memory.fits) {
			const edits = setSetting(ctx.text, w, 'quantization', q.method);
			if (!edits) return undefined;
			return {
				title: `Quantize the weights at load time (--quantization ${q.method})`,
				edits,
				effect:
					`${q.what}: ${gb(e.memory.weightsBytesPerDevice)} per device instead of ${gb(before)}; ` +
					(context
						? `a ${int(context)}-token sequence then fits beside them`
						: `${int(room)} tokens of KV cache then fit`),
			};
		}
		// The format that leaves the most room makes the least painful context cut.
		if (!partial || room > partial.room) partial = { q, format, room };
	}
	if (!partial || !context) return undefined;
	const target = tidyTokens(partial.room);
	if (target < MIN_USEFUL_CONTEXT) return undefined;
	const quant = setSetting(ctx.text, w, 'quantization', partial.q.method);
	const ctxEdit = setSetting(ctx.text, w, 'contextLength', target);
	const e = ctx.evaluate({ weights: partial.format, batch: 1, context: target, maxContext: target });
	if (!quant || !ctxEdit || !e?.memory.fits) return undefined;
	return {
		title: `Quantize at load time (--quantization ${partial.q.method}) and lower the context to ${int(target)}`,
		edits: [...quant, ...ctxEdit],
		effect: `${partial.q.what}: ${gb(e.memory.weightsBytesPerDevice)} per device instead of ${gb(before)}; the ${int(context)}-token context does not fit beside them, ${int(target)} does`,
	};
}
