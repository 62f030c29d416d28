/**
 * Evaluates the small part of Python a config value is usually written in: literals, names bound by
 * simple assignments, int/float arithmetic, string concatenation, f-strings of known names, and
 * `os.environ.get("X", default)` / `os.getenv` (the default, said out loud). Anything else is an
 * unknown with the reason; nothing is executed.
 */
import type { SyntaxNode } from '../../parse/treeSitter';
import { lookup, qualify, siblingConstant, type PyScope } from './scope';

export type PyValue = string | number | boolean | null;

export type Evaluated =
	{ ok: true; value: PyValue; notes: string[]; fromEnv?: string } | { ok: false; reason: string };

const MAX_DEPTH = 12;

const ESCAPES: Record<string, string> = {
	n: '\n',
	t: '\t',
	r: '\r',
	'\\': '\\',
	"'": "'",
	'"': '"',
	'0': '\0',
};

function fail(reason: string): Evaluated {
	return { ok: false, reason };
}

function parseInt_(text: string): number | undefined {
	const t = text.replace(/_/g, '').toLowerCase();
	if (/^0[xob]/.test(t)) {
		const v = Number(t);
		return Number.isFinite(v) ? v : undefined;
	}
	if (/^\d+$/.test(t)) return Number(t);
	return undefined;
}

function evalString(node: SyntaxNode, scope: PyScope, depth: number, notes: string[]): Evaluated {
	const prefix = (node.childForFieldName('prefix')?.text ?? node.firstChild?.text ?? '').toLowerCase();
	const startTok = prefix.replace(/['"]+$/, '');
	if (startTok.includes('b')) return fail('a bytes literal, not a string');
	const raw = startTok.includes('r');
	let out = '';
	for (const part of node.namedChildren) {
		if (!part) continue;
		if (part.type === 'string_content') out += part.text;
		else if (part.type === 'escape_sequence')
			out += raw ? part.text : (ESCAPES[part.text.slice(1)] ?? part.text);
		else if (part.type === 'interpolation') {
			if (part.childForFieldName('format_specifier') || part.childForFieldName('type_conversion'))
				return fail(`f-string field \`${part.text}\` has a format spec`);
			const expr = part.childForFieldName('expression');
			const v = expr ? evaluate(expr, scope, depth + 1) : fail('empty f-string field');
			if (!v.ok) return v;
			notes.push(...v.notes);
			out += v.value === null ? 'None' : String(v.value);
		}
	}
	return { ok: true, value: out, notes };
}

function arith(op: string, a: PyValue, b: PyValue): PyValue | undefined {
	// `Path(DIR) / "x.gguf"`: strings only meet `/` here when the left side was a Path.
	if (typeof a === 'string' && typeof b === 'string')
		return op === '+' ? a + b : op === '/' ? joinPath([a, b]) : undefined;
	if (typeof a !== 'number' || typeof b !== 'number') return undefined;
	switch (op) {
		case '+':
			return a + b;
		case '-':
			return a - b;
		case '*':
			return a * b;
		case '/':
			return b === 0 ? undefined : a / b;
		case '//':
			return b === 0 ? undefined : Math.floor(a / b);
		case '%':
			return b === 0 ? undefined : a % b;
		case '**':
			return a ** b;
		case '<<':
			return a * 2 ** b;
		default:
			return undefined;
	}
}

/** `os.environ.get("X", d)`, `os.getenv("X", d)`, `environ.get(…)`, and int()/float()/str() around them. */
function evalCall(node: SyntaxNode, scope: PyScope, depth: number): Evaluated {
	const fn = node.childForFieldName('function');
	const q = qualify(fn, scope);
	const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is SyntaxNode => !!a);
	if (fn?.type === 'identifier' && ['int', 'float', 'str', 'bool'].includes(fn.text) && args.length === 1) {
		const inner = evaluate(args[0], scope, depth + 1);
		if (!inner.ok) return inner;
		return convert(fn.text, inner);
	}
	if (q === 'os.environ.get' || q === 'os.getenv') {
		const name = args[0] ? evaluate(args[0], scope, depth + 1) : undefined;
		const envName = name?.ok && typeof name.value === 'string' ? name.value : '?';
		const dflt = args[1]?.type === 'keyword_argument' ? args[1].childForFieldName('value') : args[1];
		if (!dflt) return fail(`set at run time from environment variable ${envName} (no default in the code)`);
		const v = evaluate(dflt, scope, depth + 1);
		if (!v.ok) return fail(`environment variable ${envName}, and its default: ${v.reason}`);
		return {
			ok: true,
			value: v.value,
			notes: [...v.notes, `environment variable ${envName} overrides this at run time; the default is shown`],
			fromEnv: envName,
		};
	}
	const path = evalPathCall(q, args, scope, depth);
	if (path) return path;
	return fail(`the result of calling \`${fn?.text ?? '?'}\` is known only at run time`);
}

/** Joins path parts the way os.path.join / pathlib do (a later absolute part restarts the path). */
function joinPath(parts: string[]): string {
	let out = '';
	for (const p of parts) out = p.startsWith('/') || out === '' ? p : `${out.replace(/\/+$/, '')}/${p}`;
	return out;
}

/** Strings from every argument, or the first failure. */
function evalStrings(
	args: SyntaxNode[],
	scope: PyScope,
	depth: number,
): { values: string[]; notes: string[] } | Evaluated {
	const values: string[] = [];
	const notes: string[] = [];
	for (const a of args) {
		const v = evaluate(a, scope, depth + 1);
		if (!v.ok) return v;
		if (typeof v.value !== 'string') return fail(`\`${a.text}\` is not a string`);
		values.push(v.value);
		notes.push(...v.notes);
	}
	return { values, notes };
}

/**
 * Model paths built in code: `os.path.join(DIR, "x.gguf")`, `Path(DIR, "x.gguf")`, `os.path.expanduser(…)`,
 * and `hf_hub_download(repo_id, filename)` (the file a llama-cpp-python script loads from the Hub).
 */
function evalPathCall(
	q: string | undefined,
	args: SyntaxNode[],
	scope: PyScope,
	depth: number,
): Evaluated | undefined {
	if (!q) return undefined;
	const positional = args.filter((a) => a.type !== 'keyword_argument');
	const keyword = (name: string) =>
		args
			.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)
			?.childForFieldName('value') ?? undefined;
	if (
		q === 'os.path.join' ||
		q === 'pathlib.Path' ||
		q === 'pathlib.PurePath' ||
		q === 'os.path.expanduser'
	) {
		const r = evalStrings(positional, scope, depth);
		if ('ok' in r) return r;
		return { ok: true, value: joinPath(r.values), notes: r.notes };
	}
	if (q === 'huggingface_hub.hf_hub_download') {
		const repo = positional[0] ?? keyword('repo_id');
		const file = positional[1] ?? keyword('filename');
		if (!repo || !file) return fail('hf_hub_download without a repo id and file name');
		const r = evalStrings([repo, file], scope, depth);
		if ('ok' in r) return r;
		const [repoId, filename] = r.values;
		return {
			ok: true,
			value: `${repoId}/${filename}`,
			notes: [...r.notes, `downloaded from the Hub repo ${repoId} by hf_hub_download`],
		};
	}
	return undefined;
}

function convert(fn: string, v: Extract<Evaluated, { ok: true }>): Evaluated {
	const x = v.value;
	if (fn === 'str') return { ...v, value: x === null ? 'None' : String(x) };
	if (fn === 'bool') return { ...v, value: typeof x === 'string' ? x.length > 0 : Boolean(x) };
	const n = typeof x === 'string' ? Number(x.trim()) : typeof x === 'number' ? x : NaN;
	if (!Number.isFinite(n)) return fail(`${fn}(${JSON.stringify(x)}) would raise ValueError`);
	return { ...v, value: fn === 'int' ? Math.trunc(n) : n };
}

export function evaluate(node: SyntaxNode, scope: PyScope, depth = 0): Evaluated {
	if (depth > MAX_DEPTH) return fail('the value is defined through too many names');
	switch (node.type) {
		case 'integer': {
			const v = parseInt_(node.text);
			return v === undefined ? fail(`cannot read integer ${node.text}`) : { ok: true, value: v, notes: [] };
		}
		case 'float': {
			const v = Number(node.text.replace(/_/g, ''));
			return Number.isFinite(v) ? { ok: true, value: v, notes: [] } : fail(`cannot read number ${node.text}`);
		}
		case 'true':
			return { ok: true, value: true, notes: [] };
		case 'false':
			return { ok: true, value: false, notes: [] };
		case 'none':
			return { ok: true, value: null, notes: [] };
		case 'string':
			return evalString(node, scope, depth, []);
		case 'concatenated_string': {
			let out = '';
			const notes: string[] = [];
			for (const s of node.namedChildren) {
				if (!s) continue;
				const v = evaluate(s, scope, depth + 1);
				if (!v.ok) return v;
				notes.push(...v.notes);
				out += String(v.value);
			}
			return { ok: true, value: out, notes };
		}
		case 'parenthesized_expression': {
			const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
			return inner ? evaluate(inner, scope, depth + 1) : fail('empty parentheses');
		}
		case 'unary_operator': {
			const arg = node.childForFieldName('argument');
			const op = node.childForFieldName('operator')?.text ?? node.firstChild?.text;
			const v = arg ? evaluate(arg, scope, depth + 1) : fail('missing operand');
			if (!v.ok) return v;
			if (typeof v.value !== 'number') return fail(`\`${node.text}\` is not a number`);
			return { ...v, value: op === '-' ? -v.value : v.value };
		}
		case 'binary_operator': {
			const l = node.childForFieldName('left');
			const r = node.childForFieldName('right');
			const op = node.childForFieldName('operator')?.text ?? '';
			const a = l ? evaluate(l, scope, depth + 1) : fail('missing operand');
			if (!a.ok) return a;
			const b = r ? evaluate(r, scope, depth + 1) : fail('missing operand');
			if (!b.ok) return b;
			const v = arith(op, a.value, b.value);
			if (v === undefined) return fail(`cannot evaluate \`${node.text}\``);
			return { ok: true, value: v, notes: [...a.notes, ...b.notes], fromEnv: a.fromEnv ?? b.fromEnv };
		}
		case 'identifier':
			return evalName(node, scope, depth);
		case 'call':
			return evalCall(node, scope, depth);
		case 'attribute':
		case 'subscript':
			if (node.type === 'attribute') {
				const cli = cliDefault(node, scope, depth);
				if (cli) return cli;
				const sib = siblingAttribute(node, scope, depth);
				if (sib) return sib;
			}
			if (
				/^os\.environ\[/.test(node.text) ||
				qualify(node.childForFieldName('value'), scope) === 'os.environ'
			)
				return fail(`read from the environment at run time (\`${node.text}\`)`);
			if (/^(self\.)?args\./.test(node.text) || /^(cfg|config|opts|options|params)\./.test(node.text))
				return fail(`\`${node.text}\` comes from command-line arguments or a config object at run time`);
			return fail(`\`${node.text}\` is known only at run time`);
		default:
			return fail(`\`${node.text.slice(0, 60)}\` is not a literal or a simple constant`);
	}
}

/** `args.max_model_len` where the file declares `add_argument("--max-model-len", default=…)`. */
function cliDefault(node: SyntaxNode, scope: PyScope, depth: number): Evaluated | undefined {
	const obj = node.childForFieldName('object');
	const attr = node.childForFieldName('attribute')?.text;
	if (obj?.type !== 'identifier' || !attr) return undefined;
	const opt = scope.cliOptions.get(attr);
	if (!opt) return undefined;
	const where = `command-line option ${opt.option} (line ${opt.line})`;
	if (!opt.default) return fail(`\`${node.text}\` comes from ${where}, which has no default`);
	const v = evaluate(opt.default, scope, depth + 1);
	if (!v.ok) return fail(`\`${node.text}\`: the default of ${where}: ${v.reason}`);
	if (v.value === null)
		return fail(`\`${node.text}\`: ${where} defaults to None, so the engine's own default applies`);
	return { ...v, notes: [`default of ${where}; the command line can override it`, ...v.notes] };
}

function evalName(node: SyntaxNode, scope: PyScope, depth: number): Evaluated {
	const a = lookup(scope, node.text, node);
	const origin = a ? undefined : scope.imports.get(node.text);
	const dot = origin?.lastIndexOf('.') ?? -1;
	if (origin && dot > 0) {
		// `from config import MODEL`: the constant as config.py assigns it.
		const v = fromSibling(origin.slice(0, dot), origin.slice(dot + 1), node.text, scope, depth);
		if (v) return v;
	}
	if (!a) {
		const fn = parameterOf(node);
		if (fn) return fail(`\`${node.text}\` is a parameter of \`${fn}()\`, set by its caller at run time`);
		return fail(`\`${node.text}\` is not assigned a value in this file`);
	}
	const v = evaluate(a.value, scope, depth + 1);
	if (!v.ok) return fail(`\`${node.text}\` (line ${a.line}): ${v.reason}`);
	const what = a.kind === 'parameter-default' ? 'default of parameter' : 'from';
	return { ...v, notes: [`${what} \`${node.text}\` (line ${a.line})`, ...v.notes] };
}

/** `config.MODEL_PATH` where `import config` (or `from . import config`) names a sibling module. */
function siblingAttribute(node: SyntaxNode, scope: PyScope, depth: number): Evaluated | undefined {
	const obj = node.childForFieldName('object');
	const attr = node.childForFieldName('attribute')?.text;
	if (obj?.type !== 'identifier' || !attr) return undefined;
	const origin = scope.imports.get(obj.text);
	return origin ? fromSibling(origin, attr, node.text, scope, depth) : undefined;
}

function fromSibling(
	module: string,
	name: string,
	written: string,
	scope: PyScope,
	depth: number,
): Evaluated | undefined {
	if (!scope.siblings) return undefined;
	const hit = siblingConstant(scope, module, name);
	if (!hit) {
		const sib = scope.siblings.get(module.replace(/^\.+/, ''));
		return sib ? fail(`\`${written}\`: ${sib.file} does not assign \`${name}\` at module level`) : undefined;
	}
	const v = evaluate(hit.assignment.value, hit.scope, depth + 1);
	const where = `${hit.file} line ${hit.assignment.line}`;
	if (!v.ok) return fail(`\`${written}\` (${where}): ${v.reason}`);
	return { ...v, notes: [`from \`${name}\` in ${where}`, ...v.notes] };
}

/** The enclosing function that takes `name` as a parameter (without a default), or undefined. */
function parameterOf(use: SyntaxNode): string | undefined {
	for (let p = use.parent; p; p = p.parent) {
		if (p.type !== 'function_definition') continue;
		for (const param of p.childForFieldName('parameters')?.namedChildren ?? []) {
			const id = param?.type === 'identifier' ? param : param?.childForFieldName('name');
			const name =
				id?.type === 'identifier'
					? id.text
					: param?.namedChildren.find((c) => c?.type === 'identifier')?.text;
			if (name === use.text) return p.childForFieldName('name')?.text ?? 'the function';
		}
	}
	return undefined;
}

/** Follows names to the node that defines them (a dict literal, a `BitsAndBytesConfig(...)` call). */
export function resolveNode(
	node: SyntaxNode,
	scope: PyScope,
	depth = 0,
): { node: SyntaxNode; via: string[] } | { reason: string } {
	if (node.type !== 'identifier') return { node, via: [] };
	if (depth > MAX_DEPTH) return { reason: 'defined through too many names' };
	const a = lookup(scope, node.text, node);
	if (!a) return { reason: `\`${node.text}\` is not assigned in this file` };
	const r = resolveNode(a.value, scope, depth + 1);
	if ('reason' in r) return r;
	return { node: r.node, via: [`\`${node.text}\` (line ${a.line})`, ...r.via] };
}
