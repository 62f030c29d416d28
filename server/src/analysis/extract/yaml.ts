/**
 * YAML documents (multi-document files too): each is classified as docker-compose, production-stack
 * Helm values, a Kubernetes object with pod specs, KubeAI Model, or a vLLM `--config` file; anything
 * else (CI workflows, unrelated configs) yields nothing. Syntax errors become `unparseable-config`
 * findings at the error and the rest of the file is still read.
 */
import { parseAllDocuments, type Node } from 'yaml';
import { withYamlDocument } from './yamlNodes';
import { yamlAliasFinding } from '../limits';
import type { Finding } from '../types';
import type { Extracted } from './fromCommand';
import type { ExtractInput, ExtractResult } from './types';
import type { YamlCtx } from './yamlCommon';
import { extractCompose } from './yamlCompose';
import { extractLlamaSwap } from './yamlLlamaSwap';
import { extractGenericHelm } from './yamlHelmGeneric';
import { extractKubeRay } from './yamlKubeRay';
import { extractKubeAiCatalog, extractKubeAiModel, extractPods } from './yamlK8s';
import { extractHelmValues, extractVllmConfig, looksLikeVllmConfig } from './yamlVllm';

function syntaxFinding(e: { message: string; pos: [number, number] }, docLength: number): Finding {
	const offset = Math.min(e.pos[0], docLength);
	return {
		code: 'unparseable-config',
		severity: 'error',
		message: `YAML syntax error: ${e.message.split('\n')[0]!.replace(/:$/, '')}. The rest of the file is still analyzed.`,
		span: { offset, length: Math.max(0, Math.min(e.pos[1], docLength) - offset) },
	};
}

function classify(root: Node, ctx: YamlCtx, path: string, out: Extracted): void {
	if (extractLlamaSwap(root, ctx, out)) return;
	if (extractCompose(root, ctx, out)) return;
	if (extractHelmValues(root, ctx, out)) return;
	if (extractKubeAiModel(root, ctx, out)) return;
	if (extractKubeAiCatalog(root, ctx, out)) return;
	if (extractKubeRay(root, ctx, out)) return;
	const before = out.workloads.length;
	extractPods(root, ctx, out);
	if (out.workloads.length > before) return;
	if (looksLikeVllmConfig(root, path)) extractVllmConfig(root, { ...ctx, syntax: 'yaml' }, out);
	else extractGenericHelm(root, ctx, out);
}

export function extractYaml(input: ExtractInput): ExtractResult {
	const doc = input.text;
	const out: Extracted = { workloads: [], findings: [] };
	const ctx: YamlCtx = { path: input.path, doc, syntax: 'cli', host: input.host, structured: true };
	let docs;
	try {
		docs = parseAllDocuments(doc, { keepSourceTokens: false, uniqueKeys: false });
	} catch (e) {
		out.findings.push(syntaxFinding({ message: String(e), pos: [0, 0] }, doc.length));
		return out;
	}
	if (!Array.isArray(docs)) docs = [docs];
	// Helm chart templates are YAML only after rendering: their `{{ … }}` lines are not syntax errors.
	const templated = /\{\{[^}]*\}\}/.test(doc);
	for (const d of docs) {
		if (!templated) for (const e of d.errors) out.findings.push(syntaxFinding(e, doc.length));
		const bomb = doc.includes('*') && d.errors.length === 0 ? yamlAliasFinding(d, doc) : undefined;
		if (bomb) out.findings.push(bomb);
		const root = d.contents;
		if (root) withYamlDocument(d, () => classify(root, ctx, input.path, out));
	}
	return out;
}
