/**
 * The `inferenceMeter/agentTool` request: the editor's language-model tools ask the running language
 * server to run one agent tool (the same tools the MCP server serves). Kept apart from ./protocol so the
 * agent bundle does not pull in the LSP protocol package.
 */
export type AgentToolName = 'estimate' | 'compare_hardware' | 'recommend' | 'explain';
export const AGENT_TOOL_NAMES: readonly AgentToolName[] = [
	'estimate',
	'compare_hardware',
	'recommend',
	'explain',
];

export interface AgentToolParams {
	tool: AgentToolName;
	input: unknown;
	/** A workspace folder URI, for the user catalog setting of that folder. */
	scopeUri?: string;
}

/** The text a model reads and the JSON a program reads, or the reason the call was refused. */
export type AgentToolResult = { text: string; json: unknown } | { error: string };

export const AGENT_TOOL_METHOD = 'inferenceMeter/agentTool';
