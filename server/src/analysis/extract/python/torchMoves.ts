/**
 * What happens to a transformers model after `from_pretrained`: `.to("cuda")`, `.cuda()`, `.half()`,
 * `.bfloat16()` — chained on the call or applied later to the variable that holds the model. They decide
 * the device and dtype as much as the keyword arguments do.
 */
import { spanOf, type SyntaxNode } from '../../parse/treeSitter';
import type { Setting } from '../../types';
import { evaluate } from './evaluate';
import type { PyScope } from './scope';
import { TORCH_DTYPES } from './vllmArgs';
import type { WorkloadParts } from './workload';

const METHODS = new Set(['to', 'cuda', 'cpu', 'half', 'bfloat16', 'float']);

/** Method calls on the loaded model, in source order. */
function moveCalls(call: SyntaxNode): SyntaxNode[] {
	const out: SyntaxNode[] = [];
	let node = call;
	// Chained: from_pretrained(...).to("cuda").half()
	while (node.parent?.type === 'attribute' && node.parent.parent?.type === 'call') {
		const name = node.parent.childForFieldName('attribute')?.text ?? '';
		if (!METHODS.has(name)) break;
		node = node.parent.parent;
		out.push(node);
	}
	// Later: model = from_pretrained(...); model.to(device) / model = model.half()
	const assign = node.parent?.type === 'assignment' ? node.parent : undefined;
	const target = assign?.childForFieldName('left');
	if (!assign || target?.type !== 'identifier') return out;
	let body: SyntaxNode | null = assign.parent;
	while (body && body.type !== 'block' && body.type !== 'module') body = body.parent;
	for (const c of body?.descendantsOfType('call') ?? []) {
		const fn = c?.childForFieldName('function');
		if (!c || fn?.type !== 'attribute' || c.startIndex < assign.endIndex) continue;
		if (fn.childForFieldName('object')?.text !== target.text) continue;
		if (METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) out.push(c);
	}
	return out;
}

function deviceOf(arg: SyntaxNode, scope: PyScope): { value?: string; reason?: string } {
	// torch.device("cuda", 0) / torch.device("cuda:0")
	if (arg.type === 'call' && /(^|\.)device$/.test(arg.childForFieldName('function')?.text ?? '')) {
		const first = arg.childForFieldName('arguments')?.namedChildren.find((c) => c && c.type !== 'comment');
		if (first) return deviceOf(first, scope);
	}
	const v = evaluate(arg, scope);
	if (!v.ok) return { reason: v.reason };
	if (typeof v.value === 'number') return { value: `cuda:${v.value}` };
	return typeof v.value === 'string' ? { value: v.value } : { reason: `\`${arg.text}\` is not a device` };
}

export function applyMoves(call: SyntaxNode, p: WorkloadParts): void {
	for (const m of moveCalls(call)) {
		const fn = m.childForFieldName('function')!;
		const name = fn.childForFieldName('attribute')!.text;
		const nameSpan = spanOf(fn.childForFieldName('attribute')!);
		const note = `\`.${m.text.slice(fn.text.length - name.length)}\` on the loaded model (line ${m.startPosition.row + 1})`;
		const setting = (value: string, node: SyntaxNode): Setting<string> => ({
			value,
			source: 'file',
			span: spanOf(node),
			key: `.${name}()`,
			keySpan: nameSpan,
			note,
		});
		const setDevice = (value: string, node: SyntaxNode) => (p.settings.device = setting(value, node));
		const setFormat = (value: string, node: SyntaxNode) => (p.settings.weightFormat = setting(value, node));
		if (name === 'cuda' || name === 'cpu') setDevice(name, m);
		else if (name === 'half') setFormat('fp16', m);
		else if (name === 'bfloat16') setFormat('bf16', m);
		else if (name === 'float') setFormat('fp32', m);
		else
			for (const a of m.childForFieldName('arguments')?.namedChildren ?? []) {
				if (!a || a.type === 'comment') continue;
				const value = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
				const key = a.type === 'keyword_argument' ? a.childForFieldName('name')?.text : undefined;
				if (!value) continue;
				const dtype =
					value.type === 'attribute'
						? TORCH_DTYPES[value.childForFieldName('attribute')?.text ?? '']
						: undefined;
				if (dtype && (key === undefined || key === 'dtype')) setFormat(dtype, value);
				else if (key === undefined || key === 'device') {
					const d = deviceOf(value, p.scope);
					if (d.value) setDevice(d.value, value);
					else
						p.unknowns.push({
							name: 'device',
							reason: `.to(${value.text}): ${d.reason}`,
							span: spanOf(value),
						});
				}
			}
	}
}
