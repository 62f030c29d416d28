/**
 * kv-cache-limits-concurrency: vLLM admits at most max-num-seqs sequences, but only as many full-length
 * sequences as the KV budget holds run at once; the rest wait or are preempted. Fires only when the
 * concurrency is configured (the engine default of 256/1024 is a ceiling, not a promise).
 */
import { setSetting } from '../fixes/edits';
import type { Fix } from '../types';
import { finding, keyName, spanOf } from './common';
import { narrowKvFix } from './kvCacheDoesNotFit';
import type { Rule, RuleContext } from './types';
import { gb, int, plural } from './units';

export const kvCacheLimitsConcurrency: Rule = {
	code: 'kv-cache-limits-concurrency',
	defaultSeverity: 'warning',
	summary: 'The configured concurrency × context exceeds the KV budget; fewer sequences really run at once.',
	check(ctx) {
		const s = ctx.workload.settings;
		const seqs = s.maxConcurrency;
		const context = s.contextLength?.value;
		if (ctx.workload.framework !== 'vllm' || !seqs || !context || seqs.value <= 1) return [];
		if (seqs.source !== 'file' && seqs.source !== 'user-setting') return [];
		const e = ctx.evaluate({ batch: seqs.value, context, maxContext: context });
		if (!e || !e.memory.weightsFit || e.memory.fits) return [];
		const fit = Math.floor(e.memory.maxBatchAtContext);
		// Not even one: kv-cache-does-not-fit reports it.
		if (fit < 1 || fit >= seqs.value) return [];
		const name = keyName(seqs, '--max-num-seqs');
		const message =
			`${name} ${int(seqs.value)} × ${int(context)} tokens needs ${gb(e.memory.kvBytesPerToken * context * seqs.value)} of KV cache, ` +
			`but the KV budget holds only ${int(fit)} sequences of ${int(context)} tokens (${gb(e.memory.kvBudgetBytesPerDevice * e.devices)}); ` +
			`the rest wait or are preempted`;
		return [
			finding(
				ctx,
				kvCacheLimitsConcurrency.code,
				'warning',
				message,
				spanOf(ctx, seqs),
				{ maxConcurrency: seqs.value, contextLength: context, sequencesThatFit: fit },
				fixes(ctx, fit, context),
			),
		];
	},
};

function fixes(ctx: RuleContext, fit: number, context: number): Fix[] {
	const out: Fix[] = [];
	const edits = setSetting(ctx.text, ctx.workload, 'maxConcurrency', fit);
	if (edits) {
		out.push({
			title: `Lower max-num-seqs to ${fit}`,
			edits,
			effect: `KV budget then holds all ${int(fit)} sequences of ${int(context)} tokens`,
			isPreferred: true,
		});
	}
	const kv = narrowKvFix(ctx, context, ctx.workload.settings.maxConcurrency?.value ?? 1);
	if (kv) {
		const m = kv.estimate.memory;
		const seqs = Math.floor(m.maxBatchAtContext);
		const from = ctx.estimate ? ` from ${int(ctx.estimate.memory.kvBytesPerToken)}` : '';
		const effect = `KV per token drops${from} to ${int(m.kvBytesPerToken)} bytes; the budget then holds ${plural(seqs, 'sequence')} of ${int(context)} tokens`;
		out.push({ ...kv.fix, effect, isPreferred: false });
	}
	return out;
}
