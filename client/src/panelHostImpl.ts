/**
 * The PanelHost the side panel talks to, implemented over the language client: the panel never speaks LSP
 * itself.
 */
import * as vscode from 'vscode';
import type { FileReport } from '../../server/src/analysis/reportTypes';
import { DEFAULT_SETTINGS, SECTION, settingsFrom } from '../../server/src/shared/settings';
import type { PanelSettings } from '../../server/src/shared/webviewProtocol';
import type { PanelHost } from './panel/panelHost';
import { writeTargetHardware } from './hardwarePick';
import type { ServerApi } from './serverApi';

export function createPanelHost(
	getServer: () => ServerApi | undefined,
	log: vscode.LogOutputChannel,
): PanelHost {
	return {
		log,
		async requestEstimate(uri: vscode.Uri): Promise<FileReport | undefined> {
			const server = getServer();
			if (!server?.isRunning()) return undefined;
			// The server analyzes open documents only; opening (not showing) one sends didOpen.
			await vscode.workspace.openTextDocument(uri);
			return (await server.estimate(uri)) ?? undefined;
		},
		getTargetHardware(): string {
			return vscode.workspace.getConfiguration(SECTION).get<string>('hardware') || DEFAULT_SETTINGS.hardware;
		},
		setTargetHardware: writeTargetHardware,
		async whatIfEdits(uri, workload, change) {
			const server = getServer();
			if (!server?.isRunning()) return undefined;
			return (await server.whatIfEdits(uri, workload, change)) ?? undefined;
		},
		getPanelSettings(uri: vscode.Uri): PanelSettings {
			// The same coercion the server applies, so the panel's numbers match the diagnostics.
			const s = settingsFrom(vscode.workspace.getConfiguration(undefined, uri).get(SECTION));
			return {
				latencyTarget: { ...s.latencyTarget },
				electricityUsdPerKwh: s.electricityUsdPerKwh,
				amortizationYears: s.amortizationYears,
			};
		},
	};
}
