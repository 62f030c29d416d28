// Reads argparse declarations out of Python sources: `add_argument("--x", "-y", type=…, action=…)`
// calls (vLLM arg_utils.py, SGLang server_args.py before 2026), dataclass fields that become flags
// (vLLM's frontend dataclasses in cli_args.py, SGLang's `A[T, Arg(aliases=…)]` fields), and the
// dataclass annotations that decide a flag's value kind when the call only passes `**kwargs["field"]`.
import { calls, skipString, splitTop, stringLiteral, stringList } from './source.mjs';

const flagName = (field) => '--' + field.replace(/_/g, '-');

/** `name: annotation = default` lines of one class body, by field name (multi-line annotations joined). */
export function classFields(text, className) {
	const start = text.search(new RegExp(`^class ${className}\\b.*:`, 'm'));
	if (start < 0) return new Map();
	const lines = text.slice(start).split('\n').slice(1);
	const fields = new Map();
	let inDocstring = false;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (/^\S/.test(line) && line.trim()) break;
		// Field docstrings can hold lines like `Warning: …` that are not fields.
		const quotes = (line.match(/"""|'''/g) ?? []).length;
		const wasIn = inDocstring;
		if (quotes % 2 === 1) inDocstring = !inDocstring;
		if (wasIn || quotes > 0) continue;
		const m = /^ {4}(\w+)\s*:\s*(.*)$/.exec(line);
		if (!m || m[1].startsWith('_')) continue;
		// Join continuation lines until the brackets of the annotation close.
		let rest = m[2];
		while (depth(rest) > 0 && i + 1 < lines.length) rest += ' ' + lines[++i].trim();
		fields.set(m[1], annotationOf(rest));
	}
	return fields;
}

function depth(s) {
	let d = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '"' || c === "'") i = skipString(s, i) - 1;
		else if ('([{'.includes(c)) d++;
		else if (')]}'.includes(c)) d--;
	}
	return d;
}

/** The annotation part of `annotation = default`: up to the first `=` outside brackets and strings. */
function annotationOf(s) {
	let d = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '"' || c === "'") i = skipString(s, i) - 1;
		else if ('([{'.includes(c)) d++;
		else if (')]}'.includes(c)) d--;
		else if (c === '=' && d === 0 && s[i + 1] !== '=') return s.slice(0, i).trim();
	}
	return s.trim();
}

/** The value kind argparse gives a field of this annotation (vLLM's get_kwargs rules). */
export function kindOfAnnotation(annotation) {
	const a = annotation.replace(/\s+/g, '');
	const parts = topUnion(a);
	if (parts.some((p) => p === 'bool')) return 'bool';
	if (parts.some((p) => /^(list|tuple|set|List|Tuple|Set)\b/.test(p))) return 'list';
	return 'value';
}

function topUnion(a) {
	const inner = /^Optional\[(.*)\]$/.exec(a)?.[1] ?? /^\((.*)\)$/.exec(a)?.[1] ?? a;
	const out = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < inner.length; i++) {
		const c = inner[i];
		if (c === '[' || c === '(') depth++;
		else if (c === ']' || c === ')') depth--;
		else if (c === '|' && depth === 0) {
			out.push(inner.slice(start, i));
			start = i + 1;
		}
	}
	out.push(inner.slice(start));
	return out.flatMap((p) => (/^Union\[(.*)\]$/.test(p) ? splitTop(p.slice(6, -1)) : [p]));
}

/** One flag as declared: its spellings, value kind and deprecation. */
function declaration(spellings, kind, extra = {}) {
	return { spellings, kind, ...extra };
}

/**
 * Flags from `…add_argument(…)` calls. `fieldKinds` gives the kind of a `**xxx_kwargs["field"]`
 * argument; `kwargsField` maps the flag to the EngineArgs field whose annotation decides it.
 */
export function argparseFlags(text, fieldKinds = new Map()) {
	const out = [];
	for (const call of calls(text, 'add_argument')) {
		const items = splitTop(call.args);
		let spellings = items.map(stringLiteral).filter((s) => s?.startsWith('-'));
		// `for arg, type in [("--a", str), …]: group.add_argument(arg, …)`
		if (!spellings.length && items[0] === 'arg') {
			const loop = text.slice(Math.max(0, call.at - 600), call.at);
			const list = /for\s+arg,\s*type\s+in\s*\[([\s\S]*?)\]\s*:\s*[\w.]*$/.exec(loop);
			if (!list) continue;
			for (const tuple of splitTop(list[1])) {
				const [name] = splitTop(tuple.slice(1, -1)).map(stringLiteral);
				if (name) out.push(declaration([name], 'value', deprecation(call.args, text, call.at)));
			}
			continue;
		}
		if (!spellings.length) continue;
		const kw = Object.fromEntries(
			items
				.filter((i) => /^\w+\s*=/.test(i))
				.map((i) => [i.slice(0, i.indexOf('=')).trim(), i.slice(i.indexOf('=') + 1).trim()]),
		);
		const spread = items.map((i) => /^\*\*\w+\[["'](\w+)["']\]$/.exec(i)?.[1]).find(Boolean);
		const own = spellings
			.find((s) => s.startsWith('--'))
			?.replace(/^--/, '')
			.replace(/-/g, '_');
		let kind = 'value';
		if (/store_true|store_false|store_const/.test(kw.action ?? '')) kind = 'switch';
		else if (/BooleanOptionalAction/.test(kw.action ?? '')) kind = 'bool';
		else if (kw.nargs === '"?"' || kw.nargs === "'?'") kind = 'optional';
		else if (kw.nargs) kind = 'list';
		else if (!kw.type && spread) kind = fieldKinds.get(own) ?? fieldKinds.get(spread) ?? 'value';
		out.push(declaration(spellings, kind, deprecation(call.args, text, call.at)));
	}
	return out;
}

/** `deprecated=True` (and a "removed in vX" in its help or the help set just before the call). */
function deprecation(args, text, at) {
	if (!/deprecated\s*=\s*True/.test(args) && !/\[DEPRECATED\]/.test(args)) return {};
	const near = args + text.slice(Math.max(0, at - 400), at);
	const removedIn = /removed in v?(\d+\.\d+(?:\.\d+)?)/.exec(near)?.[1];
	return { deprecated: removedIn ? { removedIn } : {} };
}

/** Dataclass fields that all become `--field-name` flags (vLLM's FrontendArgs classes). */
export function dataclassFlags(text, classNames) {
	const out = [];
	for (const cls of classNames)
		for (const [field, annotation] of classFields(text, cls))
			out.push(declaration([flagName(field)], kindOfAnnotation(annotation)));
	return out;
}

/** SGLang's annotated fields: `name: A[T, "help" | Arg(help=…, aliases=[…], action=…), NS(…)] = …`. */
export function annotatedFlags(text, className) {
	const out = [];
	for (const [field, annotation] of classFields(text, className)) {
		const m = /^A\[(.*)\]$/.exec(annotation.trim());
		if (!m) continue;
		const items = splitTop(m[1]);
		const type = items[0].replace(/\s+/g, '');
		const arg = items.find((i) => i.startsWith('Arg('));
		if (arg && /no_cli\s*=\s*True/.test(arg)) continue;
		if (/Callable/.test(type)) continue;
		const argItems = arg ? splitTop(arg.slice(4, -1)) : [];
		const kw = Object.fromEntries(
			argItems
				.filter((i) => /^\w+\s*=/.test(i))
				.map((i) => [i.slice(0, i.indexOf('=')).trim(), i.slice(i.indexOf('=') + 1).trim()]),
		);
		const aliases = kw.aliases ? (stringList(kw.aliases) ?? []) : [];
		let kind = kindOfAnnotation(type);
		if (kind === 'bool') kind = /BooleanOptionalAction/.test(kw.action ?? '') ? 'bool' : 'switch';
		if (kw.nargs) kind = 'list';
		const help = items.map(stringLiteral).find(Boolean) ?? '';
		const dep = /^\(Deprecated/i.test(help) ? { deprecated: {} } : {};
		out.push(declaration([flagName(field), ...aliases], kind, dep));
	}
	return out;
}
