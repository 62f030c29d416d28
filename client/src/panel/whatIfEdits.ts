/**
 * "Apply to file" without a round trip to the server: the report already says where each setting is written
 * (`ranges`, as written in `provenance.raw`), so a what-if becomes a replacement of that value in the file's
 * own syntax — the same kind of edit the quick fixes make. Settings the file does not write (engine defaults)
 * are reported back as skipped, with what to add, rather than guessed into a syntax we would have to invent.
 * Pure: no `vscode` import, tested directly.
 */
import type { Range, WorkloadReport } from '../../../server/src/analysis/reportTypes';
import { kvSpelling } from '../../../server/src/analysis/fixes/kvSpelling';
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

/** Inverse of offsetAt. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
	let line = 0;
	let start = 0;
	for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
		line++;
		start = i + 1;
	}
	return { line, character: offset - start };
}

/** KV cache types llama.cpp's -ctk/-ctv accept (ggml types; arg.cpp kv_cache_types). */
const TJS_DTYPES = new Set(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16']);

interface Target {
	setting: string;
	label: string;
	newValue: string | number;
}

function targets(w: WorkloadReport, c: WhatIfChange, skipped: string[]): Target[] {
	const out: Target[] = [];
	const s = w.settings;
	if (c.batch !== undefined) out.push({ setting: 'maxConcurrency', label: 'batch', newValue: c.batch });
	if (c.context !== undefined) out.push({ setting: 'contextLength', label: 'context', newValue: c.context });
	if (c.devices !== undefined) {
		const pp =
			typeof s.pipelineParallelSize === 'number' && s.pipelineParallelSize > 0 ? s.pipelineParallelSize : 1;
		if (w.ranges.tensorParallelSize && c.devices % pp === 0)
			out.push({ setting: 'tensorParallelSize', label: 'tensor parallel', newValue: c.devices / pp });
		else out.push({ setting: 'deviceCount', label: 'devices', newValue: c.devices });
	}
	if (c.kvDtype !== undefined) {
		const v = kvSpelling(w.framework, c.kvDtype);
		if (v === undefined)
			skipped.push(`KV cache ${c.kvDtype}: ${w.framework} cannot store its KV cache in it`);
		else out.push({ setting: 'kvCacheDtype', label: 'KV cache', newValue: v });
	}
	if (c.weightFormat !== undefined) {
		if (w.framework === 'transformers.js' && TJS_DTYPES.has(c.weightFormat))
			out.push({ setting: 'weightFormat', label: 'dtype', newValue: c.weightFormat });
		else
			skipped.push(
				`weights ${c.weightFormat}: the format comes with the model files; point the config at a checkpoint in that format`,
			);
	}
	return out;
}

const ENV_REF = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * llama.cpp sets the K and V cache types separately and the analysis reads -ctk; a V type written as the same
 * value in the same command follows it, so the two stay equal as the estimate assumes.
 */
function valueCacheEdit(
	w: WorkloadReport,
	text: string,
	oldK: string,
	newV: string,
): PlannedEdit | undefined {
	const start = offsetAt(text, w.range.start.line, w.range.start.character);
	const end = offsetAt(text, w.range.end.line, w.range.end.character);
	if (start < 0 || end < start) return undefined;
	const re = /(^|\s)(-ctv|--cache-type-v)(=|\s+)([^\s\\]+)/g;
	const body = text.slice(start, end);
	for (let m = re.exec(body); m; m = re.exec(body)) {
		if (m[4].toLowerCase() !== oldK.toLowerCase()) continue;
		const at = start + m.index + m[0].length - m[4].length;
		return { range: { start: positionAt(text, at), end: positionAt(text, at + m[4].length) }, newText: newV };
	}
	return undefined;
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
		if (old === undefined || old === '') {
			plan.skipped.push(`${t.label}: the file changed since it was analyzed; try again`);
			continue;
		}
		if (ENV_REF.test(old)) {
			plan.skipped.push(`${t.label} ${shown}: the value is ${old}, set by the environment; set it there`);
			continue;
		}
		// The range can be the default inside `${VAR:-default}`: that default is what runs unless VAR is set.
		const envVar = ENV_REF.exec(w.provenance[t.setting]?.raw ?? '')?.[1];
		// Keep the quoting the file uses: "8192" stays a quoted string, 8192 a bare number.
		const q = /^(['"])[\s\S]*\1$/.exec(old)?.[1] ?? '';
		plan.edits.push({ range, newText: `${q}${t.newValue}${q}` });
		const note = envVar ? ` (the default of $${envVar}; the environment can still override it)` : '';
		plan.applied.push(`${t.label} ${q ? old.slice(1, -1) : old} → ${t.newValue}${note}`);
		if (t.setting === 'kvCacheDtype' && w.framework === 'llama.cpp') {
			const v = valueCacheEdit(w, text, q ? old.slice(1, -1) : old, String(t.newValue));
			if (v) plan.edits.push(v);
		}
	}
	return plan;
}
