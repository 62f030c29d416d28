/**
 * Custom messages between the extension (client/src) and the language server (server/src/lsp), plus the
 * constants both sides must agree on (re-exported from ./constants). Both sides import this one file;
 * esbuild bundles it into each. The extension's activation code imports ./constants directly, so the
 * protocol library loads only with the language client.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { FileReport, Range } from '../analysis/reportTypes';
import type { SpectrumClass } from '../analysis/catalog/types';
import type { LiveReport } from '../meter/liveMeter';
import type { WhatIfChange } from './webviewProtocol';

export * from './constants';

export interface TextDocumentParams {
	textDocument: { uri: string };
}

/**
 * Client → server: the analysis of one open document, with estimates, in the `analyze --format json` file
 * shape. `null` when the document is not open on the server or holds no workload the server could read.
 */
export const EstimateRequest = {
	method: 'inferenceMeter/estimate',
	type: new RequestType<TextDocumentParams, FileReport | null, void>('inferenceMeter/estimate'),
} as const;

/** One catalog device, as the hardware quick pick and the bandwidth table show it. */
export interface HardwareSummary {
	id: string;
	name: string;
	vendor: string;
	spectrum: SpectrumClass;
	deviceClass: string;
	memoryType: string;
	/** Decimal GB per device. */
	memoryGB: number;
	/** Decimal GB/s per device. */
	bandwidthGBs: number;
	origin?: string;
}

export interface ModelSummary {
	id: string;
	paramsTotal: number;
	paramsActive: number;
	maxContext: number;
	nativeDtype?: string;
}

/** Client → server: the catalog the server uses (built-in merged with the user catalog setting). */
export const CatalogRequest = {
	method: 'inferenceMeter/catalog',
	type: new RequestType<{ scopeUri?: string }, CatalogSummary, void>('inferenceMeter/catalog'),
} as const;

export interface CatalogSummary {
	hardware: HardwareSummary[];
	models: ModelSummary[];
	/** Problems reading the user catalog, in words. */
	errors: string[];
}

export interface DecodeBandwidthParams {
	/** The workload under the cursor: document + position (UTF-16, as LSP). */
	textDocument?: { uri: string };
	position?: { line: number; character: number };
	/** Or a model picked by catalog id (used when no document/position is given). */
	modelId?: string;
	/** Defaults to the `latencyTarget.tokensPerSecondPerUser` setting. */
	tokensPerSecondPerUser?: number;
}

export interface DeviceRoofline {
	id: string;
	name: string;
	spectrum: SpectrumClass;
	/** Decimal GB/s per device. */
	bandwidthGBs: number;
	/** Tokens per second per user if every byte streams at peak bandwidth (one device). */
	rooflineTokensPerSecond: number;
	/** Whether weights + KV fit the device's memory (one device). */
	fitsMemory: boolean;
	meetsTarget: boolean;
}

export interface DecodeBandwidthResult {
	/** Where the numbers came from: 'workload' (the file) or 'model' (picked). */
	basis: 'workload' | 'model';
	modelId: string;
	weightsFormat: string;
	kvDtype: string;
	batch: number;
	context: number;
	/** Bytes streamed per decode step (one token for each of `batch` users), bytes. */
	bytesPerStep: number;
	weightBytes: number;
	kvBytesPerToken: number;
	tokensPerSecondPerUser: number;
	/** bytesPerStep × target tok/s, decimal GB/s. */
	requiredBandwidthGBs: number;
	devices: DeviceRoofline[];
	assumptions: string[];
}

/** Client → server: bytes per token and each catalog device's roofline for a workload or a model. */
export const DecodeBandwidthRequest = {
	method: 'inferenceMeter/decodeBandwidth',
	type: new RequestType<DecodeBandwidthParams, DecodeBandwidthResult | { error: string }, void>(
		'inferenceMeter/decodeBandwidth',
	),
} as const;

export interface WhatIfEditsParams extends TextDocumentParams {
	/** Index into the document's workloads (as in the estimate report). */
	workload: number;
	change: WhatIfChange;
}

/**
 * Client → server: edits that apply a panel what-if in the file's own syntax, inserting settings the file
 * does not write yet. `null` when some change cannot be placed (the panel then uses its own plan).
 */
export const WhatIfEditsRequest = {
	method: 'inferenceMeter/whatIfEdits',
	type: new RequestType<WhatIfEditsParams, { range: Range; newText: string }[] | null, void>(
		'inferenceMeter/whatIfEdits',
	),
} as const;

export interface MeterLiveParams {
	/** The /metrics URL the user typed and confirmed (http/https only). */
	url: string;
	/** Seconds between the two scrapes; defaults to the `meter.intervalSeconds` setting. */
	intervalSeconds?: number;
	/** The document whose workload supplies model, formats and hardware (else: metrics labels + settings). */
	textDocument?: { uri: string };
	/** Index into that document's workloads; default the first one with an estimate. */
	workload?: number;
}

export interface MeterLiveResult {
	report: LiveReport;
	/** Where model, weights and hardware came from, in words ("samples/x.yaml workload 1", "settings"). */
	basis: string;
	/** The workload the measurement was set against, when it came from a document. */
	uri?: string;
	workload?: number;
}

/**
 * Client → server: scrape a running server's /metrics twice (`intervalSeconds` apart), derive rates and set
 * them against the roofline. Sent only on the user's explicit command; the server never scrapes on its own.
 */
export const MeterLiveRequest = {
	method: 'inferenceMeter/meterLive',
	type: new RequestType<MeterLiveParams, MeterLiveResult | { error: string }, void>(
		'inferenceMeter/meterLive',
	),
} as const;

export type ServerState = 'ready' | 'analyzing' | 'error';

export interface StatusParams {
	state: ServerState;
	/** Target hardware id from the settings (what the status item shows). */
	hardware: string;
	message?: string;
}

/** Server → client: drives the language status item (busy spinner, error severity). */
export const StatusNotification = {
	method: 'inferenceMeter/status',
	type: new NotificationType<StatusParams>('inferenceMeter/status'),
} as const;
