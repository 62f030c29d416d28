/**
 * Serialises a DocumentAnalysis into the FileReport JSON shape (reportTypes.ts): offsets become 0-based
 * line/character positions in UTF-16 code units, as LSP counts them.
 */
import type {
	Position,
	Range,
	ReportSetting,
	DiagnosticReport,
	FileReport,
	WorkloadReport,
} from './reportTypes';
import type { AnalyzedWorkload, DocumentAnalysis, Finding, Setting, Span, WorkloadSettings } from './types';

/** Maps UTF-16 offsets to line/character. Lines end at \n; a \r before it belongs to the line end. */
export class LineIndex {
	private readonly starts: number[] = [0];

	constructor(private readonly text: string) {
		for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
	}

	position(offset: number): Position {
		const o = Math.max(0, Math.min(offset, this.text.length));
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.starts[mid] <= o) lo = mid;
			else hi = mid - 1;
		}
		return { line: lo, character: o - this.starts[lo] };
	}

	range(span: Span): Range {
		return { start: this.position(span.offset), end: this.position(span.offset + span.length) };
	}
}

export function toFileReport(analysis: DocumentAnalysis, text: string): FileReport {
	const index = new LineIndex(text);
	const report: FileReport = {
		path: analysis.path,
		workloads: analysis.workloads.map((w) => workloadReport(w, index)),
		diagnostics: analysis.findings.map((f) => diagnosticReport(f, index)),
	};
	if (analysis.suppressed?.length)
		report.suppressed = analysis.suppressed.map((s) => ({
			...diagnosticReport(s.finding, index),
			suppression: {
				kind: s.kind,
				justification: s.justification,
				...(s.span ? { range: index.range(s.span) } : {}),
			},
		}));
	return report;
}

function workloadReport(a: AnalyzedWorkload, index: LineIndex): WorkloadReport {
	const w = a.workload;
	const settings: Record<string, string | number | boolean> = {};
	const ranges: Record<string, Range> = {};
	const provenance: Record<string, ReportSetting> = {};
	if (w.model.span) ranges.model = index.range(w.model.span);
	provenance.model = reportSetting(w.model);
	for (const [name, setting] of Object.entries(w.settings) as [keyof WorkloadSettings, Setting<unknown>][]) {
		if (!setting || !isPlain(setting.value)) continue;
		settings[name] = setting.value;
		provenance[name] = reportSetting(setting);
		if (setting.span && setting.source === 'file') ranges[name] = index.range(setting.span);
	}
	const out: WorkloadReport = {
		framework: w.framework,
		model: w.model.value,
		resolvedModel: a.resolvedModel,
		settings,
		ranges,
		provenance,
		range: index.range(w.span),
		unknowns: w.unknowns.map((u) => ({
			name: u.name,
			reason: u.reason,
			...(u.span ? { range: index.range(u.span) } : {}),
		})),
	};
	if (w.engineVersion)
		out.engineVersion = {
			...reportSetting(w.engineVersion),
			...(w.engineVersion.span ? { range: index.range(w.engineVersion.span) } : {}),
		};
	if (a.target) out.target = a.target;
	if (a.estimate) out.estimate = a.estimate;
	if (a.serving) out.serving = a.serving;
	return out;
}

function isPlain(v: unknown): v is string | number | boolean {
	return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function reportSetting(s: Setting<unknown>): ReportSetting {
	const r: ReportSetting = { value: isPlain(s.value) ? s.value : String(s.value), source: s.source };
	if (s.key !== undefined) r.key = s.key;
	if (s.raw !== undefined) r.raw = s.raw;
	if (s.note !== undefined) r.note = s.note;
	return r;
}

function diagnosticReport(f: Finding, index: LineIndex): DiagnosticReport {
	const d: DiagnosticReport = {
		code: f.code,
		severity: f.severity,
		message: f.message,
		range: index.range(f.span),
	};
	if (f.workload !== undefined) d.workload = f.workload;
	if (f.data) d.data = f.data;
	if (f.fixes?.length) {
		d.fixes = f.fixes.map((x) => ({
			title: x.title,
			...(x.effect ? { effect: x.effect } : {}),
			edits: x.edits.map((e) => ({ range: index.range(e.span), newText: e.newText })),
		}));
	}
	return d;
}
