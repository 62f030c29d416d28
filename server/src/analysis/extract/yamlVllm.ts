/**
 * vLLM settings written as YAML keys: the `--config` file (top-level keys are engine args, kebab or
 * snake case; `key: true` is the bare switch and `key: false` is dropped by vLLM) and the
 * production-stack Helm values (`servingEngineSpec.modelSpec[]` with `modelURL`, `vllmConfig`,
 * `extraArgs`, `requestGPU`, image `tag`, `nodeSelectorTerms`).
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Finding } from '../types';
import { interpretArgs, lookupFlag } from './argv';
import { WorkloadBuilder } from './builder';
import { deprecatedFlagFinding, flagNotInVersionFinding, unknownFlagFinding } from './findings';
import { versionVerdict } from './flags/history';
import { VLLM_FLAGS } from './flags/vllm';
import { vllmPin, type Extracted } from './fromCommand';
import { imageInfo } from './versions';
import { argvTokens, hardwareFromSelectors, spanOfValue, type YamlCtx } from './yamlCommon';
import { asSeq, get, getPair, keyText, nodeToken, scalarString, spanOf, type YNode } from './yamlNodes';

/** Applies one `key: value` pair as the vLLM flag `--key value`. */
function applyKey(b: WorkloadBuilder, p: Pair<Node, Node>, flagName: string, ctx: YamlCtx): void {
	const keyNode = p.key;
	const written = keyText(p)!;
	const keySpan = spanOf(keyNode);
	const { spec, switchValue } = lookupFlag(flagName, VLLM_FLAGS);
	const v = p.value;
	const tok = isScalar(v) ? nodeToken(v, ctx.doc) : undefined;
	const value = tok ? { text: tok.text, span: spanOfValue(v!, ctx.doc) } : undefined;
	b.flags.push({
		name: written,
		canonical: spec?.canonical,
		span: keySpan,
		known: !!spec,
		value: value?.text,
		valueSpan: value?.span,
	});
	if (!spec) {
		b.findings.push(unknownFlagFinding(flagName, keySpan, VLLM_FLAGS, 'vLLM', b.engineVersion));
		return;
	}
	const verdict = versionVerdict(spec.history, b.engineVersion);
	if (verdict && b.engineVersion)
		b.findings.push(
			flagNotInVersionFinding(written, keySpan, verdict, 'vLLM', b.engineVersion, spec.deprecated),
		);
	if (spec.deprecated && !verdict) {
		b.flags[b.flags.length - 1]!.deprecated = {
			message: spec.deprecated.note ?? 'deprecated',
			replacement: spec.deprecated.replacement,
			removedIn: spec.deprecated.removedIn,
		};
		const f = deprecatedFlagFinding(written, keySpan, spec.deprecated, 'vLLM', b.engineVersion);
		if (f) b.findings.push({ ...f, fixes: undefined });
	}
	if (spec.arity === 'none' || (spec.arity === 'optional' && isScalar(v) && typeof v.value === 'boolean')) {
		if (isScalar(v) && v.value === false && switchValue === undefined)
			b.findings.push(falseDropped(written, keySpan));
		return;
	}
	if (isSeq(v)) {
		const first = v.items[0] as Node | undefined;
		const t = first && isScalar(first) ? nodeToken(first, ctx.doc) : undefined;
		b.apply(
			spec,
			{ name: written, span: keySpan },
			t && { text: t.text, span: spanOfValue(first!, ctx.doc) },
		);
		return;
	}
	b.apply(spec, { name: written, span: keySpan }, value);
}

/** vLLM turns `key: false` into nothing at all (config-surface.md §1.2). */
function falseDropped(key: string, span: { offset: number; length: number }): Finding {
	return {
		code: 'ignored-config-value',
		severity: 'warning',
		message: `vLLM drops \`${key}: false\` from a --config file instead of passing it, so this does not turn the option off; write \`no-${key.replace(/_/g, '-')}: true\`.`,
		span,
		data: { key },
	};
}

/** True when the top-level keys look like vLLM engine args (`model` plus mostly known ones). */
export function looksLikeVllmConfig(root: YNode, path: string): boolean {
	if (!isMap(root)) return false;
	const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean);
	const known = keys.filter((k) => k !== 'model' && lookupFlag(`--${k}`, VLLM_FLAGS).spec).length;
	// `model` plus mostly engine args; a chart's values (`model`, `engine`, `replicas`, `resources`) are not.
	if (keys.includes('model') && known >= 1 && (known + 1) * 3 >= keys.length * 2) return true;
	return known >= 2 && known * 3 >= keys.length * 2 && /vllm|serve|engine/i.test(path);
}

export function extractVllmConfig(root: YNode, ctx: YamlCtx, out: Extracted): void {
	const b = new WorkloadBuilder('vllm', 'yaml', spanOf(root as Node));
	b.engineVersion = vllmPin(ctx);
	for (const p of (root as { items: Pair<Node, Node>[] }).items) {
		const k = keyText(p);
		if (!k) continue;
		if (k === 'model') {
			const t = nodeToken(p.value, ctx.doc);
			if (t)
				b.set('model', {
					value: t.text,
					source: 'file',
					span: spanOfValue(p.value!, ctx.doc),
					key: k,
					keySpan: spanOf(p.key),
				});
			b.flags.push({ name: k, canonical: 'model', span: spanOf(p.key), known: true, value: t?.text });
			continue;
		}
		applyKey(b, p, `--${k}`, ctx);
	}
	if (!b.model)
		b.unknown(
			'model',
			'this --config file does not name the model; `vllm serve MODEL` gives it on the command line',
		);
	const w = b.build();
	if (w) out.workloads.push(w);
	out.findings.push(...b.findings);
}

/** `maxModelLen` → `--max-model-len`. */
const kebab = (camel: string) => '--' + camel.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Chart keys that are not engine args (they configure the chart itself). */
const CHART_ONLY = new Set(['v0', 'extraArgs', 'enableChunkedPrefill', 'enablePrefixCaching']);

function helmModel(spec: Node, top: YNode, ctx: YamlCtx, out: Extracted): void {
	const doc = ctx.doc;
	const b = new WorkloadBuilder('vllm', 'yaml', spanOf(spec));
	const repo = scalarString(get(spec, 'repository')) ?? scalarString(get(top, 'repository'));
	const tagNode = get(spec, 'tag') ?? get(top, 'tag');
	const tag = scalarString(tagNode);
	const version = repo && tag ? imageInfo(`${repo}:${tag}`).version : undefined;
	b.engineVersion = version
		? {
				value: version,
				source: 'file',
				span: spanOfValue(tagNode!, doc),
				raw: tag,
				note: `image tag of ${repo}:${tag}`,
			}
		: vllmPin(ctx);
	const urlPair = getPair(spec, 'modelURL');
	const urlNode = urlPair?.value;
	const url = nodeToken(urlNode, doc);
	if (url)
		b.set('model', {
			value: url.text,
			source: 'file',
			span: spanOfValue(urlNode!, doc),
			key: 'modelURL',
			keySpan: spanOf(urlPair!.key),
		});
	const cfg = get(spec, 'vllmConfig');
	for (const p of isMap(cfg) ? (cfg.items as Pair<Node, Node>[]) : []) {
		const k = keyText(p);
		if (!k) continue;
		if (k === 'extraArgs') {
			const tokens = argvTokens(p.value, doc, new Map(), 'k8s') ?? [];
			interpretArgs(b, tokens, { table: VLLM_FLAGS, mode: 'vllm-module' });
			continue;
		}
		if (CHART_ONLY.has(k)) {
			b.flags.push({
				name: k,
				canonical: kebab(k).slice(2),
				span: spanOf(p.key),
				known: true,
				value: scalarString(p.value),
			});
			continue;
		}
		applyKey(b, p, kebab(k), ctx);
	}
	const gpuPair = getPair(spec, 'requestGPU');
	const gpuNode = gpuPair?.value;
	const gpus = Number(scalarString(gpuNode));
	if (gpuNode && Number.isInteger(gpus) && gpus > 0)
		b.settings.deviceCount = {
			value: gpus,
			source: 'file',
			span: spanOfValue(gpuNode, doc),
			key: 'requestGPU',
			keySpan: spanOf(gpuPair!.key),
		};
	const hw = hardwareFromSelectors(spec, doc, get(spec, 'nodeSelectorTerms'));
	if (hw.hardware) b.settings.hardware = hw.hardware;
	else if (hw.unknown) b.unknown('hardware', hw.unknown.reason, hw.unknown.span);
	const w = b.build();
	if (w) out.workloads.push(w);
	out.findings.push(...b.findings);
}

export function extractHelmValues(root: YNode, ctx: YamlCtx, out: Extracted): boolean {
	const top = get(root, 'servingEngineSpec');
	const specs = asSeq(get(top, 'modelSpec'));
	if (!specs) return false;
	for (const s of specs.items) if (isMap(s)) helmModel(s as Node, top, ctx, out);
	return true;
}
