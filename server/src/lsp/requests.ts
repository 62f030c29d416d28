/**
 * Request handlers: hover, code lens, code actions and the custom `inferenceMeter/*` requests. Each reads
 * the cached analysis of the document's current version; none runs an analysis of its own.
 */
import type { Diagnostic, Hover, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { detectFileKind } from '../analysis/extract/detect';
import { commentStyleFor } from '../analysis/suppress/directives';
import { suppressionEdit } from '../analysis/suppress/insert';
import { pathOf } from './analysisCache';
import { toFileReport } from '../analysis/report';
import {
	CatalogRequest,
	DecodeBandwidthRequest,
	EstimateRequest,
	MeterLiveRequest,
	WhatIfEditsRequest,
	type DecodeBandwidthParams,
	type DecodeBandwidthResult,
} from '../shared/protocol';
import { registerAgentTools } from './agentTools';
import { catalogView, summarize } from './catalogAccess';
import { codeActionsFor } from './codeActions';
import { codeLenses } from './codeLens';
import { decodeBandwidth, inputsFromEstimate, inputsFromModel } from './decodeBandwidth';
import { rangeOf } from './diagnostics';
import { findHoverTarget, hoverMarkdown } from './hover';
import { runMeterLive } from './meterLive';
import { whatIfEdits } from './whatIf';
import type { ServerContext } from './server';

/** The edit inserting `inference-meter-disable-next-line CODE` above the diagnostic, in the file's syntax. */
function suppressionFor(doc: TextDocument | undefined, d: Diagnostic): TextEdit | undefined {
	if (!doc) return undefined;
	const text = doc.getText();
	const style = commentStyleFor(detectFileKind(pathOf(doc.uri), text, doc.languageId));
	const edit = suppressionEdit(text, style, doc.offsetAt(d.range.start), String(d.code));
	return edit && { range: rangeOf(doc, edit.span), newText: edit.newText };
}

/** Runs a handler and turns an exception into a logged, empty answer: one bad request never kills the server. */
export function guarded<P, R>(
	ctx: ServerContext,
	name: string,
	empty: R,
	fn: (p: P) => Promise<R>,
): (p: P) => Promise<R> {
	return async (p: P) => {
		try {
			return await fn(p);
		} catch (e) {
			ctx.connection.console.error(
				`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
			);
			return empty;
		}
	};
}

async function catalogFor(ctx: ServerContext, uri: string | undefined) {
	const s = uri ? await ctx.settings.get(uri) : await ctx.settings.global();
	return { settings: s, loaded: ctx.catalogs.load(s.userCatalog) };
}

async function hover(
	ctx: ServerContext,
	uri: string,
	position: { line: number; character: number },
): Promise<Hover | null> {
	const current = await ctx.analysisOf(uri);
	if (!current || current.analysis.workloads.length === 0) return null;
	const target = findHoverTarget(current.analysis, current.doc.offsetAt(position));
	if (!target) return null;
	const { loaded } = await catalogFor(ctx, uri);
	return {
		contents: { kind: 'markdown', value: hoverMarkdown(target, catalogView(loaded.catalog)) },
		range: rangeOf(current.doc, target.span),
	};
}

async function bandwidth(
	ctx: ServerContext,
	params: DecodeBandwidthParams,
): Promise<DecodeBandwidthResult | { error: string }> {
	const uri = params.textDocument?.uri;
	const { settings, loaded } = await catalogFor(ctx, uri);
	const target = params.tokensPerSecondPerUser ?? settings.latencyTarget.tokensPerSecondPerUser;
	let inputs: ReturnType<typeof inputsFromModel> | undefined;
	if (params.modelId) inputs = inputsFromModel(params.modelId, loaded.catalog);
	else if (uri) {
		const current = await ctx.analysisOf(uri);
		if (!current) return { error: 'The document is not open in the language server.' };
		const offset = params.position ? current.doc.offsetAt(params.position) : 0;
		const ws = current.analysis.workloads.filter((w) => w.estimate);
		const under = ws.find(
			(w) => offset >= w.workload.span.offset && offset <= w.workload.span.offset + w.workload.span.length,
		);
		const chosen = under ?? (ws.length === 1 ? ws[0] : undefined);
		if (!chosen?.estimate) return { error: 'No estimated workload under the cursor.' };
		inputs = inputsFromEstimate(chosen.estimate, loaded.catalog);
	}
	if (!inputs) return { error: 'Give a document position or a model id.' };
	if ('error' in inputs) return inputs;
	return decodeBandwidth(inputs, loaded.catalog, target);
}

export function registerRequests(ctx: ServerContext): void {
	const { connection } = ctx;
	connection.onHover(guarded(ctx, 'hover', null, (p) => hover(ctx, p.textDocument.uri, p.position)));
	connection.onCodeLens(
		guarded(ctx, 'codeLens', [], async (p) => {
			const current = await ctx.analysisOf(p.textDocument.uri);
			if (!current) return [];
			const { loaded } = await catalogFor(ctx, p.textDocument.uri);
			return codeLenses(current.doc, current.analysis, catalogView(loaded.catalog));
		}),
	);
	connection.onCodeAction(
		guarded(ctx, 'codeAction', [], async (p) =>
			codeActionsFor(p, {
				documentChanges: ctx.capabilities.documentChanges,
				currentVersion: ctx.documents.get(p.textDocument.uri)?.version,
				suppression: (d) => suppressionFor(ctx.documents.get(p.textDocument.uri), d),
			}),
		),
	);
	connection.onRequest(
		EstimateRequest.type,
		guarded(ctx, EstimateRequest.method, null, async (p) => {
			const current = await ctx.analysisOf(p.textDocument.uri);
			return current ? toFileReport(current.analysis, current.doc.getText()) : null;
		}),
	);
	connection.onRequest(
		WhatIfEditsRequest.type,
		guarded(ctx, WhatIfEditsRequest.method, null, async (p) => {
			const current = await ctx.analysisOf(p.textDocument.uri);
			const w = current?.analysis.workloads[p.workload]?.workload;
			if (!current || !w) return null;
			const edits = whatIfEdits(current.doc.getText(), w, p.change);
			return edits?.map((e) => ({ range: rangeOf(current.doc, e.span), newText: e.newText })) ?? null;
		}),
	);
	connection.onRequest(
		CatalogRequest.type,
		guarded(
			ctx,
			CatalogRequest.method,
			{ hardware: [], models: [], errors: ['catalog unavailable'] },
			async (p) => summarize((await catalogFor(ctx, p.scopeUri)).loaded),
		),
	);
	connection.onRequest(
		MeterLiveRequest.type,
		guarded(ctx, MeterLiveRequest.method, { error: 'internal error (see the log)' }, async (p) => {
			const uri = p.textDocument?.uri;
			const { settings, loaded } = await catalogFor(ctx, uri);
			const current = uri ? await ctx.analysisOf(uri) : undefined;
			const documentName = uri ? decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1)) : undefined;
			return runMeterLive(p, {
				settings,
				catalog: loaded.catalog,
				analysis: current?.analysis,
				documentName,
			});
		}),
	);
	registerAgentTools(ctx, guarded);
	connection.onRequest(
		DecodeBandwidthRequest.type,
		guarded(ctx, DecodeBandwidthRequest.method, { error: 'internal error (see the log)' }, (p) =>
			bandwidth(ctx, p),
		),
	);
}
