/**
 * Findings → LSP diagnostics. Offsets become ranges here and only here (TextDocument.positionAt, UTF-16).
 * Each diagnostic carries in `data` everything a code action needs, so the code-action handler never
 * reads message text and never re-runs the analysis.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, Severity, Span } from '../analysis/types';
import { DIAGNOSTIC_SOURCE, diagnosticsDocUrl } from '../shared/protocol';

/** A fix with its edits already in LSP ranges of the analyzed version. */
export interface FixData {
	title: string;
	effect?: string;
	isPreferred?: boolean;
	edits: { range: Range; newText: string }[];
}

/** What `Diagnostic.data` holds for diagnostics of this server. */
export interface DiagnosticData {
	/** Document version the ranges (and the fixes' ranges) belong to. */
	version: number;
	workload?: number;
	/** The finding's structured facts, as the rule wrote them. */
	facts?: Record<string, unknown>;
	fixes: FixData[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
	hint: DiagnosticSeverity.Hint,
};

export function rangeOf(doc: TextDocument, span: Span): Range {
	const start = Math.max(0, Math.min(span.offset, doc.getText().length));
	return { start: doc.positionAt(start), end: doc.positionAt(start + Math.max(0, span.length)) };
}

function fixData(doc: TextDocument, fix: Fix): FixData {
	return {
		title: fix.title,
		effect: fix.effect,
		isPreferred: fix.isPreferred,
		edits: fix.edits.map((e) => ({ range: rangeOf(doc, e.span), newText: e.newText })),
	};
}

export function toDiagnostic(doc: TextDocument, finding: Finding): Diagnostic {
	const data: DiagnosticData = {
		version: doc.version,
		workload: finding.workload,
		facts: finding.data,
		fixes: (finding.fixes ?? []).map((f) => fixData(doc, f)),
	};
	const diagnostic: Diagnostic = {
		range: rangeOf(doc, finding.span),
		severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
		source: DIAGNOSTIC_SOURCE,
		code: finding.code,
		codeDescription: { href: diagnosticsDocUrl(finding.code) },
		message: finding.message,
		data,
	};
	// Editors strike through deprecated flags; that is the one tag our codes map to.
	if (finding.code === 'deprecated-flag') diagnostic.tags = [DiagnosticTag.Deprecated];
	return diagnostic;
}

/** Diagnostics for a whole analysis; `doc` must be the version the analysis read. */
export function toDiagnostics(doc: TextDocument, findings: readonly Finding[]): Diagnostic[] {
	return findings.map((f) => toDiagnostic(doc, f));
}

export function isDiagnosticData(x: unknown): x is DiagnosticData {
	return (
		!!x &&
		typeof x === 'object' &&
		typeof (x as DiagnosticData).version === 'number' &&
		Array.isArray((x as DiagnosticData).fixes)
	);
}
