/**
 * Entry of dist/languageClient.js: the LanguageClient and the ServerApi over it. Loaded after activation
 * (see serverApi.ts) because vscode-languageclient is most of the extension's code.
 */
import type * as vscode from 'vscode';
import {
	LanguageClient,
	TransportKind,
	type DocumentSelector,
	type ServerOptions,
} from 'vscode-languageclient/node';
import {
	CatalogRequest,
	DecodeBandwidthRequest,
	EstimateRequest,
	MeterLiveRequest,
	StatusNotification,
	WhatIfEditsRequest,
} from '../../server/src/shared/protocol';
import { RequestType } from 'vscode-languageclient/node';
import {
	AGENT_TOOL_METHOD,
	type AgentToolParams,
	type AgentToolResult,
} from '../../server/src/shared/agentProtocol';
import { documentSelector } from './selector';
export { invokeLmTool, prepareLmTool } from './lmToolsImpl';
export { showAgentTools } from './agentToolsReport';

const AgentToolRequest = new RequestType<AgentToolParams, AgentToolResult, void>(AGENT_TOOL_METHOD);
import type { ServerApi } from './serverApi';

function createLanguageClient(
	context: vscode.ExtensionContext,
	log: vscode.LogOutputChannel,
): LanguageClient {
	const module = context.asAbsolutePath('dist/server.js');
	const serverOptions: ServerOptions = {
		run: { module, transport: TransportKind.ipc },
		debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
	};
	// The id `inferenceMeter` makes the library read `inferenceMeter.trace.server` by itself.
	return new LanguageClient('inferenceMeter', 'Inference Meter', serverOptions, {
		// vscode.DocumentFilter and LSP's DocumentFilter describe the same objects with different optionality.
		documentSelector: documentSelector() as DocumentSelector,
		outputChannel: log,
		// Failures show in the status item; do not pop the output channel at the user.
		revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
	});
}

export function createServerApi(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ServerApi {
	const client = createLanguageClient(context, log);
	return {
		start: () => client.start(),
		stop: () => client.stop(),
		isRunning: () => client.isRunning(),
		estimate: (uri) =>
			client.sendRequest(EstimateRequest.type, {
				textDocument: { uri: client.code2ProtocolConverter.asUri(uri) },
			}),
		catalog: () => client.sendRequest(CatalogRequest.type, {}),
		decodeBandwidth: (params) => client.sendRequest(DecodeBandwidthRequest.type, params),
		meterLive: (params, token) => client.sendRequest(MeterLiveRequest.type, params, token),
		whatIfEdits: (uri, workload, change) =>
			client.sendRequest(WhatIfEditsRequest.type, {
				textDocument: { uri: client.code2ProtocolConverter.asUri(uri) },
				workload,
				change,
			}),
		agentTool: (tool, input, scopeUri, token) =>
			client.sendRequest(
				AgentToolRequest,
				{ tool, input, scopeUri: scopeUri ? client.code2ProtocolConverter.asUri(scopeUri) : undefined },
				token,
			),
		onStatus: (listener) => {
			client.onNotification(StatusNotification.type, listener);
		},
	};
}
