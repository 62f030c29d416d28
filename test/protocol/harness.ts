/**
 * A minimal LSP client for protocol tests: spawns the real server over stdio, speaks JSON-RPC through
 * vscode-languageserver-protocol, answers `workspace/configuration` from a settings object the test
 * controls, and records published diagnostics and log messages. Every wait has a deadline, and
 * `close()` always kills the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
	createProtocolConnection,
	StreamMessageReader,
	StreamMessageWriter,
	type ProtocolConnection,
	type PublishDiagnosticsParams,
	type Diagnostic,
	type TextEdit,
	type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

export const SERVER = 'dist/server.js';

export interface StartOptions {
	/** Command line; default `node dist/server.js --stdio`. */
	argv?: string[];
	settings?: Record<string, unknown>;
	workspaceFolder?: string;
}

export class TestClient {
	readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
	readonly logs: string[] = [];
	readonly status: unknown[] = [];
	settings: Record<string, unknown>;
	configurationRequests = 0;
	lensRefreshes = 0;
	private waiters: (() => void)[] = [];

	private constructor(
		readonly proc: ChildProcess,
		readonly connection: ProtocolConnection,
		settings: Record<string, unknown>,
	) {
		this.settings = settings;
	}

	static async start(options: StartOptions = {}): Promise<TestClient> {
		const argv = options.argv ?? [SERVER, '--stdio'];
		if (argv[0] === SERVER && !existsSync(SERVER))
			throw new Error(`${SERVER} is missing: run node scripts/build.mjs`);
		const proc = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
		const connection = createProtocolConnection(
			new StreamMessageReader(proc.stdout!),
			new StreamMessageWriter(proc.stdin!),
		);
		const client = new TestClient(proc, connection, options.settings ?? {});
		client.wire();
		connection.listen();
		const folder = options.workspaceFolder ?? process.cwd();
		await withDeadline(
			connection.sendRequest('initialize', {
				processId: process.pid,
				rootUri: pathToFileURL(folder).href,
				workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'test' }],
				capabilities: {
					workspace: {
						configuration: true,
						didChangeConfiguration: { dynamicRegistration: true },
						workspaceEdit: { documentChanges: true },
						codeLens: { refreshSupport: true },
						workspaceFolders: true,
					},
					textDocument: {
						publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
						hover: { contentFormat: ['markdown', 'plaintext'] },
						codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
					},
				},
			}),
			15_000,
			'initialize',
		);
		await connection.sendNotification('initialized', {});
		return client;
	}

	private wire(): void {
		const c = this.connection;
		c.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => {
			this.configurationRequests++;
			return params.items.map((item) => (item.section === 'inferenceMeter' ? this.settings : null));
		});
		c.onRequest('client/registerCapability', () => null);
		c.onRequest('workspace/codeLens/refresh', () => {
			this.lensRefreshes++;
			this.notify();
			return null;
		});
		c.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
			const list = this.diagnostics.get(p.uri) ?? [];
			list.push(p);
			this.diagnostics.set(p.uri, list);
			this.notify();
		});
		c.onNotification('window/logMessage', (p: { message: string }) => {
			this.logs.push(p.message);
			this.notify();
		});
		c.onNotification('inferenceMeter/status', (p: unknown) => {
			this.status.push(p);
			this.notify();
		});
	}

	private notify(): void {
		const w = this.waiters;
		this.waiters = [];
		for (const f of w) f();
	}

	/** Resolves when `predicate` holds, re-checked after every message; rejects at the deadline. */
	async waitFor<T>(what: string, predicate: () => T | undefined, ms = 10_000): Promise<T> {
		const end = Date.now() + ms;
		for (;;) {
			const v = predicate();
			if (v !== undefined && v !== false) return v;
			const left = end - Date.now();
			if (left <= 0)
				throw new Error(`timed out after ${ms} ms waiting for ${what}\nserver log:\n${this.logs.join('\n')}`);
			await new Promise<void>((resolve) => {
				const t = setTimeout(resolve, Math.min(left, 200));
				this.waiters.push(() => {
					clearTimeout(t);
					resolve();
				});
			});
		}
	}

	/** The diagnostics published for `uri` at `version` (the latest such publication). */
	diagnosticsFor(uri: string, version: number, ms?: number): Promise<Diagnostic[]> {
		return this.waitFor(
			`diagnostics of ${uri} v${version}`,
			() => {
				const list = this.diagnostics.get(uri) ?? [];
				return list.filter((p) => p.version === version).pop()?.diagnostics;
			},
			ms,
		);
	}

	open(uri: string, languageId: string, text: string, version = 1): void {
		void this.connection.sendNotification('textDocument/didOpen', {
			textDocument: { uri, languageId, version, text },
		});
	}

	change(uri: string, version: number, text: string): void {
		void this.connection.sendNotification('textDocument/didChange', {
			textDocument: { uri, version },
			contentChanges: [{ text }],
		});
	}

	closeDocument(uri: string): void {
		void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
	}

	setSettings(settings: Record<string, unknown>): void {
		this.settings = settings;
		void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
	}

	request<R>(method: string, params: unknown, ms = 10_000): Promise<R> {
		return withDeadline(this.connection.sendRequest(method, params) as Promise<R>, ms, method);
	}

	async close(): Promise<void> {
		try {
			await withDeadline(this.connection.sendRequest('shutdown'), 3_000, 'shutdown');
			await this.connection.sendNotification('exit');
		} catch {
			// The process is killed below either way.
		}
		this.connection.dispose();
		if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
	}
}

export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	return Promise.race([
		p,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
		}),
	]).finally(() => clearTimeout(timer));
}

/** Offset of an LSP position in `text` (UTF-16, \n or \r\n line ends). */
export function offsetAt(text: string, pos: { line: number; character: number }): number {
	let offset = 0;
	for (let line = 0; line < pos.line; line++) {
		const nl = text.indexOf('\n', offset);
		if (nl < 0) return text.length;
		offset = nl + 1;
	}
	return offset + pos.character;
}

/** Applies edits (non-overlapping, any order) the way an editor does. */
export function applyEdits(text: string, edits: TextEdit[]): string {
	const withOffsets = edits.map((e) => ({
		start: offsetAt(text, e.range.start),
		end: offsetAt(text, e.range.end),
		newText: e.newText,
	}));
	withOffsets.sort((a, b) => b.start - a.start);
	let out = text;
	for (const e of withOffsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
	return out;
}

/** The text edits of a WorkspaceEdit for one document (documentChanges or changes form), and its version. */
export function editsOf(edit: WorkspaceEdit, uri: string): { edits: TextEdit[]; version?: number | null } {
	for (const dc of edit.documentChanges ?? []) {
		if ('textDocument' in dc && dc.textDocument.uri === uri)
			return { edits: dc.edits as TextEdit[], version: dc.textDocument.version };
	}
	return { edits: edit.changes?.[uri] ?? [] };
}

/** The text a range covers. */
export function textAt(
	text: string,
	range: { start: { line: number; character: number }; end: { line: number; character: number } },
): string {
	return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}
