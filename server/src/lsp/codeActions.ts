/**
 * Quick fixes read back from the diagnostics' `data` (computed by the rules as edits in the user's own
 * syntax). The edit names the document version it was computed for, so an editor that has moved on rejects
 * it instead of applying it to the wrong text.
 */
import {
	CodeActionKind,
	type CodeAction,
	type CodeActionParams,
	type Diagnostic,
	type TextEdit,
	type WorkspaceEdit,
} from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from '../shared/protocol';
import { isDiagnosticData, type FixData } from './diagnostics';

export interface CodeActionOptions {
	/** Whether the client accepts `documentChanges` (versioned edits). */
	documentChanges: boolean;
	/** Current version of the document, to drop fixes computed for older text. */
	currentVersion: number | undefined;
	/** The edit that inserts an inline suppression for the diagnostic's code, when the format has comments. */
	suppression?: (diagnostic: Diagnostic) => TextEdit | undefined;
}

/** Codes a comment cannot or should not silence: the suppression machinery's own, and a broken config. */
const NOT_SUPPRESSIBLE = new Set(['unused-suppression', 'invalid-project-config']);

/** `Set --kv-cache-dtype fp8 (KV budget fits 14 sequences instead of 3)`. */
export function actionTitle(fix: FixData): string {
	return fix.effect ? `${fix.title} (${fix.effect})` : fix.title;
}

function workspaceEdit(uri: string, version: number, edits: TextEdit[], versioned: boolean): WorkspaceEdit {
	if (versioned) return { documentChanges: [{ textDocument: { uri, version }, edits }] };
	return { changes: { [uri]: edits } };
}

export function codeActionsFor(params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
	const only = params.context.only;
	if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`)))
		return [];
	const actions: CodeAction[] = [];
	for (const diagnostic of params.context.diagnostics) {
		if (diagnostic.source !== DIAGNOSTIC_SOURCE || !isDiagnosticData(diagnostic.data)) continue;
		const data = diagnostic.data;
		if (options.currentVersion !== undefined && data.version !== options.currentVersion) continue;
		for (const fix of data.fixes)
			actions.push(toAction(params.textDocument.uri, diagnostic, fix, data.version, options));
		const code = String(diagnostic.code ?? '');
		const edit = code && !NOT_SUPPRESSIBLE.has(code) ? options.suppression?.(diagnostic) : undefined;
		if (edit)
			actions.push({
				title: `Suppress ${code} here (inference-meter-disable-next-line)`,
				kind: CodeActionKind.QuickFix,
				diagnostics: [diagnostic],
				edit: workspaceEdit(params.textDocument.uri, data.version, [edit], options.documentChanges),
			});
	}
	return actions;
}

function toAction(
	uri: string,
	diagnostic: Diagnostic,
	fix: FixData,
	version: number,
	options: CodeActionOptions,
): CodeAction {
	const edits: TextEdit[] = fix.edits.map((e) => ({ range: e.range, newText: e.newText }));
	const action: CodeAction = {
		title: actionTitle(fix),
		kind: CodeActionKind.QuickFix,
		diagnostics: [diagnostic],
		edit: workspaceEdit(uri, version, edits, options.documentChanges),
	};
	if (fix.isPreferred) action.isPreferred = true;
	return action;
}
