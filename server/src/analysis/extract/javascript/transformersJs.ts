/**
 * One transformers.js call → one Workload: `pipeline(task, model, options)` and
 * `AutoModelForCausalLM.from_pretrained(model, options)` (and the other generative model classes).
 *
 * Defaults when the options say nothing (transformers.js v3):
 * - device: 'wasm' in the browser, 'cpu' in Node — `defaultDevices` in src/backends/onnx.js
 *   (https://app.unpkg.com/@huggingface/transformers@3.8.1/files/src/backends/onnx.js);
 * - dtype: 'q8' on wasm, 'fp32' on every other device — DEFAULT_DEVICE_DTYPE_MAPPING in src/utils/dtypes.js
 *   (https://app.unpkg.com/@huggingface/transformers@3.0.0-alpha.19/files/types/utils/dtypes.d.ts); a model's
 *   config.json `transformers.js_config.dtype` can override it.
 * v2 (`@xenova/transformers`) has no dtype/device: `quantized` (default true) picks the 8-bit ONNX file.
 */
import type * as TsMorph from 'ts-morph';
import type {
	Finding,
	FlagOccurrence,
	Setting,
	Span,
	Unknown,
	Workload,
	WorkloadSettings,
} from '../../types';
import { misspeltOf } from '../python/spelling';
import { nonLlmModel } from '../../resolve/nonLlm';
import { evaluate, objectProps, type Prop } from './evaluate';
import type { TM } from './project';

export const MODEL_CLASS =
	/^(AutoModel|Auto\w*For(CausalLM|Seq2SeqLM|Vision2Seq|ImageTextToText|SpeechSeq2Seq)|\w+For(CausalLM|ConditionalGeneration)|\w+CausalLM)$/;

/** Pipeline tasks that decode tokens; other pipelines (embeddings, classifiers) are not estimated. */
export const GENERATIVE_TASKS =
	/^(text-generation|text2text-generation|summarization|translation(_\w+)?|image-text-to-text|image-to-text)$/;

const OPTION_KEYS = new Set([
	'dtype',
	'device',
	'progress_callback',
	'config',
	'cache_dir',
	'local_files_only',
	'revision',
	'subfolder',
	'model_file_name',
	'session_options',
	'use_external_data_format',
	'quantized',
	'legacy',
]);

/** Sub-modules in the order of the bytes they usually hold; the first present decides the weights' dtype. */
const MODULE_RANK = [
	'decoder_model_merged',
	'decoder_model',
	'model',
	'language_model',
	'embed_tokens',
	'encoder_model',
	'vision_encoder',
	'audio_encoder',
];

export interface CallContext {
	tm: TM;
	index: number;
	legacy: boolean;
	environment: { kind: 'browser' | 'node'; why: string };
}

function span(n: TsMorph.Node): Span {
	return { offset: n.getStart(), length: n.getEnd() - n.getStart() };
}

class Parts {
	settings: WorkloadSettings = {};
	flags: FlagOccurrence[] = [];
	unknowns: Unknown[] = [];
	findings: Finding[] = [];
}

function stringSetting(
	node: TsMorph.Node,
	key: string | undefined,
	keyNode: TsMorph.Node | undefined,
	tm: TM,
	via?: string,
): Setting<string> | Unknown {
	const v = evaluate(node, tm);
	if (!v.ok || typeof v.value !== 'string')
		return {
			name: key ?? 'value',
			reason: v.ok ? `\`${node.getText()}\` is not a string` : v.reason,
			span: span(node),
		};
	const s: Setting<string> = { value: v.value, source: 'file', span: span(node) };
	if (key) s.key = key;
	if (keyNode) s.keySpan = span(keyNode);
	const text = node.getText();
	if (text.slice(1, -1) !== v.value) s.raw = text;
	const notes = [via, ...v.notes].filter(Boolean);
	if (notes.length) s.note = notes.join('; ');
	return s;
}

function isUnknown(x: Setting<string> | Unknown): x is Unknown {
	return 'reason' in x;
}

export function readCall(
	call: TsMorph.CallExpression,
	kind: 'pipeline' | 'from_pretrained',
	ctx: CallContext,
): { workload: Workload; findings: Finding[] } | undefined {
	const tm = ctx.tm;
	const args = call.getArguments();
	const p = new Parts();
	if (kind === 'pipeline' && args[0]) {
		const task = evaluate(args[0], tm);
		if (task.ok && typeof task.value === 'string' && !GENERATIVE_TASKS.test(task.value)) return undefined;
	}
	const modelNode = kind === 'pipeline' ? args[1] : args[0];
	const optionsNode = kind === 'pipeline' ? args[2] : args[1];
	// Whisper, embeddings, TTS, VAD by id: not judged as LLM decode (resolve/nonLlm.ts).
	const id = modelNode ? evaluate(modelNode, tm) : undefined;
	if (id?.ok && typeof id.value === 'string' && nonLlmModel(id.value)) return undefined;
	let model: Setting<string>;
	if (!modelNode) {
		model = {
			value: '',
			source: 'assumed',
			note: 'no model in the call: the pipeline uses its task default',
		};
		p.unknowns.push({ name: 'model', reason: 'no model id in the call (the task default model is used)' });
	} else {
		const m = stringSetting(modelNode, undefined, undefined, tm);
		if (isUnknown(m)) {
			p.unknowns.push({ ...m, name: 'model' });
			// Set at run time (a parameter, process.env…): no id to look up, the expression kept as `raw`.
			model = {
				value: '',
				source: 'file',
				span: span(modelNode),
				raw: modelNode.getText(),
				note: `set at run time: ${m.reason}`,
			};
		} else model = m;
	}
	if (optionsNode) readOptions(optionsNode, ctx, p);
	applyDefaults(ctx, p);
	const workload: Workload = {
		framework: 'transformers.js',
		model,
		settings: p.settings,
		span: span(call),
		syntax: 'typescript',
		flags: p.flags,
		unknowns: p.unknowns,
	};
	return { workload, findings: p.findings };
}

function readOptions(node: TsMorph.Node, ctx: CallContext, p: Parts): void {
	const tm = ctx.tm;
	const { props, unknowns } = objectProps(node, tm);
	for (const reason of unknowns) p.unknowns.push({ name: 'options', reason, span: span(node) });
	for (const prop of props.values()) {
		if (OPTION_KEYS.has(prop.name)) {
			p.flags.push({
				name: prop.name,
				canonical: prop.name,
				span: span(prop.keyNode),
				value: prop.valueNode.getText(),
				valueSpan: span(prop.valueNode),
				known: true,
			});
			continue;
		}
		const fix = misspeltOf(prop.name, OPTION_KEYS);
		if (!fix) continue;
		p.flags.push({
			name: prop.name,
			span: span(prop.keyNode),
			value: prop.valueNode.getText(),
			valueSpan: span(prop.valueNode),
			known: false,
		});
		p.findings.push({
			code: 'unknown-flag',
			severity: 'warning',
			message: `transformers.js has no option \`${prop.name}\`; did you mean \`${fix}\`? As written it is ignored and the default is used.`,
			span: span(prop.keyNode),
			workload: ctx.index,
			data: { name: prop.name, suggestion: fix },
			fixes: [
				{
					title: `Rename to \`${fix}\``,
					edits: [{ span: span(prop.keyNode), newText: fix }],
					isPreferred: true,
				},
			],
		});
	}
	const dtype = props.get('dtype');
	if (dtype) readPerModule(dtype, 'weightFormat', ctx, p);
	const device = props.get('device');
	if (device) readPerModule(device, 'device', ctx, p);
	const quantized = props.get('quantized');
	if (quantized && !dtype) {
		const v = evaluate(quantized.valueNode, tm);
		if (v.ok && typeof v.value === 'boolean')
			p.settings.weightFormat = {
				value: v.value ? 'q8' : 'fp32',
				source: 'file',
				span: span(quantized.valueNode),
				key: 'quantized',
				keySpan: span(quantized.keyNode),
				raw: quantized.valueNode.getText(),
				note: [
					quantized.via,
					`quantized: ${v.value} loads ${v.value ? 'model_quantized.onnx (8-bit)' : 'model.onnx (fp32)'}`,
				]
					.filter(Boolean)
					.join('; '),
			};
	}
}

/** `dtype: 'q4f16'` or `dtype: { embed_tokens: 'fp16', decoder_model_merged: 'q4' }` (same for device). */
function readPerModule(prop: Prop, name: 'weightFormat' | 'device', ctx: CallContext, p: Parts): void {
	const tm = ctx.tm;
	const { props: modules } =
		tm.Node.isObjectLiteralExpression(prop.valueNode) || tm.Node.isIdentifier(prop.valueNode)
			? objectProps(prop.valueNode, tm)
			: { props: new Map<string, Prop>() };
	if (modules.size === 0) {
		const s = stringSetting(prop.valueNode, prop.name, prop.keyNode, tm, prop.via);
		if (isUnknown(s)) p.unknowns.push({ ...s, name });
		else p.settings[name] = s;
		return;
	}
	const entries: string[] = [];
	for (const m of modules.values()) {
		const v = evaluate(m.valueNode, tm);
		entries.push(`${m.name}: ${v.ok ? String(v.value) : '?'}`);
	}
	const main = MODULE_RANK.map((k) => modules.get(k)).find(Boolean) ?? [...modules.values()][0];
	const s = stringSetting(main.valueNode, `${prop.name}.${main.name}`, main.keyNode, tm, prop.via);
	if (isUnknown(s)) {
		p.unknowns.push({ ...s, name });
		return;
	}
	s.note = [
		s.note,
		`per-module ${prop.name} { ${entries.join(', ')} }; \`${main.name}\` holds most of the weights`,
	]
		.filter(Boolean)
		.join('; ');
	p.settings[name] = s;
}

function applyDefaults(ctx: CallContext, p: Parts): void {
	const s = p.settings;
	if (ctx.legacy) {
		s.device ??= {
			value: ctx.environment.kind === 'node' ? 'cpu' : 'wasm',
			source: 'engine-default',
			note: `@xenova/transformers v2 runs on onnxruntime ${ctx.environment.kind === 'node' ? 'node (CPU)' : 'web (WASM)'}; ${ctx.environment.why}`,
		};
		s.weightFormat ??= {
			value: 'q8',
			source: 'engine-default',
			note: 'v2 default quantized: true loads model_quantized.onnx (8-bit)',
		};
		return;
	}
	s.device ??= {
		value: ctx.environment.kind === 'node' ? 'cpu' : 'wasm',
		source: 'engine-default',
		note: `transformers.js default device: 'wasm' in the browser, 'cpu' in Node (backends/onnx.js); ${ctx.environment.why}`,
	};
	const dev = s.device.value;
	s.weightFormat ??= {
		value: dev === 'wasm' ? 'q8' : 'fp32',
		source: 'engine-default',
		note: `transformers.js default dtype for device '${dev}': ${dev === 'wasm' ? 'q8' : 'fp32'} (utils/dtypes.js DEFAULT_DEVICE_DTYPE_MAPPING); the model's config.json may set another`,
	};
}
