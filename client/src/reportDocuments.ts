/**
 * Read-only Markdown documents for command output (the decode bandwidth report), served from memory under
 * the `inference-meter-report:` scheme — a preview without an untitled buffer that asks to be saved.
 */
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'inference-meter-report';

class ReportDocuments implements vscode.TextDocumentContentProvider {
	private readonly contents = new Map<string, string>();
	private readonly changed = new vscode.EventEmitter<vscode.Uri>();
	readonly onDidChange = this.changed.event;

	provideTextDocumentContent(uri: vscode.Uri): string {
		return this.contents.get(uri.toString()) ?? '';
	}

	set(uri: vscode.Uri, content: string): void {
		this.contents.set(uri.toString(), content);
		this.changed.fire(uri);
	}
}

const reports = new ReportDocuments();

export function registerReportDocuments(context: vscode.ExtensionContext): void {
	context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));
}

/** Shows `markdown` in a preview beside the editor; `name` makes the tab title (`Decode bandwidth — …`). */
export async function showMarkdownReport(name: string, markdown: string): Promise<void> {
	const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name.replace(/[\\/]/g, '_')}.md` });
	reports.set(uri, markdown);
	await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
}
