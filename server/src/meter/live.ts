/**
 * Two scrapes of a serving engine's /metrics → rates over the interval. vLLM and llama-server name
 * the same quantities differently (and vLLM renamed some across versions), so each quantity has a
 * list of names, first present wins.
 */
import type { PrometheusText, LabelFilter } from './prometheus';
import { firstPresent, labelValues, sumAndCount, sumOf } from './prometheus';

export type ServerKind = 'vllm' | 'llama.cpp';

interface Names {
	generated: string[];
	prompt: string[];
	running: string[];
	waiting: string[];
	kvUsage: string[];
	/** Histograms whose mean is the time between a sequence's tokens. */
	tokenLatency: string[];
	/** Counters (or histogram `_count`s) that advance once per engine step. */
	steps: string[];
	/** Counter of seconds spent generating, summed over slots (llama.cpp). */
	generationSeconds: string[];
	kvTokens: string[];
}

const NAMES: Record<ServerKind, Names> = {
	vllm: {
		generated: ['vllm:generation_tokens_total'],
		prompt: ['vllm:prompt_tokens_total'],
		running: ['vllm:num_requests_running'],
		waiting: ['vllm:num_requests_waiting'],
		kvUsage: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
		tokenLatency: [
			'vllm:inter_token_latency_seconds',
			'vllm:time_per_output_token_seconds',
			'vllm:request_time_per_output_token_seconds',
		],
		steps: ['vllm:iteration_tokens_total_count'],
		generationSeconds: [],
		kvTokens: [],
	},
	'llama.cpp': {
		generated: ['llamacpp:tokens_predicted_total'],
		prompt: ['llamacpp:prompt_tokens_total'],
		running: ['llamacpp:requests_processing'],
		waiting: ['llamacpp:requests_deferred'],
		kvUsage: ['llamacpp:kv_cache_usage_ratio'],
		tokenLatency: [],
		steps: ['llamacpp:n_decode_total'],
		generationSeconds: ['llamacpp:tokens_predicted_seconds_total'],
		kvTokens: ['llamacpp:kv_cache_tokens'],
	},
};

export interface Snapshot {
	/** Monotonic milliseconds when the body arrived. */
	atMs: number;
	metrics: PrometheusText;
}

export interface LiveRates {
	server: ServerKind;
	/** `model_name` label value(s) the rates cover (vLLM), empty when the server does not label them. */
	models: string[];
	intervalSeconds: number;
	generatedTokens: number;
	generationTokensPerSecond: number;
	promptTokensPerSecond: number | null;
	/** Mean of the two scrapes, and the later one. */
	runningRequests: number;
	runningRequestsNow: number;
	waitingRequests: number | null;
	/** 0..1 (vLLM's `_perc` metrics are fractions too). */
	kvCacheUsage: number | null;
	kvCacheTokens: number | null;
	stepsPerSecond: number | null;
	/** Engine steps counted in the interval, when the server has a step counter. */
	stepsCounted: number | null;
	stepsSource: string | null;
	/** Per-sequence decode rate: 1 / mean inter-token latency over the interval. */
	perSequenceTokensPerSecond: number | null;
	meanTokenLatencySeconds: number | null;
	notes: string[];
}

export function detectServer(p: PrometheusText): ServerKind | undefined {
	if (p.samples.some((s) => s.name.startsWith('vllm:'))) return 'vllm';
	if (p.samples.some((s) => s.name.startsWith('llamacpp:'))) return 'llama.cpp';
	return undefined;
}

export type RatesResult = { ok: true; rates: LiveRates } | { ok: false; message: string };

export function deriveRates(a: Snapshot, b: Snapshot, modelFilter?: string): RatesResult {
	const server = detectServer(b.metrics);
	if (!server)
		return {
			ok: false,
			message:
				'no vLLM (vllm:*) or llama-server (llamacpp:*) metrics at this URL; llama-server needs --metrics',
		};
	const names = NAMES[server];
	const dt = (b.atMs - a.atMs) / 1000;
	if (!(dt > 0)) return { ok: false, message: 'the two scrapes have no time between them' };
	const notes: string[] = [];
	let filter: LabelFilter | undefined;
	const models = labelValues(b.metrics, 'model_name', names.generated);
	if (models.length > 1) {
		if (!modelFilter || !models.includes(modelFilter))
			return {
				ok: false,
				message: `this server reports ${models.length} models (${models.join(', ')}); pass --model with one of them`,
			};
		filter = { model_name: modelFilter };
	}
	const genName = firstPresent(b.metrics, names.generated);
	if (!genName) return { ok: false, message: `${server} metrics found but no ${names.generated[0]} counter` };
	const delta = (list: string[]) => {
		const n = firstPresent(b.metrics, list);
		if (!n) return undefined;
		const x = sumOf(a.metrics, n, filter);
		const y = sumOf(b.metrics, n, filter);
		if (x === undefined || y === undefined) return undefined;
		return { name: n, value: y - x };
	};
	const gauge = (list: string[], p: PrometheusText) => {
		const n = firstPresent(p, list);
		return n ? sumOf(p, n, filter) : undefined;
	};
	const gen = delta(names.generated);
	if (!gen) return { ok: false, message: `${genName} is missing from the first scrape; measure again` };
	if (gen.value < 0)
		return {
			ok: false,
			message: `${genName} went down between scrapes: the server restarted; measure again`,
		};
	const prompt = delta(names.prompt);
	const runA = gauge(names.running, a.metrics);
	const runB = gauge(names.running, b.metrics);
	const steps = delta(names.steps);
	let stepsPerSecond: number | null = null;
	let stepsSource: string | null = null;
	if (steps && steps.value > 0) {
		stepsPerSecond = steps.value / dt;
		stepsSource = `${steps.name} (engine steps, prefill ones included)`;
	}
	const lat = tokenLatency(a.metrics, b.metrics, names, filter);
	let perSeq: number | null = lat ? 1 / lat.mean : null;
	const genSeconds = delta(names.generationSeconds);
	if (perSeq === null && genSeconds && genSeconds.value > 0) perSeq = gen.value / genSeconds.value;
	if (stepsPerSecond === null && lat) {
		stepsPerSecond = 1 / lat.mean;
		stepsSource = `1 / mean ${lat.name}`;
	}
	const kvUsage = gauge(names.kvUsage, b.metrics);
	if (server === 'vllm' && firstPresent(b.metrics, names.kvUsage) === 'vllm:gpu_cache_usage_perc')
		notes.push('older vLLM: KV usage read from vllm:gpu_cache_usage_perc');
	const engines = labelValues(b.metrics, 'engine', names.generated);
	if (engines.length > 1) notes.push(`rates summed over ${engines.length} engines (data-parallel ranks)`);
	return {
		ok: true,
		rates: {
			server,
			models: filter ? [modelFilter!] : models,
			intervalSeconds: dt,
			generatedTokens: gen.value,
			generationTokensPerSecond: gen.value / dt,
			promptTokensPerSecond: prompt ? prompt.value / dt : null,
			runningRequests: runA !== undefined && runB !== undefined ? (runA + runB) / 2 : (runB ?? 0),
			runningRequestsNow: runB ?? 0,
			waitingRequests: gauge(names.waiting, b.metrics) ?? null,
			kvCacheUsage: kvUsage ?? null,
			kvCacheTokens: gauge(names.kvTokens, b.metrics) ?? null,
			stepsPerSecond,
			stepsCounted: steps && steps.value > 0 ? steps.value : null,
			stepsSource,
			perSequenceTokensPerSecond: perSeq,
			meanTokenLatencySeconds: lat ? lat.mean : perSeq ? 1 / perSeq : null,
			notes,
		},
	};
}

/** Mean inter-token latency over the interval from the histogram's `_sum`/`_count` deltas. */
function tokenLatency(
	a: PrometheusText,
	b: PrometheusText,
	names: Names,
	filter?: LabelFilter,
): { name: string; mean: number } | undefined {
	for (const name of names.tokenLatency) {
		const x = sumAndCount(a, name, filter);
		const y = sumAndCount(b, name, filter);
		if (!x || !y) continue;
		const dc = y.count - x.count;
		const ds = y.sum - x.sum;
		if (dc > 0 && ds > 0) return { name, mean: ds / dc };
	}
	return undefined;
}
