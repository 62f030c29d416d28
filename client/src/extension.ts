/**
 * Extension entry point. Activation only builds a few objects, registers commands and starts the language
 * client without waiting for it: the analysis runs in the server process, so activation stays cheap.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CatalogRequest, StatusNotification } from '../../server/src/shared/protocol';
import { registerCommands, type ExtensionContextLike } from './commands';
import { createLanguageClient, documentSelector } from './languageClient';
import { registerPanel } from './panel/panel';
import { createPanelHost } from './panelHostImpl';
import { ServerStatus } from './status';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
	const log = vscode.window.createOutputChannel('Inference Meter', { log: true });
	context.subscriptions.push(log);
	try {
		const started = Date.now();
		const status = new ServerStatus(documentSelector());
		context.subscriptions.push(status);
		client = createLanguageClient(context, log);
		const host = createPanelHost(() => client, log);
		const ctx: ExtensionContextLike = { client, log, host, running: () => client?.isRunning() ?? false };
		registerCommands(context, ctx);
		registerPanel(context, host);
		void startClient(client, status, log);
		log.info(`activated in ${Date.now() - started} ms`);
	} catch (e) {
		// Surface activation failures ourselves: VS Code only logs them.
		log.error('activation failed', e);
		void vscode.window.showErrorMessage(
			`Inference Meter failed to activate: ${e instanceof Error ? e.message : String(e)}`,
		);
		throw e;
	}
}

async function startClient(
	c: LanguageClient,
	status: ServerStatus,
	log: vscode.LogOutputChannel,
): Promise<void> {
	try {
		c.onNotification(StatusNotification.type, (p) => {
			const changed = p.hardware !== status.targetHardware;
			status.update(p);
			if (changed) void refreshHardwareName(c, status, p.hardware);
		});
		await c.start();
	} catch (e) {
		log.error('the language server did not start', e);
		status.stopped(`language server did not start: ${e instanceof Error ? e.message : String(e)}`);
	}
}

/** Shows the catalog name (`H100 SXM`) rather than the id once the server can say it. */
async function refreshHardwareName(c: LanguageClient, status: ServerStatus, id: string): Promise<void> {
	try {
		const catalog = await c.sendRequest(CatalogRequest.type, {});
		status.setHardwareName(catalog.hardware.find((h) => h.id === id)?.name);
	} catch {
		// The id stays on display; nothing the user must act on.
	}
}

export function deactivate(): Thenable<void> | undefined {
	return client?.stop();
}
