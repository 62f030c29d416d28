/** vLLM in Python: `LLM(...)`, `EngineArgs(...)`, `AsyncEngineArgs(...)` (all take the engine kwargs). */
import { spanOf, type SyntaxNode } from '../../parse/treeSitter';
import type { AnalysisHost, Setting, Workload } from '../../types';
import {
	collectArgs,
	derivedSetting,
	kw,
	positional,
	settingOf,
	toInt,
	toNumber,
	toStr,
	type KwArg,
} from './args';
import { evaluate } from './evaluate';
import { qualify, type PyScope } from './scope';
import { TORCH_DTYPE } from '../values';
import { TORCH_DTYPES, VLLM_DEPRECATED, VLLM_KWARGS, VLLM_QUANT_FORMATS } from './vllmArgs';
import { quantFromName, readLocal } from './ggufFile';
import { joinNotes, WorkloadParts } from './workload';
import type { Finding } from '../../types';

const ENGINE_CALLS = new Set(['LLM', 'EngineArgs', 'AsyncEngineArgs']);

/** True for `vllm.LLM`, `vllm.engine.arg_utils.AsyncEngineArgs` and the like. */
export function isVllmEngineCall(qualified: string | undefined): boolean {
	if (!qualified?.startsWith('vllm.')) return false;
	return ENGINE_CALLS.has(qualified.slice(qualified.lastIndexOf('.') + 1));
}

export function readVllmCall(
	call: SyntaxNode,
	scope: PyScope,
	index: number,
	ctx: { docPath: string; host?: AnalysisHost } = { docPath: '' },
): { workload: Workload; findings: Finding[] } {
	const args = collectArgs(call, scope);
	const p = new WorkloadParts(scope, index);
	p.unknowns.push(...args.unknowns);
	const callee = qualify(call.childForFieldName('function'), scope) ?? 'vllm.LLM';
	const what = callee.slice(callee.lastIndexOf('.') + 1);

	const modelArg = kw(args, 'model') ?? positional(args, 0, 'model');
	const model = readModel(modelArg, p, what);

	p.take('tensorParallelSize', kw(args, 'tensor_parallel_size'), toInt);
	p.take('pipelineParallelSize', kw(args, 'pipeline_parallel_size'), toInt);
	p.take('contextLength', kw(args, 'max_model_len'), toInt);
	p.take('maxConcurrency', kw(args, 'max_num_seqs'), toInt);
	p.take('gpuMemoryUtilization', kw(args, 'gpu_memory_utilization'), toNumber);
	p.take('kvCacheDtype', kw(args, 'kv_cache_dtype'), toStr);
	p.take('batchTokens', kw(args, 'max_num_batched_tokens'), toInt);
	p.take('device', kw(args, 'device'), toStr);
	const quant = p.take('quantization', kw(args, 'quantization'), toStr);
	readWeightFormat(kw(args, 'dtype'), quant as Setting<string> | undefined, scope, p);
	// vLLM loads a .gguf model file itself (quantization=gguf is implied): the quant is in the name/header.
	let localModelInfo: Workload['localModelInfo'];
	if (model.source === 'file' && /\.gguf$/i.test(model.value) && modelArg) {
		quantFromName(model, modelArg.value.text, p, 'read from the GGUF file name');
		localModelInfo = readLocal(model, ctx, p);
	}

	p.checkKeywords(
		args,
		VLLM_KWARGS,
		{
			label: `vLLM ${what}()`,
			// EngineArgs is a dataclass: an unknown keyword is a TypeError at start-up.
			consequence: 'As written vLLM stops with "unexpected keyword argument".',
		},
		(n) => n.replace(/_/g, '-'),
		VLLM_DEPRECATED,
	);
	return p.result('vllm', model, call, localModelInfo);
}

function readModel(arg: KwArg | undefined, p: WorkloadParts, what: string): Setting<string> {
	if (!arg)
		return {
			value: 'Qwen/Qwen3-0.6B',
			source: 'engine-default',
			note: `${what}() without a model loads vLLM's default model (Qwen/Qwen3-0.6B in current vLLM, facebook/opt-125m in older releases)`,
		};
	return p.model(arg);
}

/** `quantization=` decides the stored weight format when set; else `dtype=` does (unless `auto`). */
function readWeightFormat(
	dtype: KwArg | undefined,
	quant: Setting<string> | undefined,
	scope: PyScope,
	p: WorkloadParts,
): void {
	if (quant) {
		const fmt = VLLM_QUANT_FORMATS[quant.value];
		if (fmt)
			p.settings.weightFormat = {
				...quant,
				value: fmt,
				note: joinNotes(`from quantization="${quant.value}"`, quant.note),
			};
		return;
	}
	if (!dtype) return;
	const v = dtype.value;
	if (v.type === 'attribute') {
		const name = v.childForFieldName('attribute')?.text ?? '';
		const fmt = TORCH_DTYPES[name];
		if (fmt) p.settings.weightFormat = derivedSetting(v, dtype.name, dtype.keySpan, fmt);
		else
			p.unknowns.push({
				name: 'weightFormat',
				reason: `dtype=${v.text} is not a dtype this reader knows`,
				span: spanOf(v),
			});
		return;
	}
	const e = evaluate(v, scope);
	if (!e.ok) {
		p.unknowns.push({ name: 'weightFormat', reason: `dtype=${e.reason}`, span: spanOf(v) });
		return;
	}
	// The shared CLI parser for --dtype: the same spellings are valid as the Python keyword.
	const parsed = TORCH_DTYPE.parse(String(e.value));
	if (!parsed.ok) {
		p.unknowns.push({ name: 'weightFormat', reason: `dtype=${parsed.reason}`, span: spanOf(v) });
		return;
	}
	const s = settingOf(dtype, scope, 'weightFormat', toStr).setting!;
	p.settings.weightFormat = { ...s, value: parsed.value, raw: v.text };
	if (parsed.value === 'auto')
		p.settings.weightFormat.note = joinNotes(s.note, "dtype auto: the checkpoint's own dtype");
}
