/**
 * Which weight formats and KV dtypes the what-if offers: the ones the workload's engine can load, so a
 * what-if never proposes a configuration the engine would reject. The current value is always included.
 */
import type { FormatSpec, KvDtypeSpec } from '../../server/src/analysis/catalog/types';
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import type { Choice } from './controls';

const FORMAT_FAMILIES: Record<WorkloadReport['framework'], FormatSpec['family'][]> = {
	vllm: ['float', 'int', 'awq', 'gptq', 'nv', 'mx', 'bnb'],
	transformers: ['float', 'int', 'bnb', 'awq', 'gptq'],
	'llama.cpp': ['gguf'],
	ollama: ['gguf'],
	'transformers.js': ['onnx', 'float'],
	sglang: ['float', 'int', 'awq', 'gptq', 'nv', 'mx', 'bnb'],
};

const KV_IDS: Record<WorkloadReport['framework'], string[]> = {
	vllm: ['bf16', 'f16', 'fp8', 'fp8_e4m3', 'fp8_e5m2'],
	transformers: ['bf16', 'f16', 'f32'],
	'llama.cpp': ['f16', 'bf16', 'f32', 'q8_0', 'q5_1', 'q5_0', 'q4_1', 'q4_0', 'iq4_nl'],
	ollama: ['f16', 'q8_0', 'q4_0'],
	'transformers.js': ['f16', 'f32'],
	// SGLang server_args.py kv_cache_dtype choices (auto, fp8_e5m2, fp8_e4m3, bf16, …).
	sglang: ['bf16', 'f16', 'fp8_e4m3', 'fp8_e5m2'],
};

export function formatChoices(
	formats: FormatSpec[],
	fw: WorkloadReport['framework'],
	current: string,
): Choice[] {
	const fams = FORMAT_FAMILIES[fw] ?? [];
	const out = formats.filter((f) => fams.includes(f.family) || f.id === current);
	if (!out.some((f) => f.id === current)) out.unshift({ id: current, label: current } as FormatSpec);
	return out.map((f) => ({ id: f.id, label: `${f.label} · ${f.bitsPerWeight} bits/weight` }));
}

export function kvChoices(kvs: KvDtypeSpec[], fw: WorkloadReport['framework'], current: string): Choice[] {
	const ids = KV_IDS[fw] ?? kvs.map((k) => k.id);
	const out = kvs.filter((k) => ids.includes(k.id) || k.id === current);
	if (!out.some((k) => k.id === current)) out.unshift({ id: current, label: current } as KvDtypeSpec);
	return out.map((k) => ({ id: k.id, label: `${k.label} · ${k.bytesPerElement} B/element` }));
}
