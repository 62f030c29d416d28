/**
 * `meter --metrics-url`: scrape twice over an interval, derive rates, set them against the roofline
 * and give a verdict. The scraper, clock and sleep are injected so the orchestration stays testable;
 * the CLI passes the real ones.
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from '../analysis/catalog/types';
import type { LiveRates, Snapshot } from './live';
import { deriveRates } from './live';
import type { ParseIssue } from './prometheus';
import { parsePrometheusText } from './prometheus';
import { resolveRunFormat, resolveRunHardware, resolveRunKv, resolveRunModel, runSpecs } from './resolve';
import type { ScrapeOptions, ScrapeResult } from './scrape';
import { looksLikeHtmlOrJson } from './scrape';
import type { MeterDeps, MeterOverrides, MeterRun } from './types';
import type { Measurement } from './utilization';
import { assessRun } from './utilization';
import type { Cause, Verdict } from './verdict';
import { verdictFor } from './verdict';

export interface LiveEnv {
	scrape(url: string, options: ScrapeOptions): Promise<ScrapeResult>;
	now(): number;
	sleep(ms: number): Promise<void>;
}

export interface LiveReport {
	tool: 'inference-meter meter';
	url: string;
	server: LiveRates['server'];
	model: string | null;
	intervalSeconds: number;
	generationTokensPerSecond: number;
	promptTokensPerSecond: number | null;
	runningRequests: number;
	waitingRequests: number | null;
	kvCacheUsage: number | null;
	stepsPerSecond: number | null;
	perSequenceTokensPerSecond: number | null;
	mbu: number | null;
	mfu: number | null;
	achievedBandwidthGBs: number | null;
	peakBandwidthGBs: number | null;
	expectedTokensPerSecond: number | null;
	rooflineTokensPerSecond: number | null;
	/** How the context per sequence (for KV bytes) was found. */
	contextSource: string;
	verdict: Verdict;
	verdictText: string;
	causes: Cause[];
	rates: LiveRates;
	run: MeterRun;
	/** Malformed exposition lines (skipped), first scrape then second, at most 20. */
	malformedLines: ParseIssue[];
}

export type LiveOutcome = { ok: true; report: LiveReport } | { ok: false; message: string };

export async function meterLive(
	url: string,
	intervalMs: number,
	scrapeOptions: ScrapeOptions,
	deps: MeterDeps,
	o: MeterOverrides,
	env: LiveEnv,
): Promise<LiveOutcome> {
	const first = await snapshot(url, scrapeOptions, env);
	if (!first.ok) return first;
	await env.sleep(intervalMs);
	const second = await snapshot(url, scrapeOptions, env);
	if (!second.ok) return second;
	const derived = deriveRates(first.snap, second.snap, o.model);
	if (!derived.ok) return derived;
	const rates = derived.rates;
	const { run, contextSource } = assessLive(rates, deps, o);
	const v = verdictFor(run, rates);
	const malformed = [...first.snap.metrics.errors, ...second.snap.metrics.errors].slice(0, 20);
	return {
		ok: true,
		report: {
			tool: 'inference-meter meter',
			url,
			server: rates.server,
			model: run.model,
			intervalSeconds: rates.intervalSeconds,
			generationTokensPerSecond: rates.generationTokensPerSecond,
			promptTokensPerSecond: rates.promptTokensPerSecond,
			runningRequests: rates.runningRequests,
			waitingRequests: rates.waitingRequests,
			kvCacheUsage: rates.kvCacheUsage,
			stepsPerSecond: run.stepsPerSecond,
			perSequenceTokensPerSecond: rates.perSequenceTokensPerSecond,
			mbu: run.mbu,
			mfu: run.mfu,
			achievedBandwidthGBs: run.achievedBandwidthGBs,
			peakBandwidthGBs: run.peakBandwidthGBs,
			expectedTokensPerSecond: run.expectedTokensPerSecond,
			rooflineTokensPerSecond: run.rooflineTokensPerSecond,
			contextSource,
			verdict: v.verdict,
			verdictText: v.summary,
			causes: v.causes,
			rates,
			run,
			malformedLines: malformed,
		},
	};
}

async function snapshot(
	url: string,
	options: ScrapeOptions,
	env: LiveEnv,
): Promise<{ ok: true; snap: Snapshot } | { ok: false; message: string }> {
	const r = await env.scrape(url, options);
	if (!r.ok) return { ok: false, message: r.message };
	const atMs = env.now();
	const metrics = parsePrometheusText(r.body);
	if (metrics.samples.length === 0) {
		const kind = looksLikeHtmlOrJson(r.body);
		if (kind)
			return {
				ok: false,
				message: `${url} returned ${kind}, not Prometheus text: is this the /metrics path?`,
			};
		return {
			ok: false,
			message: `${url} returned no Prometheus samples${metrics.errors.length ? ` (${metrics.errors.length} malformed line(s), first: line ${metrics.errors[0].line}: ${metrics.errors[0].message})` : ''}`,
		};
	}
	return { ok: true, snap: { atMs, metrics } };
}

/** Sets the live rates against the physics engine: batch from tokens per step, context from KV use. */
export function assessLive(
	rates: LiveRates,
	deps: MeterDeps,
	o: MeterOverrides,
): { run: MeterRun; contextSource: string } {
	const model = resolveRunModel(deps, o.model, rates.models);
	if (!model.value && !o.model && rates.models.length === 0)
		model.errors.splice(
			0,
			model.errors.length,
			`${rates.server} does not name its model in /metrics; pass --model <id>`,
		);
	const weights = resolveRunFormat(
		deps,
		o.weights,
		[{ name: model.impliedFormat, from: 'model name' }],
		model.value,
	);
	const kvFallback =
		rates.server === 'llama.cpp' ? 'f16' : weights.value?.computeDtype === 'fp16' ? 'fp16' : 'bf16';
	const kv = resolveRunKv(deps, o.kvDtype, undefined, kvFallback);
	const hw = resolveRunHardware(deps, o.hardware, undefined);
	const devices = o.devices ?? 1;
	// Counted steps give tokens per step exactly; a latency-derived step rate gives it approximately.
	const tokensPerStep = rates.stepsCounted
		? rates.generatedTokens / rates.stepsCounted
		: rates.stepsPerSecond && rates.stepsPerSecond > 0
			? rates.generationTokensPerSecond / rates.stepsPerSecond
			: 0;
	const batch = Math.max(1, tokensPerStep > 0 ? tokensPerStep : rates.runningRequests);
	let context = o.context ?? 1024;
	let contextSource = o.context ? '--context' : 'assumed 1024 tokens per sequence (pass --context)';
	if (!o.context && rates.kvCacheTokens !== null && rates.runningRequestsNow > 0) {
		context = rates.kvCacheTokens / rates.runningRequestsNow;
		contextSource = `llamacpp:kv_cache_tokens ÷ requests processing`;
	} else if (
		!o.context &&
		rates.kvCacheUsage !== null &&
		model.value &&
		kv.value &&
		hw.value &&
		weights.value
	) {
		const specs = { model: model.value, weights: weights.value, kv: kv.value, hw: hw.value, devices };
		const kvTokens = kvTokensInUse(rates.kvCacheUsage, deps, specs);
		if (kvTokens !== undefined && rates.runningRequestsNow > 0) {
			context = Math.max(1, kvTokens / rates.runningRequestsNow);
			contextSource = `KV cache usage ${(rates.kvCacheUsage * 100).toFixed(1)}% × the engine's KV budget ÷ running requests`;
		}
	}
	const m: Measurement = {
		source: 'live /metrics',
		test: `live ${rates.intervalSeconds.toFixed(1)} s`,
		kind: 'serve',
		tokensPerSecond: rates.generationTokensPerSecond,
		stepsPerSecond: rates.stepsPerSecond ?? rates.generationTokensPerSecond / batch,
		batch,
		context,
		prompt: Math.max(1, Math.round(context)),
		engine: rates.server === 'vllm' ? 'vllm' : 'llama.cpp',
		notes: [...rates.notes],
	};
	if (rates.stepsPerSecond === null)
		m.notes.push('no step counter or token-latency histogram: steps/s = generated tok/s ÷ running requests');
	const run = assessRun(m, runSpecs(model, weights, kv, hw, devices), deps);
	return { run, contextSource };
}

/** Tokens the engine's KV budget holds at this usage: usage × KV budget ÷ KV bytes per token. */
function kvTokensInUse(
	usage: number,
	deps: MeterDeps,
	s: { model: ModelSpec; weights: FormatSpec; kv: KvDtypeSpec; hw: HardwareSpec; devices: number },
): number | undefined {
	try {
		const est = deps.estimate({
			model: s.model,
			weights: s.weights,
			kvDtype: s.kv,
			hardware: s.hw,
			devices: s.devices,
			tensorParallel: s.devices,
			batch: 1,
			context: 1,
			prompt: 1,
			engine: 'vllm',
		});
		const budget = est.memory.kvBudgetBytesPerDevice * s.devices;
		if (!(budget > 0) || !(est.memory.kvBytesPerToken > 0)) return undefined;
		return (usage * budget) / est.memory.kvBytesPerToken;
	} catch {
		return undefined;
	}
}
