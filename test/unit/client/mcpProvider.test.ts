// The MCP server definition provider is an optional door: whatever the host does with it, activation goes on.
// VS Code 1.100 (code-server 4.100) has registerMcpServerDefinitionProvider under another contribution-point
// name and throws for ours; that used to fail the whole activation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { registerMcpServer } from '../../../client/src/mcpProvider';

const context = {
	subscriptions: [] as { dispose(): void }[],
	extensionPath: '/ext',
	extension: { packageJSON: { version: '9.9.9' } },
} as unknown as vscode.ExtensionContext;

class Definition {
	constructor(
		readonly label: string,
		readonly command: string,
		readonly args: string[],
		readonly env: Record<string, string>,
		readonly version?: string,
	) {}
}

test('a host that throws on registration: not registered, with the reason, and no exception', () => {
	const api = {
		lm: {
			registerMcpServerDefinitionProvider: () => {
				throw new Error(
					'MCP configuration providers must be registered in contributes.modelContextServerCollections',
				);
			},
		},
		McpStdioServerDefinition: Definition,
	} as unknown as typeof vscode;
	const r = registerMcpServer(api, context);
	assert.equal(r.registered, false);
	assert.match((r as { reason: string }).reason, /modelContextServerCollections/);
});

test('a host without the API: not registered', () => {
	const r = registerMcpServer({ lm: {} } as unknown as typeof vscode, context);
	assert.deepEqual(r, {
		registered: false,
		reason: 'this VS Code has no MCP server definition API (1.101+)',
	});
});

test('a host with the API gets `node dist/cli.js mcp` run by its own Node', () => {
	let provided: Definition[] = [];
	const api = {
		lm: {
			registerMcpServerDefinitionProvider: (
				id: string,
				p: { provideMcpServerDefinitions(): Definition[] },
			) => {
				assert.equal(id, 'inferenceMeter.mcp');
				provided = p.provideMcpServerDefinitions();
				return { dispose() {} };
			},
		},
		McpStdioServerDefinition: Definition,
	} as unknown as typeof vscode;
	assert.deepEqual(registerMcpServer(api, context), { registered: true });
	assert.equal(provided.length, 1);
	assert.deepEqual(provided[0].args, ['/ext/dist/cli.js', 'mcp']);
	assert.equal(provided[0].env.ELECTRON_RUN_AS_NODE, '1');
	assert.equal(provided[0].version, '9.9.9');
});
