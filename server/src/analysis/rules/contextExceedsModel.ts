/**
 * context-exceeds-model: a context longer than the model was trained for. vLLM refuses to start ("User-
 * specified max_model_len is greater than the derived max_model_len") unless VLLM_ALLOW_LONG_MAX_MODEL_LEN
 * is set or RoPE scaling is configured; llama.cpp and Ollama run but quality degrades past the trained
 * length. The fix sets the context to the model's own maximum.
 */
import { setSetting } from '../fixes/edits';
import { finding, keyName, spanOf } from './common';
import type { Rule } from './types';
import { gb, int } from './units';

/** Flags that extend the usable context on purpose (YaRN / linear RoPE scaling). */
const SCALING = /rope[-_]scaling|hf[-_]overrides|rope[-_]freq|yarn/i;

export const contextExceedsModel: Rule = {
	code: 'context-exceeds-model',
	defaultSeverity: 'error',
	summary: 'The configured context is longer than the model was trained for.',
	check(ctx) {
		const s = ctx.workload.settings.contextLength;
		if (!ctx.model.ok || !s || s.source !== 'file') return [];
		const max = ctx.model.model.maxContext;
		if (!max || s.value <= max) return [];
		if (ctx.workload.flags.some((f) => SCALING.test(f.canonical ?? f.name))) return [];
		const fw = ctx.workload.framework;
		const vllm = fw === 'vllm';
		const name = keyName(s, vllm ? '--max-model-len' : fw === 'ollama' ? 'num_ctx' : '-c');
		const consequence = vllm
			? 'vLLM refuses to start unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 or RoPE scaling is configured'
			: 'the engine runs, but output quality degrades past the trained length';
		const edits = setSetting(ctx.text, ctx.workload, 'contextLength', max);
		const perToken = ctx.estimate?.memory.kvBytesPerToken;
		return [
			finding(
				ctx,
				contextExceedsModel.code,
				vllm ? 'error' : 'warning',
				`${name} ${int(s.value)} exceeds the ${int(max)} tokens ${ctx.model.model.id} was trained for; ${consequence}`,
				spanOf(ctx, s),
				{ contextLength: s.value, modelMaxContext: max },
				edits
					? [
							{
								title: `Set the context to the model's ${int(max)} tokens`,
								edits,
								effect: perToken
									? `One full sequence then holds ${gb(perToken * max)} of KV cache instead of ${gb(perToken * s.value)}`
									: `Context ${int(max)} tokens, the model's max_position_embeddings`,
								isPreferred: true,
							},
						]
					: [],
			),
		];
	},
};
