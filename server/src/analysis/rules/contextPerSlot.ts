/**
 * context-per-slot (information): llama-server divides `-c` evenly between its `-np` slots, so each
 * conversation gets only c / np tokens (builds that default to a unified KV cache share the whole context
 * instead). Reported when a slot gets fewer than 4,096 tokens, the floor llama.cpp's own `--fit` keeps. The
 * fix multiplies `-c` by the slot count when that still fits in memory.
 */
import { setSetting } from '../fixes/edits';
import type { Fix } from '../types';
import { finding, keyName, spanOf } from './common';
import type { Rule, RuleContext } from './types';
import { gb, int } from './units';

export const MIN_SLOT_TOKENS = 4096;

export const contextPerSlot: Rule = {
	code: 'context-per-slot',
	defaultSeverity: 'information',
	summary: 'llama-server splits -c between its -np slots; each conversation gets only c / np tokens.',
	check(ctx) {
		const s = ctx.workload.settings;
		const np = s.maxConcurrency;
		const c = s.contextLength?.value;
		if (ctx.workload.framework !== 'llama.cpp' || ctx.workload.syntax === 'python') return [];
		if (!np || np.source !== 'file' || np.value <= 1 || !c) return [];
		const perSlot = Math.floor(c / np.value);
		if (perSlot >= MIN_SLOT_TOKENS) return [];
		const npName = keyName(np, '-np');
		const cName = keyName(s.contextLength, '-c');
		const message =
			`${npName} ${np.value} splits ${cName} ${int(c)} into ${np.value} slots of ${int(perSlot)} tokens each: ` +
			`a conversation longer than that is cut short (builds with a unified KV cache, --kv-unified, share the whole context)`;
		return [
			finding(
				ctx,
				contextPerSlot.code,
				'information',
				message,
				spanOf(ctx, np),
				{ contextLength: c, slots: np.value, tokensPerSlot: perSlot },
				raiseFix(ctx, c, np.value),
			),
		];
	},
};

function raiseFix(ctx: RuleContext, c: number, slots: number): Fix[] {
	const target = c * slots;
	const e = ctx.evaluate({ batch: 1, context: target, maxContext: target });
	if (!e?.memory.fits) return [];
	const edits = setSetting(ctx.text, ctx.workload, 'contextLength', target);
	if (!edits) return [];
	return [
		{
			title: `Raise the context to ${int(target)} (${slots} × ${int(c)})`,
			edits,
			effect: `Each slot keeps ${int(c)} tokens; the KV cache grows to ${gb(e.memory.kvBytesPerToken * target)}`,
			isPreferred: true,
		},
	];
}
