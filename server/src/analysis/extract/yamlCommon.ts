/**
 * Shared pieces of the YAML extractors: the per-file context, argv tokens from YAML sequences and
 * strings, and the target hardware named by node selectors and affinity terms.
 */
import { isScalar, type Node } from 'yaml';
import type { AnalysisHost, Setting, Span } from '../types';
import type { InnerCommands } from './commands';
import type { FileContext } from './fromCommand';
import { hardwareForLabel, GPU_LABEL_KEYS } from './hardwareLabels';
import { resolveWord, type Env, type Token } from './tokens';
import { lexCommands } from './words';
import { resolveWithPositional } from './positional';
import {
	asSeq,
	get,
	getPair,
	interpolatedWord,
	nodeToken,
	pairs,
	keyText,
	path,
	remapWord,
	scalarString,
	spanOf,
	type YNode,
} from './yamlNodes';

export interface YamlCtx extends FileContext {
	doc: string;
	host?: AnalysisHost;
	/** YAML strings parsed as YAML of their own so far in this file (KubeRay serveConfigV2): bounded. */
	innerParses?: { count: number };
}

/** Shell-like words of a YAML string (compose `command: vllm serve …`, `sh -c "…"`), at document offsets. */
export function shellTokens(tok: Token, doc: string, env: Env, positional?: Token[]): Token[][] {
	return lexCommands(tok.text).map((cmd) =>
		resolveWithPositional(cmd, (w) => resolveWord(remapWord(w, tok), doc, env), positional),
	);
}

export function yamlInner(doc: string, env: Env): InnerCommands {
	return (tok, positional) => shellTokens(tok, doc, env, positional);
}

/** A YAML `command:`/`args:` value as argv tokens: a list is one element per item; a string is split. */
const TEMPLATE = /\{\{.*?\}\}/;

/** Go-template text (Helm, KServe `{{.Name}}`) is known only after rendering. */
function markTemplate(t: Token): Token {
	if (TEMPLATE.test(t.raw))
		t.unknown ??= `\`${t.raw}\` is a template expression, known only after the chart is rendered`;
	return t;
}

export function argvTokens(
	node: YNode,
	doc: string,
	env: Env,
	style: 'compose' | 'k8s',
): Token[] | undefined {
	return argvTokensRaw(node, doc, env, style)?.map(markTemplate);
}

function argvTokensRaw(node: YNode, doc: string, env: Env, style: 'compose' | 'k8s'): Token[] | undefined {
	const seq = asSeq(node);
	if (seq) {
		const out: Token[] = [];
		for (const item of seq.items) {
			const t = nodeToken(item, doc);
			if (t) out.push(resolveWord(interpolatedWord(t, style), doc, env));
		}
		return out;
	}
	const t = nodeToken(node, doc);
	if (!t) return undefined;
	if (style === 'k8s') return [resolveWord(interpolatedWord(t, 'k8s'), doc, env)];
	return shellTokens(t, doc, env).flat();
}

/** The accelerator a pod asks for through node labels: nodeSelector, then required, then preferred affinity. */
export function hardwareFromSelectors(
	podSpec: YNode,
	doc: string,
	extraTerms?: YNode,
): {
	hardware?: Setting<string>;
	perNode?: number;
	unknown?: { reason: string; span: Span };
} {
	const candidates: { key: string; keyNode: Node; value: Node; where: string }[] = [];
	for (const p of pairs(get(podSpec, 'nodeSelector'))) {
		const k = keyText(p);
		if (k && p.value) candidates.push({ key: k, keyNode: p.key, value: p.value, where: 'nodeSelector' });
	}
	const terms = [
		...(asSeq(extraTerms)?.items ?? []),
		...(asSeq(
			path(
				podSpec,
				'affinity',
				'nodeAffinity',
				'requiredDuringSchedulingIgnoredDuringExecution',
				'nodeSelectorTerms',
			),
		)?.items ?? []),
		...(asSeq(
			path(podSpec, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'),
		)?.items.map((t) => get(t, 'preference')) ?? []),
	];
	for (const term of terms)
		for (const expr of asSeq(get(term, 'matchExpressions'))?.items ?? []) {
			const keyNode = get(expr, 'key');
			const key = scalarString(keyNode);
			const op = scalarString(get(expr, 'operator')) ?? 'In';
			const first = asSeq(get(expr, 'values'))?.items[0];
			if (key && keyNode && op === 'In' && first)
				candidates.push({ key, keyNode, value: first, where: 'node affinity' });
		}
	let unknown: { reason: string; span: Span } | undefined;
	for (const c of candidates) {
		if (!(GPU_LABEL_KEYS as readonly string[]).includes(c.key) || !isScalar(c.value)) continue;
		const value = String(c.value.value);
		const hit = hardwareForLabel(c.key, value);
		const tok = nodeToken(c.value, doc)!;
		const span = { offset: tok.offsets[0] ?? tok.span.offset, length: value.length };
		if (!hit) {
			unknown ??= { reason: `${c.where} ${c.key}=${value} is not a GPU label Inference Meter knows`, span };
			continue;
		}
		return {
			hardware: {
				value: hit.hardware,
				source: 'file',
				span,
				raw: value,
				key: c.key,
				keySpan: spanOfValue(c.keyNode, doc),
				note: `${c.where} ${c.key}=${value}`,
			},
			perNode: hit.devices,
		};
	}
	return { unknown };
}

/** `nvidia.com/gpu: 2` (limits, else requests) as a device count. */
export function gpuResource(container: YNode, doc: string): Setting<number> | undefined {
	for (const section of ['limits', 'requests'])
		for (const key of ['nvidia.com/gpu', 'amd.com/gpu', 'habana.ai/gaudi', 'google.com/tpu']) {
			const p = getPair(path(container, 'resources', section), key);
			const n = Number(scalarString(p?.value));
			if (p?.value && Number.isInteger(n) && n > 0)
				return {
					value: n,
					source: 'file',
					span: spanOfValue(p.value, doc),
					key,
					keySpan: spanOfValue(p.key, doc),
					note: `resources.${section}`,
				};
		}
	return undefined;
}

export function spanOfValue(node: Node, doc: string): Span {
	const t = nodeToken(node, doc);
	if (!t) return spanOf(node);
	const first = t.offsets[0] ?? -1;
	return first >= 0 && t.text.length ? { offset: first, length: t.text.length } : t.span;
}
