// A minimal LSP client for the benchmark: spawns a server over stdio, answers the requests servers send
// to clients (configuration, capability registration, refreshes), records every publishDiagnostics with
// its arrival time, and always kills the process on close.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import protocol from 'vscode-languageserver-protocol/node';

const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = protocol;

/** Servers still running: killed when the benchmark exits however it exits. */
const live = new Set();
process.on('exit', () => {
	for (const p of live) p.kill('SIGKILL');
});

/** Rejects after `ms` so that a server that never answers cannot hang the benchmark. */
export function deadline(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class BenchClient {
	/**
	 * @param {string[]} argv node arguments (script first)
	 * @param {{ root: string, settings: Record<string, unknown> }} o settings answered per section
	 */
	constructor(argv, { root, settings }) {
		this.root = root;
		this.settings = settings;
		this.spawnedAt = performance.now();
		this.proc = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
		live.add(this.proc);
		this.proc.once('exit', () => live.delete(this.proc));
		this.stderr = '';
		this.proc.stderr.on('data', (d) => (this.stderr = (this.stderr + d).slice(-4000)));
		this.exited = new Promise((resolve) => this.proc.once('exit', resolve));
		this.connection = createProtocolConnection(
			new StreamMessageReader(this.proc.stdout),
			new StreamMessageWriter(this.proc.stdin),
		);
		/** @type {((p: { uri: string, version?: number, diagnostics: unknown[] }, at: number) => void)[]} */
		this.listeners = [];
		this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
			const at = performance.now();
			for (const l of [...this.listeners]) l(p, at);
		});
		this.connection.onRequest('workspace/configuration', (p) =>
			p.items.map((item) => (item.section ? (this.settings[item.section] ?? null) : this.settings)),
		);
		for (const m of [
			'client/registerCapability',
			'client/unregisterCapability',
			'window/workDoneProgress/create',
		])
			this.connection.onRequest(m, () => null);
		for (const m of [
			'workspace/codeLens/refresh',
			'workspace/diagnostic/refresh',
			'workspace/semanticTokens/refresh',
		])
			this.connection.onRequest(m, () => null);
		this.connection.onNotification(() => undefined);
		this.connection.onError(() => undefined);
		this.connection.listen();
		this.versions = new Map();
	}

	/** initialize → result (resolves with the time from spawn), then initialized. */
	async initialize() {
		const uri = pathToFileURL(this.root).href;
		await deadline(
			this.connection.sendRequest('initialize', {
				processId: process.pid,
				rootUri: uri,
				workspaceFolders: [{ uri, name: 'bench' }],
				capabilities: {
					workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
					textDocument: {
						synchronization: { dynamicRegistration: true },
						publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
					},
				},
			}),
			30_000,
			'initialize',
		);
		const startMs = performance.now() - this.spawnedAt;
		this.connection.sendNotification('initialized', {});
		return startMs;
	}

	/** The next publishDiagnostics for `uri` accepted by `accept`, with its arrival time. */
	nextDiagnostics(uri, accept = () => true, ms = 30_000) {
		let listener;
		const p = new Promise((resolve) => {
			listener = (params, at) => {
				if (params.uri === uri && accept(params)) resolve({ params, at });
			};
			this.listeners.push(listener);
		});
		return deadline(p, ms, `diagnostics for ${uri}`).finally(() => {
			this.listeners = this.listeners.filter((l) => l !== listener);
		});
	}

	open(file, languageId) {
		const uri = pathToFileURL(file).href;
		const text = readFileSync(file, 'utf8');
		this.versions.set(uri, 1);
		this.connection.sendNotification('textDocument/didOpen', {
			textDocument: { uri, languageId, version: 1, text },
		});
		return { uri, text };
	}

	/** Sends one incremental change; returns the new version and the time it was sent. */
	change(uri, range, text) {
		const version = this.versions.get(uri) + 1;
		this.versions.set(uri, version);
		const sentAt = performance.now();
		this.connection.sendNotification('textDocument/didChange', {
			textDocument: { uri, version },
			contentChanges: [{ range, text }],
		});
		return { version, sentAt };
	}

	/** Resident memory of the server now and at its peak, in MB (10^6 bytes), from /proc. */
	memory() {
		const status = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
		const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { rssMb: (kb('VmRSS') * 1024) / 1e6, peakMb: (kb('VmHWM') * 1024) / 1e6 };
	}

	/** shutdown/exit when the server answers, SIGKILL otherwise; always waits for the process to end. */
	async close() {
		try {
			await deadline(this.connection.sendRequest('shutdown'), 3000, 'shutdown');
			this.connection.sendNotification('exit');
		} catch {
			// Killed below.
		}
		const killer = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
		if (this.proc.exitCode === null && this.proc.signalCode === null) await this.exited;
		clearTimeout(killer);
		this.connection.dispose();
	}
}
