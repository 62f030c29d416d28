/**
 * Which constraint a running server actually hits, from its measured rates and the roofline.
 *
 * Thresholds (see docs/meter.md): MBU ≥ 0.6 is "well used" — tuned engines reach 0.6–0.8 of spec
 * bandwidth in decode (kernels never stream at the DRAM pin rate), so above 0.6 the remaining gain
 * is small; MFU ≥ 0.5 or a batch past the ridge point is compute-bound.
 */
import type { LiveRates } from './live';
import type { MeterRun } from './types';

export type Verdict =
	'bandwidth-bound' | 'bandwidth-underused' | 'compute-bound' | 'idle' | 'inconsistent' | 'unknown';

export const WELL_USED_MBU = 0.6;
/** Above this, the measurement and the assumptions cannot both be right. */
export const IMPOSSIBLE_MBU = 1.1;
export const COMPUTE_BOUND_MFU = 0.5;
/** Below this many sequences per step, weights dominate the bytes and batching is the cheap win. */
export const SMALL_BATCH = 4;

export interface Cause {
	code: 'small-batch' | 'queueing' | 'prefill-interference' | 'step-overhead' | 'unexplained';
	message: string;
}

export interface VerdictResult {
	verdict: Verdict;
	summary: string;
	causes: Cause[];
}

export function verdictFor(run: MeterRun, rates: LiveRates): VerdictResult {
	if (rates.generatedTokens <= 0)
		return {
			verdict: 'idle',
			summary: `no tokens generated in ${rates.intervalSeconds.toFixed(1)} s: send load (or a longer --interval) and measure again`,
			causes: [],
		};
	if (run.mbu === null)
		return {
			verdict: 'unknown',
			summary: `generating ${rates.generationTokensPerSecond.toFixed(1)} tok/s; MBU needs ${run.model ? 'the hardware (--hardware or --bandwidth-gbs)' : 'the model (--model)'}`,
			causes: [],
		};
	const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
	if (run.mbu > IMPOSSIBLE_MBU)
		return {
			verdict: 'inconsistent',
			summary:
				`MBU ${pct(run.mbu)} is more than the memory can deliver, so an assumption is wrong: the device ` +
				'(--hardware, --devices), the bytes per token (--model, --weights, --kv-dtype), or several tokens per step (speculative decoding)',
			causes: [],
		};
	if (run.bound === 'compute' || (run.mfu ?? 0) >= COMPUTE_BOUND_MFU)
		return {
			verdict: 'compute-bound',
			summary:
				`compute-bound: ${run.batch.toFixed(1)} sequences per step push FLOPs per byte past the device's ridge ` +
				`(MFU ${run.mfu === null ? '?' : pct(run.mfu)}, MBU ${pct(run.mbu)}); more batch adds latency, not throughput`,
			causes: [],
		};
	if (run.mbu >= WELL_USED_MBU)
		return {
			verdict: 'bandwidth-bound',
			summary:
				`bandwidth-bound and well used: MBU ${pct(run.mbu)} of ${run.peakBandwidthOrigin ?? 'spec'} bandwidth. ` +
				'More tok/s now needs fewer bytes per token (quantized weights or KV) or more bandwidth, or a bigger batch for total throughput',
			causes: [],
		};
	return {
		verdict: 'bandwidth-underused',
		summary: `leaving bandwidth on the table: MBU ${pct(run.mbu)} (well used is ≥ ${pct(WELL_USED_MBU)})`,
		causes: causesFor(run, rates),
	};
}

function causesFor(run: MeterRun, rates: LiveRates): Cause[] {
	const causes: Cause[] = [];
	const waiting = rates.waitingRequests ?? 0;
	if (waiting > 0) {
		const kv = rates.kvCacheUsage;
		causes.push({
			code: 'queueing',
			message:
				`${waiting} request(s) wait while ${rates.runningRequestsNow} run` +
				(kv !== null && kv >= 0.9
					? `: the KV cache is ${(kv * 100).toFixed(0)}% full — more KV room (fp8 KV, shorter max context, more memory) lets more run`
					: ': a scheduler limit (max-num-seqs, llama-server -np slots) caps the batch'),
		});
	} else if (run.batch < SMALL_BATCH) {
		causes.push({
			code: 'small-batch',
			message:
				`only ${run.batch.toFixed(1)} sequence(s) per step: each step streams all the weights for that many tokens. ` +
				'More concurrent requests raise total tok/s almost for free until bandwidth saturates',
		});
	}
	const prompt = rates.promptTokensPerSecond ?? 0;
	if (prompt > rates.generationTokensPerSecond)
		causes.push({
			code: 'prefill-interference',
			message:
				`prompt processing (${prompt.toFixed(0)} tok/s) outpaces generation (${rates.generationTokensPerSecond.toFixed(0)} tok/s): ` +
				'prefill steps take engine time between decode steps, so decode alone streams less than the interval allows',
		});
	const overhead = stepOverhead(run);
	if (overhead)
		causes.push({
			code: 'step-overhead',
			message:
				`each step takes ${overhead.stepMs.toFixed(2)} ms but its ${gb(run.bytesPerStep!)} need only ` +
				`${overhead.memoryMs.toFixed(2)} ms at peak bandwidth: ~${overhead.gapMs.toFixed(2)} ms per step is fixed work ` +
				'(kernel launches, CPU scheduling and sampling between steps)' +
				(rates.server === 'vllm'
					? '; CUDA graphs (no --enforce-eager) and bigger batches amortise it'
					: '; full GPU offload (-ngl 99) and more parallel slots amortise it'),
		});
	if (causes.length === 0)
		causes.push({
			code: 'unexplained',
			message:
				'nothing in the metrics explains it: check power/clock limits, partial GPU offload (llama.cpp -ngl), ' +
				'that --hardware names the serving device, and the assumed weight format (--weights)',
		});
	return causes;
}

/** Step time against the time its bytes take at peak: a big gap at short steps is per-step overhead. */
function stepOverhead(run: MeterRun): { stepMs: number; memoryMs: number; gapMs: number } | undefined {
	if (!run.stepsPerSecond || !run.bytesPerStep || !run.peakBandwidthGBs) return undefined;
	const stepMs = 1000 / run.stepsPerSecond;
	const memoryMs = (run.bytesPerStep / (run.peakBandwidthGBs * 1e9)) * 1000;
	const gapMs = stepMs - memoryMs;
	// Only call it overhead when the memory time is under half the step and steps are short
	// (launch/scheduling costs are tens of µs to a few ms, not tens of ms).
	if (memoryMs < stepMs / 2 && stepMs < 30) return { stepMs, memoryMs, gapMs };
	return undefined;
}

function gb(bytes: number): string {
	return `${(bytes / 1e9).toFixed(2)} GB`;
}
