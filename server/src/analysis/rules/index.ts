/**
 * The rule registry and runner. A rule that throws does not hide the others: its failure becomes one
 * `internal-error` finding that names the rule.
 */
import type { Finding, Severity } from '../types';
import { browserMemoryLimit } from './browserMemoryLimit';
import { concurrencyMissesLatencyTarget } from './concurrencyMissesLatencyTarget';
import { contextExceedsModel } from './contextExceedsModel';
import { contextPerSlot } from './contextPerSlot';
import { decodeComputeIdle } from './decodeComputeIdle';
import { engineFormatMismatchRule } from './engineFormatMismatch';
import { invalidParallelism } from './invalidParallelism';
import { kvCacheDoesNotFit } from './kvCacheDoesNotFit';
import { kvCacheLimitsConcurrency } from './kvCacheLimitsConcurrency';
import { partialOffload } from './partialOffload';
import type { Rule, RuleContext } from './types';
import { unknownHardware } from './unknownHardware';
import { unknownModel } from './unknownModel';
import { weightsDoNotFit } from './weightsDoNotFit';

export const RULES: readonly Rule[] = [
	engineFormatMismatchRule,
	unknownModel,
	unknownHardware,
	weightsDoNotFit,
	contextExceedsModel,
	kvCacheDoesNotFit,
	kvCacheLimitsConcurrency,
	contextPerSlot,
	invalidParallelism,
	partialOffload,
	browserMemoryLimit,
	decodeComputeIdle,
	concurrencyMissesLatencyTarget,
];

export function runRules(ctx: RuleContext, rules: readonly Rule[] = RULES): Finding[] {
	const out: Finding[] = [];
	for (const rule of rules) {
		try {
			out.push(...rule.check(ctx));
		} catch (e) {
			out.push({
				code: 'internal-error',
				severity: 'information',
				message: `Rule ${rule.code} failed on this workload and was skipped: ${e instanceof Error ? e.message : String(e)}`,
				span: ctx.workload.model.span ?? ctx.workload.span,
				workload: ctx.index,
				data: { rule: rule.code },
			});
		}
	}
	return out;
}

/** Applies per-code severity overrides; 'off' drops the finding. */
export function applySeverities(
	findings: Finding[],
	severities?: Record<string, Severity | 'off'>,
): Finding[] {
	if (!severities) return findings;
	const out: Finding[] = [];
	for (const f of findings) {
		const s = severities[f.code];
		if (s === 'off') continue;
		out.push(s ? { ...f, severity: s } : f);
	}
	return out;
}

export type { Rule, RuleContext } from './types';
