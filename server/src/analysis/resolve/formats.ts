/**
 * Weight format and KV-cache dtype for a workload. Order for weights: an explicit quantization method,
 * then a quantized format the model name implies (`-AWQ`, `Q4_K_M.gguf`) — vLLM's `--dtype` is the
 * activation dtype and does not undo AWQ — then the explicit dtype, then a float format the name implies,
 * then the model's native dtype. transformers.js's `dtype` *is* the weight format, so it comes first there.
 */
import type { FormatSpec, KvDtypeSpec, ModelSpec } from '../catalog/types';
import type { Setting, Workload } from '../types';
// The same spellings the flag tables accept for --dtype (extract/values.ts).
import { TORCH_DTYPES } from '../extract/values';

export interface FormatLookups {
	format(name: string): FormatSpec | undefined;
	kv(name: string): KvDtypeSpec | undefined;
}

export interface Picked<T> {
	spec?: T;
	/** Where the choice came from, for the estimate's assumptions. */
	why: string;
	/** Written value the catalog does not know. */
	unknown?: string;
}

/** vLLM quantization methods → catalog format ids (kernel variants collapse onto their format). */
const QUANT: Record<string, string> = {
	awq_marlin: 'awq',
	gptq_marlin: 'gptq',
	gptq_marlin_24: 'gptq',
	modelopt: 'fp8',
	modelopt_fp4: 'nvfp4',
	fbgemm_fp8: 'fp8',
	fp8_per_tensor: 'fp8',
	bitsandbytes: 'bnb-nf4',
	gpt_oss_mxfp4: 'mxfp4',
	load_in_4bit: 'bnb-nf4',
	load_in_8bit: 'bnb-int8',
	'4bit': 'bnb-nf4',
	'8bit': 'bnb-int8',
	nf4: 'bnb-nf4',
};
/** Methods that say "read the format from the checkpoint": fall through to the name. */
const FROM_CHECKPOINT = new Set(['compressed-tensors', 'gguf', 'auto', 'none', 'None', '']);

function dtypeId(v: string): string {
	const s = v.replace(/^torch\./, '').toLowerCase();
	return TORCH_DTYPES[s] ?? s;
}

export function pickWeights(
	w: Workload,
	model: ModelSpec,
	implied: string | undefined,
	lookups: FormatLookups,
): Picked<FormatSpec> {
	const dtype = w.settings.weightFormat;
	const quant = w.settings.quantization;
	const impliedSpec = implied ? lookups.format(implied) : undefined;
	const tryIt = (id: string, why: string): Picked<FormatSpec> | undefined => {
		const spec = lookups.format(id);
		return spec ? { spec, why } : undefined;
	};
	let unknown: string | undefined;
	const explicit = (s: Setting<string> | undefined, map: (v: string) => string) => {
		if (!s || FROM_CHECKPOINT.has(s.value)) return undefined;
		const r = tryIt(
			map(s.value),
			`${s.key ?? 'setting'} ${s.value}${s.source === 'file' ? '' : ` (${s.source})`}`,
		);
		if (!r) unknown ??= s.value;
		return r;
	};
	const native = (): Picked<FormatSpec> => {
		const id = model.nativeDtype ? dtypeId(model.nativeDtype) : 'bf16';
		// vLLM's `auto` runs fp32 checkpoints in fp16.
		const run = id === 'fp32' && w.framework === 'vllm' ? 'fp16' : id;
		return (
			tryIt(run, `the model's native dtype (${model.nativeDtype ?? 'bf16 assumed'})`) ?? {
				why: 'no format',
				unknown: run,
			}
		);
	};
	const order: (() => Picked<FormatSpec> | undefined)[] =
		w.framework === 'transformers.js'
			? [() => explicit(dtype, (v) => v.toLowerCase())]
			: [
					() => explicit(quant, (v) => QUANT[v] ?? v.toLowerCase()),
					() =>
						impliedSpec?.quantized
							? { spec: impliedSpec, why: `implied by the model name (${implied})` }
							: undefined,
					() => explicit(dtype, dtypeId),
				];
	order.push(() =>
		impliedSpec ? { spec: impliedSpec, why: `implied by the model name (${implied})` } : undefined,
	);
	for (const step of order) {
		const r = step();
		if (r) return unknown ? { ...r, unknown } : r;
	}
	const r = native();
	return unknown ? { ...r, unknown } : r;
}

/** KV dtype: explicit unless `auto`; else what each engine stores by default. */
export function pickKv(
	w: Workload,
	weights: FormatSpec | undefined,
	model: ModelSpec,
	lookups: FormatLookups,
): Picked<KvDtypeSpec> {
	const s = w.settings.kvCacheDtype;
	let unknown: string | undefined;
	if (s && s.value !== 'auto') {
		const spec = lookups.kv(dtypeId(s.value)) ?? lookups.kv(s.value);
		if (spec) return { spec, why: `${s.key ?? 'kv cache dtype'} ${s.value}` };
		unknown = s.value;
	}
	const pick = (id: string, why: string): Picked<KvDtypeSpec> => ({ spec: lookups.kv(id), why, unknown });
	switch (w.framework) {
		case 'llama.cpp':
		case 'ollama':
			return pick('f16', 'llama.cpp stores K and V as f16 by default');
		case 'transformers.js':
			return weights && /16/.test(weights.id)
				? pick('f16', 'fp16 ONNX exports keep past key/values in float16')
				: pick('f32', 'ONNX exports keep past key/values in float32 unless the dtype is fp16');
		default: {
			if (weights && weights.family === 'float' && weights.bitsPerWeight >= 16)
				return pick(weights.id, `auto: the weights' dtype (${weights.id})`);
			const explicit = w.settings.weightFormat ? dtypeId(w.settings.weightFormat.value) : undefined;
			if (explicit && (explicit === 'bf16' || explicit === 'fp16'))
				return pick(explicit, `auto: the activation dtype (${explicit})`);
			const nat = model.nativeDtype ? dtypeId(model.nativeDtype) : 'bf16';
			const id = nat === 'fp16' ? 'fp16' : 'bf16';
			return pick(id, `auto: the model's activation dtype (${id})`);
		}
	}
}
