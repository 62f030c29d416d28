/**
 * docker-compose files: per service, `image:` decides the engine when `command:` holds only arguments
 * (string, folded `>` and list forms), `entrypoint:` + `command:` are matched as a command line otherwise,
 * `environment:` feeds LLAMA_ARG_* / OLLAMA_* and CUDA_VISIBLE_DEVICES, `${VAR:-default}` interpolation
 * reads the `.env` next to the file (through the host), and GPU reservations give the device count.
 */
import { isMap, isScalar, type Node } from 'yaml';
import type { Setting } from '../types';
import { imageMatch, llamaEnvMatch, matchCommand, type CommandMatch } from './commands';
import { readDotEnv, readEnvFileAt } from './envFile';
import { workloadFromMatch, type Extracted } from './fromCommand';
import type { EnvValue, Token } from './tokens';
import { imageInfo } from './versions';
import { argvTokens, spanOfValue, yamlInner, type YamlCtx } from './yamlCommon';
import {
	asSeq,
	get,
	getPair,
	keyText,
	nodeToken,
	pairs,
	path,
	readKeyValueList,
	scalarString,
	spanOf,
	type YNode,
} from './yamlNodes';

/** `environment:` as a map (`KEY: value`) or a list (`- KEY=value`). */
function serviceEnv(service: YNode, doc: string): Map<string, EnvValue> {
	const env = new Map<string, EnvValue>();
	const node = get(service, 'environment');
	for (const p of pairs(node)) {
		const k = keyText(p);
		if (!k || !isScalar(p.value)) continue;
		env.set(k, {
			value: scalarString(p.value) ?? '',
			span: spanOfValue(p.value, doc),
			keySpan: spanOf(p.key as Node),
			origin: 'compose environment',
			exported: true,
		});
	}
	readKeyValueList(node, doc, 'compose environment', env);
	return env;
}

/** `deploy.resources.reservations.devices[].count` / `device_ids`, or `gpus:`. */
function composeGpus(service: YNode, doc: string): { count?: Setting<number>; note?: string } {
	for (const dev of asSeq(path(service, 'deploy', 'resources', 'reservations', 'devices'))?.items ?? []) {
		const countPair = getPair(dev, 'count');
		const countNode = countPair?.value;
		const count = scalarString(countNode);
		if (countNode && count && /^\d+$/.test(count))
			return {
				count: {
					value: Number(count),
					source: 'file',
					span: spanOfValue(countNode, doc),
					key: 'count',
					keySpan: spanOf(countPair!.key),
				},
			};
		if (count === 'all')
			return { note: '`count: all` reserves every GPU on the host; the count is not in the file' };
		const idsPair = getPair(dev, 'device_ids');
		const ids = asSeq(idsPair?.value);
		if (ids?.items.length)
			return {
				count: {
					value: ids.items.length,
					source: 'file',
					span: spanOf(ids),
					key: 'device_ids',
					keySpan: spanOf(idsPair!.key),
				},
			};
	}
	const gpus = get(service, 'gpus');
	if (scalarString(gpus) === 'all')
		return { note: '`gpus: all` exposes every GPU on the host; the count is not in the file' };
	return {};
}

/** `env_file: a.env`, `env_file: [a.env, b.env]` or `env_file: [{ path: a.env }]`. */
function envFiles(service: YNode): Node[] {
	const node = get(service, 'env_file');
	if (isScalar(node)) return [node];
	return (asSeq(node)?.items ?? []).map((i) => (isMap(i) ? get(i, 'path') : i)).filter((n): n is Node => !!n);
}

function serviceWorkload(service: Node, ctx: YamlCtx, dotEnv: Map<string, EnvValue>, out: Extracted): void {
	const doc = ctx.doc;
	const image = nodeToken(get(service, 'image'), doc);
	const env = serviceEnv(service, doc);
	const entry = argvTokens(get(service, 'entrypoint'), doc, dotEnv, 'compose');
	const command = argvTokens(get(service, 'command'), doc, dotEnv, 'compose') ?? [];
	const info = image ? imageInfo(image.text) : undefined;
	const tokens: Token[] = [...(entry ?? []), ...command];
	let m: CommandMatch | undefined = tokens.length
		? matchCommand(tokens, yamlInner(doc, dotEnv), new Map())
		: undefined;
	if (!m && !entry && image) m = imageMatch(info, command, image.span);
	const envFileValues = () => {
		for (const item of envFiles(service)) {
			const t = nodeToken(item, doc);
			const read = t && readEnvFileAt(ctx.path, t.text, ctx.host, spanOfValue(item, doc));
			// `environment:` wins over `env_file:` in compose.
			for (const [k, v] of read ?? []) if (!env.has(k)) env.set(k, v);
		}
	};
	if (!m) {
		// A service configured by LLAMA_ARG_* variables runs llama-server, whatever its image is called.
		envFileValues();
		m = llamaEnvMatch(env, entry ? [] : command)?.match;
	} else if (m) envFileValues();
	if (!m) return;
	if (image && info && !m.image) m.image = { token: image, info };
	const r = workloadFromMatch(m, spanOf(service), { ...ctx, fileEnv: env });
	const gpus = composeGpus(service, doc);
	for (const w of r.workloads) {
		if (gpus.count) w.settings.deviceCount = gpus.count;
		else if (gpus.note && !w.settings.deviceCount)
			w.unknowns.push({ name: 'deviceCount', reason: gpus.note });
	}
	out.workloads.push(...r.workloads);
	out.findings.push(...r.findings);
}

export function extractCompose(root: YNode, ctx: YamlCtx, out: Extracted): boolean {
	const services = get(root, 'services');
	if (!isMap(services)) return false;
	const dotEnv = readDotEnv(ctx.path, ctx.host);
	for (const p of services.items) if (isMap(p.value)) serviceWorkload(p.value as Node, ctx, dotEnv, out);
	return true;
}
