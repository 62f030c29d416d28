/**
 * kv-cache-does-not-fit: engines that reserve KV memory up front (vLLM, llama.cpp, Ollama) refuse to
 * start when not even one sequence of the configured context fits beside the weights. Fixes: lower the
 * context to the largest that fits, and/or store the KV cache in 8 bits.
 */
import { setSetting } from '../fixes/edits';
import { startupFit } from '../startupFit';
import type { Estimate } from '../physics/types';
import type { Fix } from '../types';
import { quantizationFix } from './formatFix';
import { finding, isWideKv, keyName, narrowKvId, spanOf, tidyTokens } from './common';
import type { Rule, RuleContext } from './types';
import { gb, gib, int, plural } from './units';

export const kvCacheDoesNotFit: Rule = {
	code: 'kv-cache-does-not-fit',
	defaultSeverity: 'error',
	summary:
		'Not even one sequence at the configured context fits in the KV budget: the engine fails at start-up.',
	check(ctx) {
		const context = ctx.workload.settings.contextLength?.value;
		if (!ctx.input || !context) return [];
		// One sequence of the whole context (llama.cpp's -c is shared by its slots, so this is its total); the
		// same check the concurrency estimate and the panel apply (../startupFit.ts).
		const fit = startupFit(ctx.input.engine, context, ctx.evaluate);
		if (!fit || !fit.weightsFit || fit.fits) return [];
		const e = fit.estimate;
		const m = e.memory;
		const s = ctx.workload.settings;
		const name = keyName(s.contextLength, contextFlag(ctx));
		const origin = s.contextLength?.source === 'file' ? '' : ` (${s.contextLength?.note ?? 'default'})`;
		// vLLM: its own rule and numbers (physics/memoryPlan/vllm.ts), per worker, in the GiB its log prints.
		const plan = fit.plan?.engine === 'vllm' ? fit.plan : undefined;
		const fitTokens = plan ? fit.maxContextThatFits : Math.max(0, Math.floor(m.maxContextAtBatch));
		const message = plan
			? `${name} ${int(context)}${origin} needs ${gib(plan.bytesPerRequest)} of KV cache for one sequence ` +
				`per GPU (${int(m.kvBytesPerToken)} bytes/token in ${e.kvDtype}), but vLLM ${plan.generation.toUpperCase()} ` +
				`has ${gib(Math.max(0, plan.kvAvailableBytes))} left (total × gpu_memory_utilization − weights − activation peak − ` +
				`non-torch memory${plan.cudaGraphInBudget ? ' − CUDA graphs' : ''}): it fails at start-up. At most ${int(fitTokens)} tokens fit`
			: `${name} ${int(context)}${origin} needs ${gb(m.kvBytesPerToken * context)} of KV cache for one sequence ` +
				`(${int(m.kvBytesPerToken)} bytes/token in ${e.kvDtype}), but only ${gb(Math.max(0, m.kvBudgetBytesPerDevice) * e.devices)} ` +
				`is left after the weights: the engine fails at start-up. At most ${int(fitTokens)} tokens fit`;
		return [
			finding(
				ctx,
				kvCacheDoesNotFit.code,
				'error',
				message,
				spanOf(ctx, s.contextLength),
				{
					contextLength: context,
					maxContextThatFits: fitTokens,
					kvBytesPerToken: m.kvBytesPerToken,
					kvBudgetBytes: m.kvBudgetBytesPerDevice * e.devices,
					...(plan ? { engineError: plan.refusal } : {}),
				},
				fixes(ctx, context, fitTokens),
			),
		];
	},
};

function contextFlag(ctx: RuleContext): string {
	const fw = ctx.workload.framework;
	if (fw === 'sglang') return '--context-length';
	return fw === 'vllm' ? '--max-model-len' : fw === 'ollama' ? 'num_ctx' : '-c';
}

function fixes(ctx: RuleContext, context: number, fitTokens: number): Fix[] {
	const out: Fix[] = [];
	const kvFix = narrowKvFix(ctx, context);
	const target = tidyTokens(fitTokens);
	if (target >= 1) {
		const edits = setSetting(ctx.text, ctx.workload, 'contextLength', target);
		const e = ctx.evaluate({ batch: 1, context: target, maxContext: target });
		if (edits && e?.memory.fits) {
			out.push({
				title: `Lower the context to ${int(target)} tokens`,
				edits,
				effect: `KV budget then holds ${plural(Math.floor(e.memory.maxBatchAtContext), 'sequence')} of ${int(target)} tokens`,
				isPreferred: !kvFix?.fits,
			});
		}
	}
	if (kvFix) out.push(kvFix.fix);
	// Smaller weights leave more room for the KV cache (vLLM in-flight quantization).
	const quant = quantizationFix(ctx);
	if (quant) out.push({ ...quant, isPreferred: out.length === 0 });
	return out;
}

/** Sets the 8-bit KV type (vLLM fp8, llama.cpp q8_0) and says how far that gets. */
export function narrowKvFix(
	ctx: RuleContext,
	context: number,
	batch = 1,
): { fix: Fix; fits: boolean; estimate: Estimate } | undefined {
	const id = narrowKvId(ctx);
	const kv = id ? ctx.kvDtypeById(id) : undefined;
	if (!id || !kv || !isWideKv(ctx)) return undefined;
	const e = ctx.evaluate({ kvDtype: kv, batch, context, maxContext: context });
	const edits = setSetting(ctx.text, ctx.workload, 'kvCacheDtype', id);
	if (!e || !edits) return undefined;
	const fits = e.memory.fits;
	const from = ctx.estimate ? ` from ${int(ctx.estimate.memory.kvBytesPerToken)}` : '';
	const seqs = Math.floor(e.memory.maxBatchAtContext);
	const effect = fits
		? `KV per token drops${from} to ${int(e.memory.kvBytesPerToken)} bytes; the budget then holds ${plural(seqs, 'sequence')} of ${int(context)} tokens`
		: `KV per token drops${from} to ${int(e.memory.kvBytesPerToken)} bytes; at most ${int(Math.floor(e.memory.maxContextAtBatch))} tokens then fit (still short of ${int(context)})`;
	return {
		fix: { title: `Store the KV cache as ${id}`, edits, effect, isPreferred: fits },
		fits,
		estimate: e,
	};
}
