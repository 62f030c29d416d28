/**
 * KubeRay `RayService`: the Ray Serve config is YAML inside a block string (`serveConfigV2: |`). It is
 * parsed in place — everything before the block blanked to spaces, so every offset is the outer
 * document's — and read two ways: Ray Serve LLM (`args.llm_configs[]` with `model_loading_config`,
 * vLLM `engine_kwargs`, `accelerator_type`), and the older KubeRay vLLM sample whose Python app takes
 * the model and parallelism from `runtime_env.env_vars` (`MODEL_ID`, `TENSOR_PARALLELISM`,
 * `PIPELINE_PARALLELISM`). The worker pods give the accelerator (`nvidia.com/gpu`, `google.com/tpu`,
 * GKE TPU node selectors). Only engine kwargs that feed a setting are read; others are left alone.
 */
import { isMap, isScalar, parseDocument, type Node, type Pair } from 'yaml';
import type { Setting } from '../types';
import { lookupFlag } from './argv';
import { WorkloadBuilder } from './builder';
import { VLLM_FLAGS } from './flags/vllm';
import { vllmPin, type Extracted } from './fromCommand';
import { gpuResource, hardwareFromSelectors, spanOfValue, type YamlCtx } from './yamlCommon';
import { asSeq, get, keyText, nodeToken, path, scalarString, spanOf, type YNode } from './yamlNodes';

/** Ray's accelerator type names (ray.util.accelerators) → catalog hardware ids. */
const RAY_ACCELERATORS: Record<string, string> = {
	A10G: 'a10g',
	L4: 'l4',
	L40S: 'l40s',
	T4: 't4',
	A100: 'a100-40gb-sxm',
	'A100-40G': 'a100-40gb-sxm',
	'A100-80G': 'a100-80gb-sxm',
	H100: 'h100-sxm',
	H200: 'h200',
	B200: 'b200',
	'AMD-Instinct-MI300X-OAM': 'mi300x',
	'TPU-V5LITEPODSLICE': 'tpu-v5e',
	'TPU-V6E': 'tpu-v6e',
};

const MAX_INNER_PARSES = 16;

/** The older sample's env variables → the vLLM flag they feed. */
const ENV_FLAGS: Record<string, string> = {
	TENSOR_PARALLELISM: '--tensor-parallel-size',
	TENSOR_PARALLEL_SIZE: '--tensor-parallel-size',
	PIPELINE_PARALLELISM: '--pipeline-parallel-size',
	PIPELINE_PARALLEL_SIZE: '--pipeline-parallel-size',
	MAX_MODEL_LEN: '--max-model-len',
	GPU_MEMORY_UTILIZATION: '--gpu-memory-utilization',
};
const MODEL_ENV = ['MODEL_ID', 'MODEL_NAME', 'MODEL'];

/** The block string parsed at the outer document's offsets, or undefined. */
function innerDocument(node: YNode, doc: string): Node | undefined {
	if (!isScalar(node) || !node.range || (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED'))
		return undefined;
	const nl = doc.indexOf('\n', node.range[0]);
	if (nl < 0 || nl >= node.range[1]) return undefined;
	const start = nl + 1;
	const text = doc.slice(0, start).replace(/[^\n]/g, ' ') + doc.slice(start, node.range[1]);
	const d = parseDocument(text, { uniqueKeys: false });
	return d.errors.length ? undefined : ((d.contents as Node | null) ?? undefined);
}

function setModel(b: WorkloadBuilder, node: Node, key: string, keyNode: Node, doc: string): void {
	const t = nodeToken(node, doc);
	if (!t?.text) return;
	b.set('model', {
		value: t.text,
		source: 'file',
		span: spanOfValue(node, doc),
		key,
		keySpan: spanOf(keyNode),
	});
	b.flags.push({ name: key, canonical: 'model', span: spanOf(keyNode), known: true, value: t.text });
}

function applyKwarg(
	b: WorkloadBuilder,
	flag: string,
	written: string,
	keyNode: Node,
	value: Node,
	doc: string,
): void {
	const spec = lookupFlag(flag, VLLM_FLAGS).spec;
	const t = nodeToken(value, doc);
	if (!spec?.setting || spec.setting === 'model' || spec.arity === 'none' || !t || t.text === '') return;
	const valueSpan = spanOfValue(value, doc);
	const keySpan = spanOf(keyNode);
	b.flags.push({
		name: written,
		canonical: spec.canonical,
		span: keySpan,
		known: true,
		value: t.text,
		valueSpan,
	});
	b.apply(spec, { name: written, span: keySpan }, { text: t.text, span: valueSpan });
}

function pairs(node: YNode): Pair<Node, Node>[] {
	return isMap(node) ? (node.items as Pair<Node, Node>[]) : [];
}

/** A Ray Serve LLM `LLMConfig` written as YAML. */
function llmConfig(cfg: Node, ctx: YamlCtx): WorkloadBuilder {
	const doc = ctx.doc;
	const b = new WorkloadBuilder('vllm', 'yaml', spanOf(cfg));
	const loading = get(cfg, 'model_loading_config');
	for (const key of ['model_source', 'model_id']) {
		const p = pairs(loading).find((q) => keyText(q) === key);
		if (p?.value && isScalar(p.value) && !b.model) setModel(b, p.value, key, p.key, doc);
	}
	for (const p of pairs(get(cfg, 'engine_kwargs')))
		if (p.value) applyKwarg(b, `--${keyText(p)}`, keyText(p) ?? '', p.key, p.value, doc);
	const acc = pairs(cfg).find((q) => keyText(q) === 'accelerator_type');
	const name = scalarString(acc?.value);
	const id = name ? (RAY_ACCELERATORS[name.toUpperCase()] ?? RAY_ACCELERATORS[name]) : undefined;
	if (acc?.value && id)
		b.settings.hardware = {
			value: id,
			source: 'file',
			span: spanOfValue(acc.value, doc),
			raw: name,
			key: 'accelerator_type',
			keySpan: spanOf(acc.key),
		};
	else if (acc?.value && name)
		b.unknown(
			'hardware',
			`accelerator_type ${name} is not an accelerator Inference Meter knows`,
			spanOfValue(acc.value, doc),
		);
	return b;
}

/** The older sample: a Python app that reads its model and parallelism from env_vars. */
function envApp(app: Node, ctx: YamlCtx): WorkloadBuilder | undefined {
	const vars = path(app, 'runtime_env', 'env_vars');
	const model = pairs(vars).find((p) => MODEL_ENV.includes(keyText(p) ?? ''));
	const args = get(app, 'args');
	const argModel = pairs(args).find((p) => ['model', 'model_id', 'model_name'].includes(keyText(p) ?? ''));
	if (!model?.value && !argModel?.value) return undefined;
	const b = new WorkloadBuilder('vllm', 'yaml', spanOf(app));
	if (argModel?.value) setModel(b, argModel.value, keyText(argModel)!, argModel.key, ctx.doc);
	else if (model?.value) setModel(b, model.value, keyText(model)!, model.key, ctx.doc);
	for (const p of pairs(vars)) {
		const flag = ENV_FLAGS[keyText(p) ?? ''];
		if (flag && p.value) applyKwarg(b, flag, keyText(p)!, p.key, p.value, ctx.doc);
	}
	for (const p of pairs(args))
		if (p.value && keyText(p) !== keyText(argModel ?? p))
			applyKwarg(b, `--${keyText(p)}`, keyText(p)!, p.key, p.value, ctx.doc);
	return b;
}

/** Accelerators the Ray workers ask for: the first worker group with one. */
function workerAccelerators(
	spec: YNode,
	doc: string,
): { count?: Setting<number>; hardware?: Setting<string> } {
	const groups = asSeq(path(spec, 'rayClusterConfig', 'workerGroupSpecs'))?.items ?? [];
	for (const g of groups) {
		const pod = path(g as YNode, 'template', 'spec');
		for (const c of asSeq(get(pod, 'containers'))?.items ?? []) {
			const count = gpuResource(c as YNode, doc);
			if (!count) continue;
			return { count, hardware: hardwareFromSelectors(pod, doc).hardware };
		}
	}
	return {};
}

export function extractKubeRay(root: YNode, ctx: YamlCtx, out: Extracted): boolean {
	if (scalarString(get(root, 'kind')) !== 'RayService') return false;
	const spec = get(root, 'spec');
	// Each inner parse copies the document up to the block: a file of many RayServices reads the first few.
	ctx.innerParses ??= { count: 0 };
	if (++ctx.innerParses.count > MAX_INNER_PARSES) return true;
	const inner = innerDocument(get(spec, 'serveConfigV2'), ctx.doc);
	if (!inner) return true;
	const workers = workerAccelerators(spec, ctx.doc);
	for (const app of asSeq(get(inner, 'applications'))?.items ?? []) {
		if (!isMap(app)) continue;
		const builders: WorkloadBuilder[] = [];
		for (const cfg of asSeq(path(app as Node, 'args', 'llm_configs'))?.items ?? [])
			if (isMap(cfg)) builders.push(llmConfig(cfg as Node, ctx));
		if (!builders.length) {
			const b = envApp(app as Node, ctx);
			if (b) builders.push(b);
		}
		for (const b of builders) {
			b.engineVersion = vllmPin(ctx);
			if (workers.hardware && !b.settings.hardware) b.settings.hardware = workers.hardware;
			const tp = b.settings.tensorParallelSize?.value ?? 1;
			const pp = b.settings.pipelineParallelSize?.value ?? 1;
			// The worker's accelerator count is the engine's only when one replica spans the whole worker.
			if (workers.count && workers.count.value === tp * pp) b.settings.deviceCount = workers.count;
			const w = b.build();
			if (w) out.workloads.push(w);
			out.findings.push(...b.findings);
		}
	}
	return true;
}
