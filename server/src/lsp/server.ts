/**
 * Wires the language server: capabilities, document sync, debounced push diagnostics, and the request
 * handlers. Analysis is injected (`ServerDeps`) so the wiring holds no physics and tests can see timing.
 */
import {
	CodeLensRefreshRequest,
	DidChangeConfigurationNotification,
	DidChangeWatchedFilesNotification,
	TextDocumentSyncKind,
	TextDocuments,
	type Connection,
	type InitializeParams,
	type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisOptions, DocumentAnalysis } from '../analysis/types';
import { toAnalysisOptions } from '../shared/settings';
import { detectLocalMachine } from '../shared/localMachine';
import { StatusNotification, type ServerState } from '../shared/protocol';
import { AnalysisCache, pathOf } from './analysisCache';
import { CatalogAccess } from './catalogAccess';
import { toDiagnostics } from './diagnostics';
import { registerRequests } from './requests';
import { SettingsStore } from './settingsStore';
import { WorkspaceHost } from './workspaceHost';
import { ProjectConfigs } from './projectConfigs';
import { configFindings } from '../analysis/analyze';
import { resolveHardware } from '../analysis/catalog';
import { isProjectConfigPath } from '../analysis/config/configFinder';
import { projectOptions } from '../analysis/config';
import { pathToFileURL } from 'node:url';

/** The config file names, as the client's file watcher glob. */
const CONFIG_GLOB = '**/.inference-meter.{yaml,yml,json}';

const pathToUri = (p: string): string => pathToFileURL(p).href;

export interface ServerDeps {
	analyze(
		doc: { path: string; text: string; languageId?: string },
		options: AnalysisOptions,
	): Promise<DocumentAnalysis>;
	mayHoldWorkload(text: string): boolean;
	/** Delay between the last keystroke and the analysis. */
	debounceMs: number;
}

/** Everything the request handlers share. */
export interface ServerContext {
	connection: Connection;
	documents: TextDocuments<TextDocument>;
	settings: SettingsStore;
	cache: AnalysisCache;
	catalogs: CatalogAccess;
	capabilities: { documentChanges: boolean };
	/** The analysis of the document's current version, and a snapshot of that text for range conversion. */
	analysisOf(uri: string): Promise<{ doc: TextDocument; analysis: DocumentAnalysis } | undefined>;
}

/** The file-system path of a `file:` URI (Windows drive letters included), else undefined. */
function uriToPath(uri: string): string | undefined {
	return uri.startsWith('file:') ? pathOf(uri) : undefined;
}

/** How long an analysis runs before the status item says "analyzing". */
const ANALYZING_AFTER_MS = 200;

export function startServer(connection: Connection, deps: ServerDeps): void {
	const documents = new TextDocuments(TextDocument);
	let canPull = false;
	let dynamicConfig = false;
	let folderEvents = false;
	let lensRefresh = false;
	let watchedFiles = false;
	let roots: string[] = [];
	const capabilities = { documentChanges: false };
	const settings = new SettingsStore(connection, () => canPull);
	const catalogs = new CatalogAccess(() => roots);
	const timers = new Map<string, NodeJS.Timeout>();
	let state: ServerState = 'ready';

	const status = (next: ServerState, message?: string): void => {
		state = next;
		void settings
			.global()
			.then((s) =>
				connection.sendNotification(StatusNotification.type, { state, hardware: s.hardware, message }),
			);
	};

	const projectConfigs = new ProjectConfigs({
		roots: () => roots,
		openText: (p) =>
			documents
				.all()
				.find((d) => uriToPath(d.uri) === p)
				?.getText(),
		problems: (p, text, problems) => {
			const doc = TextDocument.create(pathToUri(p), 'yaml', 0, text);
			void connection.sendDiagnostics({
				uri: doc.uri,
				diagnostics: toDiagnostics(doc, configFindings(problems)),
			});
		},
	});

	const cache = new AnalysisCache({
		analyze: deps.analyze,
		mayHoldWorkload: deps.mayHoldWorkload,
		// Settings and project configs change independently; both counters only grow, so their sum does too.
		generation: () => settings.generation + projectConfigs.generation,
		log: (m) => connection.console.log(m),
		failed: (uri, message) => status('error', `${uri}: ${message}`),
		late: (uri) => publishNow(uri),
		options: async (uri, path) => {
			const s = await settings.get(uri);
			const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) || '/' : undefined;
			const loaded = catalogs.load(s.userCatalog);
			for (const e of loaded.errors) connection.console.warn(e);
			const userCatalogFile = s.userCatalog.startsWith('/') ? [s.userCatalog] : [];
			const project = projectConfigs.forDocument(uriToPath(uri), (id) => {
				const r = resolveHardware(id, loaded.catalog);
				return r.ok ? undefined : r.message;
			});
			return {
				...toAnalysisOptions(s),
				project: projectOptions(project),
				catalog: loaded.catalog,
				// llama.cpp / Ollama run where the editor runs: target this machine when it is in the catalog.
				localHardwareId: detectLocalMachine(loaded.catalog)?.hardwareId,
				host: new WorkspaceHost(roots, uriToPath(uri) ? dir : undefined, userCatalogFile),
				// The analysis stops itself at the budget with a finding; the hard timeout is the backstop for
				// one stage that runs long on its own.
				timeBudgetMs: s.analysisTimeoutMs,
				timeoutMs: s.analysisTimeoutMs * 2,
			};
		},
	});

	const ctx: ServerContext = {
		connection,
		documents,
		settings,
		cache,
		catalogs,
		capabilities,
		analysisOf: async (uri) => {
			const doc = documents.get(uri);
			if (!doc) return undefined;
			const run = cache.get(doc);
			const analysis = await run.result;
			return { doc: TextDocument.create(uri, doc.languageId, run.version, run.text), analysis };
		},
	};

	async function publish(uri: string): Promise<void> {
		const doc = documents.get(uri);
		if (!doc) return;
		const run = cache.get(doc);
		// Only an analysis still running after a moment shows "analyzing": announcing every one put a message
		// ahead of the diagnostics and made the status item spin on each keystroke (docs/performance.md).
		const slow = setTimeout(() => state !== 'analyzing' && status('analyzing'), ANALYZING_AFTER_MS);
		const analysis = await run.result.finally(() => clearTimeout(slow));
		// A newer version is on its way; its own publish will report it.
		if (documents.get(uri)?.version !== run.version) return;
		const snapshot = TextDocument.create(uri, doc.languageId, run.version, run.text);
		await connection.sendDiagnostics({
			uri,
			version: run.version,
			diagnostics: toDiagnostics(snapshot, analysis.findings),
		});
		if (state === 'analyzing') status('ready');
	}

	const publishNow = (uri: string): void => {
		clearTimeout(timers.get(uri));
		timers.delete(uri);
		publish(uri).catch((e: unknown) => connection.console.error(`publishing ${uri} failed: ${String(e)}`));
	};

	const schedule = (uri: string): void => {
		clearTimeout(timers.get(uri));
		timers.set(
			uri,
			setTimeout(() => publishNow(uri), deps.debounceMs),
		);
	};

	connection.onInitialize((params: InitializeParams): InitializeResult => {
		const caps = params.capabilities;
		canPull = !!caps.workspace?.configuration;
		dynamicConfig = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
		capabilities.documentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
		folderEvents = !!caps.workspace?.workspaceFolders;
		lensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
		watchedFiles = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
		roots = (params.workspaceFolders ?? [])
			.map((f) => uriToPath(f.uri))
			.filter((p): p is string => p !== undefined);
		if (roots.length === 0 && params.rootUri)
			roots = [uriToPath(params.rootUri)].filter((p): p is string => !!p);
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
				hoverProvider: true,
				codeLensProvider: { resolveProvider: false },
				codeActionProvider: { codeActionKinds: ['quickfix'], resolveProvider: false },
				workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
			},
			serverInfo: { name: 'inference-meter', version: '0.1.0' },
		};
	});

	connection.onInitialized(() => {
		// Re-read .inference-meter.yaml when it changes on disk (the client's file watcher reports it).
		if (watchedFiles)
			void connection.client.register(DidChangeWatchedFilesNotification.type, {
				watchers: [{ globPattern: CONFIG_GLOB }],
			});
		if (dynamicConfig)
			void connection.client.register(DidChangeConfigurationNotification.type, { section: 'inferenceMeter' });
		if (folderEvents)
			connection.workspace.onDidChangeWorkspaceFolders((e) => {
				const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
				const added = e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
				roots = [...roots.filter((r) => !removed.has(r)), ...added];
			});
		status('ready');
	});

	connection.onDidChangeConfiguration((change) => {
		settings.changed(change.settings);
		for (const doc of documents.all()) publishNow(doc.uri);
		// Lenses show numbers for the target hardware; VS Code re-asks only when told to.
		if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
		status(state === 'error' ? 'ready' : state);
	});

	/** A project config changed: every open document may now have another target or severities. */
	const configChanged = (p?: string): void => {
		projectConfigs.changed(p);
		for (const doc of documents.all()) if (!isProjectConfigPath(uriToPath(doc.uri) ?? '')) schedule(doc.uri);
		if (lensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
	};
	connection.onDidChangeWatchedFiles((e) => {
		const configs = e.changes
			.map((c) => uriToPath(c.uri))
			.filter((p): p is string => !!p && isProjectConfigPath(p));
		for (const p of configs) configChanged(p);
	});

	documents.onDidOpen((e) => publishNow(e.document.uri));
	documents.onDidChangeContent((e) => {
		// Unsaved edits to an open config apply to the other documents as they are typed.
		const p = uriToPath(e.document.uri);
		if (p && isProjectConfigPath(p) && cache.peek(e.document.uri)?.version !== e.document.version)
			configChanged(p);
		// didOpen also fires a content change; the open handler already published that version.
		if (timers.has(e.document.uri) || cache.peek(e.document.uri)?.version !== e.document.version)
			schedule(e.document.uri);
	});
	documents.onDidClose((e) => {
		clearTimeout(timers.get(e.document.uri));
		timers.delete(e.document.uri);
		cache.forget(e.document.uri);
		settings.forget(e.document.uri);
		const closed = uriToPath(e.document.uri);
		if (closed && isProjectConfigPath(closed)) configChanged(closed);
		void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
	});

	registerRequests(ctx);
	documents.listen(connection);
	connection.onShutdown(() => {
		for (const t of timers.values()) clearTimeout(t);
		timers.clear();
	});
	connection.listen();
}
