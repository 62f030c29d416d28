/**
 * Static values in JS/TS: literals, templates of known names, `const`/`let` initialisers found by name,
 * class fields read through `this.x` / `Class.x` (the PipelineSingleton pattern of the transformers.js
 * examples), simple arithmetic and concatenation, `process.env.X ?? 'default'` (the default, said out
 * loud), and object literals with spreads. Nothing is executed; anything else is an unknown with a reason.
 */
import type * as TsMorph from 'ts-morph';
import type { TM } from './project';

type Node = TsMorph.Node;
export type JsValue = string | number | boolean | null;
export type JsEval = { ok: true; value: JsValue; notes: string[] } | { ok: false; reason: string };

const MAX_DEPTH = 12;

function line(n: Node): number {
	return n.getStartLineNumber();
}

/** Strips `(x)`, `x as T`, `<T>x`, `x!`, `x satisfies T`. */
export function unwrap(n: Node, tm: TM): Node {
	let e = n;
	for (;;) {
		if (
			tm.Node.isParenthesizedExpression(e) ||
			tm.Node.isAsExpression(e) ||
			tm.Node.isTypeAssertion(e) ||
			tm.Node.isNonNullExpression(e) ||
			tm.Node.isSatisfiesExpression(e)
		)
			e = e.getExpression();
		else return e;
	}
}

// Declarations by name for the file being read: one walk per file instead of one per identifier.
let declCache: { sf: TsMorph.SourceFile; byName: Map<string, TsMorph.VariableDeclaration[]> } | undefined;

/** Forget the previous file's declarations (called before each file is read). */
export function clearDeclarationCache(): void {
	declCache = undefined;
}

function declarationsNamed(name: string, sf: TsMorph.SourceFile, tm: TM): TsMorph.VariableDeclaration[] {
	if (declCache?.sf !== sf) {
		const byName = new Map<string, TsMorph.VariableDeclaration[]>();
		for (const d of sf.getDescendantsOfKind(tm.SyntaxKind.VariableDeclaration)) {
			const list = byName.get(d.getName());
			if (list) list.push(d);
			else byName.set(d.getName(), [d]);
		}
		declCache = { sf, byName };
	}
	return declCache.byName.get(name) ?? [];
}

/** The initializer the name refers to at `use`: the nearest declaration in an enclosing scope. */
export function declarationOf(
	name: string,
	use: Node,
	tm: TM,
): { init: Node; line: number; what: string } | undefined {
	let best: TsMorph.VariableDeclaration | undefined;
	let bestDepth = -1;
	for (const d of declarationsNamed(name, use.getSourceFile(), tm)) {
		if (!d.getInitializer()) continue;
		// The declaration's scope must contain the use; the deepest such scope wins (shadowing).
		const scope = d.getFirstAncestor(
			(a) => tm.Node.isBlock(a) || tm.Node.isSourceFile(a) || tm.Node.isCaseClause(a),
		);
		if (!scope || use.getPos() < scope.getPos() || use.getEnd() > scope.getEnd()) continue;
		const depth = scope.getAncestors().length;
		if (depth > bestDepth) {
			best = d;
			bestDepth = depth;
		}
	}
	if (!best) return undefined;
	const kind = best.getVariableStatement()?.getDeclarationKind() ?? 'const';
	return { init: best.getInitializer()!, line: line(best), what: `${kind} \`${name}\`` };
}

/** `this.model` / `MyClass.model` inside or naming a class → that class field's initializer. */
function classField(
	n: TsMorph.PropertyAccessExpression,
	tm: TM,
): { init: Node; line: number; what: string } | undefined {
	const obj = n.getExpression();
	let cls: TsMorph.ClassDeclaration | TsMorph.ClassExpression | undefined;
	if (obj.getKind() === tm.SyntaxKind.ThisKeyword)
		cls = n.getFirstAncestor(
			(a) => tm.Node.isClassDeclaration(a) || tm.Node.isClassExpression(a),
		) as typeof cls;
	else if (tm.Node.isIdentifier(obj)) cls = n.getSourceFile().getClass(obj.getText());
	const prop = cls?.getProperty(n.getName());
	const init = prop?.getInitializer();
	return prop && init ? { init, line: line(prop), what: `field \`${n.getText()}\`` } : undefined;
}

function arith(op: string, a: JsValue, b: JsValue): JsValue | undefined {
	if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return `${a}${b}`;
	if (typeof a !== 'number' || typeof b !== 'number') return undefined;
	const r: Record<string, number> = {
		'+': a + b,
		'-': a - b,
		'*': a * b,
		'/': a / b,
		'%': a % b,
		'**': a ** b,
	};
	const v = r[op];
	return v !== undefined && Number.isFinite(v) ? v : undefined;
}

export function evaluate(node: Node, tm: TM, depth = 0): JsEval {
	if (depth > MAX_DEPTH) return { ok: false, reason: 'defined through too many names' };
	const n = unwrap(node, tm);
	const K = tm.SyntaxKind;
	if (tm.Node.isStringLiteral(n) || tm.Node.isNoSubstitutionTemplateLiteral(n))
		return { ok: true, value: n.getLiteralValue(), notes: [] };
	if (tm.Node.isNumericLiteral(n)) return { ok: true, value: n.getLiteralValue(), notes: [] };
	if (n.getKind() === K.TrueKeyword) return { ok: true, value: true, notes: [] };
	if (n.getKind() === K.FalseKeyword) return { ok: true, value: false, notes: [] };
	if (n.getKind() === K.NullKeyword) return { ok: true, value: null, notes: [] };
	if (tm.Node.isPrefixUnaryExpression(n) && n.getOperatorToken() === K.MinusToken) {
		const v = evaluate(n.getOperand(), tm, depth + 1);
		if (!v.ok) return v;
		return typeof v.value === 'number'
			? { ...v, value: -v.value }
			: { ok: false, reason: `\`${n.getText()}\` is not a number` };
	}
	if (tm.Node.isTemplateExpression(n)) {
		let out = n.getHead().getLiteralText();
		const notes: string[] = [];
		for (const span of n.getTemplateSpans()) {
			const v = evaluate(span.getExpression(), tm, depth + 1);
			if (!v.ok) return v;
			notes.push(...v.notes);
			out += String(v.value) + span.getLiteral().getLiteralText();
		}
		return { ok: true, value: out, notes };
	}
	if (tm.Node.isBinaryExpression(n)) return evalBinary(n, tm, depth);
	if (tm.Node.isIdentifier(n)) {
		const d = declarationOf(n.getText(), n, tm);
		if (!d) return { ok: false, reason: `\`${n.getText()}\` is not given a value in this file` };
		return via(d, evaluate(d.init, tm, depth + 1));
	}
	if (tm.Node.isPropertyAccessExpression(n)) {
		if (/^process\.env\./.test(n.getText()))
			return { ok: false, reason: `read from the environment at run time (\`${n.getText()}\`)` };
		const f = classField(n, tm);
		if (f) return via(f, evaluate(f.init, tm, depth + 1));
	}
	return { ok: false, reason: `\`${n.getText().slice(0, 60)}\` is known only at run time` };
}

function via(d: { line: number; what: string }, v: JsEval): JsEval {
	if (!v.ok) return { ok: false, reason: `${d.what} (line ${d.line}): ${v.reason}` };
	return { ...v, notes: [`from ${d.what} (line ${d.line})`, ...v.notes] };
}

function evalBinary(n: TsMorph.BinaryExpression, tm: TM, depth: number): JsEval {
	const op = n.getOperatorToken().getText();
	if (op === '??' || op === '||') {
		const left = unwrap(n.getLeft(), tm);
		if (/^process\.env\.\w+$|^process\.env\[/.test(left.getText())) {
			const d = evaluate(n.getRight(), tm, depth + 1);
			if (!d.ok) return d;
			return {
				...d,
				notes: [...d.notes, `${left.getText()} overrides this at run time; the default is shown`],
			};
		}
		return { ok: false, reason: `\`${n.getText().slice(0, 60)}\` depends on run-time values` };
	}
	const a = evaluate(n.getLeft(), tm, depth + 1);
	if (!a.ok) return a;
	const b = evaluate(n.getRight(), tm, depth + 1);
	if (!b.ok) return b;
	const v = arith(op, a.value, b.value);
	return v === undefined
		? { ok: false, reason: `cannot evaluate \`${n.getText()}\`` }
		: { ok: true, value: v, notes: [...a.notes, ...b.notes] };
}

export interface Prop {
	name: string;
	keyNode: Node;
	valueNode: Node;
	/** How the property reached the call: through a variable or a spread. */
	via?: string;
}

/**
 * The properties of an options object as the callee sees them: literal properties, shorthands,
 * and spreads of objects this file defines, later ones overriding earlier ones.
 */
export function objectProps(
	node: Node,
	tm: TM,
	depth = 0,
	viaNote?: string,
): { props: Map<string, Prop>; unknowns: string[] } {
	const out = { props: new Map<string, Prop>(), unknowns: [] as string[] };
	if (depth > MAX_DEPTH) return out;
	let n = unwrap(node, tm);
	let note = viaNote;
	if (tm.Node.isIdentifier(n)) {
		const d = declarationOf(n.getText(), n, tm);
		if (!d) {
			out.unknowns.push(`\`${n.getText()}\` is not given a value in this file`);
			return out;
		}
		note = [viaNote, `from ${d.what} (line ${d.line})`].filter(Boolean).join(' → ');
		n = unwrap(d.init, tm);
	}
	if (!tm.Node.isObjectLiteralExpression(n)) {
		out.unknowns.push(`\`${n.getText().slice(0, 60)}\` is not an object literal in this file`);
		return out;
	}
	for (const p of n.getProperties()) {
		if (tm.Node.isPropertyAssignment(p)) {
			const nameNode = p.getNameNode();
			const name = tm.Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
			const init = p.getInitializer();
			if (init) out.props.set(name, { name, keyNode: nameNode, valueNode: init, via: note });
		} else if (tm.Node.isShorthandPropertyAssignment(p)) {
			out.props.set(p.getName(), {
				name: p.getName(),
				keyNode: p.getNameNode(),
				valueNode: p.getNameNode(),
				via: note,
			});
		} else if (tm.Node.isSpreadAssignment(p)) {
			const inner = objectProps(
				p.getExpression(),
				tm,
				depth + 1,
				[note, `spread \`...${p.getExpression().getText()}\``].filter(Boolean).join(' → '),
			);
			for (const [k, v] of inner.props) out.props.set(k, v);
			out.unknowns.push(...inner.unknowns);
		}
	}
	return out;
}
