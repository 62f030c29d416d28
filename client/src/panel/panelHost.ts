/**
 * What the side panel needs from the rest of the extension. The extension (client/src/extension.ts)
 * implements this over the language client; the panel never talks to the server directly.
 */
import type * as vscode from 'vscode';
import type { FileReport } from '../../../server/src/analysis/reportTypes';

export interface PanelHost {
	/** Runs `inferenceMeter/estimate` for a document (the server's analysis, with estimates). */
	requestEstimate(uri: vscode.Uri): Promise<FileReport | undefined>;
	/** Current `inferenceMeter.hardware` setting (catalog id). */
	getTargetHardware(): string;
	/** Writes `inferenceMeter.hardware`; diagnostics refresh through the server. */
	setTargetHardware(id: string): Promise<void>;
	/** The extension's log channel. */
	log: vscode.LogOutputChannel;
}
