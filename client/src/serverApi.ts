/**
 * What the extension needs from the language server, behind one interface: the activation path holds only
 * this type, and the LanguageClient (the heavy part of the extension bundle) is loaded after activation
 * returns, from dist/languageClient.js.
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { FileReport } from '../../server/src/analysis/reportTypes';
import type {
	CatalogSummary,
	DecodeBandwidthParams,
	DecodeBandwidthResult,
	MeterLiveParams,
	MeterLiveResult,
	StatusParams,
	WhatIfEditsParams,
} from '../../server/src/shared/protocol';
import type { Range } from '../../server/src/analysis/reportTypes';
import type { AgentToolName, AgentToolResult } from '../../server/src/shared/agentProtocol';
import type { LmToolsImpl } from './lmTools';

export interface ServerApi {
	start(): Promise<void>;
	stop(): Promise<void>;
	isRunning(): boolean;
	/** `inferenceMeter/estimate` for a document the server has open. */
	estimate(uri: vscode.Uri): Promise<FileReport | null>;
	catalog(): Promise<CatalogSummary>;
	decodeBandwidth(params: DecodeBandwidthParams): Promise<DecodeBandwidthResult | { error: string }>;
	/** One live measurement of a /metrics URL (two scrapes `intervalSeconds` apart); see Measure Running Server. */
	meterLive(
		params: MeterLiveParams,
		token?: vscode.CancellationToken,
	): Promise<MeterLiveResult | { error: string }>;
	/** Edits for a panel what-if, or null when the server cannot place every change. */
	whatIfEdits(
		uri: vscode.Uri,
		workload: number,
		change: WhatIfEditsParams['change'],
	): Promise<{ range: Range; newText: string }[] | null>;
	onStatus(listener: (p: StatusParams) => void): void;
	/** `inferenceMeter/agentTool`: one agent tool run by the server (the language-model tools use it). */
	agentTool(
		tool: AgentToolName,
		input: unknown,
		scopeUri?: vscode.Uri,
		token?: vscode.CancellationToken,
	): Promise<AgentToolResult>;
}

/** The module dist/languageClient.js exports (client/src/languageClientMain.ts). */
export interface LanguageClientModule extends LmToolsImpl {
	createServerApi(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ServerApi;
	/** Inference Meter: Show Agent Tools. */
	showAgentTools(server: ServerApi, mcpRegistered: boolean): Promise<void>;
}

/**
 * Loads the language client bundle. A computed path keeps esbuild from inlining it into extension.js.
 */
export function loadLanguageClientModule(context: vscode.ExtensionContext): LanguageClientModule {
	const file = path.join(context.extensionPath, 'dist', 'languageClient.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(file) as LanguageClientModule;
}
