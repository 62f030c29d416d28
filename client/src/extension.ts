/**
 * Extension entry point. Activation builds a few objects and registers commands, the panel and the status
 * item; the language client (most of the code) is loaded and started on the next tick, and the analysis
 * runs in the server process — so activation stays at a few milliseconds.
 */
import * as vscode from 'vscode';
import { registerCommands, type ExtensionContextLike } from './commands';
import { MeasureController } from './measure';
import { registerPanel, setMeasurement, showPanel } from './panel/panel';
import { createPanelHost } from './panelHostImpl';
import { documentSelector } from './selector';
import { loadLanguageClientModule, type ServerApi } from './serverApi';
import { registerReportDocuments } from './reportDocuments';
import { ServerStatus } from './status';
import { registerLanguageModelTools } from './lmTools';
import { registerMcpServer } from './mcpProvider';

let server: ServerApi | undefined;

export function activate(context: vscode.ExtensionContext): void {
	const log = vscode.window.createOutputChannel('Inference Meter', { log: true });
	context.subscriptions.push(log);
	try {
		const started = performance.now();
		const status = new ServerStatus(documentSelector());
		context.subscriptions.push(status);
		const host = createPanelHost(() => server, log);
		// Created idle: it scrapes nothing until the user runs Measure Running Server and confirms a URL.
		const meter = new MeasureController(
			context.workspaceState,
			() => server,
			{
				measured: setMeasurement,
				showInPanel: (m) => showPanel(host, m.uri ? vscode.Uri.parse(m.uri) : undefined, m.workload),
			},
			log,
		);
		context.subscriptions.push(meter);
		const ctx: ExtensionContextLike = {
			server: () => server,
			log,
			host,
			running: () => server?.isRunning() ?? false,
			meter,
		};
		// Agent doors: a few allocations here; every call goes to the language server.
		registerLanguageModelTools(
			vscode.lm,
			context,
			() => server,
			() => loadLanguageClientModule(context),
		);
		const mcp = registerMcpServer(vscode, context);
		ctx.mcpRegistered = mcp.registered;
		if (!mcp.registered) log.info(`MCP server not offered to VS Code: ${mcp.reason}`);
		ctx.showAgentTools = () =>
			loadLanguageClientModule(context).showAgentTools(server!, ctx.mcpRegistered ?? false);
		registerCommands(context, ctx);
		registerPanel(context, host);
		registerReportDocuments(context);
		setImmediate(() => void startServer(context, status, log));
		log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
	} catch (e) {
		// Surface activation failures ourselves: VS Code only logs them.
		log.error('activation failed', e);
		void vscode.window.showErrorMessage(
			`Inference Meter failed to activate: ${e instanceof Error ? e.message : String(e)}`,
		);
		throw e;
	}
}

async function startServer(
	context: vscode.ExtensionContext,
	status: ServerStatus,
	log: vscode.LogOutputChannel,
): Promise<void> {
	try {
		const started = performance.now();
		const api = loadLanguageClientModule(context).createServerApi(context, log);
		server = api;
		api.onStatus((p) => {
			const changed = p.hardware !== status.targetHardware;
			status.update(p);
			if (changed) void refreshHardwareName(api, status, p.hardware);
		});
		await api.start();
		log.info(`language server started in ${(performance.now() - started).toFixed(0)} ms`);
	} catch (e) {
		log.error('the language server did not start', e);
		status.stopped(`language server did not start: ${e instanceof Error ? e.message : String(e)}`);
	}
}

/** Shows the catalog name (`H100 SXM`) rather than the id once the server can say it. */
async function refreshHardwareName(api: ServerApi, status: ServerStatus, id: string): Promise<void> {
	try {
		const catalog = await api.catalog();
		status.setHardwareName(catalog.hardware.find((h) => h.id === id)?.name);
	} catch {
		// The id stays on display; nothing the user must act on.
	}
}

export function deactivate(): Promise<void> | undefined {
	return server?.stop();
}
