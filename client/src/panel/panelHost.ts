/**
 * What the side panel needs from the rest of the extension. The extension (client/src/extension.ts)
 * implements this over the language client; the panel never talks to the server directly.
 */
import type * as vscode from 'vscode';
import type { FileReport, Range } from '../../../server/src/analysis/reportTypes';
import type { PanelSettings, WhatIfChange } from '../../../server/src/shared/webviewProtocol';

export interface PanelHost {
	/** Runs `inferenceMeter/estimate` for a document (the server's analysis, with estimates). */
	requestEstimate(uri: vscode.Uri): Promise<FileReport | undefined>;
	/** Current `inferenceMeter.hardware` setting (catalog id). */
	getTargetHardware(): string;
	/** Writes `inferenceMeter.hardware`; diagnostics refresh through the server. */
	setTargetHardware(id: string): Promise<void>;
	/** The extension's log channel. */
	log: vscode.LogOutputChannel;
	/**
	 * Optional: the settings that change the numbers (latency target, electricity price, amortization), so
	 * the panel's in-browser recomputation matches the diagnostics. Without it the physics defaults apply.
	 */
	getPanelSettings?(uri: vscode.Uri): PanelSettings;
	/**
	 * Optional: edits the server computes for a what-if (it can also insert settings the file does not write
	 * yet). Return undefined to let the panel replace the values the file already writes (its default).
	 */
	whatIfEdits?(
		uri: vscode.Uri,
		workload: number,
		change: WhatIfChange,
	): Promise<{ range: Range; newText: string }[] | undefined>;
}
