/**
 * One side panel: owns the WebviewPanel, follows the active editor, queues messages until the webview says
 * it is ready, and carries out what the webview asks (set target, apply a what-if, reveal a workload).
 */
import * as vscode from 'vscode';
import type { FileReport, WorkloadReport } from '../../../server/src/analysis/reportTypes';
import * as P from '../../../server/src/shared/webviewProtocol';
import type { ThemeKind, WhatIfChange } from '../../../server/src/shared/webviewProtocol';
import type { PanelHost } from './panelHost';
import { makeNonce, renderPanelHtml } from './panelHtml';
import { lastAnalyzed, rememberAnalyzed } from './lastWorkload';
import { planWhatIfEdits } from './whatIfEdits';

const EDIT_DEBOUNCE_MS = 400;
const CURSOR_DEBOUNCE_MS = 150;

export function themeKind(kind: vscode.ColorThemeKind): ThemeKind {
	switch (kind) {
		case vscode.ColorThemeKind.Light:
			return 'light';
		case vscode.ColorThemeKind.HighContrast:
			return 'high-contrast';
		case vscode.ColorThemeKind.HighContrastLight:
			return 'high-contrast-light';
		default:
			return 'dark';
	}
}

function contains(r: WorkloadReport['range'], p: vscode.Position): boolean {
	const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
	const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
	return after && before;
}

export class PanelController {
	private readonly disposables: vscode.Disposable[] = [];
	private ready = false;
	/** Latest message of each type, sent once the webview is ready (older ones are superseded). */
	private readonly pending = new Map<string, unknown>();
	private lastUpdate?: P.Message<string, unknown>;
	private lastMeasured?: P.Message<string, unknown>;
	private uri?: vscode.Uri;
	private report?: FileReport;
	private selected = 0;
	private seq = 0;
	private editTimer?: ReturnType<typeof setTimeout>;
	private cursorTimer?: ReturnType<typeof setTimeout>;

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly host: PanelHost,
		readonly panel: vscode.WebviewPanel,
		private readonly onDisposed: () => void,
	) {
		const dist = vscode.Uri.joinPath(extensionUri, 'dist');
		panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
		this.render();
		const w = vscode.window;
		this.disposables.push(
			panel.webview.onDidReceiveMessage((m) => void this.onMessage(m)),
			panel.onDidDispose(() => this.dispose()),
			// A hidden webview is torn down (no retainContextWhenHidden); it says ready again when shown.
			panel.onDidChangeViewState(() => {
				if (!panel.visible) this.ready = false;
			}),
			w.onDidChangeActiveTextEditor((e) => {
				if (e && e.document.uri.toString() !== this.uri?.toString()) void this.show(e.document.uri, true);
			}),
			vscode.workspace.onDidChangeTextDocument((e) => {
				if (e.document.uri.toString() !== this.uri?.toString() || !e.contentChanges.length) return;
				clearTimeout(this.editTimer);
				this.editTimer = setTimeout(() => void this.refresh(), EDIT_DEBOUNCE_MS);
			}),
			w.onDidChangeTextEditorSelection((e) => {
				if (e.textEditor.document.uri.toString() !== this.uri?.toString()) return;
				clearTimeout(this.cursorTimer);
				this.cursorTimer = setTimeout(() => this.followCursor(e.textEditor), CURSOR_DEBOUNCE_MS);
			}),
			vscode.workspace.onDidChangeConfiguration((e) => {
				if (e.affectsConfiguration('inferenceMeter')) void this.refresh();
			}),
			w.onDidChangeActiveColorTheme((t) => this.post(P.Theme.create({ kind: themeKind(t.kind) }))),
		);
	}

	/** Sets fresh HTML (new nonce). Also used after a restore, since the old document is gone. */
	render(): void {
		const webview = this.panel.webview;
		const asset = (f: string) =>
			webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', f)).toString();
		this.ready = false;
		webview.html = renderPanelHtml({
			cspSource: webview.cspSource,
			nonce: makeNonce(),
			scriptUri: asset('webview.js'),
			styleUri: asset('webview.css'),
		});
	}

	reveal(): void {
		this.panel.reveal(undefined, true);
	}

	/** A live measurement (Measure Running Server); kept and re-sent when the webview is recreated. */
	setMeasurement(m: P.MeasuredParams): void {
		this.lastMeasured = P.Measured.create(m);
		this.post(this.lastMeasured);
	}

	/**
	 * Shows a document's workloads. `fromEditorSwitch`: keep the current view if that file has none.
	 * `workloadIndex` (CodeLens, a measurement) selects that workload instead of the one under the cursor.
	 */
	async show(uri: vscode.Uri | undefined, fromEditorSwitch = false, workloadIndex?: number): Promise<void> {
		if (!uri) {
			const last = lastAnalyzed<vscode.Uri>();
			if (!this.uri && last) return this.show(last.uri, false, last.workloadIndex);
			if (!this.uri)
				this.postEmpty(
					'Open a serving config (vLLM, llama.cpp, Ollama, transformers.js) to see its hardware comparison.',
				);
			return;
		}
		if (uri.scheme === 'output' || uri.scheme === 'vscode-webview') return;
		const report = await this.fetch(uri);
		if (report === null) return; // superseded by a newer request
		if (fromEditorSwitch && this.report?.workloads.length && !report?.workloads.length) return;
		// Opened from an editor with no workload (a report tab, a README): the last analyzed one instead.
		const last = lastAnalyzed<vscode.Uri>();
		if (!report?.workloads.length && last && last.uri.toString() !== uri.toString()) {
			if (this.report?.workloads.length && this.uri?.toString() === last.uri.toString()) {
				this.sendReport();
				return;
			}
			return this.show(last.uri, false, last.workloadIndex);
		}
		if (report?.workloads.length) rememberAnalyzed(uri, workloadIndex);
		this.uri = uri;
		this.report = report;
		const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
		const count = report?.workloads.length ?? 0;
		this.selected =
			workloadIndex !== undefined && workloadIndex < count
				? workloadIndex
				: this.pickWorkload(editor?.selection.active, 0);
		this.sendReport();
	}

	async refresh(): Promise<void> {
		if (!this.uri) return;
		const report = await this.fetch(this.uri);
		if (report === null) return;
		this.report = report;
		this.selected = Math.min(this.selected, Math.max(0, (report?.workloads.length ?? 1) - 1));
		this.sendReport();
	}

	/** The report, undefined when the server has none, or null when a newer request overtook this one. */
	private async fetch(uri: vscode.Uri): Promise<FileReport | undefined | null> {
		const mine = ++this.seq;
		let report: FileReport | undefined;
		try {
			report = await this.host.requestEstimate(uri);
		} catch (err) {
			this.host.log.error('panel: estimate request failed', err);
		}
		return mine === this.seq ? report : null;
	}

	private pickWorkload(pos: vscode.Position | undefined, fallback: number): number {
		const ws = this.report?.workloads ?? [];
		if (!pos) return Math.min(fallback, Math.max(0, ws.length - 1));
		const hit = ws.findIndex((w) => contains(w.range, pos));
		return hit >= 0 ? hit : Math.min(fallback, Math.max(0, ws.length - 1));
	}

	private followCursor(editor: vscode.TextEditor): void {
		const i = this.pickWorkload(editor.selection.active, this.selected);
		if (i === this.selected) return;
		this.selected = i;
		this.sendReport();
	}

	private sendReport(): void {
		const uri = this.uri;
		const r = this.report;
		if (!uri) return;
		if (!r) {
			this.postEmpty(
				`Inference Meter could not analyze ${vscode.workspace.asRelativePath(uri)}: is the language server running? See the log.`,
			);
			return;
		}
		if (!r.workloads.length) {
			this.postEmpty(`No LLM serving workload found in ${vscode.workspace.asRelativePath(uri)}.`);
			return;
		}
		this.post(
			P.Update.create({
				uri: uri.toString(),
				fileName: vscode.workspace.asRelativePath(uri),
				workloads: r.workloads,
				selected: this.selected,
				targetHardware: this.host.getTargetHardware(),
				settings: this.host.getPanelSettings?.(uri),
				theme: themeKind(vscode.window.activeColorTheme.kind),
			}),
		);
	}

	private postEmpty(reason: string): void {
		this.post(P.Empty.create({ reason, targetHardware: this.host.getTargetHardware() }));
	}

	private post(msg: P.Message<string, unknown>): void {
		if (msg.type === P.Update.type || msg.type === P.Empty.type) {
			this.lastUpdate = msg;
			this.pending.delete(P.Update.type);
			this.pending.delete(P.Empty.type);
		}
		if (!this.ready) {
			this.pending.set(msg.type, msg);
			return;
		}
		void this.panel.webview.postMessage(msg);
	}

	private async onMessage(msg: unknown): Promise<void> {
		try {
			if (P.Ready.is(msg)) {
				this.ready = true;
				if (this.lastUpdate && !this.pending.has(this.lastUpdate.type))
					this.pending.set(this.lastUpdate.type, this.lastUpdate);
				if (this.lastMeasured && !this.pending.has(this.lastMeasured.type))
					this.pending.set(this.lastMeasured.type, this.lastMeasured);
				const queued = [...this.pending.values()];
				this.pending.clear();
				for (const m of queued) void this.panel.webview.postMessage(m);
			} else if (P.SetTarget.is(msg)) {
				await this.host.setTargetHardware(msg.params.hardwareId);
				await this.refresh();
			} else if (P.ApplyWhatIf.is(msg)) {
				await this.applyWhatIf(vscode.Uri.parse(msg.params.uri), msg.params.workload, msg.params.change);
			} else if (P.Reveal.is(msg)) {
				await this.revealWorkload(vscode.Uri.parse(msg.params.uri), msg.params.workload);
			} else if (P.WebviewError.is(msg)) {
				this.host.log.error(`panel webview: ${msg.params.message}`);
			} else this.host.log.warn('panel: ignored an unknown message from the webview');
		} catch (err) {
			this.host.log.error('panel: handling a webview message failed', err);
		}
	}

	private async applyWhatIf(uri: vscode.Uri, index: number, change: WhatIfChange): Promise<void> {
		const result = (ok: boolean, message: string, applied: string[] = [], skipped: string[] = []) =>
			this.post(P.ApplyResult.create({ ok, message, applied, skipped }));
		const doc = await vscode.workspace.openTextDocument(uri);
		// Fresh analysis of the current text, so the ranges match what is in the editor now.
		const report = await this.host.requestEstimate(uri);
		const w = report?.workloads[index];
		if (!w) return result(false, 'The workload is no longer in the file.');
		const serverEdits = await this.host.whatIfEdits?.(uri, index, change);
		const plan = serverEdits
			? {
					edits: serverEdits,
					applied: [`${serverEdits.length} edit(s) from the language server`],
					skipped: [],
				}
			: planWhatIfEdits(w, change, doc.getText());
		if (!plan.edits.length)
			return result(false, `Nothing applied: ${plan.skipped.join('; ')}.`, [], plan.skipped);
		const edit = new vscode.WorkspaceEdit();
		for (const e of plan.edits)
			edit.replace(
				uri,
				new vscode.Range(
					e.range.start.line,
					e.range.start.character,
					e.range.end.line,
					e.range.end.character,
				),
				e.newText,
			);
		const ok = await vscode.workspace.applyEdit(edit);
		if (!ok) return result(false, 'VS Code rejected the edit (is the file read-only?).');
		const rest = plan.skipped.length ? ` Not applied: ${plan.skipped.join('; ')}.` : '';
		result(true, `Applied ${plan.applied.join(', ')}.${rest}`, plan.applied, plan.skipped);
	}

	private async revealWorkload(uri: vscode.Uri, index: number): Promise<void> {
		const w = this.report?.workloads[index];
		const doc = await vscode.workspace.openTextDocument(uri);
		const range = w
			? new vscode.Range(w.range.start.line, w.range.start.character, w.range.end.line, w.range.end.character)
			: undefined;
		await vscode.window.showTextDocument(doc, {
			viewColumn: vscode.ViewColumn.One,
			selection: range,
			preserveFocus: false,
		});
	}

	dispose(): void {
		clearTimeout(this.editTimer);
		clearTimeout(this.cursorTimer);
		for (const d of this.disposables.splice(0)) d.dispose();
		this.panel.dispose();
		this.onDisposed();
	}
}
