/**
 * Inference Meter: Show Agent Tools — what a coding agent sees: the language-model tools VS Code has
 * registered for this extension, one real invocation of the estimate tool through `vscode.lm.invokeTool`
 * (for the active file's first workload, else Llama 3.1 8B on an H100), and how to reach the MCP server.
 */
import * as vscode from 'vscode';
import { LM_TOOLS } from '../../server/src/shared/lmTools';
import type { ServerApi } from './serverApi';
import { showMarkdownReport } from './reportDocuments';

async function estimateInput(server: ServerApi): Promise<{ input: Record<string, unknown>; basis: string }> {
	const uri = vscode.window.activeTextEditor?.document.uri;
	const report = uri ? await server.estimate(uri) : null;
	const e = report?.workloads.find((w) => w.estimate)?.estimate;
	if (e)
		return {
			input: { model: e.modelId, hardware: e.hardwareId, weights: e.weightsFormat, devices: e.devices },
			basis: `the first workload of ${vscode.workspace.asRelativePath(uri!)}`,
		};
	return {
		input: { model: 'meta-llama/Llama-3.1-8B-Instruct', hardware: 'h100-sxm' },
		basis: 'an example input',
	};
}

function resultText(r: vscode.LanguageModelToolResult): string {
	return r.content
		.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : ''))
		.filter((t) => t && !t.startsWith('{'))
		.join('\n');
}

export async function showAgentTools(server: ServerApi, mcpRegistered: boolean): Promise<void> {
	const ours = new Set(LM_TOOLS.map((t) => t.name));
	const registered = (vscode.lm?.tools ?? []).filter((t) => ours.has(t.name));
	const lines = [
		'# Inference Meter agent tools',
		'',
		`Language-model tools registered in this window: ${registered.length} of ${ours.size}.`,
		'',
	];
	for (const t of registered) lines.push(`- \`${t.name}\` — ${t.description.split('. ')[0]}.`);
	const { input, basis } = await estimateInput(server);
	lines.push(
		'',
		`## inferenceMeter_estimate, invoked for ${basis}`,
		'',
		'```json',
		JSON.stringify(input),
		'```',
		'',
	);
	let answer: string;
	try {
		const r = await vscode.lm.invokeTool('inferenceMeter_estimate', {
			input,
			toolInvocationToken: undefined,
		});
		const table = resultText(r);
		lines.push('```', table, '```');
		const expected = /expected\s+(.+?tok\/s per user)/.exec(table)?.[1];
		answer = expected ? `inferenceMeter_estimate answered: ${expected}` : 'inferenceMeter_estimate answered';
	} catch (e) {
		answer = `inferenceMeter_estimate failed: ${e instanceof Error ? e.message : String(e)}`;
		lines.push(answer);
	}
	lines.push(
		'',
		'## MCP',
		'',
		mcpRegistered
			? 'This VS Code lists **Inference Meter** among its MCP servers (`inference-meter mcp`).'
			: 'This VS Code has no MCP server API (it arrived in VS Code 1.101); other agents can start `npx inference-meter mcp` (see the README).',
	);
	await showMarkdownReport('Inference Meter agent tools', lines.join('\n'));
	void vscode.window.showInformationMessage(
		`Inference Meter: ${registered.length} of ${ours.size} language-model tools registered; ${answer}.`,
	);
}
