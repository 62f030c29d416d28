/**
 * Registers the language-model tools at activation — names and two delegating functions, nothing else —
 * so activation costs what it did before. What the tools do lives in dist/languageClient.js
 * (./lmToolsImpl.ts), loaded after activation with the language client; test/unit/manifest.test.ts keeps
 * LM_TOOL_NAMES equal to the contributed tools (server/src/shared/lmTools.ts → package.json).
 */
// Type-only: every bundled module that imports `vscode` at run time costs a namespace copy at load.
import type * as vscode from 'vscode';
import { LM_TOOL_NAMES } from '../../server/src/shared/lmToolNames';
import type { ServerApi } from './serverApi';

type Input = Record<string, unknown>;

export interface LmToolsImpl {
	prepareLmTool(name: string, input: Input): vscode.PreparedToolInvocation;
	invokeLmTool(
		name: string,
		server: ServerApi | undefined,
		input: Input,
		token: vscode.CancellationToken,
	): Promise<vscode.LanguageModelToolResult>;
}

/** Hosts without the language-model API (older VS Code, some forks) get no tools. */
export function registerLanguageModelTools(
	lm: typeof vscode.lm | undefined,
	context: vscode.ExtensionContext,
	server: () => ServerApi | undefined,
	impl: () => LmToolsImpl,
): void {
	if (typeof lm?.registerTool !== 'function') return;
	for (const name of LM_TOOL_NAMES) {
		// One tool the host refuses (a fork without the contribution point) must not stop activation.
		try {
			context.subscriptions.push(
				lm.registerTool<Input>(name, {
					prepareInvocation: (options) => impl().prepareLmTool(name, options.input ?? {}),
					invoke: (options, token) => impl().invokeLmTool(name, server(), options.input ?? {}, token),
				}),
			);
		} catch {
			return;
		}
	}
}
