/**
 * Shell scripts, parsed with the tree-sitter Bash grammar: every simple command (inside functions,
 * `&&` chains, pipelines and subshells too) is checked against the engine command lines; variables the
 * script assigns before a command resolve `$VAR` in its arguments; heredoc bodies and comments are text
 * the grammar keeps out of commands, so they are ignored.
 */
import { getParser, type SyntaxNode } from '../parse/treeSitter';
import type { Finding, Workload } from '../types';
import { matchCommand, type InnerCommands } from './commands';
import { workloadFromMatch, type FileContext } from './fromCommand';
import { hasEngineKeyword } from './keywords';
import { swallowedCommandFindings } from './swallowed';
import { resolveWord, unreadableMessage, type EnvValue, type Token, type UnreadableVar } from './tokens';
import type { ExtractInput, ExtractResult } from './types';
import { alternateAt, lexCommands, lexWord } from './words';
import { resolveWithPositional } from './positional';
import { inlineFileKey, type InlineFile } from './vllmConfigFile';
import { remapWord } from './yamlNodes';

let parserPromise: ReturnType<typeof getParser> | undefined;

/** One parser for the process: creating parsers per call would cost more than parsing a script. */
function bashParser() {
	parserPromise ??= getParser('bash');
	return parserPromise;
}

/** Variables assigned in the file whose value could not be read (a later `$NAME` says so). */
type Unreadable = Map<string, UnreadableVar>;

export function tokenOf(
	doc: string,
	start: number,
	end: number,
	env: ReadonlyMap<string, EnvValue>,
	unreadable?: ReadonlyMap<string, UnreadableVar>,
): Token {
	return resolveWord(lexWord(doc, start, end), doc, env, unreadable);
}

/** `sh -c "…"`: the string's inside, lexed as commands at its real document offsets. */
export function innerCommandsFor(
	doc: string,
	env: ReadonlyMap<string, EnvValue>,
	unreadable?: ReadonlyMap<string, UnreadableVar>,
	/** The string is a JSON exec-form item: lex its value (escapes decoded, nothing expanded yet). */
	fromValue = false,
): InnerCommands {
	if (fromValue)
		return (tok, positional) =>
			lexCommands(tok.text).map((cmd) =>
				resolveWithPositional(cmd, (w) => resolveWord(remapWord(w, tok), doc, env, unreadable), positional),
			);
	return (tok, positional) => {
		const q = /^["']/.test(tok.raw) ? 1 : 0;
		const words = lexCommands(doc, tok.span.offset + q, tok.span.offset + tok.span.length - q);
		return words.map((cmd) =>
			resolveWithPositional(cmd, (w) => resolveWord(w, doc, env, unreadable), positional),
		);
	};
}

function lineOf(doc: string, offset: number): number {
	let n = 1;
	for (let k = doc.indexOf('\n'); k >= 0 && k < offset; k = doc.indexOf('\n', k + 1)) n++;
	return n;
}

/** `X="$X$X"` after X became unreadable: keep the first cause instead of nesting one message per line. */
function rootReason(unknown: string, unreadable: Unreadable): string {
	for (const [name, u] of unreadable) if (unknown === unreadableMessage(name, u)) return u.reason;
	return unknown;
}

/** `NAME=value`: records the variable for the commands that follow (a prefix assignment: for one command). */
function assignment(
	node: SyntaxNode,
	doc: string,
	env: Map<string, EnvValue>,
	unreadable: Unreadable,
	exported: boolean,
): void {
	const nameNode = node.childForFieldName('name');
	const valueNode = node.childForFieldName('value');
	if (!nameNode) return;
	const name = nameNode.text;
	const line = lineOf(doc, node.startIndex);
	const origin = `set on line ${line}`;
	if (!valueNode) {
		unreadable.delete(name);
		env.set(name, { value: '', origin, exported, keySpan: spanOfNode(nameNode) });
		return;
	}
	const tok = tokenOf(doc, valueNode.startIndex, valueNode.endIndex, env, unreadable);
	if (tok.unknown) {
		// Unset, but remembered: a later `$NAME` must not claim the value comes from the environment.
		env.delete(name);
		unreadable.set(name, { line, reason: rootReason(tok.unknown, unreadable) });
		return;
	}
	unreadable.delete(name);
	const exact = tok.text.length > 0 && tok.offsets.every((o, k) => o === tok.offsets[0]! + k);
	env.set(name, {
		value: tok.text,
		span: exact ? { offset: tok.offsets[0]!, length: tok.text.length } : undefined,
		origin,
		exported: exported || env.get(name)?.exported === true,
		keySpan: spanOfNode(nameNode),
	});
}

/** Commands that cannot start an engine are skipped before tokenizing (most lines of most scripts). */
const MIGHT_START_ENGINE = /vllm|llama|main|server|ollama|^\s*(?:\w+=\S*\s+)*"?\$/i;

const spanOfNode = (n: SyntaxNode) => ({ offset: n.startIndex, length: n.endIndex - n.startIndex });

/**
 * `cat > config.yaml <<EOF … EOF` (or `tee`, `<<-`, `>>`): the file the script writes, by resolved path,
 * so a later `vllm serve --config config.yaml` reads the heredoc's text at its document offsets.
 */
function heredocFiles(root: SyntaxNode, doc: string, docPath: string): Map<string, InlineFile> {
	const files = new Map<string, InlineFile>();
	if (!doc.includes('<<')) return files;
	for (const st of root.descendantsOfType('redirected_statement')) {
		const body = st?.descendantsOfType('heredoc_body')[0];
		const prog = st?.childForFieldName('body')?.text.split(/\s+/);
		if (!st || !body || !prog || !/^(cat|tee)$/.test(prog[0]!.replace(/^.*\//, ''))) continue;
		const target =
			st.namedChildren.find((c) => c?.type === 'file_redirect')?.lastNamedChild?.text ??
			(prog[0]!.endsWith('tee') ? prog.slice(1).find((w) => !w.startsWith('-')) : undefined);
		if (!target || !/\.ya?ml$/i.test(target)) continue;
		files.set(inlineFileKey(docPath, target.replace(/^["']|["']$/g, '')), {
			text: body.text,
			offset: body.startIndex,
			origin: `heredoc on line ${lineOf(doc, st.startIndex)}`,
		});
	}
	return files;
}

export async function extractShell(input: ExtractInput): Promise<ExtractResult> {
	const parser = await bashParser();
	const doc = input.text;
	const tree = parser.parse(doc);
	if (!tree) return { workloads: [], findings: [] };
	const env = new Map<string, EnvValue>();
	const unreadable: Unreadable = new Map();
	const ctx: FileContext = { path: input.path, doc, syntax: 'cli', host: input.host, fileEnv: env };
	const workloads: Workload[] = [];
	const findings: Finding[] = [];
	const declaration = (node: SyntaxNode) => {
		const kw = node.child(0)?.text;
		const exported = kw === 'export' || node.children.some((c) => c?.text === '-x');
		for (const c of node.namedChildren)
			if (c?.type === 'variable_assignment') assignment(c, doc, env, unreadable, exported);
			else if (c?.type === 'variable_name' && exported) {
				const v = env.get(c.text);
				if (v) v.exported = true;
			}
	};
	const command = (node: SyntaxNode) => {
		let local = env;
		let localUnreadable = unreadable;
		const cmdEnv = new Map<string, EnvValue>();
		const tokens: Token[] = [];
		for (const c of node.namedChildren) {
			if (c?.type === 'variable_assignment') {
				if (local === env) local = new Map(env);
				// A prefix assignment lasts for this command only, its unreadable mark too.
				if (localUnreadable === unreadable) localUnreadable = new Map(unreadable);
				assignment(c, doc, local, localUnreadable, true);
				const name = c.childForFieldName('name')?.text;
				const v = name ? local.get(name) : undefined;
				if (name && v) cmdEnv.set(name, v);
			} else if (c?.type === 'command_name')
				tokens.push(tokenOf(doc, c.startIndex, c.endIndex, local, localUnreadable));
		}
		for (const arg of node.childrenForFieldName('argument')) {
			if (!arg) continue;
			const alt = alternateAt(doc, arg.startIndex, arg.endIndex);
			if (alt && alt.end === arg.endIndex) {
				// `${VAR:+--flag "$VAR"}`: each word inside is an argument, checked by name.
				for (const w of lexCommands(doc, alt.bodyStart, alt.bodyEnd).flat())
					tokens.push(resolveWord(w, doc, local, localUnreadable));
				continue;
			}
			tokens.push(tokenOf(doc, arg.startIndex, arg.endIndex, local, localUnreadable));
		}
		const m = matchCommand(tokens, innerCommandsFor(doc, local, localUnreadable), cmdEnv);
		if (!m) return;
		const r = workloadFromMatch(m, spanOfNode(node), ctx);
		workloads.push(...r.workloads);
		findings.push(...r.findings);
	};
	ctx.inlineFiles = heredocFiles(tree.rootNode, doc, input.path);
	// One query for every node of interest, in document order (commands inside `$(…)`, functions and
	// subshells included); far cheaper than walking the tree node by node across the wasm boundary.
	const nodes = tree.rootNode.descendantsOfType(['variable_assignment', 'declaration_command', 'command']);
	for (const n of nodes) {
		if (!n) continue;
		if (n.type === 'command') {
			if (MIGHT_START_ENGINE.test(doc.slice(n.startIndex, n.endIndex))) command(n);
		} else if (n.type === 'declaration_command') declaration(n);
		else {
			const parent = n.parent?.type;
			if (parent !== 'command' && parent !== 'declaration_command')
				assignment(n, doc, env, unreadable, false);
		}
	}
	if (hasEngineKeyword(doc))
		findings.push(...swallowedCommandFindings(tree.rootNode, doc, workloads, findings, 'bash'));
	tree.delete();
	return { workloads, findings };
}
