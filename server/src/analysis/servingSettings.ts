/**
 * What a workload's file says about serving under load — scheduler caps, speculative decoding, expert and
 * data parallelism — turned into the serving model's input. Settings the file does not write stay
 * undefined, so the engine's version defaults apply and are named as defaults. Pure: the webview bundles it.
 */
import type { ServingInput } from './physics/serving';
import type { SchedulerSettings } from './physics/serving/scheduler';
import type { ServingLayout } from './physics/serving/moeLayout';
import { speculativeMethodOf, type SpeculativeSettings } from './physics/serving/speculative';
import { DEFAULT_INPUT_TOKENS, DEFAULT_OUTPUT_TOKENS } from './physics/serving/types';
import type { Setting, Workload } from './types';

export interface WorkloadServing {
	scheduler: SchedulerSettings;
	layout: Partial<ServingLayout>;
	speculative?: SpeculativeSettings;
	/** What could not be read (an unparseable speculative config, an unknown method), in words. */
	notes: string[];
}

const written = <T>(s: Setting<T> | undefined): T | undefined =>
	s && (s.source === 'file' || s.source === 'user-setting') ? s.value : undefined;

/** vLLM `--speculative-config` JSON (also the Python-dict spelling with single quotes). */
export function parseSpeculativeConfig(
	text: string,
): { method?: string; tokens?: number; model?: string } | undefined {
	const attempt = (t: string): unknown => {
		try {
			return JSON.parse(t);
		} catch {
			return undefined;
		}
	};
	const raw =
		attempt(text) ??
		attempt(
			text
				.replace(/'/g, '"')
				.replace(/\bTrue\b/g, 'true')
				.replace(/\bFalse\b/g, 'false'),
		);
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
	const o = raw as Record<string, unknown>;
	const num = Number(o.num_speculative_tokens);
	return {
		method: typeof o.method === 'string' ? o.method : undefined,
		tokens: Number.isFinite(num) && num > 0 ? Math.floor(num) : undefined,
		model: typeof o.model === 'string' ? o.model : undefined,
	};
}

function speculativeFrom(w: Workload, notes: string[]): SpeculativeSettings | undefined {
	const s = w.settings;
	const config = written(s.speculativeConfig);
	if (config !== undefined) {
		const c = parseSpeculativeConfig(config);
		if (!c) {
			notes.push(
				`${s.speculativeConfig?.key ?? '--speculative-config'} is not JSON: speculative decoding not modeled`,
			);
			return undefined;
		}
		// vLLM infers the method from the draft model when `method` is absent ("[ngram]", EAGLE heads, a draft model).
		const method =
			speculativeMethodOf(c.method) ?? speculativeMethodOf(c.model) ?? (c.model ? 'draft-model' : undefined);
		if (!method || !c.tokens) {
			notes.push('speculative config without a known method or num_speculative_tokens: not modeled');
			return undefined;
		}
		return { method, tokens: c.tokens };
	}
	const tokens = written(s.speculativeTokens);
	const named = written(s.speculativeMethod);
	const draft = written(s.draftModel);
	if (named === undefined && draft === undefined) return undefined;
	const method =
		speculativeMethodOf(named) ??
		(draft !== undefined ? (speculativeMethodOf(draft) ?? 'draft-model') : undefined);
	if (!method) {
		notes.push(`speculative method "${named}" is not one the model knows: not modeled`);
		return undefined;
	}
	// llama.cpp's --draft-max default is 16 (common.h); SGLang needs --speculative-num-steps.
	const k = tokens ?? (w.framework === 'llama.cpp' ? 16 : undefined);
	if (!k) {
		notes.push('speculative decoding without a draft length: not modeled');
		return undefined;
	}
	if (tokens === undefined) notes.push(`draft length ${k}: llama.cpp default --draft-max`);
	return { method, tokens: k };
}

/** Serving settings from the file; `moe` decides what data parallelism means (attention DP vs replicas). */
export function servingFromWorkload(w: Workload, moe: boolean): WorkloadServing {
	const s = w.settings;
	const notes: string[] = [];
	const tp = written(s.tensorParallelSize) ?? s.tensorParallelSize?.value ?? 1;
	const dp = written(s.dataParallelSize) ?? 1;
	const epOn = written(s.expertParallel) === true;
	const epSize = written(s.expertParallelSize);
	const dpAttention = written(s.dataParallelAttention) === true;
	let layout: Partial<ServingLayout> = {};
	if (moe && (epOn || (epSize ?? 1) > 1 || dpAttention)) {
		// vLLM: EP spans TP × DP ranks and attention runs data-parallel across DP; SGLang: --ep-size and
		// --enable-dp-attention (DP attention inside the TP group).
		layout = {
			expertParallel: epSize ?? (epOn ? tp * dp : 1),
			attentionDataParallel: dpAttention ? dp : epOn && dp > 1 ? dp : 1,
		};
	} else if (dp > 1) layout = { replicas: dp };
	return {
		scheduler: {
			maxRunning: written(s.maxConcurrency),
			tokenBudget: written(s.batchTokens),
			engineVersion: w.engineVersion?.value,
		},
		layout,
		speculative: speculativeFrom(w, notes),
		notes,
	};
}

/** The serving input for a workload at `concurrency`, with the stated default lengths. */
export function servingInputFor(
	w: Workload,
	moe: boolean,
	concurrency: number,
	lengths?: { input?: number; output?: number },
): ServingInput {
	const ws = servingFromWorkload(w, moe);
	return {
		inputTokens: lengths?.input ?? DEFAULT_INPUT_TOKENS,
		outputTokens: lengths?.output ?? DEFAULT_OUTPUT_TOKENS,
		concurrency,
		scheduler: ws.scheduler,
		layout: ws.layout,
		speculative: ws.speculative,
		defaulted: { inputTokens: lengths?.input === undefined, outputTokens: lengths?.output === undefined },
	};
}
