/**
 * The slice of the `vscode` API the panel host uses, recording what the panel does with it. Installed in
 * place of the real module (which exists only inside VS Code) for the host tests; the webview side of the
 * same protocol is tested for real in Chromium (panel.test.ts).
 */
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class Emitter<T> {
	private listeners: Listener<T>[] = [];
	event = (l: Listener<T>) => {
		this.listeners.push(l);
		return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
	};
	fire(e: T): void {
		for (const l of [...this.listeners]) l(e);
	}
}

export class Uri {
	private constructor(
		readonly scheme: string,
		readonly path: string,
	) {}
	static parse(s: string): Uri {
		const m = /^([a-z-]+):\/\/(.*)$/.exec(s);
		if (!m) throw new Error(`bad uri ${s}`);
		return new Uri(m[1], m[2]);
	}
	static file(p: string): Uri {
		return new Uri('file', p);
	}
	static joinPath(base: Uri, ...parts: string[]): Uri {
		return new Uri(base.scheme, [base.path, ...parts].join('/'));
	}
	toString(): string {
		return `${this.scheme}://${this.path}`;
	}
}

export class Position {
	constructor(
		readonly line: number,
		readonly character: number,
	) {}
}

export class Range {
	constructor(
		readonly startLine: number,
		readonly startCharacter: number,
		readonly endLine: number,
		readonly endCharacter: number,
	) {}
}

export class WorkspaceEdit {
	readonly replaces: { uri: string; range: Range; text: string }[] = [];
	replace(uri: Uri, range: Range, text: string): void {
		this.replaces.push({ uri: uri.toString(), range, text });
	}
}

export class FakeWebview {
	options: unknown;
	html = '';
	readonly cspSource = 'vscode-resource://x';
	readonly posted: { type: string; params: Record<string, unknown> }[] = [];
	readonly receive = new Emitter<unknown>();
	onDidReceiveMessage = this.receive.event;
	asWebviewUri(u: Uri): Uri {
		return Uri.parse(`vscode-resource://${u.path}`);
	}
	async postMessage(m: { type: string; params: Record<string, unknown> }): Promise<boolean> {
		this.posted.push(m);
		return true;
	}
}

export class FakePanel {
	readonly webview = new FakeWebview();
	visible = true;
	disposed = false;
	readonly disposeEmitter = new Emitter<void>();
	readonly viewState = new Emitter<void>();
	onDidDispose = this.disposeEmitter.event;
	onDidChangeViewState = this.viewState.event;
	constructor(readonly viewType: string) {}
	reveal(): void {}
	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		this.disposeEmitter.fire();
	}
}

export function createFakeVscode() {
	const documents = new Map<string, string>();
	const ev = {
		activeEditor: new Emitter<unknown>(),
		selection: new Emitter<unknown>(),
		theme: new Emitter<{ kind: number }>(),
		docChange: new Emitter<unknown>(),
		config: new Emitter<{ affectsConfiguration(s: string): boolean }>(),
	};
	const record = {
		panels: [] as FakePanel[],
		serializers: new Map<string, { deserializeWebviewPanel(p: FakePanel, s: unknown): Promise<void> }>(),
		edits: [] as WorkspaceEdit[],
		shown: [] as { uri: string; selection?: Range }[],
	};
	const api = {
		Uri,
		Position,
		Range,
		WorkspaceEdit,
		ColorThemeKind: { Light: 1, Dark: 2, HighContrast: 3, HighContrastLight: 4 },
		ViewColumn: { One: 1, Beside: -2 },
		window: {
			activeTextEditor: undefined as unknown,
			visibleTextEditors: [] as unknown[],
			activeColorTheme: { kind: 2 },
			createWebviewPanel(viewType: string) {
				const p = new FakePanel(viewType);
				record.panels.push(p);
				return p;
			},
			registerWebviewPanelSerializer(
				viewType: string,
				s: { deserializeWebviewPanel(p: FakePanel, s: unknown): Promise<void> },
			) {
				record.serializers.set(viewType, s);
				return { dispose() {} };
			},
			onDidChangeActiveTextEditor: ev.activeEditor.event,
			onDidChangeTextEditorSelection: ev.selection.event,
			onDidChangeActiveColorTheme: ev.theme.event,
			async showTextDocument(doc: { uri: Uri }, o: { selection?: Range }) {
				record.shown.push({ uri: doc.uri.toString(), selection: o.selection });
			},
		},
		workspace: {
			onDidChangeTextDocument: ev.docChange.event,
			onDidChangeConfiguration: ev.config.event,
			asRelativePath: (u: Uri) => u.path.split('/').slice(-2).join('/'),
			async openTextDocument(u: Uri) {
				const text = documents.get(u.toString());
				if (text === undefined) throw new Error(`no document ${u}`);
				return { uri: u, getText: () => text };
			},
			async applyEdit(e: WorkspaceEdit) {
				record.edits.push(e);
				return true;
			},
		},
	};
	return { api, ev, record, documents };
}

/** Makes `require('vscode')` return `api` for modules loaded after this call. */
export function installFakeVscode(api: unknown): void {
	const M = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
	const original = M._load;
	M._load = function (request: string, ...rest: unknown[]) {
		if (request === 'vscode') return api;
		return original.call(this, request, ...rest);
	};
}
