/**
 * The side panel's entry points: `registerPanel` (at activation: the serializer that restores the panel
 * after a reload) and `showPanel` (the Show Hardware Comparison command and the CodeLens).
 */
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE, type MeasuredParams } from '../../../server/src/shared/webviewProtocol';
import { PanelController } from './panelController';
import type { PanelHost } from './panelHost';

let extensionUri: vscode.Uri | undefined;
let current: PanelController | undefined;
/** The latest live measurement, so a panel opened (or restored) later shows it too. */
let measured: MeasuredParams | undefined;

/** Measure Running Server's results: kept, and shown in the open panel. */
export function setMeasurement(m: MeasuredParams): void {
	measured = m;
	current?.setMeasurement(m);
}

/** The document a restored panel showed, read back from the webview's persisted state. */
function uriFromState(state: unknown): vscode.Uri | undefined {
	const uri = (state as { update?: { uri?: unknown } } | undefined)?.update?.uri;
	if (typeof uri !== 'string') return undefined;
	try {
		return vscode.Uri.parse(uri, true);
	} catch {
		return undefined;
	}
}

function adopt(host: PanelHost, panel: vscode.WebviewPanel): PanelController {
	current?.dispose();
	const c = new PanelController(extensionUri!, host, panel, () => {
		if (current === c) current = undefined;
	});
	current = c;
	if (measured) c.setMeasurement(measured);
	return c;
}

export function registerPanel(context: vscode.ExtensionContext, host: PanelHost): void {
	extensionUri = context.extensionUri;
	context.subscriptions.push(
		vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
			async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
				const c = adopt(host, panel);
				await c.show(uriFromState(state) ?? vscode.window.activeTextEditor?.document.uri);
			},
		}),
		{ dispose: () => current?.dispose() },
	);
}

/** Opens (or reveals) the panel on `uri`'s workloads; `workloadIndex` selects one (the CodeLens passes it). */
export async function showPanel(host: PanelHost, uri?: vscode.Uri, workloadIndex?: number): Promise<void> {
	if (!extensionUri) {
		host.log.error('showPanel called before registerPanel');
		return;
	}
	const target = uri ?? vscode.window.activeTextEditor?.document.uri;
	if (current) current.reveal();
	else {
		const panel = vscode.window.createWebviewPanel(
			PANEL_VIEW_TYPE,
			'Inference Meter',
			{ viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
			{ enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] },
		);
		adopt(host, panel);
	}
	await current!.show(target, false, workloadIndex);
}
