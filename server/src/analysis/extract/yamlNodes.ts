/**
 * Helpers over `yaml` nodes: typed access to map entries, and scalars as Tokens whose characters keep
 * their document offsets, even through quotes, escapes and folded (`>`) or literal (`|`) blocks.
 */
import {
	isAlias,
	isMap,
	isScalar,
	isSeq,
	visit,
	type Alias,
	type Document,
	type Node,
	type Pair,
	type Scalar,
	type YAMLSeq,
} from 'yaml';
import type { Span } from '../types';
import type { EnvValue, Token } from './tokens';
import type { Word, WordPart } from './words';

export type YNode = Node | null | undefined;

export function spanOf(node: Node): Span {
	const r = node.range!;
	return { offset: r[0], length: r[1] - r[0] };
}

/** The document whose anchors `*alias` and `<<: *merge` refer to (set per document by the YAML extractor). */
let currentDoc: Document.Parsed | undefined;
/**
 * Each alias's target, found in one pass per document: `Alias.resolve(doc)` searches the whole document
 * on every call, quadratic in a file with thousands of aliases.
 */
let targets: WeakMap<Alias, Node> | undefined;

function indexAliases(doc: Document.Parsed): WeakMap<Alias, Node> {
	const out = new WeakMap<Alias, Node>();
	const latest = new Map<string, Node>();
	// Document order: an alias refers to the latest anchor of its name before it.
	visit(doc, {
		Node(_key, node) {
			if (isAlias(node)) {
				const target = latest.get(node.source);
				if (target) out.set(node, target);
			} else if (node.anchor) latest.set(node.anchor, node);
		},
	});
	return out;
}

export function withYamlDocument<T>(doc: Document.Parsed, fn: () => T): T {
	const prev = currentDoc;
	const prevTargets = targets;
	currentDoc = doc;
	targets = indexAliases(doc);
	try {
		return fn();
	} finally {
		currentDoc = prev;
		targets = prevTargets;
	}
}

/** The node an alias points at (its anchor), or the node itself. */
export function deref(node: YNode): YNode {
	if (!isAlias(node) || !currentDoc) return node;
	return targets?.get(node);
}

export function pairs(node: YNode): Pair<Node, Node>[] {
	const n = deref(node);
	return isMap(n) ? (n.items as Pair<Node, Node>[]) : [];
}

export function keyText(p: Pair<Node, Node>): string | undefined {
	return isScalar(p.key) ? String(p.key.value) : undefined;
}

/** The pair for `key`, looking through `<<: *anchor` merge keys (compose `x-` templates) when it is not set directly. */
export function getPair(
	node: YNode,
	key: string,
	depth = 0,
	seen = new Set<unknown>(),
): Pair<Node, Node> | undefined {
	const target = deref(node);
	// Each merge source is searched once: `<<: [*b, *b, …]` nested eight deep is 9^8 paths otherwise.
	if (seen.has(target)) return undefined;
	seen.add(target);
	const own = keyIndex(target).get(key);
	if (own || depth > 8) return own;
	for (const p of keyIndex(target).get('<<') ? pairs(target) : []) {
		if (keyText(p) !== '<<') continue;
		const v = deref(p.value);
		const sources = isSeq(v) ? (v.items as Node[]) : [v];
		for (const src of sources) {
			const hit = getPair(src, key, depth + 1, seen);
			if (hit) return hit;
		}
	}
	return undefined;
}

/** First pair per key of a map, built once per map: looking keys up one by one was quadratic in big maps. */
const keyIndexes = new WeakMap<object, Map<string, Pair<Node, Node>>>();

function keyIndex(node: YNode): Map<string, Pair<Node, Node>> {
	if (!isMap(node)) return new Map();
	let index = keyIndexes.get(node);
	if (!index) {
		index = new Map();
		for (const p of node.items as Pair<Node, Node>[]) {
			const k = keyText(p);
			if (k !== undefined && !index.has(k)) index.set(k, p);
		}
		keyIndexes.set(node, index);
	}
	return index;
}

export function get(node: YNode, key: string): YNode {
	return deref(getPair(node, key)?.value);
}

/** `get(n, 'a', 'b')` walks nested maps. */
export function path(node: YNode, ...keys: string[]): YNode {
	let cur = node;
	for (const k of keys) cur = get(cur, k);
	return cur;
}

export function asSeq(node: YNode): YAMLSeq<Node> | undefined {
	const n = deref(node);
	return isSeq(n) ? (n as YAMLSeq<Node>) : undefined;
}

export function scalarString(node: YNode): string | undefined {
	const n = deref(node);
	if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
	return String(n.value);
}

/**
 * Document offset of each character of `value`, found by walking the source forward: a character maps to
 * the next equal source character, and whitespace to the next whitespace (folded newlines), so quotes,
 * indentation and escape backslashes are skipped. -1 from the first character that cannot be found.
 */
export function alignOffsets(value: string, doc: string, from: number, to: number): number[] {
	const out: number[] = [];
	let p = from;
	let lost = false;
	for (const ch of value) {
		for (let u = 0; u < ch.length; u++) {
			if (lost) {
				out.push(-1);
				continue;
			}
			const ws = ch === ' ' || ch === '\n' || ch === '\t';
			while (p < to && (ws ? !/\s/.test(doc[p]!) : doc[p] !== ch[u])) p++;
			if (p >= to) {
				lost = true;
				out.push(-1);
			} else out.push(p++);
		}
	}
	return out;
}

/** A scalar as a Token (value text, exact offsets). */
export function scalarToken(node: Scalar, doc: string): Token {
	const text = node.value === null || node.value === undefined ? '' : String(node.value);
	const [start, end] = node.range!;
	const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
	// As written, without the YAML quotes (those belong to YAML, not to the value).
	const raw = quoted ? doc.slice(start + 1, Math.max(start + 1, end - 1)) : doc.slice(start, end);
	const inner = quoted ? start + 1 : start;
	const offsets =
		doc.startsWith(text, inner) && (node.type === 'PLAIN' || quoted)
			? Array.from(text, (_, k) => inner + k)
			: alignOffsets(text, doc, start, end);
	return { text, offsets, span: { offset: start, length: end - start }, raw };
}

/** A token from any scalar node; undefined for maps, sequences and nulls. */
export function nodeToken(node: YNode, doc: string): Token | undefined {
	const n = deref(node);
	return isScalar(n) && n.range ? scalarToken(n, doc) : undefined;
}

const spanFromOffsets = (offsets: number[], s: number, e: number, fallback: Span): Span => {
	const a = offsets[s] ?? -1;
	const b = offsets[e - 1] ?? -1;
	return a < 0 || b < a ? fallback : { offset: a, length: b + 1 - a };
};

/** Re-anchors a word lexed from `tok.text` (offsets into the text) to document offsets. */
export function remapWord(w: Word, tok: Token): Word {
	const map = (o: number) => tok.offsets[o] ?? -1;
	const span = (s: Span) => spanFromOffsets(tok.offsets, s.offset, s.offset + s.length, tok.span);
	const parts: WordPart[] = w.parts.map((p) => {
		if (p.kind === 'lit') return { ...p, offsets: p.offsets.map(map) };
		if (p.kind === 'cmd') return { ...p, span: span(p.span) };
		return { ...p, span: span(p.span), def: p.def && { text: p.def.text, offsets: p.def.offsets.map(map) } };
	});
	return { parts, span: span(w.span) };
}

/**
 * One argv element with only variable references interpreted: compose's `${VAR:-x}` / `$VAR` (and `$$`
 * as a literal `$`), Kubernetes' `$(VAR)`. No word splitting, no quotes: the text is the argument.
 */
export function interpolatedWord(tok: Token, style: 'compose' | 'k8s'): Word {
	const parts: WordPart[] = [];
	const re =
		style === 'k8s'
			? /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g
			: /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
	let last = 0;
	const lit = (s: number, e: number, text = tok.text.slice(s, e)) => {
		if (e > s) parts.push({ kind: 'lit', text, offsets: tok.offsets.slice(s, s + text.length) });
	};
	for (const m of tok.text.matchAll(re)) {
		lit(last, m.index);
		last = m.index + m[0].length;
		if (m[0] === '$$') {
			parts.push({ kind: 'lit', text: '$', offsets: [tok.offsets[m.index] ?? -1] });
			continue;
		}
		const name = m[1] ?? m[4]!;
		const span = spanFromOffsets(tok.offsets, m.index, last, tok.span);
		const defText = m[3];
		const defStart = m.index + m[0].length - 1 - (defText?.length ?? 0);
		parts.push({
			kind: 'var',
			name,
			span,
			def:
				defText !== undefined
					? { text: defText, offsets: tok.offsets.slice(defStart, defStart + defText.length) }
					: undefined,
		});
	}
	lit(last, tok.text.length);
	return { parts, span: tok.span };
}

/**
 * A YAML list of `KEY=value` strings (compose `environment:` as a list, llama-swap `env:`) into `env`, each
 * value and key with its own span so hovers and fixes land on the text.
 */
export function readKeyValueList(node: YNode, doc: string, origin: string, env: Map<string, EnvValue>): void {
	for (const item of asSeq(node)?.items ?? []) {
		const t = nodeToken(item, doc);
		const eq = t?.text.indexOf('=') ?? -1;
		if (!t || eq <= 0) continue;
		const off = t.offsets[eq + 1];
		env.set(t.text.slice(0, eq), {
			value: t.text.slice(eq + 1),
			span: off !== undefined && off >= 0 ? { offset: off, length: t.text.length - eq - 1 } : undefined,
			keySpan: { offset: t.offsets[0] ?? t.span.offset, length: eq },
			origin,
			exported: true,
		});
	}
}
