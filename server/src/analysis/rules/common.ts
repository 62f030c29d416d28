/** Small helpers every rule shares: where a finding goes, and how it names its target. */
import type { Finding, Fix, Setting, Severity, Span } from '../types';
import type { RuleContext } from './types';

/** The span of a setting written in the file, else the model argument, else the whole workload. */
export function spanOf(ctx: RuleContext, setting?: Setting<unknown>): Span {
	if (setting?.source === 'file' && setting.span) return setting.span;
	return ctx.workload.model.span ?? ctx.workload.span;
}

/** Builds a finding whose message ends with the target it was computed for. */
export function finding(
	ctx: RuleContext,
	code: string,
	severity: Severity,
	message: string,
	span: Span,
	data: Record<string, unknown>,
	fixes?: Fix[],
): Finding {
	const f: Finding = {
		code,
		severity,
		message: `${message} (target: ${ctx.targetLabel})`,
		span,
		workload: ctx.index,
		data: {
			...data,
			hardwareId: ctx.target.hardwareId,
			devices: ctx.target.devices,
			targetSource: ctx.target.source,
		},
	};
	if (fixes && fixes.length > 0) f.fixes = fixes;
	return f;
}

/** How the file spells a setting, for messages: `--max-model-len`, `-c`, `num_ctx` … or a fallback. */
export function keyName(setting: Setting<unknown> | undefined, fallback: string): string {
	return setting?.key ?? fallback;
}

/** Rounds a token count down to a tidy multiple (1,024 above 8k, 256 below) that is still ≥ 1. */
export function tidyTokens(n: number): number {
	const step = n >= 8192 ? 1024 : n >= 1024 ? 256 : 16;
	return Math.max(step, Math.floor(n / step) * step) > n
		? Math.max(1, Math.floor(n))
		: Math.floor(n / step) * step;
}

/** True for 16- and 32-bit KV caches, where an 8-bit KV type halves (or quarters) the footprint. */
export function isWideKv(ctx: RuleContext): boolean {
	return (ctx.kvDtype?.bytesPerElement ?? 2) >= 2;
}

/** The 8-bit KV type each engine offers. */
export function narrowKvId(ctx: RuleContext): string | undefined {
	const fw = ctx.workload.framework;
	if (fw === 'vllm') return 'fp8';
	if (fw === 'llama.cpp') return 'q8_0';
	// SGLang's kv_cache_dtype choices name the FP8 variant (no bare `fp8`).
	if (fw === 'sglang') return 'fp8_e4m3';
	return undefined;
}

/** Devices the file or the settings say the workload has; engine defaults (TP × PP) do not count. */
export function devicesAvailable(ctx: RuleContext): number | undefined {
	const d = ctx.workload.settings.deviceCount;
	return d &&
		(d.source === 'file' || d.source === 'config' || d.source === 'user-setting' || d.source === 'cli')
		? d.value
		: undefined;
}
