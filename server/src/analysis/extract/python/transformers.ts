/**
 * Hugging Face transformers in Python: `AutoModelForCausalLM.from_pretrained(id, torch_dtype=…, device_map=…,
 * load_in_4bit=…, quantization_config=BitsAndBytesConfig(…))` and `pipeline("text-generation", model=…)`.
 * Defaults: without `device_map` the model loads on the CPU; without a dtype transformers 4.x loads float32
 * (v5 defaults to "auto") — config-surface.md §3.
 */
import { spanOf, type SyntaxNode } from '../../parse/treeSitter';
import type { Finding, Setting, TextEdit, Workload } from '../../types';
import {
	addDictValue,
	collectArgs,
	derivedSetting,
	kw,
	positional,
	settingOf,
	toStr,
	type CallArgs,
	type KwArg,
} from './args';
import { evaluate, resolveNode } from './evaluate';
import { qualify, type PyScope } from './scope';
import { TORCH_DTYPE } from '../values';
import { TORCH_DTYPES } from './vllmArgs';
import { applyMoves } from './torchMoves';
import { WorkloadParts } from './workload';
import { nonLlmClass, nonLlmModel } from '../../resolve/nonLlm';

const MODEL_CLASS =
	/^(Auto\w*For(CausalLM|Seq2SeqLM|Vision2Seq|ImageTextToText|SpeechSeq2Seq)|\w+For(CausalLM|ConditionalGeneration)|AutoModel)$/;

/** Pipeline tasks that decode tokens (the workloads this tool estimates). */
const GENERATIVE_TASKS =
	/^(text-generation|text2text-generation|summarization|translation(_\w+)?|image-text-to-text|image-to-text|conversational)$/;

export function isTransformersCall(q: string | undefined): 'from_pretrained' | 'pipeline' | undefined {
	if (!q?.startsWith('transformers.')) return undefined;
	if (q === 'transformers.pipeline') return 'pipeline';
	const m = /^transformers\.(?:[\w.]+\.)?(\w+)\.from_pretrained$/.exec(q);
	// Speech-to-text heads (Whisper, AutoModelForSpeechSeq2Seq) are not LLM decode (resolve/nonLlm.ts).
	return m && MODEL_CLASS.test(m[1]) && !nonLlmClass(m[1]) ? 'from_pretrained' : undefined;
}

export function readTransformersCall(
	call: SyntaxNode,
	kind: 'from_pretrained' | 'pipeline',
	scope: PyScope,
	index: number,
): { workload: Workload; findings: Finding[] } | undefined {
	const args = collectArgs(call, scope);
	let modelArg: KwArg | undefined;
	if (kind === 'pipeline') {
		const taskArg = kw(args, 'task') ?? positional(args, 0, 'task');
		const task = taskArg ? evaluate(taskArg.value, scope) : undefined;
		if (task?.ok && typeof task.value === 'string' && !GENERATIVE_TASKS.test(task.value)) return undefined;
		modelArg = kw(args, 'model') ?? positional(args, 1, 'model');
		// model_kwargs={...} are passed on to from_pretrained.
		const mk = kw(args, 'model_kwargs');
		if (mk) expandModelKwargs(mk, scope, args);
	} else
		modelArg =
			kw(args, 'pretrained_model_name_or_path') ?? positional(args, 0, 'pretrained_model_name_or_path');

	// Whisper, embeddings, TTS, VAD by id: not judged as LLM decode (resolve/nonLlm.ts).
	const id = modelArg ? evaluate(modelArg.value, scope) : undefined;
	if (id?.ok && typeof id.value === 'string' && nonLlmModel(id.value)) return undefined;
	const p = new WorkloadParts(scope, index);
	p.unknowns.push(...args.unknowns);
	const model = readModel(modelArg, p);
	readDtype(kw(args, 'torch_dtype', 'dtype'), p);
	readQuantization(args, p);
	readDevice(kw(args, 'device_map'), kw(args, 'device'), p);
	for (const name of ['attn_implementation', 'trust_remote_code', 'low_cpu_mem_usage', 'revision']) {
		const a = kw(args, name);
		if (a) p.flag(a, name);
	}
	if (kind === 'from_pretrained') applyMoves(call, p);
	p.settings.weightFormat ??= {
		value: 'fp32',
		source: 'engine-default',
		note: 'no torch_dtype/dtype: transformers 4.x loads float32 (v5 defaults to "auto", the checkpoint dtype)',
	};
	return p.result('transformers', model, call);
}

/** model_kwargs={...} entries are passed on to from_pretrained, so they read like keyword arguments. */
function expandModelKwargs(mk: KwArg, scope: PyScope, args: CallArgs): void {
	addDictValue(mk.value, `model_kwargs=${mk.value.text}`, scope, args);
}

function readModel(arg: KwArg | undefined, p: WorkloadParts): Setting<string> {
	if (!arg) {
		p.unknowns.push({ name: 'model', reason: 'no model id in the call (the pipeline picks a task default)' });
		return { value: '', source: 'assumed', note: 'no model in the call' };
	}
	return p.model(arg);
}

function readDtype(arg: KwArg | undefined, p: WorkloadParts): void {
	if (!arg) return;
	const v = arg.value;
	if (v.type === 'attribute') {
		const fmt = TORCH_DTYPES[v.childForFieldName('attribute')?.text ?? ''];
		if (fmt) p.settings.weightFormat = derivedSetting(v, arg.name, arg.keySpan, fmt);
		else
			p.unknowns.push({
				name: 'weightFormat',
				reason: `${arg.name}=${v.text} is not a dtype this reader knows`,
				span: spanOf(v),
			});
		p.flag(arg, arg.name);
		return;
	}
	const r = settingOf(arg, p.scope, 'weightFormat', toStr);
	p.flag(arg, arg.name);
	if (!r.setting) {
		if (r.unknown) p.unknowns.push(r.unknown);
		return;
	}
	// Same spellings as vLLM's --dtype (shared parser); "auto" keeps the checkpoint's dtype.
	const parsed = TORCH_DTYPE.parse(r.setting.value);
	if (!parsed.ok) {
		p.unknowns.push({ name: 'weightFormat', reason: `${arg.name}=${parsed.reason}`, span: r.setting.span });
		return;
	}
	p.settings.weightFormat = { ...r.setting, value: parsed.value, raw: v.text };
	if (parsed.value === 'auto')
		p.settings.weightFormat.note = 'dtype "auto": the checkpoint\'s own dtype (config.json torch_dtype)';
}

const DEPRECATED_BNB = {
	message: 'passing load_in_4bit/load_in_8bit to from_pretrained is deprecated',
	replacement: 'quantization_config=BitsAndBytesConfig(...)',
};

/**
 * transformers warns at load: "The `load_in_4bit` and `load_in_8bit` arguments are deprecated and will be
 * removed in the future versions. Please, pass a `BitsAndBytesConfig` object in `quantization_config`
 * argument instead." (modeling_utils.py). The fix rewrites the argument and imports the class.
 */
function deprecatedBnbFinding(a: KwArg, name: string, workload: number): Finding {
	const node = a.value.parent;
	const edits: TextEdit[] = [];
	if (!a.via && node?.type === 'keyword_argument') {
		edits.push({
			span: spanOf(node),
			newText: `quantization_config=BitsAndBytesConfig(${name}=${a.value.text})`,
		});
		const imp = bnbImport(node);
		if (imp) edits.push(imp);
	}
	return {
		code: 'deprecated-flag',
		severity: 'warning',
		message:
			`\`${name}=\` is deprecated in transformers (it warns at load and will remove it); pass ` +
			`\`quantization_config=BitsAndBytesConfig(${name}=True)\` instead. It still works today.`,
		span: a.keySpan,
		workload,
		data: { name, replacement: 'quantization_config' },
		fixes: edits.length
			? [
					{
						title: `Use quantization_config=BitsAndBytesConfig(${name}=…)`,
						edits,
						effect: `same ${name === 'load_in_4bit' ? '4-bit NF4/FP4' : '8-bit'} bitsandbytes weights, no deprecation warning`,
						isPreferred: true,
					},
				]
			: [],
	};
}

/** Adds BitsAndBytesConfig to `from transformers import …`, or a new import line; none when present. */
function bnbImport(inCall: SyntaxNode): TextEdit | undefined {
	let root: SyntaxNode = inCall;
	while (root.parent) root = root.parent;
	const froms = root.descendantsOfType('import_from_statement').filter((n): n is SyntaxNode => !!n);
	if (froms.some((n) => /\bBitsAndBytesConfig\b/.test(n.text))) return undefined;
	const tf = froms.find((n) => n.childForFieldName('module_name')?.text === 'transformers');
	if (tf && !tf.text.includes('*')) {
		const names = tf.childrenForFieldName('name').filter((n): n is SyntaxNode => !!n);
		const last = names.at(-1);
		if (last) return { span: { offset: last.endIndex, length: 0 }, newText: ', BitsAndBytesConfig' };
	}
	return { span: { offset: 0, length: 0 }, newText: 'from transformers import BitsAndBytesConfig\n' };
}

/** `load_in_4bit=True` / `load_in_8bit=True` / `quantization_config=BitsAndBytesConfig(...)` / GPTQConfig / AwqConfig. */
function readQuantization(args: CallArgs, p: WorkloadParts): void {
	for (const [name, fmt] of [
		['load_in_4bit', 'bnb-nf4'],
		['load_in_8bit', 'bnb-int8'],
	] as const) {
		const a = kw(args, name);
		if (!a) continue;
		p.flag(a, name, DEPRECATED_BNB);
		const e = evaluate(a.value, p.scope);
		p.findings.push(deprecatedBnbFinding(a, name, p.workloadIndex));
		if (e.ok && e.value === true)
			p.settings.weightFormat = { ...derivedSetting(a.value, name, a.keySpan, fmt), note: fmtNote(fmt) };
	}
	const qc = kw(args, 'quantization_config');
	if (!qc) return;
	p.flag(qc, 'quantization_config');
	const r = resolveNode(qc.value, p.scope);
	if ('reason' in r || r.node.type !== 'call') {
		p.unknowns.push({
			name: 'weightFormat',
			reason: `quantization_config=${qc.value.text}: ${'reason' in r ? r.reason : 'not a config constructor call in this file'}`,
			span: spanOf(qc.value),
		});
		return;
	}
	const cls = (
		qualify(r.node.childForFieldName('function'), p.scope) ??
		r.node.childForFieldName('function')?.text ??
		''
	)
		.split('.')
		.pop();
	const inner = collectArgs(r.node, p.scope);
	const via = r.via.length ? `from ${r.via.join(' → ')}` : undefined;
	if (cls === 'BitsAndBytesConfig') {
		for (const [name, fmt] of [
			['load_in_4bit', 'bnb-nf4'],
			['load_in_8bit', 'bnb-int8'],
		] as const) {
			const a = kw(inner, name);
			const e = a ? evaluate(a.value, p.scope) : undefined;
			if (!a || !e?.ok || e.value !== true) continue;
			let note = fmtNote(fmt);
			if (fmt === 'bnb-nf4') {
				const qt = kw(inner, 'bnb_4bit_quant_type');
				const qv = qt ? evaluate(qt.value, p.scope) : undefined;
				note = `4-bit bitsandbytes, quant type ${qv?.ok ? String(qv.value) : 'fp4 (the default)'}; nf4 and fp4 store the same bytes`;
				const dq = kw(inner, 'bnb_4bit_use_double_quant');
				if (dq && evaluate(dq.value, p.scope).ok) note += `; double quant ${dq.value.text}`;
			}
			p.settings.weightFormat = {
				...derivedSetting(a.value, name, a.keySpan, fmt),
				note: [via, note].filter(Boolean).join('; '),
			};
		}
		return;
	}
	const known: Record<string, string> = {
		GPTQConfig: 'gptq',
		AwqConfig: 'awq',
		FbgemmFp8Config: 'fp8',
		FineGrainedFP8Config: 'fp8',
		Mxfp4Config: 'mxfp4',
	};
	const fmt = cls ? known[cls] : undefined;
	if (fmt)
		p.settings.weightFormat = {
			...derivedSetting(r.node, 'quantization_config', qc.keySpan, fmt),
			note: via,
		};
	else
		p.unknowns.push({
			name: 'weightFormat',
			reason: `quantization_config=${cls ?? '?'}(...) is not a config this reader knows`,
			span: spanOf(qc.value),
		});
}

function fmtNote(fmt: string): string {
	return fmt === 'bnb-int8'
		? '8-bit bitsandbytes (LLM.int8)'
		: '4-bit bitsandbytes, quant type fp4 (the default); nf4 and fp4 store the same bytes';
}

function readDevice(deviceMap: KwArg | undefined, device: KwArg | undefined, p: WorkloadParts): void {
	for (const a of [deviceMap, device]) {
		if (!a) continue;
		p.flag(a, a.name);
		const e = evaluate(a.value, p.scope);
		if (!e.ok) {
			p.unknowns.push({
				name: 'device',
				reason: `${a.name}=${a.value.type === 'dictionary' ? 'a per-module map' : e.reason}`,
				span: spanOf(a.value),
			});
			continue;
		}
		// pipeline(device=0) is cuda:0, device=-1 the CPU.
		const v = typeof e.value === 'number' ? (e.value < 0 ? 'cpu' : `cuda:${e.value}`) : String(e.value);
		const s = settingOf(a, p.scope, 'device', toStr).setting;
		p.settings.device = s ? { ...s, value: v } : { ...derivedSetting(a.value, a.name, a.keySpan, v) };
		return;
	}
	if (!deviceMap && !device)
		p.settings.device = {
			value: 'cpu',
			source: 'engine-default',
			note: 'no device_map/device: transformers loads the model on the CPU',
		};
}
