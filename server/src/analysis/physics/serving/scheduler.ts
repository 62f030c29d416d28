/**
 * Scheduler caps of continuous-batching engines: how many sequences may run together and how many tokens one
 * engine step may carry (the chunked-prefill budget). Defaults by engine and version, each with its source;
 * a value set in the file or on the command line always wins. Derivations in docs/physics.md § "Serving".
 */
import type { HardwareSpec } from '../../catalog/types';
import type { Engine } from '../types';

export interface SchedulerCaps {
	/** Sequences decoding together at most (vLLM max-num-seqs, SGLang max-running-requests, TRT-LLM max_batch_size). */
	maxRunning: number;
	/** Tokens one step may carry, prefill chunks plus one per decoding sequence (max-num-batched-tokens …). */
	tokenBudget: number;
	/** Whether long prompts are split into chunks that share steps with decode (false: whole-prompt steps). */
	chunkedPrefill: boolean;
	/** Where each number comes from, in words (default of which version, or the user's setting). */
	sources: string[];
}

export interface SchedulerSettings {
	maxRunning?: number;
	tokenBudget?: number;
	/** Engine version as written in the file or image tag (e.g. "0.8.5", "v0.10.1"); undefined = current. */
	engineVersion?: string;
	/** vLLM V0 engine (VLLM_USE_V1=0 or a version before 0.8). */
	vllmV0?: boolean;
	/** Longest sequence the engine admits, for V0's whole-prompt budget. */
	maxModelLen?: number;
}

const GIB = 1024 ** 3;

/** "0.8.5" → [0, 8, 5]; undefined when the text has no version number. */
export function parseVersion(v: string | undefined): number[] | undefined {
	const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(v ?? '');
	return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function atLeast(v: number[] | undefined, major: number, minor: number): boolean {
	if (!v) return true; // no version: the current defaults
	return v[0] > major || (v[0] === major && v[1] >= minor);
}

/**
 * vLLM `vllm serve` defaults (EngineArgs, OPENAI_API_SERVER usage context):
 * - V1 from 0.9: device memory ≥ 70 GiB and not an A100 → max_num_batched_tokens 8192, max_num_seqs 1024;
 *   other devices → 2048 and 256 (arg_utils.py get_batch_defaults; A100 excluded per vLLM PR #17885).
 * - V1 0.8.x: 2048 and 256 (_set_default_args_v1).
 * - V0: max_num_seqs 256; without chunked prefill one step takes whole prompts, budget max(max_model_len, 2048).
 */
function vllmCaps(hw: HardwareSpec, s: SchedulerSettings): SchedulerCaps {
	const v = parseVersion(s.engineVersion);
	const v0 = s.vllmV0 === true || (v !== undefined && !atLeast(v, 0, 8));
	const big = hw.memoryGB * 1e9 >= 70 * GIB && !/a100/i.test(hw.id);
	if (v0) {
		const len = s.maxModelLen ?? 8192;
		return {
			maxRunning: 256,
			tokenBudget: Math.max(len, 2048),
			chunkedPrefill: false,
			sources: ['vLLM V0 defaults: max-num-seqs 256, whole-prompt prefill (budget max(max-model-len, 2048))'],
		};
	}
	if (atLeast(v, 0, 9) && big)
		return {
			maxRunning: 1024,
			tokenBudget: 8192,
			chunkedPrefill: true,
			sources: [
				`vLLM ${s.engineVersion ?? '≥ 0.9'} V1 default on a ≥ 70 GiB device: max-num-seqs 1024, max-num-batched-tokens 8192`,
			],
		};
	return {
		maxRunning: 256,
		tokenBudget: 2048,
		chunkedPrefill: true,
		sources: [
			`vLLM ${s.engineVersion ?? ''} V1 default${big ? '' : ' on this device'}: max-num-seqs 256, max-num-batched-tokens 2048`.replace(
				/ {2}/g,
				' ',
			),
		],
	};
}

/**
 * SGLang: chunked-prefill-size 8192 on large-memory GPUs (server_args sets 2048/4096 on small ones), and
 * max-running-requests derived from the KV pool when unset (no fixed cap: the KV capacity binds).
 */
function sglangCaps(hw: HardwareSpec): SchedulerCaps {
	const budget = hw.memoryGB < 25 ? 2048 : hw.memoryGB < 35 ? 4096 : 8192;
	return {
		maxRunning: Number.MAX_SAFE_INTEGER,
		tokenBudget: budget,
		chunkedPrefill: true,
		sources: [
			`SGLang default: chunked-prefill-size ${budget} on a ${hw.memoryGB} GB device; max-running-requests from the KV pool`,
		],
	};
}

/** TensorRT-LLM LLM API / trtllm-serve defaults: max_batch_size 2048, max_num_tokens 8192. */
function trtCaps(): SchedulerCaps {
	return {
		maxRunning: 2048,
		tokenBudget: 8192,
		chunkedPrefill: true,
		sources: ['TensorRT-LLM default: max_batch_size 2048, max_num_tokens 8192'],
	};
}

/** The caps an engine runs with: user settings over version defaults. */
export function schedulerCaps(engine: Engine, hw: HardwareSpec, s: SchedulerSettings = {}): SchedulerCaps {
	const base =
		engine === 'vllm'
			? vllmCaps(hw, s)
			: engine === 'sglang'
				? sglangCaps(hw)
				: engine === 'trt-llm'
					? trtCaps()
					: // llama.cpp and the rest: a slot count (-np) and a ubatch of 512; one batch per step.
						{
							maxRunning: Number.MAX_SAFE_INTEGER,
							tokenBudget: 2048,
							chunkedPrefill: false,
							sources: [`${engine}: no continuous-batching scheduler modeled; batch budget 2048 tokens`],
						};
	const out = { ...base, sources: [...base.sources] };
	if (s.maxRunning !== undefined && s.maxRunning > 0) {
		out.maxRunning = Math.floor(s.maxRunning);
		out.sources.push(`max running sequences ${out.maxRunning} (set)`);
	}
	if (s.tokenBudget !== undefined && s.tokenBudget > 0) {
		out.tokenBudget = Math.floor(s.tokenBudget);
		out.sources.push(`token budget per step ${out.tokenBudget} (set)`);
	}
	return out;
}
