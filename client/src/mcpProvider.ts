/**
 * Offers `inference-meter mcp` to VS Code's own MCP support (VS Code 1.101 and later:
 * `vscode.lm.registerMcpServerDefinitionProvider`, contribution point `mcpServerDefinitionProviders`).
 * The extension targets VS Code ^1.100, whose API has no such function, so it is looked up at run time;
 * on 1.100 the language-model tools are the agent door and the README shows the `mcp` command line for
 * other clients. The server runs the bundled CLI with VS Code's own Node (Electron as Node), no install.
 */
import * as path from 'node:path';
// Type-only: the caller passes the API (one run-time `vscode` import on the activation path, not two).
import type * as vscode from 'vscode';

interface McpApi {
	registerMcpServerDefinitionProvider(
		id: string,
		provider: { provideMcpServerDefinitions(): unknown[] },
	): vscode.Disposable;
}
type StdioDefinition = new (
	label: string,
	command: string,
	args: string[],
	env: Record<string, string>,
	version?: string,
) => unknown;

/**
 * Registers the provider where the host supports it. Never throws: VS Code 1.100 has the function but
 * under another contribution-point name (`modelContextServerCollections`) and throws for ours, and an
 * optional door must not cost the extension its activation. Returns the reason when it did not register.
 */
export function registerMcpServer(
	api: typeof vscode,
	context: vscode.ExtensionContext,
): { registered: true } | { registered: false; reason: string } {
	try {
		return tryRegister(api, context)
			? { registered: true }
			: { registered: false, reason: 'this VS Code has no MCP server definition API (1.101+)' };
	} catch (e) {
		return { registered: false, reason: e instanceof Error ? e.message : String(e) };
	}
}

function tryRegister(api: typeof vscode, context: vscode.ExtensionContext): boolean {
	const lm = api.lm as unknown as Partial<McpApi> | undefined;
	const Definition = (api as unknown as { McpStdioServerDefinition?: StdioDefinition })
		.McpStdioServerDefinition;
	if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || !Definition) return false;
	const cli = path.join(context.extensionPath, 'dist', 'cli.js');
	const version = (context.extension.packageJSON as { version?: string }).version;
	context.subscriptions.push(
		lm.registerMcpServerDefinitionProvider('inferenceMeter.mcp', {
			provideMcpServerDefinitions: () => [
				new Definition(
					'Inference Meter',
					process.execPath,
					[cli, 'mcp'],
					{ ELECTRON_RUN_AS_NODE: '1' },
					version,
				),
			],
		}),
	);
	return true;
}
