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
import { escapeFixesForJson } from './extract/notebook';
import { readLocalGguf } from './gguf';
import { TimeBudget, capFindings, checkSettingRanges, parserOutOfStack, preflight } from './limits';
import { DEFAULT_PRICING, estimate } from './physics';
import type { Estimate, EstimateInput } from './physics/types';
import type { ResolveApi, ResolvedWorkload } from './resolve';
import { resolveWorkload } from './resolve';
import { applySeverities, runRules } from './rules';
import type { RuleContext } from './rules/types';
import type {
	AnalysisHost,
	AnalysisOptions,
	AnalyzedWorkload,
	DocumentAnalysis,
	Finding,
	Workload,
} from './types';
import { isProjectConfigPath } from './config/configFinder';
import { parseProjectConfig, type ConfigProblem } from './config/projectConfig';
import { applySuppressions, type SuppressedFinding } from './suppress/apply';
import { commentStyleFor, type CommentStyle } from './suppress/directives';
import { configuredServing } from './rules/concurrencyMissesLatencyTarget';
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
	if (isProjectConfigPath(doc.path)) return analyzeProjectConfig(doc, options, api);
	// The project config's `ignore` globs: the document is not analyzed at all.
	if (options.project?.ignored) return { path: doc.path, workloads: [], findings: [] };
	options = withProjectValues(options);
	const budget = new TimeBudget(options.timeBudgetMs);
	const kind = detectFileKind(doc.path, doc.text, doc.languageId);
	const scan = { text: doc.text, style: commentStyleFor(kind) };
	// Over-long and over-deep lines are blanked (offsets kept) so the parsers never see them.
	// Notebooks keep cell outputs (base64 images) on one line; only their code cells are parsed.
	const pre = preflight(doc.text, { exemptLongLines: kind === 'javascript' || kind === 'notebook' });
	let extracted;
	try {
		extracted = await extract({ ...doc, text: pre.text, host: withProjectPins(options) });
	} catch (e) {
		const f: Finding = parserOutOfStack(e) ?? {
			code: 'internal-error',
			severity: 'information',
			message: `Extraction failed on this file: ${e instanceof Error ? e.message : String(e)}`,
			span: { offset: 0, length: 0 },
			data: { stage: 'extract' },
		};
		return finish(doc.path, [], [...pre.findings, f], options, scan);
	}
	const workloads: AnalyzedWorkload[] = [];
	const findings: Finding[] = pre.findings.concat(extracted.findings);
	const total = extracted.workloads.length;
	for (let index = 0; index < total; index++) {
		if (budget.expired()) {
			findings.push(budget.finding(index, total));
			break;
		}
		const raw = withPinnedVersion(extracted.workloads[index]!, options);
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
			analyzed.serving = configuredServing(ctx);
		}
		workloads.push(analyzed);
		for (const f of runRules(ctx)) if (!repeatsUnknownModel(f, findings)) findings.push(f);
	}
	if (kind === 'notebook') escapeFixesForJson(findings);
	return finish(doc.path, workloads, findings, options, scan);
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

/** Findings that mean the analysis did not see the whole file: a suppression may only look unused then. */
const INCOMPLETE = new Set(['analysis-time-budget', 'input-limit', 'internal-error', 'file-too-large']);

const byPosition = (a: Finding, b: Finding) => a.span.offset - b.span.offset || a.code.localeCompare(b.code);

/**
 * Inline suppressions first (on the findings as the rules made them, so a comment counts as used even
 * when a severity also turns its code off), then severities — the project config's over the user's —
 * with the config's `off` kept aside as an external suppression, then the findings cap.
 */
function finish(
	path: string,
	workloads: AnalyzedWorkload[],
	findings: Finding[],
	options: AnalysisOptions,
	scan?: { text: string; style: CommentStyle | undefined },
): DocumentAnalysis {
	const complete = !findings.some((f) => INCOMPLETE.has(f.code));
	const inline = scan
		? applySuppressions(findings, scan.text, scan.style, complete)
		: { kept: findings, suppressed: [], unused: [] };
	const sorted = [...inline.kept, ...inline.unused].sort(byPosition);
	const project = options.project?.severities ?? {};
	const severities = { ...options.severities, ...project };
	const suppressed: SuppressedFinding[] = [...inline.suppressed];
	// The team's decision in the project config is kept on record (SARIF `external`); a user's own `off`
	// (setting, --severity) just drops the finding, as it always did.
	for (const f of sorted)
		if (severities[f.code] === 'off' && project[f.code] === 'off')
			suppressed.push({
				finding: f,
				kind: 'external',
				justification: `severity ${f.code}: off in ${options.project!.file}`,
			});
	const out: DocumentAnalysis = {
		path,
		workloads,
		findings: capFindings(applySeverities(sorted, severities)),
	};
	if (suppressed.length) out.suppressed = suppressed.sort((a, b) => byPosition(a.finding, b.finding));
	return out;
}

/** The project config's latency target and cost inputs over the user's settings. */
function withProjectValues(options: AnalysisOptions): AnalysisOptions {
	const p = options.project;
	if (!p) return options;
	return {
		...options,
		latencyTarget: { ...options.latencyTarget, ...p.latencyTarget },
		electricityUsdPerKwh: p.electricityUsdPerKwh ?? options.electricityUsdPerKwh,
		amortizationYears: p.amortizationYears ?? options.amortizationYears,
	};
}

/** The host with the project config's engine pins, for the extractors' version-aware flag checks. */
function withProjectPins(options: AnalysisOptions): AnalysisHost | undefined {
	const p = options.project;
	const host = options.host;
	if (!p?.engineVersions) return host;
	const pins: NonNullable<AnalysisHost['projectPins']> = {};
	for (const [engine, value] of Object.entries(p.engineVersions))
		pins[engine as Workload['framework']] = { value, source: 'config', note: `pinned in ${p.file}` };
	// Delegating (not spreading) keeps a class-based host's methods bound to it.
	return {
		...(host?.readFile ? { readFile: (path: string, max: number) => host.readFile!(path, max) } : {}),
		...(host?.fileExists ? { fileExists: (path: string) => host.fileExists!(path) } : {}),
		projectPins: pins,
	};
}

/** An engine version the project config pins, for a workload whose file pins none. */
function withPinnedVersion(w: Workload, options: AnalysisOptions): Workload {
	const pin = options.project?.engineVersions?.[w.framework];
	if (!pin || w.engineVersion) return w;
	return {
		...w,
		engineVersion: { value: pin, source: 'config', note: `pinned in ${options.project!.file}` },
	};
}

/** Config problems as findings on the config file (code `invalid-project-config`). */
export function configFindings(problems: readonly ConfigProblem[]): Finding[] {
	return problems.map((p) => ({
		code: 'invalid-project-config',
		severity: 'error',
		message: p.message,
		span: p.span,
		data: { key: p.key },
	}));
}

/** `.inference-meter.yaml` itself: its problems, each at the key or value it is about. */
function analyzeProjectConfig(
	doc: DocumentInput,
	options: AnalysisOptions,
	api: PipelineApi,
): DocumentAnalysis {
	const parsed = parseProjectConfig(doc.text, doc.path, {
		checkHardware: (id) => {
			const r = api.hardware(id);
			return r.ok ? undefined : r.message;
		},
	});
	const findings = configFindings(parsed.problems);
	return finish(doc.path, [], findings, { ...options, project: undefined });
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
