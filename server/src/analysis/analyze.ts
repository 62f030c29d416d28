/**
 * The pipeline for one document: extract → resolve → estimate → rules. Pure apart from the injected
 * host; the CLI, the language server and the panel all call this.
 */
import {
	getCatalog,
	modelFromHfConfig,
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
} from './catalog';
import type { Catalog } from './catalog';
import { detectFileKind, extractWorkloads } from './extract';
import type { ExtractInput, ExtractResult } from './extract';
import { applyEngineDefaults } from './extract/engineDefaults';
import { readLocalGguf } from './gguf';
import { TimeBudget, capFindings, checkSettingRanges, parserOutOfStack, preflight } from './limits';
import { DEFAULT_PRICING, estimate } from './physics';
import type { Estimate, EstimateInput } from './physics/types';
import type { ResolveApi, ResolvedWorkload } from './resolve';
import { resolveWorkload } from './resolve';
import { applySeverities, runRules } from './rules';
import type { RuleContext } from './rules/types';
import type { AnalysisOptions, AnalyzedWorkload, DocumentAnalysis, Finding } from './types';
import { runnableBatch, startupFit } from './startupFit';

export interface DocumentInput {
	path: string;
	text: string;
	languageId?: string;
}

// 5 MB in decimal units, like the editor's maxFileSizeMb setting, so the message says "5.0 MB".
export const DEFAULT_MAX_FILE_BYTES = 5_000_000;

/** Everything the pipeline calls besides extraction; tests may pass their own estimator. */
export interface PipelineApi extends ResolveApi {
	estimate(input: EstimateInput): Estimate;
}

export async function analyzeDocument(
	doc: DocumentInput,
	options: AnalysisOptions = {},
): Promise<DocumentAnalysis> {
	return runPipeline(doc, options, realApi(options.catalog ?? getCatalog()));
}

/** The catalog and physics modules behind the pipeline's injected API. */
export function realApi(catalog: Catalog): PipelineApi {
	return {
		resolveModel: (q) => resolveModel(q, catalog),
		modelFromHfConfig,
		readLocalGguf: (host, path) => readLocalGguf(host, path),
		format: (name) => resolveFormat(name, catalog),
		kv: (name) => resolveKvDtype(name, catalog),
		hardware: (id) => {
			const r = resolveHardware(id, catalog);
			return r.ok ? r : { ok: false, suggestions: r.suggestions, message: r.message };
		},
		applyEngineDefaults,
		defaultPricing: DEFAULT_PRICING,
		estimate: (input) => estimate(input, catalog.hardware),
	};
}

/** The pipeline with its stages injectable: tests hand it their own workloads or estimator. */
export async function runPipeline(
	doc: DocumentInput,
	options: AnalysisOptions,
	api: PipelineApi,
	extract: (input: ExtractInput) => Promise<ExtractResult> = extractWorkloads,
): Promise<DocumentAnalysis> {
	const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
	const size = byteLength(doc.text, limit);
	if (size > limit) {
		return finish(doc.path, [], [fileTooLargeFinding(size, limit)], options);
	}
	const budget = new TimeBudget(options.timeBudgetMs);
	// Over-long and over-deep lines are blanked (offsets kept) so the parsers never see them.
	const pre = preflight(doc.text, {
		exemptLongLines: detectFileKind(doc.path, doc.text, doc.languageId) === 'javascript',
	});
	let extracted;
	try {
		extracted = await extract({ ...doc, text: pre.text, host: options.host });
	} catch (e) {
		const f: Finding = parserOutOfStack(e) ?? {
			code: 'internal-error',
			severity: 'information',
			message: `Extraction failed on this file: ${e instanceof Error ? e.message : String(e)}`,
			span: { offset: 0, length: 0 },
			data: { stage: 'extract' },
		};
		return finish(doc.path, [], [...pre.findings, f], options);
	}
	const workloads: AnalyzedWorkload[] = [];
	const findings: Finding[] = pre.findings.concat(extracted.findings);
	const total = extracted.workloads.length;
	for (let index = 0; index < total; index++) {
		if (budget.expired()) {
			findings.push(budget.finding(index, total));
			break;
		}
		const raw = extracted.workloads[index]!;
		for (const f of checkSettingRanges(raw, index)) findings.push(f);
		let r: ResolvedWorkload;
		try {
			r = resolveWorkload(raw, doc.path, options, api, doc.text);
		} catch (e) {
			workloads.push({ workload: raw, resolvedModel: null });
			findings.push(internalError('resolve', e, raw.model.span ?? raw.span, index));
			continue;
		}
		const ctx = ruleContext(r, index, doc.text, api, findings);
		const analyzed: AnalyzedWorkload = {
			workload: r.workload,
			resolvedModel: r.resolvedModel,
			target: r.target,
		};
		if (ctx.estimate) {
			analyzed.estimate = { ...ctx.estimate, assumptions: [...r.assumptions, ...ctx.estimate.assumptions] };
			// The engine's start-up check first: when not one sequence of the configured context fits, no batch
			// runs at all (kv-cache-does-not-fit), whatever the KV budget holds at the shorter decode context.
			const fit = startupFit(ctx.estimate.engine, r.workload.settings.contextLength?.value, ctx.evaluate);
			const batch = runnableBatch(r.concurrency, ctx.estimate.memory.maxBatchAtContext, fit);
			if (batch > 1) analyzed.concurrencyEstimate = ctx.evaluate({ batch });
		}
		workloads.push(analyzed);
		for (const f of runRules(ctx)) if (!repeatsUnknownModel(f, findings)) findings.push(f);
	}
	return finish(doc.path, workloads, findings, options);
}

/** One unknown-model finding per model id per file: a compose file with five services on it says it once. */
function repeatsUnknownModel(f: Finding, earlier: Finding[]): boolean {
	const q = f.code === 'unknown-model' ? f.data?.query : undefined;
	return (
		typeof q === 'string' &&
		q !== '' &&
		earlier.some((x) => x.code === 'unknown-model' && x.data?.query === q)
	);
}

function ruleContext(
	r: ResolvedWorkload,
	index: number,
	text: string,
	api: PipelineApi,
	findings: Finding[],
): RuleContext {
	const memo = new Map<string, Estimate | undefined>();
	let failed = false;
	const evaluate = (overrides: Partial<EstimateInput>): Estimate | undefined => {
		if (!r.input) return undefined;
		const key = memoKey(overrides);
		if (memo.has(key)) return memo.get(key);
		let e: Estimate | undefined;
		try {
			e = api.estimate({ ...r.input, ...overrides });
		} catch (err) {
			// Report the estimator's failure once per workload; rules then see no estimate.
			if (!failed)
				findings.push(internalError('estimate', err, r.workload.model.span ?? r.workload.span, index));
			failed = true;
		}
		memo.set(key, e);
		return e;
	};
	return {
		workload: r.workload,
		index,
		text,
		target: r.target,
		targetLabel: r.targetLabel,
		hardware: r.hardware,
		hardwareProblem: r.hardwareProblem,
		model: r.model,
		weights: r.weights,
		kvDtype: r.kvDtype,
		input: r.input,
		estimate: evaluate({}),
		concurrency: r.concurrency,
		evaluate,
		formatById: (id) => api.format(id),
		kvDtypeById: (id) => api.kv(id),
	};
}

function memoKey(o: Partial<EstimateInput>): string {
	return JSON.stringify(o, (k, v: unknown) =>
		v && typeof v === 'object' && (k === 'weights' || k === 'kvDtype' || k === 'hardware' || k === 'model')
			? (v as { id: string }).id
			: v === undefined
				? null
				: v,
	);
}

function finish(
	path: string,
	workloads: AnalyzedWorkload[],
	findings: Finding[],
	options: AnalysisOptions,
): DocumentAnalysis {
	const sorted = [...findings].sort((a, b) => a.span.offset - b.span.offset || a.code.localeCompare(b.code));
	return { path, workloads, findings: capFindings(applySeverities(sorted, options.severities)) };
}

function internalError(
	stage: string,
	e: unknown,
	span: { offset: number; length: number },
	workload: number,
): Finding {
	return {
		code: 'internal-error',
		severity: 'information',
		message: `The ${stage} stage failed on this workload: ${e instanceof Error ? e.message : String(e)}`,
		span,
		workload,
		data: { stage },
	};
}

/** The one finding a file over the size limit gets (the CLI uses it without reading the file). */
export function fileTooLargeFinding(size: number, limit: number): Finding {
	return {
		code: 'file-too-large',
		severity: 'information',
		message: `File is ${(size / 1e6).toFixed(1)} MB, over the ${(limit / 1e6).toFixed(1)} MB analysis limit; it was not parsed`,
		span: { offset: 0, length: 0 },
		data: { bytes: size, limitBytes: limit },
	};
}

/** UTF-8 length, stopping early once past the limit (a 5 MB check need not encode 50 MB). */
function byteLength(text: string, limit: number): number {
	if (text.length * 3 <= limit) return text.length;
	return new TextEncoder().encode(text).length;
}
