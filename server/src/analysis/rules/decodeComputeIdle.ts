/**
 * decode-compute-idle (information): decode streams every active weight once per step and does ~2 FLOPs
 * per weight per sequence, so at small batches the accelerator's matrix units mostly wait on memory.
 * Reports the share of peak FLOPs in use at one user and at the configured concurrency, and where on the
 * memory–compute coupling spectrum the estimator would place this workload.
 */
import { runnableBatch, startupFit } from '../startupFit';
import { finding, keyName, spanOf } from './common';
import type { Rule } from './types';
import { int, pct } from './units';

/** Below this share of peak FLOPs at the configured batch, the finding is emitted. */
export const IDLE_THRESHOLD = 0.25;

export const decodeComputeIdle: Rule = {
	code: 'decode-compute-idle',
	// Idle matrix units are true of almost every decode workload: a hint unless it changes the advice.
	defaultSeverity: 'hint',
	summary:
		'Decode at this batch uses a small share of the accelerator’s peak FLOPs; where the workload belongs on the coupling spectrum.',
	check(ctx) {
		const one = ctx.estimate;
		if (!one || !ctx.hardware) return [];
		const s = ctx.workload.settings;
		// Only a configured concurrency counts (an engine default like vLLM's 1024 is a ceiling, not a load),
		// and sequences beyond what the KV budget holds never decode together.
		const configured = s.maxConcurrency?.source === 'file' || s.maxConcurrency?.source === 'user-setting';
		// When the engine does not start (not one sequence of the configured context fits), no batch runs.
		const fit = startupFit(one.engine, s.contextLength?.value, ctx.evaluate);
		const batch = configured ? runnableBatch(ctx.concurrency, one.memory.maxBatchAtContext, fit) : 1;
		const at = batch > 1 ? ctx.evaluate({ batch }) : one;
		if (!at) return [];
		const util = at.decode.computeUtilization;
		if (!(util < IDLE_THRESHOLD)) return [];
		const d = at.decode;
		const parts = [
			`At batch ${int(batch)} the ${ctx.hardware.name} decodes at ${pct(util)} of its peak FLOPs ` +
				`(${d.arithmeticIntensity.toFixed(1)} FLOP/byte vs a ridge of ${int(d.ridgeFlopsPerByte)}; ${d.bound}-bound)`,
		];
		if (batch > 1) parts.push(`one user alone uses ${pct(one.decode.computeUtilization)}`);
		else if (configured && fit && !fit.fits && ctx.concurrency > 1)
			parts.push(
				`the configured ${int(ctx.concurrency)} sequences cannot run: not even one ${int(fit.context)}-token sequence fits (kv-cache-does-not-fit)`,
			);
		const c = one.coupling;
		if (c) {
			const rec = c.recommendedHardware ? ` (e.g. ${c.recommendedHardware})` : '';
			parts.push(
				c.recommendedClass === c.current
					? `on the coupling spectrum it belongs where it is (${c.current})`
					: `on the coupling spectrum it sits at ${c.current}; the coupling estimate recommends ${c.recommendedClass}${rec}`,
			);
		}
		const setting = s.maxConcurrency?.source === 'file' ? s.maxConcurrency : undefined;
		const span = spanOf(ctx, setting);
		// Only a different recommended class is news worth the Problems panel; otherwise a hint (editor dots).
		const severity = c && c.recommendedClass !== c.current ? 'information' : 'hint';
		return [
			finding(ctx, decodeComputeIdle.code, severity, parts.join('; '), span, {
				batch,
				computeUtilization: util,
				computeUtilizationBatch1: one.decode.computeUtilization,
				arithmeticIntensity: d.arithmeticIntensity,
				ridgeFlopsPerByte: d.ridgeFlopsPerByte,
				spectrum: c?.current,
				recommendedClass: c?.recommendedClass,
				recommendedHardware: c?.recommendedHardware,
				setting: setting ? keyName(setting, 'max-num-seqs') : undefined,
			}),
		];
	},
};
