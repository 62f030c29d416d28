/** A readable text block of a ServingEstimate (CLI `estimate`, reusable by hovers). Pure: no I/O. */
import { formatSeconds, formatTokens, sig } from '../../units';
import type { ServingEstimate, ServingLimit } from './types';

const LIMIT_WORDS: Record<ServingLimit, string> = {
	concurrency: 'the concurrency itself (more clients would raise the total)',
	'kv-capacity': 'KV-cache capacity (sequences that fit beside the weights)',
	'max-num-seqs':
		'the scheduler cap on running sequences (max-num-seqs / max-running-requests / max_batch_size)',
	'max-num-batched-tokens':
		'the per-step token budget (max-num-batched-tokens / chunked-prefill-size / max_num_tokens)',
	compute: 'compute (prefill and decode FLOPs)',
	bandwidth: 'memory bandwidth',
	interconnect: 'the interconnect (all-to-all / all-reduce)',
	host: 'host-side per-sequence work',
	'weights-do-not-fit': 'memory: the weights do not fit',
};

function row(label: string, value: string): string {
	return `  ${label.padEnd(22)} ${value}`;
}

export function renderServing(s: ServingEstimate): string {
	const out: string[] = [];
	const conc = s.concurrency === null ? 'offline (all requests queued)' : `concurrency ${s.concurrency}`;
	out.push('');
	out.push(
		`Serving under load · ${conc} · ${formatTokens(s.inputTokens)} in / ${formatTokens(s.outputTokens)} out`,
	);
	out.push(
		row(
			'running together',
			`${s.runningSequences} sequences${s.layout.replicas > 1 ? ` per replica × ${s.layout.replicas}` : ''}${s.queuedRequests ? `, ${s.queuedRequests} waiting` : ''}`,
		),
	);
	out.push(
		row(
			'TTFT',
			s.ttftSeconds === null ? '— (offline: set by the queue)' : `${formatSeconds(s.ttftSeconds)} mean`,
		),
	);
	out.push(row('inter-token latency', `${formatSeconds(s.interTokenLatencySeconds)} mean`));
	out.push(row('output tok/s per user', sig(s.outputTokensPerSecondPerUser)));
	out.push(
		row(
			'output tok/s total',
			`${sig(s.outputTokensPerSecondTotal)} (roofline ${sig(s.rooflineOutputTokensPerSecondTotal)})`,
		),
	);
	out.push(row('requests/s', sig(s.requestsPerSecond)));
	out.push(row('limited by', LIMIT_WORDS[s.limitedBy]));
	const c = s.caps;
	const cap = (n: number) => (n >= Number.MAX_SAFE_INTEGER ? 'none' : String(n));
	out.push(
		row(
			'caps',
			`KV holds ${cap(c.kvCapacitySequences)} sequences · max running ${cap(c.maxRunning)} · ${c.tokenBudget} tokens/step${c.chunkedPrefill ? ' (chunked prefill)' : ' (whole-prompt prefill)'}`,
		),
	);
	const st = s.step;
	out.push(
		row(
			'step',
			`${formatSeconds(st.stepSeconds)} (decode ${formatSeconds(st.decodeStepSeconds)}, overlap ${formatSeconds(st.overlapPenaltySeconds)}, host ${formatSeconds(st.hostSeconds)}${st.allToAllSeconds > 0 ? `, all-to-all ${formatSeconds(st.allToAllSeconds)}` : ''})`,
		),
	);
	out.push(row('prefill per request', formatSeconds(st.prefillSecondsPerRequest)));
	if (s.speculative) {
		const sp = s.speculative;
		out.push(
			row(
				'speculative decoding',
				`${sp.method}, ${sp.tokens} draft tokens, acceptance ${sp.acceptanceRate}${sp.acceptanceIsDefault ? ' (default)' : ''} ⇒ ${sp.tokensPerStep.toFixed(2)} tokens/step`,
			),
		);
		out.push(
			row(
				'without speculation',
				`${sig(sp.without.outputTokensPerSecondPerUser)} tok/s per user, ${sig(sp.without.outputTokensPerSecondTotal)} total`,
			),
		);
	}
	out.push('  serving assumptions:');
	for (const a of s.assumptions) out.push(`  - ${a}`);
	return `${out.join('\n')}\n`;
}
