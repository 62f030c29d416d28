/** Inputs and outputs of the serving model (steady-state continuous batching). SI units throughout. */
import type { SchedulerSettings } from './scheduler';
import type { ServingLayout } from './moeLayout';
import type { SpeculativeMethod, SpeculativeSettings } from './speculative';

/** Prompt and answer lengths used when a file and the command line say nothing (stated as defaults). */
export const DEFAULT_INPUT_TOKENS = 1000;
export const DEFAULT_OUTPUT_TOKENS = 1000;

export interface ServingInput {
	inputTokens: number;
	outputTokens: number;
	/** Requests the clients keep in flight (closed loop); Infinity = offline, every request queued at once. */
	concurrency: number;
	scheduler?: SchedulerSettings;
	layout?: Partial<ServingLayout>;
	speculative?: SpeculativeSettings;
	/** Overrides STEP_OVERLAP_PENALTY; only the calibration script (scripts/serving/pick-overlap.ts) sets it. */
	overlapPenalty?: number;
	/** Which of the inputs were defaults rather than given (for the notes). */
	defaulted?: { inputTokens?: boolean; outputTokens?: boolean; concurrency?: boolean };
}

/** What caps serving throughput at this concurrency. */
export type ServingLimit =
	| 'concurrency'
	| 'kv-capacity'
	| 'max-num-seqs'
	| 'max-num-batched-tokens'
	| 'compute'
	| 'bandwidth'
	| 'interconnect'
	| 'host'
	| 'weights-do-not-fit';

export interface ServingStep {
	/** The decode step of physics/decode at the running batch and the mean context (ISL + OSL/2). */
	decodeStepSeconds: number;
	/** That step with the serving terms added (overlap, host, all-to-all, speculation), no prefill. */
	stepSeconds: number;
	memorySeconds: number;
	computeSeconds: number;
	/** Memory and compute of one step do not overlap perfectly: this much is added to max(memory, compute). */
	overlapPenaltySeconds: number;
	hostSeconds: number;
	allToAllSeconds: number;
	/** Device time one request's prefill adds to the steps it shares (compute of its prompt). */
	prefillSecondsPerRequest: number;
	/** Steps that carry only prefill because the budget left beside decode tokens is too small, per cycle. */
	extraPrefillStepsPerCycle: number;
}

export interface ServingSpeculation {
	method: SpeculativeMethod;
	tokens: number;
	acceptanceRate: number;
	acceptanceIsDefault: boolean;
	/** Expected tokens one verify step emits (1 without speculation). */
	tokensPerStep: number;
	/** The same workload without speculative decoding. */
	without: {
		outputTokensPerSecondPerUser: number;
		outputTokensPerSecondTotal: number;
		interTokenLatencySeconds: number;
	};
}

export interface ServingEstimate {
	/** Requests in flight the estimate was made for (null: offline, all queued). */
	concurrency: number | null;
	inputTokens: number;
	outputTokens: number;
	/** Sequences that decode together (per engine replica). */
	runningSequences: number;
	/** Requests waiting for a slot (all replicas). */
	queuedRequests: number;
	/** Mean time to first token, seconds (null when offline: it is the queue, not the engine). */
	ttftSeconds: number | null;
	/** Mean time between output tokens of one request after the first, seconds. */
	interTokenLatencySeconds: number;
	outputTokensPerSecondPerUser: number;
	outputTokensPerSecondTotal: number;
	requestsPerSecond: number;
	limitedBy: ServingLimit;
	/** Upper bound: spec bandwidth and peak, perfect overlap, no overheads, at the same running batch. */
	rooflineOutputTokensPerSecondTotal: number;
	caps: {
		kvCapacitySequences: number;
		maxRunning: number;
		tokenBudget: number;
		chunkedPrefill: boolean;
	};
	layout: ServingLayout & { tensorParallel: number; pipelineParallel: number; devices: number };
	step: ServingStep;
	speculative?: ServingSpeculation;
	/** Every default, cap source and modeling assumption behind these numbers, in words. */
	assumptions: string[];
}
