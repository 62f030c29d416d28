/**
 * Helm values of any chart that carries a model and engine settings, found by their keys rather than by
 * one chart's layout: a map with a model key (`model`, `modelName`, `modelId`, `modelPath`, `modelURL`,
 * `hfModel`, or `model: {name|id|repo|path}`) and engine settings in it or in a child map (`maxModelLen`,
 * `tensorParallelSize`, `gpuMemoryUtilization`, `quantization`, `max_model_len`…, read as the engine's
 * flags of the same name). The engine is what an `engine:`/`backend:` key or an image repository says;
 * without one, vLLM-only keys decide. Keys that are not engine settings are chart settings and are left
 * alone — no unknown-flag findings from a chart's own keys. Argument lists (`args`, `extraArgs`) are
 * read only when the engine is named, so a wrong guess cannot produce flag findings.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Framework } from '../types';
import { interpretArgs, lookupFlag } from './argv';
import { WorkloadBuilder } from './builder';
import { LLAMACPP_FLAGS } from './flags/llamacpp';
import type { FlagTable } from './flags/types';
import { VLLM_FLAGS } from './flags/vllm';
import { matchCommand } from './commands';
import { vllmPin, workloadFromMatch, type Extracted } from './fromCommand';
import { imageInfo } from './versions';
import {
	argvTokens,
	gpuResource,
	hardwareFromSelectors,
	spanOfValue,
	yamlInner,
	type YamlCtx,
} from './yamlCommon';
import { get, keyText, nodeToken, scalarString, spanOf, type YNode } from './yamlNodes';

const norm = (k: string) => k.toLowerCase().replace(/[-_]/g, '');

const MODEL_KEYS = new Set([
	'model',
	'modelname',
	'modelid',
	'modelpath',
	'modelurl',
	'modeluri',
	'modelrepo',
	'modelrepository',
	'hfmodel',
	'hfmodelid',
	'huggingfacemodel',
	'huggingfacerepo',
]);
/** Inside `model: { … }`. */
const MODEL_INNER_KEYS = ['name', 'id', 'repo', 'repository', 'path', 'uri', 'url'];
/** Keys only vLLM's arguments use: enough to call an unnamed engine vLLM. */
const VLLM_ONLY = new Set([
	'maxmodellen',
	'tensorparallelsize',
	'pipelineparallelsize',
	'gpumemoryutilization',
	'maxnumseqs',
	'maxnumbatchedtokens',
	'kvcachedtype',
]);
const ENGINE_KEYS = new Set([
	'engine',
	'backend',
	'runtime',
	'framework',
	'inferenceengine',
	'servingengine',
]);
const ARG_KEYS = new Set(['args', 'extraargs', 'engineargs', 'extraarguments', 'vllmargs', 'serverargs']);
const GPU_KEYS = new Set(['gpu', 'gpus', 'gpucount', 'numgpus', 'ngpus', 'gpunum', 'requestgpu']);
const MAX_DEPTH = 8;

/** `maxModelLen` / `max_model_len` → `--max-model-len`. */
const asFlag = (k: string) =>
	'--' +
	k
		.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
		.replace(/_/g, '-')
		.toLowerCase();

function engineOf(text: string | undefined): Framework | 'other' | undefined {
	if (!text) return undefined;
	if (/vllm/i.test(text)) return 'vllm';
	if (/llama[.-]?cpp|llama-server|llamacpp/i.test(text)) return 'llama.cpp';
	return /sglang|tgi|text-generation|ollama|triton|tensorrt|lmdeploy|aphrodite/i.test(text)
		? 'other'
		: undefined;
}

function pairsOf(node: YNode): Pair<Node, Node>[] {
	return isMap(node) ? (node.items as Pair<Node, Node>[]) : [];
}

/** The engine named in this map or its ancestors (an `engine:` key or an image repository). */
function namedEngine(chain: Node[]): Framework | 'other' | undefined {
	for (let i = chain.length - 1; i >= 0; i--) {
		for (const p of pairsOf(chain[i])) {
			const k = norm(keyText(p) ?? '');
			if (ENGINE_KEYS.has(k)) {
				const e = engineOf(scalarString(p.value));
				if (e) return e;
			}
			if (k === 'image') {
				const img = isMap(p.value)
					? [scalarString(get(p.value, 'repository')), scalarString(get(p.value, 'name'))].join(' ')
					: scalarString(p.value);
				const e = engineOf(img);
				if (e) return e;
			}
		}
	}
	return undefined;
}

function modelPair(map: Node): { pair: Pair<Node, Node>; value: Node } | undefined {
	for (const p of pairsOf(map)) {
		if (!MODEL_KEYS.has(norm(keyText(p) ?? ''))) continue;
		if (
			isScalar(p.value) &&
			typeof p.value.value === 'string' &&
			p.value.value.trim() &&
			!p.value.value.includes('{{')
		)
			return { pair: p, value: p.value };
		if (isMap(p.value))
			for (const k of MODEL_INNER_KEYS) {
				const inner = get(p.value, k);
				if (isScalar(inner) && typeof inner.value === 'string' && inner.value.trim())
					return { pair: p, value: inner };
			}
	}
	return undefined;
}

/** The map itself and its direct child maps: where engine settings sit next to the model. */
function settingMaps(map: Node): Node[] {
	const out = [map];
	for (const p of pairsOf(map))
		if (isMap(p.value) && !MODEL_KEYS.has(norm(keyText(p) ?? ''))) out.push(p.value as Node);
	return out;
}

function settingPairs(maps: Node[], table: FlagTable): { pair: Pair<Node, Node>; written: string }[] {
	const out: { pair: Pair<Node, Node>; written: string }[] = [];
	for (const m of maps)
		for (const p of pairsOf(m)) {
			const k = keyText(p);
			if (!k || !isScalar(p.value) || p.value.value === null || p.value.value === '') continue;
			if (String(p.value.value).includes('{{')) continue;
			const spec = lookupFlag(asFlag(k), table).spec;
			if (spec?.setting && spec.setting !== 'model' && spec.arity !== 'none')
				out.push({ pair: p, written: k });
		}
	return out;
}

function gpuCount(chain: Node[], ctx: YamlCtx, b: Pick<WorkloadBuilder, 'settings'>): void {
	for (let i = chain.length - 1; i >= 0 && !b.settings.deviceCount; i--) {
		const fromResources = gpuResource(chain[i], ctx.doc);
		if (fromResources) {
			b.settings.deviceCount = fromResources;
			return;
		}
		for (const p of pairsOf(chain[i])) {
			const n = Number(scalarString(p.value));
			if (GPU_KEYS.has(norm(keyText(p) ?? '')) && Number.isInteger(n) && n > 0 && p.value) {
				b.settings.deviceCount = {
					value: n,
					source: 'file',
					span: spanOfValue(p.value, ctx.doc),
					key: keyText(p),
					keySpan: spanOf(p.key),
				};
				return;
			}
		}
	}
}

function workload(map: Node, chain: Node[], ctx: YamlCtx, out: Extracted): boolean {
	const model = modelPair(map);
	if (!model) return false;
	const named = namedEngine(chain);
	if (named === 'other') return false;
	const maps = settingMaps(map);
	const vllmKeys = settingPairs(maps, VLLM_FLAGS);
	const framework: Framework | undefined =
		named ?? (vllmKeys.some((s) => VLLM_ONLY.has(norm(s.written))) ? 'vllm' : undefined);
	if (!framework) return false;
	const table = framework === 'vllm' ? VLLM_FLAGS : LLAMACPP_FLAGS;
	const keys = framework === 'vllm' ? vllmKeys : settingPairs(maps, table);
	if (!keys.length && !named) return false;
	const doc = ctx.doc;
	const b = new WorkloadBuilder(framework, 'yaml', spanOf(map));
	if (framework === 'vllm') b.engineVersion = vllmPin(ctx);
	const tok = nodeToken(model.value, doc)!;
	const scheme = /^(hf|huggingface|ollama|s3|gs|pvc):\/\//.exec(tok.text);
	const start = scheme ? scheme[0].length : 0;
	const modelKey = keyText(model.pair)!;
	b.set('model', {
		value: tok.text.slice(start),
		source: 'file',
		span: { offset: tok.offsets[start] ?? tok.span.offset, length: tok.text.length - start },
		raw: start ? tok.text : undefined,
		key: modelKey,
		keySpan: spanOf(model.pair.key),
	});
	b.flags.push({
		name: modelKey,
		canonical: 'model',
		span: spanOf(model.pair.key),
		known: true,
		value: tok.text,
	});
	for (const { pair, written } of keys) {
		const spec = lookupFlag(asFlag(written), table).spec!;
		const v = nodeToken(pair.value, doc)!;
		const keySpan = spanOf(pair.key);
		const valueSpan = spanOfValue(pair.value!, doc);
		b.flags.push({
			name: written,
			canonical: spec.canonical,
			span: keySpan,
			known: true,
			value: v.text,
			valueSpan,
		});
		b.apply(spec, { name: written, span: keySpan }, { text: v.text, span: valueSpan });
	}
	if (named)
		for (const m of maps)
			for (const p of pairsOf(m))
				if (ARG_KEYS.has(norm(keyText(p) ?? '')) && isSeq(p.value)) {
					const tokens = argvTokens(p.value, doc, new Map(), 'k8s') ?? [];
					interpretArgs(b, tokens, {
						table,
						mode: framework === 'vllm' ? 'vllm-image' : 'llama',
						structured: true,
					});
				}
	gpuCount(chain, ctx, b);
	for (let i = chain.length - 1; i >= 0; i--) {
		const hw = hardwareFromSelectors(chain[i], doc);
		if (hw.hardware) {
			b.settings.hardware = hw.hardware;
			break;
		}
	}
	const w = b.build();
	if (w) out.workloads.push(w);
	out.findings.push(...b.findings);
	return !!w;
}

/**
 * A chart that writes the whole engine command as a value (vLLM's own example chart:
 * `image.command: ["vllm", "serve", "/data/", …]`): the command is read like a container's.
 */
function commandWorkload(map: Node, chain: Node[], ctx: YamlCtx, out: Extracted): boolean {
	const cmd = get(map, 'command');
	if (!cmd || (!isSeq(cmd) && !isScalar(cmd))) return false;
	const tokens = [
		...(argvTokens(cmd, ctx.doc, new Map(), isSeq(cmd) ? 'k8s' : 'compose') ?? []),
		...(argvTokens(get(map, 'args'), ctx.doc, new Map(), 'k8s') ?? []),
	];
	const m = tokens.length ? matchCommand(tokens, yamlInner(ctx.doc, new Map()), new Map()) : undefined;
	if (!m) return false;
	// `image: { repository, tag, command }`: the tag is the engine version, as for a container image.
	const repo = scalarString(get(map, 'repository'));
	const tagNode = get(map, 'tag');
	const tag = nodeToken(tagNode, ctx.doc);
	const info = repo && tag ? imageInfo(`${repo}:${tag.text}`) : undefined;
	const r = workloadFromMatch(m, spanOf(map), { ...ctx, structured: isSeq(cmd) });
	if (info?.version && tag)
		for (const w of r.workloads)
			if (w.framework === info.engine)
				w.engineVersion = {
					value: info.version,
					source: 'file',
					span: spanOfValue(tagNode!, ctx.doc),
					raw: tag.text,
					note: `image tag of ${repo}:${tag.text}`,
				};
	for (const w of r.workloads) {
		gpuCount(chain, ctx, w);
		for (let i = chain.length - 1; i >= 0 && !w.settings.hardware; i--) {
			const hw = hardwareFromSelectors(chain[i], ctx.doc);
			if (hw.hardware) w.settings.hardware = hw.hardware;
		}
	}
	out.workloads.push(...r.workloads);
	out.findings.push(...r.findings);
	return r.workloads.length > 0;
}

/** Every map that carries a model and engine settings; true when one was found. */
export function extractGenericHelm(root: YNode, ctx: YamlCtx, out: Extracted): boolean {
	if (!isMap(root) || get(root, 'kind') || get(root, 'apiVersion')) return false;
	let found = false;
	const visit = (node: Node, chain: Node[], depth: number) => {
		if (depth > MAX_DEPTH) return;
		const here = [...chain, node];
		if (isMap(node)) {
			if (commandWorkload(node, here, ctx, out) || workload(node, here, ctx, out)) {
				found = true;
				return;
			}
			for (const p of node.items)
				if (p.value && (isMap(p.value) || isSeq(p.value))) visit(p.value as Node, here, depth + 1);
		} else if (isSeq(node))
			for (const item of node.items) if (isMap(item)) visit(item as Node, chain, depth + 1);
	};
	visit(root as Node, [], 0);
	return found;
}
