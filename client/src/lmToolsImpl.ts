/**
 * What the language-model tools do when called (registered thinly by ./lmTools.ts at activation; this
 * module is part of the lazily loaded dist/languageClient.js). Estimate and Compare Hardware run in the
 * language server (the same agent tools the MCP server serves); Analyze File returns the server's own
 * analysis of the document — the findings the Problems panel shows, with the user's settings.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../../server/src/analysis/reportTypes';
import type { AgentToolName } from '../../server/src/shared/agentProtocol';
import { LM_TOOLS, type LmToolSpec } from '../../server/src/shared/lmTools';
import type { ServerApi } from './serverApi';

type Input = Record<string, unknown>;

function text(...parts: string[]): vscode.LanguageModelToolResult {
	return new vscode.LanguageModelToolResult(parts.map((p) => new vscode.LanguageModelTextPart(p)));
}

/** A workspace file for `path` (relative to a workspace folder or absolute inside one), else the active editor's. */
export function fileFor(input: Input): vscode.Uri {
	const given = typeof input.path === 'string' ? input.path.trim() : '';
	if (!given) {
		const active = vscode.window.activeTextEditor?.document.uri;
		if (!active) throw new Error('No file given and no active editor: pass `path`.');
		return active;
	}
	const folders = vscode.workspace.workspaceFolders ?? [];
	const absolute = given.startsWith('/') || /^[A-Za-z]:[\\/]/.test(given);
	const uri = absolute
		? vscode.Uri.file(given)
		: folders[0]
			? vscode.Uri.joinPath(folders[0].uri, given)
			: undefined;
	if (!uri || !vscode.workspace.getWorkspaceFolder(uri))
		throw new Error(`${given} is not inside the workspace; Inference Meter only reads workspace files.`);
	return uri;
}

/** A short account of a file report for the model; the JSON follows it in full. */
export function reportText(report: FileReport): string {
	const lines = [
		`${report.path}: ${report.workloads.length} workload(s), ${report.diagnostics.length} finding(s).`,
	];
	for (const w of report.workloads) {
		const e = w.estimate;
		lines.push(
			`- ${w.framework} ${w.model}` +
				(e
					? `: ${e.decode.expectedTokensPerSecondPerUser.toPrecision(3)} tok/s per user on ${e.hardwareId} ×${e.devices}, ` +
						`${e.memory.fits ? 'fits' : 'does not fit'}`
					: ' (no estimate)'),
		);
	}
	for (const d of report.diagnostics)
		lines.push(
			`- line ${d.range.start.line + 1}: ${d.severity} [${d.code}] ${d.message}${d.fixes?.length ? ` (fix: ${d.fixes[0].title})` : ''}`,
		);
	return lines.join('\n');
}

async function analyzeFile(server: ServerApi, input: Input): Promise<vscode.LanguageModelToolResult> {
	const uri = fileFor(input);
	// Opening (not showing) the document hands it to the language server like any open editor.
	await vscode.workspace.openTextDocument(uri);
	const report = await server.estimate(uri);
	if (!report)
		return text(
			`${vscode.workspace.asRelativePath(uri)}: Inference Meter found no LLM workload in this file.`,
		);
	return text(reportText(report), JSON.stringify(report));
}

async function runTool(
	spec: LmToolSpec,
	server: ServerApi | undefined,
	input: Input,
	token: vscode.CancellationToken,
): Promise<vscode.LanguageModelToolResult> {
	if (!server?.isRunning())
		throw new Error('The Inference Meter language server is not running (see Inference Meter: Show Log).');
	if (spec.runs === 'analyze') return analyzeFile(server, input);
	const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
	const r = await server.agentTool(spec.runs as AgentToolName, input, scope, token);
	// The model sees the error text and can correct its input.
	if ('error' in r) throw new Error(r.error);
	return text(r.text, JSON.stringify(r.json));
}

function invocationMessage(spec: LmToolSpec, input: Input): string {
	const model = typeof input.model === 'string' ? input.model : 'the model';
	if (spec.runs === 'estimate')
		return `Estimating ${model} on ${typeof input.hardware === 'string' ? input.hardware : 'the given hardware'}`;
	if (spec.runs === 'compare_hardware') return `Comparing the hardware catalog for ${model}`;
	return `Analyzing ${typeof input.path === 'string' && input.path ? input.path : 'the active file'}`;
}

/** The invocation message VS Code shows while the tool runs. */
export function prepareLmTool(name: string, input: Input): vscode.PreparedToolInvocation {
	const spec = LM_TOOLS.find((t) => t.name === name);
	return { invocationMessage: spec ? invocationMessage(spec, input) : name };
}

export function invokeLmTool(
	name: string,
	server: ServerApi | undefined,
	input: Input,
	token: vscode.CancellationToken,
): Promise<vscode.LanguageModelToolResult> {
	const spec = LM_TOOLS.find((t) => t.name === name);
	if (!spec) return Promise.reject(new Error(`unknown tool ${name}`));
	return runTool(spec, server, input, token);
}
