// Placeholder until the side panel lands: the command tells the user instead of failing silently.
import * as vscode from 'vscode';
import type { PanelHost } from './panelHost';

export function registerPanel(_context: vscode.ExtensionContext, _host: PanelHost): void {}

export async function showPanel(_host: PanelHost, _uri?: vscode.Uri): Promise<void> {
	await vscode.window.showInformationMessage(
		'Inference Meter: the hardware comparison panel is not built yet.',
	);
}
