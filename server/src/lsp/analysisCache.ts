/**
 * Runs the analysis for an open document, at most once per (document version, settings generation), with a
 * time limit. A document with no engine keyword skips the analysis entirely. A failure of the whole
 * analysis is logged and turns into an empty result — stale findings disappear, the server stays up.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisOptions, DocumentAnalysis } from '../analysis/types';
import { isProjectConfigPath } from '../analysis/config/configFinder';

export interface AnalysisRun {
	version: number;
	generation: number;
	/** Text the analysis read (spans index into it). */
	text: string;
	result: Promise<DocumentAnalysis>;
}

export interface AnalysisDeps {
	analyze(
		doc: { path: string; text: string; languageId?: string },
		options: AnalysisOptions,
	): Promise<DocumentAnalysis>;
	/** Cheap test that the text may hold a workload; false means no analysis at all. */
	mayHoldWorkload(text: string): boolean;
	options(uri: string, path: string): Promise<AnalysisOptions & { timeoutMs: number }>;
	generation(): number;
	log(message: string): void;
	/** Called when the analysis throws or times out (status item turns red). */
	failed(uri: string, message: string): void;
	/** A timed-out analysis finished after all; its result is now cached for the version it read. */
	late?(uri: string): void;
}

export function emptyAnalysis(path: string): DocumentAnalysis {
	return { path, workloads: [], findings: [] };
}

/** Maps a document URI to the path the analysis sees (file name drives the extractor choice). */
export function pathOf(uri: string): string {
	try {
		const u = new URL(uri);
		if (u.protocol === 'file:') {
			// fileURLToPath is node-only and strict about hosts; decoding the pathname is enough here.
			const p = decodeURIComponent(u.pathname);
			return /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
		}
		return decodeURIComponent(u.pathname) || uri;
	} catch {
		return uri;
	}
}

class TimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new TimeoutError(`analysis took longer than ${ms} ms`)), ms);
	});
	return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class AnalysisCache {
	private readonly runs = new Map<string, AnalysisRun>();
	/** How many analyses actually ran (not served from cache); tests read it through the server log. */
	analysesRun = 0;

	constructor(private readonly deps: AnalysisDeps) {}

	/** The analysis of this exact document version under the current settings (cached). */
	get(doc: TextDocument): AnalysisRun {
		const generation = this.deps.generation();
		const cached = this.runs.get(doc.uri);
		if (cached && cached.version === doc.version && cached.generation === generation) return cached;
		const text = doc.getText();
		const run: AnalysisRun = {
			version: doc.version,
			generation,
			text,
			result: this.run(doc, text, generation),
		};
		this.runs.set(doc.uri, run);
		return run;
	}

	/** The last run, whatever its version (for requests that must not wait for a new analysis). */
	peek(uri: string): AnalysisRun | undefined {
		return this.runs.get(uri);
	}

	forget(uri: string): void {
		this.runs.delete(uri);
	}

	private async run(doc: TextDocument, text: string, generation: number): Promise<DocumentAnalysis> {
		const path = pathOf(doc.uri);
		// A project config (.inference-meter.yaml) names no engine but is still checked.
		if (!this.deps.mayHoldWorkload(text) && !isProjectConfigPath(path)) return emptyAnalysis(path);
		const { uri, version } = doc;
		const started = Date.now();
		let pending: Promise<DocumentAnalysis> | undefined;
		try {
			const { timeoutMs, ...options } = await this.deps.options(uri, path);
			this.analysesRun++;
			pending = this.deps.analyze({ path, text, languageId: doc.languageId }, options);
			const result = await withTimeout(pending, timeoutMs);
			this.deps.log(
				`analyzed ${uri} v${version}: ${result.workloads.length} workload(s), ` +
					`${result.findings.length} finding(s) in ${Date.now() - started} ms`,
			);
			return result;
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			this.deps.log(
				`analysis of ${uri} v${version} failed: ${e instanceof Error ? (e.stack ?? message) : message}`,
			);
			this.deps.failed(uri, message);
			if (e instanceof TimeoutError && pending) this.adoptLate(uri, version, generation, pending, started);
			return emptyAnalysis(path);
		}
	}

	/**
	 * The time limit cannot stop an analysis already running in this process; when it does finish (a cold
	 * start loading a parser, a slow machine), its result replaces the empty one for that same version.
	 */
	private adoptLate(
		uri: string,
		version: number,
		generation: number,
		pending: Promise<DocumentAnalysis>,
		started: number,
	): void {
		pending.then(
			(result) => {
				const run = this.runs.get(uri);
				if (!run || run.version !== version || run.generation !== generation) return;
				run.result = Promise.resolve(result);
				this.deps.log(`analyzed ${uri} v${version} late, in ${Date.now() - started} ms`);
				this.deps.late?.(uri);
			},
			() => undefined,
		);
	}
}
