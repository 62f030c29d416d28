/**
 * llama-cpp-python: `Llama(model_path=…, n_ctx=…, n_gpu_layers=…)` and
 * `Llama.from_pretrained(repo_id=…, filename="*Q4_K_M.gguf", …)`. Its defaults differ from the llama.cpp
 * CLI's (config-surface.md §2.5, llama_cpp/llama.py@00c954e), so they are filled in here, marked
 * `engine-default`, rather than left to the CLI defaults the resolver would otherwise assume.
 */
import { spanOf, type SyntaxNode } from '../../parse/treeSitter';
import { ggmlTypeByName, ggufTypeName } from '../../gguf/ggmlTypes';
import type { AnalysisHost, Finding, Setting, Workload } from '../../types';
import {
	addDictValue,
	collectArgs,
	derivedSetting,
	kw,
	positional,
	settingOf,
	toInt,
	toStr,
	type KwArg,
} from './args';
import { evaluate } from './evaluate';
import { ignoredLlamaKwargs, isIgnoredByLlama } from './ignoredKwargs';
import type { PyScope } from './scope';
import { quantFromName, readLocal } from './ggufFile';
import { joinNotes, WorkloadParts } from './workload';

type Kind = 'init' | 'from_pretrained' | 'langchain';

const LABELS: Record<Kind, string> = {
	init: 'llama-cpp-python Llama()',
	from_pretrained: 'Llama.from_pretrained()',
	langchain: 'LangChain LlamaCpp()',
};

/** Defaults per entry point: llama-cpp-python Llama() (llama_cpp/llama.py@00c954e) and LangChain's
 * LlamaCpp wrapper (langchain_community/llms/llamacpp.py: n_ctx 512, n_batch 8, n_gpu_layers None, which
 * leaves llama-cpp-python's 0). */
const DEFAULTS: Record<'llama' | 'langchain', { ctx: number; batch: number; src: string }> = {
	llama: { ctx: 512, batch: 512, src: 'llama-cpp-python Llama() default (llama_cpp/llama.py@00c954e)' },
	langchain: { ctx: 512, batch: 8, src: 'LangChain LlamaCpp default (langchain_community/llms/llamacpp.py)' },
};

/** LangChain LlamaCpp fields beyond Llama()'s; unknown ones go to model_kwargs and on into Llama(**). */
const LANGCHAIN_KWARGS = (
	'n_parts f16_kv suffix max_tokens temperature top_p logprobs echo stop repeat_penalty top_k streaming ' +
	'grammar_path grammar model_kwargs callbacks callback_manager tags metadata cache client'
).split(' ');

export const LLAMA_KWARGS: ReadonlySet<string> = new Set(
	(
		'model_path n_gpu_layers split_mode main_gpu tensor_split rpc_servers vocab_only use_mmap use_mlock kv_overrides ' +
		'seed n_ctx n_batch n_ubatch n_threads n_threads_batch rope_scaling_type pooling_type rope_freq_base ' +
		'rope_freq_scale yarn_ext_factor yarn_attn_factor yarn_beta_fast yarn_beta_slow yarn_orig_ctx logits_all ' +
		'embedding offload_kqv flash_attn op_offload swa_full no_perf last_n_tokens_size lora_base lora_scale ' +
		'lora_path numa chat_format chat_handler draft_model tokenizer type_k type_v spm_infill verbose ' +
		'repo_id filename additional_files local_dir local_dir_use_symlinks cache_dir'
	).split(' '),
);

export function isLlamaCppCall(q: string | undefined): Kind | undefined {
	if (q && /^langchain(_community)?\.[\w.]*\bLlamaCpp$/.test(q)) return 'langchain';
	if (!q?.startsWith('llama_cpp.')) return undefined;
	if (/\.Llama$/.test(q)) return 'init';
	if (/\.Llama\.from_pretrained$/.test(q)) return 'from_pretrained';
	return undefined;
}

export function readLlamaCppCall(
	call: SyntaxNode,
	kind: Kind,
	scope: PyScope,
	index: number,
	ctx: { docPath: string; host?: AnalysisHost },
): { workload: Workload; findings: Finding[] } {
	const args = collectArgs(call, scope);
	// LangChain passes model_kwargs={...} on to Llama(**model_kwargs).
	const mk = kind === 'langchain' ? kw(args, 'model_kwargs') : undefined;
	if (mk) addDictValue(mk.value, `model_kwargs=${mk.value.text}`, scope, args);
	const p = new WorkloadParts(scope, index);
	p.unknowns.push(...args.unknowns);
	let model: Setting<string>;
	let localModelInfo: Workload['localModelInfo'];
	if (kind === 'from_pretrained') {
		model = readModel(kw(args, 'repo_id') ?? positional(args, 0, 'repo_id'), p);
		const file = kw(args, 'filename') ?? positional(args, 1, 'filename');
		const fileSetting = file ? settingOf(file, scope, 'weightFormat', toStr) : undefined;
		if (fileSetting?.setting) {
			const pattern = fileSetting.setting.value;
			model.note = joinNotes(model.note, `GGUF file pattern "${pattern}" (a glob over the repo's files)`);
			quantFromName(fileSetting.setting, file!.value.text, p, 'read from the file name pattern');
		} else if (fileSetting?.unknown) p.unknowns.push(fileSetting.unknown);
	} else {
		const modelArg = kw(args, 'model_path') ?? positional(args, 0, 'model_path');
		model = readModel(modelArg, p);
		if (model.source === 'file' && !p.unknowns.some((u) => u.name === 'model')) {
			quantFromName(model, modelArg!.value.text, p, 'read from the GGUF file name');
			localModelInfo = readLocal(model, ctx, p);
		}
	}

	readCounts(args, p, kind);
	// Sampling options and removed keywords: Llama() swallows them; LangChain's LlamaCpp has them as fields.
	if (kind !== 'langchain') {
		p.findings.push(...ignoredLlamaKwargs(args.keywords, LABELS[kind], index));
		args.keywords = args.keywords.filter((a) => !isIgnoredByLlama(a.name));
	}
	p.checkKeywords(
		args,
		kind === 'langchain' ? new Set([...LLAMA_KWARGS, ...LANGCHAIN_KWARGS]) : LLAMA_KWARGS,
		{
			label: LABELS[kind],
			// Llama(**kwargs) swallows unknown keywords (config-surface.md §2.5): the default silently applies.
			consequence: 'As written it is silently ignored and the default applies.',
		},
	);
	return p.result('llama.cpp', model, call, localModelInfo);
}

function readCounts(args: ReturnType<typeof collectArgs>, p: WorkloadParts, kind: Kind): void {
	const d = DEFAULTS[kind === 'langchain' ? 'langchain' : 'llama'];
	const s = p.settings;
	p.take('contextLength', kw(args, 'n_ctx'), toInt);
	if (s.contextLength?.value === 0)
		s.contextLength.note = joinNotes(
			s.contextLength.note,
			'0 = the context length the model was trained with',
		);
	s.contextLength ??= { value: d.ctx, source: 'engine-default', note: `n_ctx=${d.ctx}: ${d.src}` };
	p.take('gpuLayers', kw(args, 'n_gpu_layers'), toInt);
	if (s.gpuLayers?.value === -1) s.gpuLayers.note = joinNotes(s.gpuLayers.note, '-1 = all layers on the GPU');
	s.gpuLayers ??= {
		value: 0,
		source: 'engine-default',
		note: `n_gpu_layers=0 (CPU only): ${DEFAULTS.llama.src}`,
	};
	p.take('batchTokens', kw(args, 'n_batch'), toInt);
	s.batchTokens ??= { value: d.batch, source: 'engine-default', note: `n_batch=${d.batch}: ${d.src}` };
	p.take('threads', kw(args, 'n_threads'), toInt);
	const typeK = kw(args, 'type_k');
	if (typeK) readKvType(typeK, p);
	const typeV = kw(args, 'type_v');
	if (typeV && !s.kvCacheDtype) readKvType(typeV, p);
}

/** `type_k` is a ggml type id: `8`, `llama_cpp.GGML_TYPE_Q8_0`, or a name bound to one. */
function readKvType(arg: KwArg, p: WorkloadParts): void {
	const v = arg.value;
	const attr =
		v.type === 'attribute'
			? v.childForFieldName('attribute')?.text
			: v.type === 'identifier'
				? v.text
				: undefined;
	const m = attr ? /^GGML_TYPE_(\w+)$/.exec(attr) : null;
	if (m && ggmlTypeByName(m[1])) {
		p.settings.kvCacheDtype = derivedSetting(v, arg.name, arg.keySpan, m[1].toLowerCase());
		return;
	}
	const e = evaluate(v, p.scope);
	if (e.ok && typeof e.value === 'number' && !ggufTypeName(e.value).startsWith('type ')) {
		const s = settingOf(arg, p.scope, 'kvCacheDtype', toInt).setting!;
		p.settings.kvCacheDtype = {
			...s,
			value: ggufTypeName(e.value).toLowerCase(),
			raw: v.text,
			note: joinNotes(`ggml type ${e.value}`, s.note),
		};
		return;
	}
	p.unknowns.push({
		name: 'kvCacheDtype',
		reason: `${arg.name}=${e.ok ? `${v.text} is not a ggml type id` : e.reason}`,
		span: spanOf(v),
	});
}

function readModel(arg: KwArg | undefined, p: WorkloadParts): Setting<string> {
	if (!arg) {
		p.unknowns.push({ name: 'model', reason: 'no model path or repo id in the call' });
		return { value: '', source: 'assumed', note: 'no model in the call' };
	}
	return p.model(arg);
}
