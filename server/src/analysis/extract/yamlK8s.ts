/**
 * Kubernetes manifests (Deployment, StatefulSet, Pod, Job, LeaderWorkerSet, KServe runtimes — any object
 * with a pod spec): each container's `command` + `args` (lists, or `sh -c "…"`), its env for `$(VAR)`,
 * `resources.limits["nvidia.com/gpu"]` as the device count, and node selectors / affinity for the GPU
 * model. KubeAI `Model` objects (`url`, `args`, `resourceProfile`) are read too.
 */
import { isMap, isSeq, type Node } from 'yaml';
import { imageMatch, llamaEnvMatch, matchCommand, type CommandMatch } from './commands';
import { workloadFromMatch, type Extracted } from './fromCommand';
import type { EnvValue } from './tokens';
import { imageInfo } from './versions';
import {
	argvTokens,
	gpuResource,
	hardwareFromSelectors,
	spanOfValue,
	yamlInner,
	type YamlCtx,
} from './yamlCommon';
import { asSeq, get, nodeToken, scalarString, spanOf, type YNode } from './yamlNodes';

function containerEnv(container: YNode, doc: string): Map<string, EnvValue> {
	const env = new Map<string, EnvValue>();
	for (const item of asSeq(get(container, 'env'))?.items ?? []) {
		const nameNode = get(item, 'name');
		const name = scalarString(nameNode);
		const valueNode = get(item, 'value');
		if (!name || !valueNode) continue;
		env.set(name, {
			value: scalarString(valueNode) ?? '',
			span: spanOfValue(valueNode, doc),
			keySpan: nameNode ? spanOfValue(nameNode, doc) : undefined,
			origin: 'container env',
			exported: true,
		});
	}
	return env;
}

function containerWorkload(container: Node, podSpec: YNode, ctx: YamlCtx, out: Extracted): void {
	const doc = ctx.doc;
	const image = nodeToken(get(container, 'image'), doc);
	const env = containerEnv(container, doc);
	const command = argvTokens(get(container, 'command'), doc, env, 'k8s');
	const args = argvTokens(get(container, 'args'), doc, env, 'k8s') ?? [];
	const info = image ? imageInfo(image.text) : undefined;
	let m: CommandMatch | undefined;
	if (command) m = matchCommand([...command, ...args], yamlInner(doc, env), new Map());
	else if (args.length && /^(vllm|python|llama-|\.\/|\/)/.test(args[0]!.text))
		m = matchCommand(args, yamlInner(doc, env), new Map());
	if (!m && !command && image) m = imageMatch(info, args, image.span);
	m ??= llamaEnvMatch(env, command ? [] : args)?.match;
	if (!m) return;
	if (image && info && !m.image) m.image = { token: image, info };
	const r = workloadFromMatch(m, spanOf(container), { ...ctx, fileEnv: env });
	const gpus = gpuResource(container, doc);
	const hw = hardwareFromSelectors(podSpec, doc);
	for (const w of r.workloads) {
		if (gpus) w.settings.deviceCount = gpus;
		if (hw.hardware) w.settings.hardware = hw.hardware;
		else if (hw.unknown) w.unknowns.push({ name: 'hardware', ...hw.unknown });
	}
	out.workloads.push(...r.workloads);
	out.findings.push(...r.findings);
}

/** Every map holding `containers:` is a pod spec, wherever the object nests it. */
export function extractPods(root: YNode, ctx: YamlCtx, out: Extracted): void {
	const visit = (node: YNode) => {
		if (isMap(node)) {
			const containers = asSeq(get(node, 'containers'));
			if (containers) for (const c of containers.items) if (isMap(c)) containerWorkload(c, node, ctx, out);
			for (const p of node.items) if (p.value !== get(node, 'containers')) visit(p.value as YNode);
		} else if (isSeq(node)) for (const item of node.items) visit(item as YNode);
	};
	visit(root);
}

/** KubeAI `resourceProfile: nvidia-gpu-l4:8` → hardware and count. */
const KUBEAI_PROFILES: Record<string, string> = {
	'nvidia-gpu-l4': 'l4',
	'nvidia-gpu-h100': 'h100-sxm',
	'nvidia-gpu-a100-80gb': 'a100-80gb-sxm',
	'nvidia-gpu-a100-40gb': 'a100-40gb-sxm',
	'nvidia-gpu-l40s': 'l40s',
	'nvidia-gpu-t4': 't4',
	'amd-gpu-mi300x': 'mi300x',
};

export function extractKubeAiModel(root: YNode, ctx: YamlCtx, out: Extracted): boolean {
	if (scalarString(get(root, 'kind')) !== 'Model') return false;
	return kubeAiSpec(get(root, 'spec'), root as Node, ctx, out);
}

/**
 * KubeAI's `models` Helm chart: `catalog.<name>` entries carry the same fields as a Model's spec (`url`,
 * `engine`, `args`, `resourceProfile`); each entry is a workload (https://github.com/kubeai-project/kubeai,
 * charts/models/values.yaml).
 */
export function extractKubeAiCatalog(root: YNode, ctx: YamlCtx, out: Extracted): boolean {
	const catalog = get(root, 'catalog');
	if (!isMap(catalog)) return false;
	let any = false;
	for (const p of catalog.items)
		if (isMap(p.value) && get(p.value as Node, 'url'))
			any = kubeAiSpec(p.value as Node, p.value as Node, ctx, out) || any;
	return any;
}

function kubeAiSpec(spec: YNode, whole: Node, ctx: YamlCtx, out: Extracted): boolean {
	const url = nodeToken(get(spec, 'url'), ctx.doc);
	const engine = scalarString(get(spec, 'engine'))?.toLowerCase();
	if (!url || !spec || (engine !== 'vllm' && engine !== 'ollama')) return false;
	const args = argvTokens(get(spec, 'args'), ctx.doc, new Map(), 'k8s') ?? [];
	const scheme = /^(hf|ollama|s3|gs|oss|pvc):\/\//.exec(url.text);
	const start = scheme ? scheme[0].length : 0;
	const m: CommandMatch = {
		framework: engine === 'vllm' ? 'vllm' : 'ollama',
		mode: 'vllm-module',
		args: engine === 'vllm' ? args : [],
		programSpan: url.span,
		env: new Map(),
		findings: [],
		model: {
			value: url.text.slice(start),
			source: 'file',
			span: { offset: url.offsets[start] ?? url.span.offset, length: url.text.length - start },
			raw: url.text,
			key: 'url',
		},
	};
	const r = workloadFromMatch(m, spanOf(whole), { ...ctx, syntax: 'cli' });
	const profileNode = get(spec, 'resourceProfile');
	const profile = scalarString(profileNode);
	for (const w of r.workloads) {
		if (!profile || !profileNode) continue;
		const [name, count] = profile.split(':');
		const id = KUBEAI_PROFILES[name!];
		const span = spanOfValue(profileNode, ctx.doc);
		if (id) w.settings.hardware = { value: id, source: 'file', span, raw: profile, key: 'resourceProfile' };
		// `cpu:2` is two units of a CPU profile, not two accelerators.
		if (id && count && /^\d+$/.test(count))
			w.settings.deviceCount = {
				value: Number(count),
				source: 'file',
				span,
				raw: profile,
				key: 'resourceProfile',
			};
	}
	out.workloads.push(...r.workloads);
	out.findings.push(...r.findings);
	return true;
}
