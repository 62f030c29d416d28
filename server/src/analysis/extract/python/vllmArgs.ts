/**
 * vLLM engine keyword arguments as `LLM(...)`, `EngineArgs(...)` and `AsyncEngineArgs(...)` take them.
 * The names and deprecations come from the shared CLI table (flags/vllm.ts): each EngineArgs field is
 * both a `--flag-name` and a `flag_name=` keyword. The value tables below are Python-specific.
 */
import type { FlagOccurrence } from '../../types';
import { VLLM_FLAGS } from '../flags/vllm';

/**
 * Python keyword names vLLM's engine accepts: every long CLI flag of the shared vLLM table
 * (`--max-model-len` → `max_model_len`) plus the few that exist only in Python.
 */
const PY_ONLY = [
	'kv_cache_memory_bytes',
	'logits_processors',
	'use_tqdm_on_load',
	'hf_overrides',
	'enable_log_requests',
];

function toKwarg(spelling: string): string {
	return spelling.replace(/^--/, '').replace(/-/g, '_');
}

export const VLLM_KWARGS: ReadonlySet<string> = new Set([
	...VLLM_FLAGS.specs.flatMap((s) =>
		s.spellings.filter((sp) => sp.startsWith('--') && !sp.includes('.')).map(toKwarg),
	),
	...PY_ONLY,
]);

/** CLI replacements in Python terms: `--no-enable-log-requests` → `enable_log_requests=False`. */
function pyReplacement(r: string | undefined): string | undefined {
	if (!r) return undefined;
	return r
		.replace(/--no-([\w-]+)/g, (_, x: string) => `${x.replace(/-/g, '_')}=False`)
		.replace(/--([\w-]+)/g, (_, x: string) => x.replace(/-/g, '_'));
}

/** Deprecations from the shared vLLM table (config-surface.md §1.3), keyed by Python name. */
export const VLLM_DEPRECATED: Record<string, FlagOccurrence['deprecated']> = Object.fromEntries(
	VLLM_FLAGS.specs
		.filter((s) => s.deprecated)
		.map((s) => {
			const d = s.deprecated!;
			const message = d.note ?? (d.removedIn ? `deprecated, removed in ${d.removedIn}` : 'deprecated');
			return [
				toKwarg(s.canonical),
				{ message, replacement: pyReplacement(d.replacement), removedIn: d.removedIn },
			];
		}),
);

/** `quantization` methods → the weight format they store (null: the checkpoint decides). */
export const VLLM_QUANT_FORMATS: Record<string, string | null> = {
	awq: 'awq',
	awq_marlin: 'awq',
	gptq: 'gptq',
	gptq_marlin: 'gptq',
	marlin: 'gptq',
	fp8: 'fp8',
	fbgemm_fp8: 'fp8',
	modelopt: 'fp8',
	modelopt_fp4: 'nvfp4',
	mxfp4: 'mxfp4',
	gpt_oss_mxfp4: 'mxfp4',
	bitsandbytes: 'bnb-nf4',
	experts_int8: 'int8',
	'compressed-tensors': null,
	gguf: null,
};

/** torch dtype attributes (`torch.bfloat16`) → format ids. */
export const TORCH_DTYPES: Record<string, string> = {
	bfloat16: 'bf16',
	float16: 'fp16',
	half: 'fp16',
	float32: 'fp32',
	float: 'fp32',
	float8_e4m3fn: 'fp8',
	int8: 'int8',
};
