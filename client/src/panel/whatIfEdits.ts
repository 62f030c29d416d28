/**
 * "Apply to file" without a round trip to the server: the report already says where each setting is written
 * (`ranges`, as written in `provenance.raw`), so a what-if becomes a replacement of that value in the file's
 * own syntax — the same kind of edit the quick fixes make. Settings the file does not write (engine defaults)
 * are reported back as skipped, with what to add, rather than guessed into a syntax we would have to invent.
 * Pure: no `vscode` import, tested directly.
 */
import type { Range, WorkloadReport } from '../../../server/src/analysis/reportTypes';
import type { WhatIfChange } from '../../../server/src/shared/webviewProtocol';

export interface PlannedEdit {
	range: Range;
	newText: string;
}

export interface WhatIfPlan {
	edits: PlannedEdit[];
	/** Human-readable, e.g. "context 8,192 → 16,384". */
	applied: string[];
	/** Human-readable, with the reason. */
	skipped: string[];
}

/** UTF-16 offset of an LSP position (0-based line/character), or -1 when it is outside the text. */
export function offsetAt(text: string, line: number, character: number): number {
	let off = 0;
	for (let l = 0; l < line; l++) {
		const nl = text.indexOf('\n', off);
		if (nl < 0) return -1;
		off = nl + 1;
	}
	const end = text.indexOf('\n', off);
	const lineEnd = end < 0 ? text.length : end;
	return off + character <= lineEnd ? off + character : -1;
}

/** vLLM spells "same as the model" `auto`; the others use the catalog id. */
function kvSpelling(framework: WorkloadReport['framework'], id: string): string | undefined {
	if (framework === 'vllm') {
		if (id === 'f16' || id === 'bf16') return 'auto';
		return /^fp8(_e4m3|_e5m2)?$/.test(id) ? id : undefined;
	}
	if (framework === 'llama.cpp' || framework === 'ollama') return id;
	return undefined;
}

const TJS_DTYPES = new Set(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16']);

interface Target {
	setting: string;
	label: string;
	newValue: string | number;
	from: string | number;
}

function targets(w: WorkloadReport, c: WhatIfChange, skipped: string[]): Target[] {
	const out: Target[] = [];
	const s = w.settings;
	const e = w.estimate;
	if (c.batch !== undefined)
		out.push({ setting: 'maxConcurrency', label: 'batch', newValue: c.batch, from: e?.batch ?? '' });
	if (c.context !== undefined)
		out.push({ setting: 'contextLength', label: 'context', newValue: c.context, from: e?.context ?? '' });
	if (c.devices !== undefined) {
		const pp =
			typeof s.pipelineParallelSize === 'number' && s.pipelineParallelSize > 0 ? s.pipelineParallelSize : 1;
		if (w.ranges.tensorParallelSize && c.devices % pp === 0)
			out.push({
				setting: 'tensorParallelSize',
				label: 'tensor parallel',
				newValue: c.devices / pp,
				from: s.tensorParallelSize as number,
			});
		else out.push({ setting: 'deviceCount', label: 'devices', newValue: c.devices, from: e?.devices ?? '' });
	}
	if (c.kvDtype !== undefined) {
		const v = kvSpelling(w.framework, c.kvDtype);
		if (v === undefined) skipped.push(`KV cache ${c.kvDtype}: ${w.framework} has no setting for it`);
		else out.push({ setting: 'kvCacheDtype', label: 'KV cache', newValue: v, from: e?.kvDtype ?? '' });
	}
	if (c.weightFormat !== undefined) {
		if (w.framework === 'transformers.js' && TJS_DTYPES.has(c.weightFormat))
			out.push({
				setting: 'weightFormat',
				label: 'dtype',
				newValue: c.weightFormat,
				from: e?.weightsFormat ?? '',
			});
		else
			skipped.push(
				`weights ${c.weightFormat}: the format comes with the model files; point the config at a checkpoint in that format`,
			);
	}
	return out;
}

export function planWhatIfEdits(w: WorkloadReport, change: WhatIfChange, text: string): WhatIfPlan {
	const plan: WhatIfPlan = { edits: [], applied: [], skipped: [] };
	for (const t of targets(w, change, plan.skipped)) {
		const range = w.ranges[t.setting];
		const shown = typeof t.newValue === 'number' ? t.newValue.toLocaleString('en-US') : t.newValue;
		if (!range) {
			plan.skipped.push(
				`${t.label} ${shown}: not written in the file (an engine default applies); add the setting to apply it`,
			);
			continue;
		}
		const start = offsetAt(text, range.start.line, range.start.character);
		const end = offsetAt(text, range.end.line, range.end.character);
		const old = start >= 0 && end >= start ? text.slice(start, end) : undefined;
		const raw = w.provenance[t.setting]?.raw;
		if (old === undefined || old === '') {
			plan.skipped.push(`${t.label}: the file changed since it was analyzed; try again`);
			continue;
		}
		if (/\$\{?[A-Za-z_]/.test(old) || (raw !== undefined && /\$\{?[A-Za-z_]/.test(raw))) {
			plan.skipped.push(
				`${t.label} ${shown}: the value comes from an environment variable (${old}); set it there`,
			);
			continue;
		}
		// Keep the quoting the file uses: "8192" stays a quoted string, 8192 a bare number.
		const q = /^(['"])[\s\S]*\1$/.exec(old)?.[1] ?? '';
		plan.edits.push({ range, newText: `${q}${t.newValue}${q}` });
		plan.applied.push(`${t.label} ${q ? old.slice(1, -1) : old} → ${t.newValue}`);
	}
	return plan;
}
