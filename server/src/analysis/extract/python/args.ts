/**
 * The arguments of one call, with `**kwargs` expanded when it names a dict literal in the file, and the
 * helpers that turn an argument into a `Setting` (value span, key span, provenance note) or an `Unknown`.
 */
import { spanOf, type SyntaxNode } from '../../parse/treeSitter';
import type { Setting, Span, Unknown } from '../../types';
import { evaluate, resolveNode } from './evaluate';
import type { PyScope } from './scope';

export interface KwArg {
	name: string;
	/** The keyword identifier, or the dict key's text without quotes for `**dict` entries. */
	keySpan: Span;
	value: SyntaxNode;
	/** Set when the argument came from a `**NAME` dict: which one and where. */
	via?: string;
}

export interface CallArgs {
	positional: SyntaxNode[];
	keywords: KwArg[];
	unknowns: Unknown[];
}

function stringKey(node: SyntaxNode): { name: string; span: Span } | undefined {
	if (node.type !== 'string') return undefined;
	const content = node.namedChildren.filter((c) => c?.type === 'string_content');
	if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
	const c = content[0];
	if (!c) return undefined;
	return { name: c.text, span: spanOf(c) };
}

function expandDict(
	dict: SyntaxNode,
	via: string | undefined,
	scope: PyScope,
	out: CallArgs,
	depth: number,
): void {
	for (const pair of dict.namedChildren) {
		if (!pair) continue;
		if (pair.type === 'dictionary_splat') {
			// `{**BASE, "x": 1}`: BASE's entries first, later keys override them (kw() takes the last).
			const inner = pair.namedChildren.find((c) => c && c.type !== 'comment');
			if (inner) addDictValue(inner, pair.text, scope, out, depth + 1, via);
			continue;
		}
		if (pair.type !== 'pair') continue;
		const key = pair.childForFieldName('key');
		const value = pair.childForFieldName('value');
		const k = key ? stringKey(key) : undefined;
		if (!k || !value) continue;
		out.keywords.push({ name: k.name, keySpan: k.span, value, via });
	}
}

/** `dict(a=1, b=2)` written as a call. */
function expandDictCall(call: SyntaxNode, via: string | undefined, out: CallArgs): void {
	for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
		if (a?.type !== 'keyword_argument') continue;
		const name = a.childForFieldName('name');
		const value = a.childForFieldName('value');
		if (name && value) out.keywords.push({ name: name.text, keySpan: spanOf(name), value, via });
	}
}

export function collectArgs(call: SyntaxNode, scope: PyScope): CallArgs {
	const out: CallArgs = { positional: [], keywords: [], unknowns: [] };
	for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
		if (!a || a.type === 'comment') continue;
		if (a.type === 'keyword_argument') {
			const name = a.childForFieldName('name');
			const value = a.childForFieldName('value');
			if (name && value) out.keywords.push({ name: name.text, keySpan: spanOf(name), value });
		} else if (a.type === 'dictionary_splat') {
			addSplat(a, scope, out);
		} else if (a.type === 'list_splat') {
			out.unknowns.push({
				name: '*args',
				reason: `positional arguments from \`${a.text}\` are not followed`,
				span: spanOf(a),
			});
		} else out.positional.push(a);
	}
	return out;
}

/** Expands `**X` into keywords when X is a dict literal (or `dict(...)`) this file defines. */
export function addSplat(splat: SyntaxNode, scope: PyScope, out: CallArgs): void {
	const inner = splat.namedChildren.find((c) => c && c.type !== 'comment');
	if (inner) addDictValue(inner, splat.text, scope, out);
}

/** Adds the entries of the dict `node` (or the dict a name refers to) as keyword arguments. */
export function addDictValue(
	node: SyntaxNode,
	label: string,
	scope: PyScope,
	out: CallArgs,
	depth = 0,
	outerVia?: string,
): void {
	// A dict that spreads itself (`A = {**A}`) would recurse forever.
	if (depth > 8) {
		out.unknowns.push({
			name: '**kwargs',
			reason: `\`${label}\`: dicts nested too deeply`,
			span: spanOf(node),
		});
		return;
	}
	const r = resolveNode(node, scope);
	if ('reason' in r) {
		out.unknowns.push({ name: '**kwargs', reason: `\`${label}\`: ${r.reason}`, span: spanOf(node) });
		return;
	}
	const here = r.via.length ? `from dict ${r.via.join(' → ')}` : undefined;
	const via = [outerVia, here].filter(Boolean).join(' → ') || undefined;
	if (r.node.type === 'dictionary') expandDict(r.node, via, scope, out, depth);
	else if (r.node.type === 'call' && r.node.childForFieldName('function')?.text === 'dict')
		expandDictCall(r.node, via, out);
	else
		out.unknowns.push({
			name: '**kwargs',
			reason: `\`${label}\` is not a dict literal this file defines`,
			span: spanOf(node),
		});
}

/** The i-th positional argument, read as if it had been passed as `name=`. */
export function positional(args: CallArgs, i: number, name: string): KwArg | undefined {
	const v = args.positional[i];
	return v ? { name, keySpan: spanOf(v), value: v } : undefined;
}

export function kw(args: CallArgs, ...names: string[]): KwArg | undefined {
	// The last occurrence wins, as with a dict merge.
	for (let i = args.keywords.length - 1; i >= 0; i--)
		if (names.includes(args.keywords[i].name)) return args.keywords[i];
	return undefined;
}

export type Convert<T> = (v: unknown) => T | undefined;

export const toInt: Convert<number> = (v) => {
	const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
	return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};
export const toNumber: Convert<number> = (v) => {
	const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
export const toStr: Convert<string> = (v) => (typeof v === 'string' ? v : undefined);

/**
 * A Setting for the value node (span = the value as written at this call or in the dict), or an Unknown
 * with the reason when the value is not a constant.
 */
export function settingOf<T>(
	arg: { name: string; keySpan: Span; value: SyntaxNode; via?: string },
	scope: PyScope,
	settingName: string,
	conv: Convert<T>,
	extraNote?: string,
): { setting?: Setting<T>; unknown?: Unknown } {
	const span = spanOf(arg.value);
	const v = evaluate(arg.value, scope);
	if (!v.ok) return { unknown: { name: settingName, reason: `${arg.name}=${v.reason}`, span } };
	const value = conv(v.value);
	if (value === undefined)
		return {
			unknown: { name: settingName, reason: `${arg.name}=${arg.value.text} is not a valid value here`, span },
		};
	const notes = [...(arg.via ? [arg.via] : []), ...v.notes, ...(extraNote ? [extraNote] : [])];
	const setting: Setting<T> = { value, source: 'file', span, key: arg.name, keySpan: arg.keySpan };
	if (arg.value.text !== String(value) && arg.value.text !== JSON.stringify(value))
		setting.raw = arg.value.text;
	if (arg.value.type === 'string' && String(value) === arg.value.text.slice(1, -1)) delete setting.raw;
	if (notes.length) setting.note = notes.join('; ');
	return { setting };
}

/** A Setting whose value is computed by the caller (e.g. `torch.bfloat16` → `bf16`) but sits at `node`. */
export function derivedSetting<T>(
	node: SyntaxNode,
	key: string,
	keySpan: Span,
	value: T,
	note?: string,
): Setting<T> {
	const s: Setting<T> = { value, source: 'file', span: spanOf(node), key, keySpan, raw: node.text };
	if (note) s.note = note;
	return s;
}
