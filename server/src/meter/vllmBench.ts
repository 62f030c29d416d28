/**
 * Reads the JSON that `vllm bench serve` / `benchmarks/benchmark_serving.py --save-result` and
 * `vllm bench latency --output-json` write. Key names follow `vllm/benchmarks/serve.py` (result dict
 * merged with `date`, `backend`, `model_id`, `num_prompts`, `request_rate`, `max_concurrency`) and
 * `vllm/benchmarks/latency.py` (`avg_latency`, `std_latency`, `latencies`, `percentiles`).
 */

export interface VllmServeResult {
	kind: 'serve';
	modelId?: string;
	backend?: string;
	date?: string;
	numPrompts?: number;
	completed?: number;
	durationSeconds?: number;
	maxConcurrency?: number;
	requestRate?: number | 'inf';
	totalInputTokens?: number;
	totalOutputTokens?: number;
	requestThroughput?: number;
	/** Generated tokens per second over the whole run, all requests together. */
	outputThroughput: number;
	totalTokenThroughput?: number;
	/** Milliseconds: mean/median/std/p99 (and any other percentiles the run asked for). */
	ttftMs: LatencyStats;
	tpotMs: LatencyStats;
	itlMs: LatencyStats;
	e2elMs: LatencyStats;
	maxConcurrentRequests?: number;
}

export interface LatencyStats {
	mean?: number;
	median?: number;
	std?: number;
	/** `p99` → value; keys as vLLM names them (`p99`, `p99.9`, `p50`). */
	percentiles: Record<string, number>;
}

export interface VllmLatencyResult {
	kind: 'latency';
	/** Seconds for one whole batch (prefill + all output tokens). */
	avgLatencySeconds: number;
	stdLatencySeconds?: number;
	iterations?: number;
	percentiles: Record<string, number>;
	/** The file does not record these; they come from keys a user added or from flags. */
	batchSize?: number;
	inputLen?: number;
	outputLen?: number;
	modelId?: string;
}

export type VllmBenchResult = VllmServeResult | VllmLatencyResult;

export type VllmParse =
	{ ok: true; result: VllmBenchResult; notes: string[] } | { ok: false; message: string };

export function parseVllmBench(text: string): VllmParse {
	let data: unknown;
	try {
		data = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (e) {
		return { ok: false, message: `invalid JSON: ${(e as Error).message}` };
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data))
		return { ok: false, message: 'expected a JSON object (a vLLM benchmark result)' };
	const r = data as Record<string, unknown>;
	if ('output_throughput' in r || 'request_throughput' in r) return readServe(r);
	if ('avg_latency' in r) return readLatency(r);
	if ('tokens_per_second' in r && 'elapsed_time' in r)
		return {
			ok: false,
			message:
				'this is `vllm bench throughput` output: its tokens_per_second mixes prompt and generated tokens, so decode ' +
				'bandwidth cannot be read from it; use `vllm bench serve --save-result` or `vllm bench latency --output-json`',
		};
	return {
		ok: false,
		message:
			'not a vLLM benchmark result: expected `output_throughput` (vllm bench serve) or `avg_latency` (vllm bench latency)',
	};
}

function readServe(r: Record<string, unknown>): VllmParse {
	const outputThroughput = num(r.output_throughput);
	if (outputThroughput === undefined)
		return { ok: false, message: 'serve result has no numeric output_throughput (generated tok/s)' };
	const notes: string[] = [];
	const rate = r.request_rate === 'inf' ? 'inf' : num(r.request_rate);
	const result: VllmServeResult = {
		kind: 'serve',
		modelId: str(r.model_id),
		backend: str(r.backend) ?? str(r.endpoint_type),
		date: str(r.date),
		numPrompts: num(r.num_prompts),
		completed: num(r.completed),
		durationSeconds: num(r.duration),
		maxConcurrency: num(r.max_concurrency),
		requestRate: rate,
		totalInputTokens: num(r.total_input_tokens),
		totalOutputTokens: num(r.total_output_tokens),
		requestThroughput: num(r.request_throughput),
		outputThroughput,
		totalTokenThroughput: num(r.total_token_throughput),
		ttftMs: stats(r, 'ttft'),
		tpotMs: stats(r, 'tpot'),
		itlMs: stats(r, 'itl'),
		e2elMs: stats(r, 'e2el'),
		maxConcurrentRequests: num(r.max_concurrent_requests),
	};
	if (result.tpotMs.mean === undefined && result.itlMs.mean === undefined)
		notes.push(
			'no mean_tpot_ms or mean_itl_ms: decode step rate is inferred from throughput and concurrency',
		);
	const failed = num(r.failed);
	if (failed) notes.push(`${failed} request(s) failed during the run`);
	return { ok: true, result, notes };
}

function stats(r: Record<string, unknown>, metric: string): LatencyStats {
	const percentiles: Record<string, number> = {};
	const re = new RegExp(`^p([\\d.]+)_${metric}_ms$`);
	for (const [k, v] of Object.entries(r)) {
		const m = re.exec(k);
		const n = num(v);
		if (m && n !== undefined) percentiles[`p${m[1]}`] = n;
	}
	return {
		mean: num(r[`mean_${metric}_ms`]),
		median: num(r[`median_${metric}_ms`]),
		std: num(r[`std_${metric}_ms`]),
		percentiles,
	};
}

function readLatency(r: Record<string, unknown>): VllmParse {
	const avg = num(r.avg_latency);
	if (avg === undefined || !(avg > 0)) return { ok: false, message: 'avg_latency is not a positive number' };
	const percentiles: Record<string, number> = {};
	if (typeof r.percentiles === 'object' && r.percentiles !== null) {
		for (const [k, v] of Object.entries(r.percentiles as Record<string, unknown>)) {
			const n = num(v);
			if (n !== undefined) percentiles[`p${k}`] = n;
		}
	}
	const notes: string[] = [];
	const result: VllmLatencyResult = {
		kind: 'latency',
		avgLatencySeconds: avg,
		stdLatencySeconds: num(r.std_latency),
		iterations: Array.isArray(r.latencies) ? r.latencies.length : undefined,
		percentiles,
		// Not written by vLLM itself; read when a wrapper script or `--metadata` added them.
		batchSize: num(r.batch_size),
		inputLen: num(r.input_len),
		outputLen: num(r.output_len),
		modelId: str(r.model) ?? str(r.model_id),
	};
	return { ok: true, result, notes };
}

function num(v: unknown): number | undefined {
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
	return undefined;
}

function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
}
