/**
 * llama-swap configs: `models.<id>.cmd` is the command llama-swap starts for that model (llama-server,
 * vLLM, `docker run …`). Macros are expanded as llama-swap does before it splits the command: model-level
 * `macros:` over top-level ones, macros inside macros, `${PORT}` (assigned from `startPort`, default 5800),
 * `${MODEL_ID}` (the model's key), `${env.VAR}` (the environment at start-up: unknown here). `#` lines in
 * a `|` block are comments and lines join with spaces. `env: ["CUDA_VISIBLE_DEVICES=0,1"]` is the
 * command's environment. Facts from llama-swap's config.example.yaml
 * (https://github.com/mostlygeek/llama-swap/blob/main/config.example.yaml).
 */
import { isMap, type Node } from 'yaml';
import { matchCommand } from './commands';
import { workloadFromMatch, type Extracted } from './fromCommand';
import { resolveWord, type EnvValue, type Token } from './tokens';
import { lexCommands } from './words';
import { spanOfValue, yamlInner, type YamlCtx } from './yamlCommon';
import { get, keyText, nodeToken, readKeyValueList, remapWord, spanOf, type YNode } from './yamlNodes';

/** Expansion stops past this depth or length (a macro that names itself, a macro bomb). */
const MAX_MACRO_DEPTH = 8;
const MAX_EXPANDED_CHARS = 100_000;
const DEFAULT_START_PORT = 5800;

interface Expanded {
	text: string;
	offsets: number[];
}

function macroTable(node: YNode, doc: string, into: Map<string, Token>): void {
	if (!isMap(node)) return;
	for (const p of node.items) {
		const k = keyText(p as never);
		const t = nodeToken(p.value as YNode, doc);
		if (k && t) into.set(k, t);
	}
}

/** `${name}` → the macro's text (recursively), `${env.X}` → `$X` (read from the environment). */
function expand(tok: Token, macros: ReadonlyMap<string, Token>, depth: number, out: Expanded): void {
	const re = /\$\{([A-Za-z0-9_.-]+)\}/g;
	let last = 0;
	const lit = (s: number, e: number) => {
		for (let k = s; k < e && out.text.length < MAX_EXPANDED_CHARS; k++) {
			out.text += tok.text[k];
			out.offsets.push(tok.offsets[k] ?? -1);
		}
	};
	for (const m of tok.text.matchAll(re)) {
		// Past the limit nothing more is read: a macro that fans out must not cost exponential time.
		if (out.text.length >= MAX_EXPANDED_CHARS) return;
		lit(last, m.index);
		last = m.index + m[0].length;
		const name = m[1]!;
		const macro = macros.get(name);
		if (name.startsWith('env.')) {
			// `$NAME` for the shell lexer: an environment variable, unknown here.
			out.text += '$' + name.slice(4);
			out.offsets.push(tok.offsets[m.index] ?? -1);
			for (let k = 0; k < name.length - 4; k++) out.offsets.push(tok.offsets[m.index + 6 + k] ?? -1);
		} else if (macro && depth < MAX_MACRO_DEPTH) expand(macro, macros, depth + 1, out);
		else lit(m.index, last);
	}
	lit(last, tok.text.length);
}

/** llama-swap strips `#` comment lines from a multi-line cmd and joins the rest with spaces. */
function joinLines(e: Expanded): Expanded {
	const lines = e.text.split('\n');
	let text = '';
	for (const line of lines) {
		const kept = /^\s*#/.test(line)
			? ' '.repeat(line.length)
			: line.replace(/\\\s*$/, (m) => ' '.repeat(m.length));
		text += (text ? ' ' : '') + kept;
	}
	return { text, offsets: e.offsets };
}

function portValue(root: YNode): string {
	const n = Number(nodeToken(get(root, 'startPort'), '')?.text);
	return String(Number.isInteger(n) && n > 0 ? n : DEFAULT_START_PORT);
}

function modelEnv(
	model: YNode,
	ctx: YamlCtx,
	id: { text: string; span: { offset: number; length: number } },
	port: string,
) {
	const env = new Map<string, EnvValue>();
	env.set('PORT', { value: port, origin: 'llama-swap ${PORT} macro (from startPort)', exported: false });
	env.set('MODEL_ID', {
		value: id.text,
		span: id.span,
		origin: 'llama-swap ${MODEL_ID} macro',
		exported: false,
	});
	readKeyValueList(get(model, 'env'), ctx.doc, 'llama-swap model env', env);
	return env;
}

/** True (and workloads added) when the document is a llama-swap config. */
export function extractLlamaSwap(root: YNode, ctx: YamlCtx, out: Extracted): boolean {
	const models = get(root, 'models');
	if (!isMap(models) || !models.items.some((p) => isMap(p.value) && get(p.value as Node, 'cmd')))
		return false;
	const doc = ctx.doc;
	const globals = new Map<string, Token>();
	macroTable(get(root, 'macros'), doc, globals);
	const port = portValue(root);
	for (const p of models.items) {
		const model = p.value as YNode;
		const cmd = nodeToken(get(model, 'cmd'), doc);
		const idNode = p.key as Node;
		const idTok = nodeToken(idNode, doc);
		if (!cmd || !isMap(model) || !idTok) continue;
		const macros = new Map(globals);
		macroTable(get(model, 'macros'), doc, macros);
		const expanded: Expanded = { text: '', offsets: [] };
		expand(cmd, macros, 0, expanded);
		const joined = joinLines(expanded);
		const tok: Token = { text: joined.text, offsets: joined.offsets, span: cmd.span, raw: cmd.raw };
		const env = modelEnv(model, ctx, { text: idTok.text, span: spanOfValue(idNode, doc) }, port);
		for (const words of lexCommands(joined.text)) {
			const tokens = words.map((w) => resolveWord(remapWord(w, tok), doc, env));
			const m = matchCommand(tokens, yamlInner(doc, env), new Map());
			if (!m) continue;
			const r = workloadFromMatch(m, spanOf(model), { ...ctx, fileEnv: env });
			out.workloads.push(...r.workloads);
			out.findings.push(...r.findings);
			break;
		}
	}
	return true;
}
