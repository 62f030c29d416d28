/**
 * Target hardware a Python file names itself: Modal's `@app.function(gpu="H100:2")` / `@app.cls(gpu=…)`
 * decorators (string `NAME[:COUNT]`, a list of fallbacks, or `modal.gpu.H100(count=2)`) around the code
 * that builds the workload. Names map to catalog ids through the shared GPU label table.
 */
import { spanOf, type SyntaxNode } from '../../parse/treeSitter';
import type { Setting, Span } from '../../types';
import { GPU_PRODUCT_LABELS } from '../hardwareLabels';
import { evaluate } from './evaluate';
import type { PyScope } from './scope';

/** Modal spellings the label table lacks (https://modal.com/docs/guide/gpu). */
const MODAL_NAMES: Record<string, string> = {
	'h100!': 'h100-sxm',
	'a100-80gb': 'a100-80gb-sxm',
	'a100-40gb': 'a100-40gb-sxm',
	b200: 'b200',
	h200: 'h200',
	a10: 'a10g',
};

export interface FileHardware {
	hardware?: Setting<string>;
	deviceCount?: Setting<number>;
}

function hardwareId(name: string): string | undefined {
	const n = name.toLowerCase();
	return MODAL_NAMES[n] ?? GPU_PRODUCT_LABELS[n];
}

/** The `gpu=` argument of a Modal decorator on a function or class enclosing `node`. */
function gpuArgument(node: SyntaxNode): { key: SyntaxNode; value: SyntaxNode } | undefined {
	for (let p = node.parent; p; p = p.parent) {
		if (p.type !== 'decorated_definition') continue;
		for (const d of p.namedChildren) {
			if (d?.type !== 'decorator') continue;
			const call = d.namedChildren.find((c) => c?.type === 'call');
			const fn = call?.childForFieldName('function');
			const attr = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
			if (!call || !attr || !['function', 'cls'].includes(attr)) continue;
			for (const a of call.childForFieldName('arguments')?.namedChildren ?? [])
				if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'gpu') {
					const key = a.childForFieldName('name');
					const value = a.childForFieldName('value');
					return key && value ? { key, value } : undefined;
				}
		}
	}
	return undefined;
}

export function modalHardware(node: SyntaxNode, scope: PyScope): FileHardware {
	if (![...scope.imports.values()].some((q) => q === 'modal' || q.startsWith('modal.'))) return {};
	const arg = gpuArgument(node);
	if (!arg) return {};
	const keySpan = spanOf(arg.key);
	let v = arg.value;
	if (v.type === 'list') v = v.namedChildren.find((c) => c && c.type !== 'comment') ?? v;
	const out: FileHardware = {};
	if (v.type === 'call') return modalGpuObject(v, keySpan, scope);
	const e = evaluate(v, scope);
	if (!e.ok || typeof e.value !== 'string') return out;
	const [name, count] = e.value.split(':');
	const id = hardwareId(name.trim());
	const note = `Modal gpu="${e.value}"${e.notes.length ? `; ${e.notes.join('; ')}` : ''}`;
	if (id)
		out.hardware = { value: id, source: 'file', span: spanOf(v), key: 'gpu', keySpan, raw: e.value, note };
	const n = count === undefined ? 1 : Number(count);
	if (Number.isInteger(n) && n > 0)
		out.deviceCount = { value: n, source: 'file', span: spanOf(v), key: 'gpu', keySpan, raw: e.value, note };
	return out;
}

/** `modal.gpu.H100(count=2)`, `modal.gpu.A100(size="80GB", count=4)` (the older object API). */
function modalGpuObject(v: SyntaxNode, keySpan: Span, scope: PyScope): FileHardware {
	const out: FileHardware = {};
	const fn = v.childForFieldName('function');
	const kwargs = new Map<string, SyntaxNode>();
	for (const a of v.childForFieldName('arguments')?.namedChildren ?? []) {
		const k = a?.type === 'keyword_argument' ? a.childForFieldName('name')?.text : undefined;
		const val = a?.childForFieldName('value');
		if (k && val) kwargs.set(k, val);
	}
	let name = (fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text) ?? '';
	const size = kwargs.get('size') ? evaluate(kwargs.get('size')!, scope) : undefined;
	if (size?.ok && typeof size.value === 'string') name = `${name}-${size.value}`;
	const note = `Modal gpu=${v.text}`;
	const id = hardwareId(name);
	if (id)
		out.hardware = { value: id, source: 'file', span: spanOf(v), key: 'gpu', keySpan, raw: v.text, note };
	const countNode = kwargs.get('count');
	const c = countNode ? evaluate(countNode, scope) : undefined;
	if (countNode && c?.ok && typeof c.value === 'number')
		out.deviceCount = { value: c.value, source: 'file', span: spanOf(countNode), key: 'count', note };
	return out;
}
