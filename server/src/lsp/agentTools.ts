/**
 * `inferenceMeter/agentTool`: runs one agent tool (estimate, compare_hardware, recommend, explain) for the
 * editor's language-model tools, with the user catalog of the scope's settings. The tools live in
 * dist/agent.js, required on the first call, so the server starts as fast as without them.
 */
import * as path from 'node:path';
import { RequestType } from 'vscode-languageserver';
import {
	AGENT_TOOL_METHOD,
	AGENT_TOOL_NAMES,
	type AgentToolParams,
	type AgentToolResult,
} from '../shared/agentProtocol';
import type { runAgentTool } from '../agent/bundle';
import type { ServerContext } from './server';

type AgentModule = { runAgentTool: typeof runAgentTool };

const AgentToolRequest = new RequestType<AgentToolParams, AgentToolResult, void>(AGENT_TOOL_METHOD);

let agent: AgentModule | undefined;

/** The agent bundle beside dist/server.js; a computed path keeps esbuild from inlining it. */
function loadAgent(): AgentModule {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	agent ??= require(path.join(__dirname, 'agent.js')) as AgentModule;
	return agent;
}

type Guard = <P, R>(
	ctx: ServerContext,
	name: string,
	empty: R,
	fn: (p: P) => Promise<R>,
) => (p: P) => Promise<R>;

export function registerAgentTools(ctx: ServerContext, guarded: Guard): void {
	ctx.connection.onRequest(
		AgentToolRequest,
		guarded<AgentToolParams, AgentToolResult>(
			ctx,
			AGENT_TOOL_METHOD,
			{ error: 'internal error (see the log)' },
			async (p) => {
				if (!AGENT_TOOL_NAMES.includes(p.tool)) return { error: `unknown agent tool "${String(p.tool)}"` };
				const settings = p.scopeUri ? await ctx.settings.get(p.scopeUri) : await ctx.settings.global();
				const roots = ctx.catalogs.roots();
				return loadAgent().runAgentTool(p.tool, p.input, {
					roots: () => roots,
					cwd: roots[0] ?? process.cwd(),
					catalogFile: ctx.catalogs.userCatalogPath(settings.userCatalog),
				});
			},
		),
	);
}
