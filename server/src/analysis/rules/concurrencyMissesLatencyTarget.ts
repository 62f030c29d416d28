/**
 * concurrency-misses-latency-target (warning): at the concurrency the file configures (max-num-seqs, -np,
 * max-running-requests …), with every slot busy, the serving model (physics/serving.ts) says each user gets
 * fewer tokens per second, or waits longer for the first token, than the `inferenceMeter.latencyTarget`
 * settings ask. Prompt/answer lengths are run-time values the file does not hold: the stated defaults
 * (1,000 / 1,000) are used and named. Emitted as a warning only when the miss exceeds the serving model's
 * accuracy (25 %) on an engine the serving ledger covers (vLLM, SGLang, TensorRT-LLM); otherwise information. Offers the largest concurrency that meets both targets.
 */
import { DEFAULT_LATENCY_TARGET } from '../physics/coupling';
import { estimateServing, type ServingEstimate } from '../physics/serving';
import { servingInputFor } from '../servingSettings';
import { finding, keyName, spanOf } from './common';
import type { Rule, RuleContext } from './types';
import { int } from './units';

/** Engines whose continuous-batching scheduler the serving model describes (and the ledger checks). */
const MODELED_ENGINES: ReadonlySet<string> = new Set(['vllm', 'sglang', 'trt-llm']);

/** Misses within this share of the target are within the serving model's error: information only. */
export const LATENCY_MARGIN = 0.25;

function meets(s: ServingEstimate, tps: number, ttft: number): boolean {
	return s.outputTokensPerSecondPerUser >= tps && (s.ttftSeconds ?? Infinity) <= ttft;
}

/** Serving estimate of the workload at concurrency `c` (the file's settings, default lengths). */
export function servingAt(ctx: RuleContext, c: number): ServingEstimate | undefined {
	if (!ctx.input || !ctx.model.ok) return undefined;
	return estimateServing(ctx.input, servingInputFor(ctx.workload, ctx.model.model.moe !== undefined, c));
}

/** Largest concurrency ≤ `upTo` that meets both targets (0 when even one user misses). Throughput per user falls monotonically with concurrency, so bisection holds. */
export function largestMeeting(ctx: RuleContext, upTo: number, tps: number, ttft: number): number {
	const ok = (c: number) => {
		const s = servingAt(ctx, c);
		return s !== undefined && meets(s, tps, ttft);
	};
	if (!ok(1)) return 0;
	let lo = 1;
	let hi = Math.max(1, Math.floor(upTo));
	if (ok(hi)) return hi;
	while (hi - lo > 1) {
		const mid = Math.floor((lo + hi) / 2);
		if (ok(mid)) lo = mid;
		else hi = mid;
	}
	return lo;
}

/**
 * Serving at the concurrency the file (or the user) configures, when above 1; undefined for an engine
 * default (a ceiling, not a load). The analysis attaches it to the workload for the hover and the lens.
 */
export function configuredServing(ctx: RuleContext): ServingEstimate | undefined {
	const setting = ctx.workload.settings.maxConcurrency;
	if (setting?.source !== 'file' && setting?.source !== 'user-setting') return undefined;
	const c = Math.floor(ctx.concurrency);
	if (!(c > 1)) return undefined;
	try {
		const s = servingAt(ctx, c);
		// Nothing runs (weights or one sequence do not fit): the other findings say why; no serving numbers.
		return s && s.runningSequences >= 1 ? s : undefined;
	} catch {
		return undefined;
	}
}

export const concurrencyMissesLatencyTarget: Rule = {
	code: 'concurrency-misses-latency-target',
	defaultSeverity: 'warning',
	summary:
		'With every configured slot busy, the serving estimate misses the latency targets (tok/s per user or time to first token).',
	check(ctx) {
		if (!ctx.input || !ctx.hardware || !ctx.model.ok) return [];
		const setting = ctx.workload.settings.maxConcurrency;
		// Only a concurrency the file (or the user) sets is a load to judge; an engine default is a ceiling.
		const s = configuredServing(ctx);
		if (!s || !setting || s.runningSequences < 1) return [];
		const c = Math.floor(ctx.concurrency);
		const target = { ...DEFAULT_LATENCY_TARGET, ...(ctx.input.latencyTarget ?? {}) };
		const tpsShort = s.outputTokensPerSecondPerUser < target.tokensPerSecondPerUser;
		const ttftLong = (s.ttftSeconds ?? 0) > target.ttftSeconds;
		if (!tpsShort && !ttftLong) return [];
		// Slot-based engines (llama.cpp -np, Ollama) have no measured serving rows: information only.
		const far =
			(MODELED_ENGINES.has(ctx.input.engine) &&
				s.outputTokensPerSecondPerUser < target.tokensPerSecondPerUser * (1 - LATENCY_MARGIN)) ||
			(s.ttftSeconds ?? 0) > target.ttftSeconds * (1 + LATENCY_MARGIN);
		// More slots than the KV cache holds change nothing, so never suggest more than it holds.
		const best = Math.min(
			largestMeeting(ctx, c, target.tokensPerSecondPerUser, target.ttftSeconds),
			s.caps.kvCapacitySequences,
		);
		const key = keyName(setting, 'max-num-seqs');
		const parts = [
			`With all ${int(c)} slots of ${key} busy (${int(s.inputTokens)} tokens in / ${int(s.outputTokens)} out per request, default lengths) ` +
				`each user gets ≈ ${s.outputTokensPerSecondPerUser.toFixed(1)} tok/s (target ≥ ${target.tokensPerSecondPerUser})` +
				` and the first token after ≈ ${(s.ttftSeconds ?? 0).toFixed(2)} s (target ≤ ${target.ttftSeconds} s)`,
			best > 0
				? `at most ${int(best)} concurrent requests meet both targets`
				: 'even one request alone misses them on this hardware',
		];
		if (s.limitedBy === 'kv-capacity')
			parts.push(`only ${int(s.runningSequences)} fit in the KV cache at once; the rest queue`);
		const span = spanOf(ctx, setting);
		const fixes =
			best > 0 && setting.source === 'file' && setting.span
				? [
						{
							title: `Set ${key} to ${best}`,
							edits: [{ span: setting.span, newText: String(best) }],
							effect: `each user gets ≥ ${target.tokensPerSecondPerUser} tok/s and the first token within ${target.ttftSeconds} s at 1,000 / 1,000 tokens`,
						},
					]
				: undefined;
		return [
			finding(
				ctx,
				concurrencyMissesLatencyTarget.code,
				far ? 'warning' : 'information',
				parts.join('; '),
				span,
				{
					concurrency: c,
					inputTokens: s.inputTokens,
					outputTokens: s.outputTokens,
					lengthsAreDefaults: true,
					outputTokensPerSecondPerUser: s.outputTokensPerSecondPerUser,
					ttftSeconds: s.ttftSeconds,
					interTokenLatencySeconds: s.interTokenLatencySeconds,
					targetTokensPerSecondPerUser: target.tokensPerSecondPerUser,
					targetTtftSeconds: target.ttftSeconds,
					largestConcurrencyMeetingTargets: best,
					limitedBy: s.limitedBy,
					setting: key,
				},
				fixes,
			),
		];
	},
};
