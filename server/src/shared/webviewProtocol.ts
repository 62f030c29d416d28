/**
 * Messages between the side panel's host (client/src/panel, extension host) and its webview
 * (webview/src, browser). Both sides import this file; esbuild bundles it into each.
 *
 * Every message is `{ type, params }`. Each definition has a literal `type`, a `create()` that builds a
 * well-formed message and an `is()` guard that checks the shape of anything received, because a webview
 * message is untrusted input as far as the receiver is concerned.
 */
import type { WorkloadReport } from '../analysis/reportTypes';

export interface Message<T extends string, P> {
	type: T;
	params: P;
}

export interface MessageType<T extends string, P> {
	readonly type: T;
	create(params: P): Message<T, P>;
	is(msg: unknown): msg is Message<T, P>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function define<T extends string, P>(
	type: T,
	check: (p: Record<string, unknown>) => boolean,
): MessageType<T, P> {
	return {
		type,
		create: (params) => ({ type, params }),
		is: (msg): msg is Message<T, P> =>
			isRecord(msg) && msg.type === type && isRecord(msg.params) && check(msg.params),
	};
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const optNum = (v: unknown) => v === undefined || isNum(v);
const optStr = (v: unknown) => v === undefined || isStr(v);

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
const THEMES: readonly string[] = ['light', 'dark', 'high-contrast', 'high-contrast-light'];

/** User settings that change the numbers (mirrors the `inferenceMeter.*` settings the server reads). */
export interface PanelSettings {
	latencyTarget?: { tokensPerSecondPerUser?: number; ttftSeconds?: number };
	electricityUsdPerKwh?: number;
	amortizationYears?: number;
}

/** What a what-if changes, relative to the workload as the file has it. Absent = unchanged. */
export interface WhatIfChange {
	batch?: number;
	context?: number;
	weightFormat?: string;
	kvDtype?: string;
	devices?: number;
}

function isWhatIfChange(v: unknown): v is WhatIfChange {
	return (
		isRecord(v) &&
		optNum(v.batch) &&
		optNum(v.context) &&
		optStr(v.weightFormat) &&
		optStr(v.kvDtype) &&
		optNum(v.devices)
	);
}

// ---- host → webview ----------------------------------------------------------------------------

export interface UpdateParams {
	/** Document URI as a string; echoed back in apply requests. */
	uri: string;
	/** Workspace-relative path or file name, for the header (user data: render as text). */
	fileName: string;
	workloads: WorkloadReport[];
	/** Index of the workload under the cursor. */
	selected: number;
	/** `inferenceMeter.hardware` (catalog id) — the target when the file does not name one. */
	targetHardware: string;
	settings?: PanelSettings;
	theme?: ThemeKind;
}

/** The workloads of the active document (sent on open, editor switch, edit, cursor move, setting change). */
export const Update = define<'host/update', UpdateParams>(
	'host/update',
	(p) =>
		isStr(p.uri) &&
		isStr(p.fileName) &&
		Array.isArray(p.workloads) &&
		p.workloads.every(isRecord) &&
		isNum(p.selected) &&
		isStr(p.targetHardware) &&
		(p.settings === undefined || isRecord(p.settings)) &&
		(p.theme === undefined || THEMES.includes(p.theme as string)),
);

/** Nothing to show, and why (no editor, no workload in the file, server not running). */
export const Empty = define<'host/empty', { reason: string; targetHardware: string }>(
	'host/empty',
	(p) => isStr(p.reason) && isStr(p.targetHardware),
);

export const Theme = define<'host/theme', { kind: ThemeKind }>('host/theme', (p) =>
	THEMES.includes(p.kind as string),
);

/** The outcome of an apply request: what was written into the file and what could not be. */
export interface ApplyResultParams {
	ok: boolean;
	message: string;
	applied: string[];
	skipped: string[];
}
export const ApplyResult = define<'host/applyResult', ApplyResultParams>(
	'host/applyResult',
	(p) =>
		typeof p.ok === 'boolean' &&
		isStr(p.message) &&
		Array.isArray(p.applied) &&
		p.applied.every(isStr) &&
		Array.isArray(p.skipped) &&
		p.skipped.every(isStr),
);

/**
 * A live measurement of a running server (Measure Running Server), set against the roofline: what the meter
 * measured, and the physics' prediction for the same batch. Sent on every update while watching.
 */
export interface MeasuredParams {
	/** The /metrics URL (user data: render as text). */
	url: string;
	/** Where model, formats and hardware came from, in words. */
	basis: string;
	/** When the second scrape finished, ms since the epoch. */
	at: number;
	/** Still re-measuring every `intervalSeconds`. */
	watching: boolean;
	intervalSeconds: number;
	/** The document and workload the measurement was set against, when it came from one. */
	uri?: string;
	workload?: number;
	server: string;
	model: string | null;
	hardware: string | null;
	devices: number;
	/** Generated tokens per second, all sequences together. */
	generationTokensPerSecond: number;
	perSequenceTokensPerSecond: number | null;
	runningRequests: number;
	/** Sequences per decode step the rates imply. */
	batch: number;
	/** Tokens in each sequence's KV the bytes assume, and how that was found. */
	context: number;
	contextSource: string;
	stepsPerSecond: number | null;
	bytesPerStep: number | null;
	achievedBandwidthGBs: number | null;
	peakBandwidthGBs: number | null;
	/** Achieved FLOP/s, all devices together, in TFLOP/s. */
	achievedTflops: number | null;
	mbu: number | null;
	mfu: number | null;
	/** The physics' tok/s (all sequences) at the measured batch, and the pure roofline. */
	expectedTokensPerSecond: number | null;
	rooflineTokensPerSecond: number | null;
	verdict: string;
	verdictText: string;
	/** The last scrape failure while watching (the numbers above are from the last success). */
	lastError?: string;
}

const optNumOrNull = (v: unknown) => v === undefined || v === null || isNum(v);

export const Measured = define<'host/measured', MeasuredParams>(
	'host/measured',
	(p) =>
		isStr(p.url) &&
		isStr(p.basis) &&
		isNum(p.at) &&
		typeof p.watching === 'boolean' &&
		isNum(p.intervalSeconds) &&
		isNum(p.generationTokensPerSecond) &&
		isNum(p.runningRequests) &&
		isNum(p.batch) &&
		isNum(p.devices) &&
		isStr(p.verdict) &&
		isStr(p.verdictText) &&
		optNum(p.workload) &&
		optStr(p.uri) &&
		optStr(p.lastError) &&
		(
			['mbu', 'mfu', 'achievedTflops', 'bytesPerStep', 'stepsPerSecond', 'achievedBandwidthGBs'] as const
		).every((k) => optNumOrNull(p[k])),
);

// ---- webview → host ----------------------------------------------------------------------------

/** The webview's script is running and listening; the host flushes what it queued. */
export const Ready = define<'webview/ready', { version: number }>('webview/ready', (p) => isNum(p.version));

/** The user chose a table row: make that device the target (`inferenceMeter.hardware`). */
export const SetTarget = define<'webview/setTarget', { hardwareId: string }>(
	'webview/setTarget',
	(p) => isStr(p.hardwareId) && /^[a-z0-9][a-z0-9._-]{0,80}$/.test(p.hardwareId),
);

/** "Apply to file": write the what-if change into the document the workload came from. */
export const ApplyWhatIf = define<
	'webview/applyWhatIf',
	{ uri: string; workload: number; change: WhatIfChange }
>('webview/applyWhatIf', (p) => isStr(p.uri) && isNum(p.workload) && isWhatIfChange(p.change));

/** Reveal a workload's range in its editor (clicking the header's location). */
export const Reveal = define<'webview/reveal', { uri: string; workload: number }>(
	'webview/reveal',
	(p) => isStr(p.uri) && isNum(p.workload),
);

/** An exception inside the webview, so the host can log it (the webview has no output channel). */
export const WebviewError = define<'webview/error', { message: string }>('webview/error', (p) =>
	isStr(p.message),
);

/** Bumped when the webview's persisted state changes shape; older state is dropped on restore. */
export const STATE_VERSION = 1;
export const PROTOCOL_VERSION = 1;

/** The panel's `viewType`; `onWebviewPanel:inferenceMeter.panel` activates the extension to restore it. */
export const PANEL_VIEW_TYPE = 'inferenceMeter.panel';
