/**
 * Entry of dist/agent.js: the agent tools behind one function, for the language server's
 * `inferenceMeter/agentTool` request (the VS Code language-model tools). Input is validated here with the
 * same schemas the MCP server declares, so both doors refuse the same bad input with the same words.
 */
import { ToolInputError } from './inProcess';
import { compareInput, estimateInput, explainInput } from './schemas';
import { compareHardwareTool, estimateTool, explainTool, recommendTool, type ToolContext } from './tools';
import type { AgentToolName, AgentToolResult } from '../shared/agentProtocol';

export async function runAgentTool(
	tool: AgentToolName,
	input: unknown,
	ctx: ToolContext,
): Promise<AgentToolResult> {
	try {
		const r =
			tool === 'estimate'
				? await estimateTool(parse(estimateInput, input), ctx)
				: tool === 'compare_hardware'
					? await compareHardwareTool(parse(compareInput, input), ctx)
					: tool === 'recommend'
						? await recommendTool(parse(estimateInput, input), ctx)
						: await explainTool(parse(explainInput, input));
		return { text: r.text, json: r.json };
	} catch (e) {
		if (e instanceof ToolInputError) return { error: e.message };
		return { error: `internal error: ${e instanceof Error ? e.message : String(e)}` };
	}
}

function parse<T>(
	schema: {
		safeParse(
			x: unknown,
		):
			| { success: true; data: T }
			| { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
	},
	input: unknown,
): T {
	const r = schema.safeParse(input);
	if (r.success) return r.data;
	const first = r.error.issues[0];
	throw new ToolInputError(
		`invalid input: ${first.path.map(String).join('.') || '(root)'}: ${first.message}`,
	);
}
