/**
 * `inferenceMeter/whatIfEdits`: turns a what-if from the panel (batch, context, devices, KV dtype, weight
 * dtype) into edits in the file's own syntax, with the same edit builders the quick fixes use — so a
 * setting the file does not write yet is inserted (`--max-num-seqs 8`, `max_model_len=…`) instead of
 * skipped. All or nothing: when one change cannot be placed, the answer is undefined and the panel falls
 * back to its own plan, which explains what it skipped.
 */
import { setSetting } from '../analysis/fixes/edits';
import { kvSpelling } from '../analysis/fixes/kvSpelling';
import type { FixableSetting } from '../analysis/fixes/spelling';
import type { TextEdit, Workload } from '../analysis/types';
import type { WhatIfChange } from '../shared/webviewProtocol';

const TJS_DTYPES = new Set(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16']);

function targets(w: Workload, c: WhatIfChange): [FixableSetting, string | number][] | undefined {
	const out: [FixableSetting, string | number][] = [];
	if (c.batch !== undefined) out.push(['maxConcurrency', c.batch]);
	if (c.context !== undefined) out.push(['contextLength', c.context]);
	if (c.devices !== undefined) {
		const pp = w.settings.pipelineParallelSize?.value ?? 1;
		if (pp < 1 || c.devices % pp !== 0) return undefined;
		out.push(['tensorParallelSize', c.devices / pp]);
	}
	if (c.kvDtype !== undefined) {
		const v = kvSpelling(w.framework, c.kvDtype);
		if (v === undefined) return undefined;
		out.push(['kvCacheDtype', v]);
	}
	if (c.weightFormat !== undefined) {
		// Only transformers.js picks the weight format at load time; elsewhere it comes with the checkpoint.
		if (w.framework !== 'transformers.js' || !TJS_DTYPES.has(c.weightFormat)) return undefined;
		out.push(['weightFormat', c.weightFormat]);
	}
	return out;
}

export function whatIfEdits(text: string, workload: Workload, change: WhatIfChange): TextEdit[] | undefined {
	const wanted = targets(workload, change);
	if (!wanted || wanted.length === 0) return undefined;
	const edits: TextEdit[] = [];
	for (const [name, value] of wanted) {
		const e = setSetting(text, workload, name, value);
		if (!e) return undefined;
		edits.push(...e);
	}
	// Two insertions at one point are fine as flags or kwargs, but would write two option objects in JS.
	const inserts = edits.filter((e) => e.span.length === 0).map((e) => e.span.offset);
	if (workload.syntax === 'typescript' && new Set(inserts).size < inserts.length) return undefined;
	return edits;
}
