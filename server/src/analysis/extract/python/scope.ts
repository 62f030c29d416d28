/**
 * What a static reader can know about names in a Python file: which modules they were imported from,
 * and which simple assignments (`MODEL = "…"`, `max_len = 32 * 1024`) give them a value. Module-level
 * assignments count anywhere outside functions and classes (including `if __name__ == "__main__":`
 * blocks); inside a function its own assignments and parameter defaults shadow them.
 */
import type { SyntaxNode } from '../../parse/treeSitter';

export interface Assignment {
	name: string;
	/** The right-hand side. */
	value: SyntaxNode;
	/** 1-based line of the assignment, for notes. */
	line: number;
	offset: number;
	kind: 'assignment' | 'parameter-default';
}

export interface PyScope {
	/** Local name → dotted origin (`L` → `vllm.LLM`, `torch` → `torch`, `environ` → `os.environ`). */
	imports: Map<string, string>;
	module: Map<string, Assignment[]>;
	/** Per function node id: its assignments and parameter defaults. */
	functions: Map<number, Map<string, Assignment[]>>;
	/** argparse `add_argument` calls by destination (`--max-model-len` → `max_model_len`). */
	cliOptions: Map<string, CliOption>;
	/** Modules of the document's own folder it imports (`config` → its scope), read through the host. */
	siblings?: Map<string, { scope: PyScope; file: string }>;
}

export interface CliOption {
	option: string;
	default?: SyntaxNode;
	line: number;
}

const BLOCK_TYPES = new Set([
	'if_statement',
	'else_clause',
	'elif_clause',
	'for_statement',
	'while_statement',
	'with_statement',
	'try_statement',
	'except_clause',
	'finally_clause',
	'block',
	'expression_statement',
	'decorated_definition',
]);

function addImport(node: SyntaxNode, imports: Map<string, string>): void {
	if (node.type === 'import_statement') {
		for (const n of node.childrenForFieldName('name')) {
			if (!n) continue;
			if (n.type === 'aliased_import') {
				const alias = n.childForFieldName('alias')?.text;
				const name = n.childForFieldName('name')?.text;
				if (alias && name) imports.set(alias, name);
			} else {
				// `import vllm.entrypoints` binds `vllm`.
				const root = n.text.split('.')[0];
				imports.set(root, root);
			}
		}
		return;
	}
	const mod = node.childForFieldName('module_name')?.text;
	if (!mod) return;
	// `from . import settings` binds settings → .settings; `from .config import X` binds X → .config.X.
	if (mod.startsWith('.') && !/^\.[A-Za-z_][\w.]*$|^\.$/.test(mod)) return;
	const prefix = mod === '.' ? '.' : `${mod}.`;
	for (const n of node.childrenForFieldName('name')) {
		if (!n) continue;
		if (n.type === 'aliased_import') {
			const alias = n.childForFieldName('alias')?.text;
			const name = n.childForFieldName('name')?.text;
			if (alias && name) imports.set(alias, `${prefix}${name}`);
		} else imports.set(n.text, `${prefix}${n.text}`);
	}
}

function record(map: Map<string, Assignment[]>, a: Assignment): void {
	const list = map.get(a.name);
	if (list) list.push(a);
	else map.set(a.name, [a]);
}

/** Simple `name = value` / `name: T = value` assignments in a block, not descending into defs. */
function collectAssignments(block: SyntaxNode, out: Map<string, Assignment[]>): void {
	for (const child of block.namedChildren) {
		if (!child) continue;
		if (child.type === 'assignment') {
			const left = child.childForFieldName('left');
			const right = child.childForFieldName('right');
			if (left?.type === 'identifier' && right && right.type !== 'assignment')
				record(out, {
					name: left.text,
					value: right,
					line: child.startPosition.row + 1,
					offset: child.startIndex,
					kind: 'assignment',
				});
		} else if (BLOCK_TYPES.has(child.type)) collectAssignments(child, out);
	}
}

function collectParameters(fn: SyntaxNode, out: Map<string, Assignment[]>): void {
	const params = fn.childForFieldName('parameters');
	for (const p of params?.namedChildren ?? []) {
		if (!p || (p.type !== 'default_parameter' && p.type !== 'typed_default_parameter')) continue;
		const name = p.childForFieldName('name');
		const value = p.childForFieldName('value');
		if (name?.type === 'identifier' && value)
			record(out, {
				name: name.text,
				value,
				line: p.startPosition.row + 1,
				offset: p.startIndex,
				kind: 'parameter-default',
			});
	}
}

export function buildScope(root: SyntaxNode): PyScope {
	const imports = new Map<string, string>();
	for (const n of root.descendantsOfType(['import_statement', 'import_from_statement']))
		if (n) addImport(n, imports);
	const module = new Map<string, Assignment[]>();
	collectAssignments(root, module);
	const functions = new Map<number, Map<string, Assignment[]>>();
	for (const fn of root.descendantsOfType('function_definition')) {
		if (!fn) continue;
		const local = new Map<string, Assignment[]>();
		collectParameters(fn, local);
		const body = fn.childForFieldName('body');
		if (body) collectAssignments(body, local);
		functions.set(fn.id, local);
	}
	return { imports, module, functions, cliOptions: collectCliOptions(root) };
}

/** `parser.add_argument("--max-model-len", type=int, default=4096)` → max_model_len. */
function collectCliOptions(root: SyntaxNode): Map<string, CliOption> {
	const out = new Map<string, CliOption>();
	for (const call of root.descendantsOfType('call')) {
		const fn = call?.childForFieldName('function');
		if (!call || fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'add_argument')
			continue;
		const names: string[] = [];
		let dest: string | undefined;
		let dflt: SyntaxNode | undefined;
		for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
			if (a?.type === 'string') names.push(a.text.slice(1, -1));
			else if (a?.type === 'keyword_argument') {
				const k = a.childForFieldName('name')?.text;
				const v = a.childForFieldName('value');
				if (k === 'default' && v) dflt = v;
				if (k === 'dest' && v?.type === 'string') dest = v.text.slice(1, -1);
			}
		}
		const long = names.find((n) => n.startsWith('--')) ?? names.find((n) => !n.startsWith('-'));
		if (!long) continue;
		dest ??= long.replace(/^-+/, '').replace(/-/g, '_');
		out.set(dest, { option: long, default: dflt, line: call.startPosition.row + 1 });
	}
	return out;
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
	for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p;
	return undefined;
}

/** `NAME`'s last module-level assignment in a sibling module, with the module's scope and file. */
export function siblingConstant(
	scope: PyScope,
	module: string,
	name: string,
): { assignment: Assignment; scope: PyScope; file: string } | undefined {
	const sib = scope.siblings?.get(module.replace(/^\.+/, ''));
	const list = sib?.scope.module.get(name);
	const a = list?.[list.length - 1];
	return a && sib ? { assignment: a, scope: sib.scope, file: sib.file } : undefined;
}

/** The assignment that gives `name` its value where `use` is: the last one before it, innermost scope first. */
export function lookup(scope: PyScope, name: string, use: SyntaxNode): Assignment | undefined {
	for (let fn = enclosingFunction(use); fn; fn = enclosingFunction(fn)) {
		const found = lastBefore(scope.functions.get(fn.id)?.get(name), use.startIndex);
		if (found) return found;
	}
	// Module names are visible in functions whatever the order; at module level only earlier ones count.
	const list = scope.module.get(name);
	if (!list) return undefined;
	return enclosingFunction(use) ? list[list.length - 1] : lastBefore(list, use.startIndex);
}

function lastBefore(list: Assignment[] | undefined, offset: number): Assignment | undefined {
	let best: Assignment | undefined;
	for (const a of list ?? []) if (a.offset < offset && (!best || a.offset > best.offset)) best = a;
	return best;
}

/** Dotted origin of a callee or attribute (`L` → `vllm.LLM`, `vllm.LLM`, `Llama.from_pretrained` → `llama_cpp.Llama.from_pretrained`). */
export function qualify(node: SyntaxNode | null | undefined, scope: PyScope): string | undefined {
	if (!node) return undefined;
	if (node.type === 'identifier') return scope.imports.get(node.text);
	if (node.type === 'attribute') {
		const base = qualify(node.childForFieldName('object'), scope);
		const attr = node.childForFieldName('attribute')?.text;
		return base && attr ? `${base}.${attr}` : undefined;
	}
	return undefined;
}
