/**
 * Which local names refer to transformers.js: named imports (with aliases), namespace and default
 * imports, `require()` and `await import()` with or without destructuring, for `@huggingface/transformers`
 * (v3+) and the legacy `@xenova/transformers` (v2), including CDN URLs of either.
 */
import type * as TsMorph from 'ts-morph';
import type { Setting } from '../../types';
import type { TM } from './project';

export interface Bindings {
	/** Local name → exported name (`P` → `pipeline`). */
	names: Map<string, string>;
	/** Local names bound to the whole module (`T` in `T.pipeline`). */
	namespaces: Set<string>;
	/** True when any binding comes from `@xenova/transformers` (v2: no dtype/device options). */
	legacy: boolean;
	/** Module specifiers this file imports, for the browser/Node guess. */
	specifiers: string[];
	/** The library version a CDN URL pins (`…/@huggingface/transformers@3.0.2`). */
	version?: Setting<string>;
}

const CDN_VERSION = /@(?:huggingface|xenova)\/transformers@(\d+\.\d+(?:\.\d+)?[\w.-]*)/;

/** The version in a CDN specifier, with the span of just the version inside the string literal. */
function versionOf(lit: TsMorph.Node, spec: string): Setting<string> | undefined {
	const m = CDN_VERSION.exec(spec);
	if (!m) return undefined;
	const at = lit.getStart() + 1 + m.index + m[0].length - m[1].length;
	return {
		value: m[1],
		source: 'file',
		span: { offset: at, length: m[1].length },
		note: 'pinned by the import URL',
	};
}

const PACKAGE = /(?:^|\/)@(huggingface|xenova)\/transformers(?:@[^/]*)?(?:\/|$)/;

export function isTransformersSpecifier(spec: string): 'v3' | 'v2' | undefined {
	const m = PACKAGE.exec(spec);
	return m ? (m[1] === 'xenova' ? 'v2' : 'v3') : undefined;
}

/** `require('x')` / `await import('x')` / `import('x')` → 'x'. */
function moduleOf(expr: TsMorph.Node | undefined, tm: TM): string | undefined {
	let e = expr;
	while (e && (tm.Node.isAwaitExpression(e) || tm.Node.isParenthesizedExpression(e))) e = e.getExpression();
	if (!e || !tm.Node.isCallExpression(e)) return undefined;
	const callee = e.getExpression();
	const isRequire = tm.Node.isIdentifier(callee) && callee.getText() === 'require';
	const isImport = callee.getKind() === tm.SyntaxKind.ImportKeyword;
	const arg = e.getArguments()[0];
	if ((isRequire || isImport) && arg && tm.Node.isStringLiteral(arg)) return arg.getLiteralValue();
	return undefined;
}

/**
 * ts-morph getters throw on trees the parser had to patch up (an import whose specifier is missing);
 * each declaration is read on its own so one broken line costs only itself.
 */
function tolerant(fn: () => void): void {
	try {
		fn();
	} catch {
		// A malformed declaration binds nothing we can trust.
	}
}

function addImport(imp: TsMorph.ImportDeclaration, b: Bindings, tm: TM): void {
	const lit = imp.compilerNode.moduleSpecifier;
	if (!tm.ts.isStringLiteral(lit)) return;
	const spec = lit.text;
	b.specifiers.push(spec);
	const v = isTransformersSpecifier(spec);
	if (!v) return;
	if (v === 'v2') b.legacy = true;
	b.version ??= versionOf(imp.getModuleSpecifier(), spec);
	const ns = imp.getNamespaceImport();
	if (ns) b.namespaces.add(ns.getText());
	const def = imp.getDefaultImport();
	if (def) b.namespaces.add(def.getText());
	for (const n of imp.getNamedImports()) b.names.set(n.getAliasNode()?.getText() ?? n.getName(), n.getName());
}

function addRequire(decl: TsMorph.VariableDeclaration, b: Bindings, tm: TM): void {
	const spec = moduleOf(decl.getInitializer(), tm);
	if (!spec) return;
	b.specifiers.push(spec);
	const v = isTransformersSpecifier(spec);
	if (!v) return;
	if (v === 'v2') b.legacy = true;
	const name = decl.getNameNode();
	if (tm.Node.isIdentifier(name)) b.namespaces.add(name.getText());
	else if (tm.Node.isObjectBindingPattern(name))
		for (const el of name.getElements()) {
			const prop = el.getPropertyNameNode()?.getText() ?? el.getName();
			b.names.set(el.getName(), prop);
		}
}

export function collectBindings(sf: TsMorph.SourceFile, tm: TM): Bindings {
	const b: Bindings = { names: new Map(), namespaces: new Set(), legacy: false, specifiers: [] };
	for (const imp of sf.getImportDeclarations()) tolerant(() => addImport(imp, b, tm));
	for (const decl of sf.getDescendantsOfKind(tm.SyntaxKind.VariableDeclaration))
		tolerant(() => addRequire(decl, b, tm));
	return b;
}

/** The exported name an expression refers to (`P` → `pipeline`, `T.env` → `env`), or undefined. */
export function exportedName(expr: TsMorph.Node, b: Bindings, tm: TM): string | undefined {
	if (tm.Node.isIdentifier(expr)) return b.names.get(expr.getText());
	if (tm.Node.isPropertyAccessExpression(expr)) {
		const obj = expr.getExpression();
		if (tm.Node.isIdentifier(obj) && b.namespaces.has(obj.getText())) return expr.getName();
	}
	return undefined;
}
