/**
 * Text edits in the file's own syntax: replace a value where it is written, or insert a new flag, key or
 * keyword argument next to the model argument. Each builder returns undefined when it cannot place the
 * edit safely; the rule then offers no fix rather than a broken one.
 */
import type { Setting, Span, TextEdit, Workload } from '../types';
import type { FixableSetting } from './spelling';
import { spellingFor, usesShortFlags, usesUnderscores } from './spelling';

const QUOTES = new Set(['"', "'", '`']);

/** Replaces a setting's value, keeping its quotes and any `${VAR:-default}` wrapper around it. */
export function replaceValue(
	text: string,
	setting: Setting<unknown>,
	newValue: string | number,
): TextEdit | undefined {
	const span = setting.span;
	if (!span) return undefined;
	const written = text.slice(span.offset, span.offset + span.length);
	const next = String(newValue);
	// Quoted literal: edit inside the quotes.
	if (written.length >= 2 && QUOTES.has(written[0]) && written.at(-1) === written[0]) {
		return { span: { offset: span.offset + 1, length: span.length - 2 }, newText: next };
	}
	// Shell default inside a variable reference: `${MAX_LEN:-8192}` keeps the variable.
	const dflt = /\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=]([^}]*)\}/.exec(written);
	if (dflt) {
		const start = span.offset + dflt.index + dflt[0].length - 1 - dflt[1].length;
		return { span: { offset: start, length: dflt[1].length }, newText: next };
	}
	// `--flag=value` or `key: value` captured whole: edit the value part only.
	const valueText = setting.raw ?? String(setting.value);
	const at = written.lastIndexOf(valueText);
	if (at > 0 && written.indexOf(valueText) === at) {
		return { span: { offset: span.offset + at, length: valueText.length }, newText: next };
	}
	return { span, newText: next };
}

/** Sets a setting: in place when the file writes it, else inserted next to the model argument. */
export function setSetting(
	text: string,
	workload: Workload,
	name: FixableSetting,
	value: string | number,
): TextEdit[] | undefined {
	const existing = workload.settings[name];
	if (existing?.source === 'file' && existing.span) {
		const edit = replaceValue(text, existing, value);
		if (!edit) return undefined;
		// llama.cpp writes the KV type twice (K and V); keep both in step.
		const twin = name === 'kvCacheDtype' ? kvTwin(workload, existing.span) : undefined;
		return twin ? [edit, { span: twin, newText: String(value) }] : [edit];
	}
	const edit = insertSetting(text, workload, name, value);
	return edit ? [edit] : undefined;
}

/** The V-cache flag's value when llama.cpp sets K and V separately. */
function kvTwin(workload: Workload, kSpan: Span): Span | undefined {
	const v = workload.flags.find(
		(f) =>
			(f.canonical === 'cache-type-v' || /^(-ctv|--cache[-_]type[-_]v)$/.test(f.name)) &&
			f.valueSpan &&
			f.valueSpan.offset !== kSpan.offset,
	);
	return v?.valueSpan;
}

/** Inserts a flag/key/kwarg that the file does not write yet. */
export function insertSetting(
	text: string,
	workload: Workload,
	name: FixableSetting,
	value: string | number,
): TextEdit | undefined {
	const spelling = spellingFor(workload.framework, name);
	const model = workload.model.span;
	if (!spelling || !model) return undefined;
	const anchor = afterValue(text, model);
	// The model may be written elsewhere (`MODEL=…` above the command, a Python constant): CLI flags then go
	// at the end of the command itself, never next to the assignment.
	const outside = !within(model, workload.span);
	switch (workload.syntax) {
		case 'cli':
		case 'yaml':
		case 'json': {
			const flags = cliFlags(workload, spelling.cli, spelling.short);
			if (!flags)
				return workload.syntax === 'yaml' ? insertYamlKey(text, workload, spelling.yaml, value) : undefined;
			if (outside) return appendToCommand(text, workload, flags, value);
			return insertArgs(text, workload, anchor, flags, value, spelling.yaml);
		}
		case 'python':
			return spelling.python
				? insertKwarg(text, workload, anchor, `${spelling.python}=${pyValue(text, model, value)}`)
				: undefined;
		case 'typescript':
			return spelling.typescript
				? insertJsOption(text, anchor, model, spelling.typescript, value)
				: undefined;
		case 'modelfile': {
			if (!spelling.modelfile) return undefined;
			const keyword = /^\s*from\b/.test(lineOf(text, model.offset).text) ? 'parameter' : 'PARAMETER';
			return {
				span: { offset: lineEnd(text, model.offset), length: 0 },
				newText: `\n${keyword} ${spelling.modelfile} ${value}`,
			};
		}
		case 'env': {
			if (!spelling.env) return undefined;
			const lines = spelling.env.map((k) => `\n${k}=${value}`).join('');
			return { span: { offset: lineEnd(text, model.offset), length: 0 }, newText: lines };
		}
	}
}

function cliFlags(workload: Workload, long?: string[], short?: string[]): string[] | undefined {
	const flags = short && usesShortFlags(workload) ? short : long;
	if (!flags) return undefined;
	return usesUnderscores(workload) ? flags.map((f) => f.replace(/(?<=^--.*)-/g, '_')) : flags;
}

/**
 * CLI arguments after the model, in whatever container holds them: a plain command line (also inside a
 * YAML/Compose string), a JSON-array CMD or YAML flow list, a YAML block list, or a `--config` YAML map.
 */
function insertArgs(
	text: string,
	workload: Workload,
	anchor: number,
	flags: string[],
	value: string | number,
	yamlKey?: string,
): TextEdit | undefined {
	const model = workload.model.span as Span;
	const line = lineOf(text, model.offset);
	const before = text.slice(line.start, model.offset);
	const quote = quoteAround(text, model);
	// YAML block list item that holds only the model (`- meta-llama/…` or `- --model=…`).
	const item = /^(\s*)-\s+["']?(--model[= ])?$/.exec(before);
	if (item) {
		// Follow the list's style: `- --flag=value` items, or the flag and its value as two items.
		const end = lineEnd(text, model.offset);
		const joined = /^\r?\n\s*-\s+["']?--[\w-]+=/.test(text.slice(end));
		const tokens = joined ? flags.map((f) => `${f}=${value}`) : flags.flatMap((f) => [f, String(value)]);
		const items = tokens.map((t) => `\n${item[1]}- ${quote}${t}${quote}`);
		return { span: { offset: lineEnd(text, model.offset), length: 0 }, newText: items.join('') };
	}
	// `model: …` in a vLLM `--config` YAML file.
	if (/^\s*[\w.-]+\s*:\s*["']?$/.test(before)) {
		return insertYamlKey(text, workload, yamlKey, value);
	}
	// JSON-array CMD / YAML flow sequence: `["vllm", "serve", "m", …]`.
	const next = /^\s*([,\]])/.exec(text.slice(anchor));
	if (next) {
		const items = flags.flatMap((f) => [f, String(value)]).map((t) => `, ${quote}${t}${quote}`);
		return { span: { offset: anchor, length: 0 }, newText: items.join('') };
	}
	return { span: { offset: anchor, length: 0 }, newText: flags.map((f) => ` ${f} ${value}`).join('') };
}

function within(inner: Span, outer: Span): boolean {
	return inner.offset >= outer.offset && inner.offset + inner.length <= outer.offset + outer.length;
}

/** Flags appended at the end of a plain command line; JSON arrays and YAML lists get no fix this way. */
function appendToCommand(text: string, workload: Workload, flags: string[], value: string | number) {
	if (workload.syntax !== 'cli') return undefined;
	const body = text.slice(workload.span.offset, workload.span.offset + workload.span.length);
	if (/^\s*\[/.test(body)) return undefined;
	const trimmed = body.replace(/[\s\\]+$/, '');
	const at = workload.span.offset + trimmed.length;
	return { span: { offset: at, length: 0 }, newText: flags.map((f) => ` ${f} ${value}`).join('') };
}

/** A new key on the line after `model:`, same indentation, spelled like the file's other keys. */
function insertYamlKey(text: string, workload: Workload, key: string | undefined, value: string | number) {
	const model = workload.model.span;
	if (!key || !model) return undefined;
	const line = lineOf(text, model.offset);
	const m = /^(\s*)([\w.-]+)\s*:/.exec(line.text);
	// Only the vLLM config file's own `model:` key; Helm values (`modelURL:`) have no place for raw flags.
	if (!m || m[2] !== 'model') return undefined;
	const spelled = usesUnderscores(workload) ? key.replace(/-/g, '_') : key;
	return {
		span: { offset: lineEnd(text, model.offset), length: 0 },
		newText: `\n${m[1]}${spelled}: ${value}`,
	};
}

function insertKwarg(text: string, workload: Workload, anchor: number, kwarg: string): TextEdit | undefined {
	const callEnd = workload.span.offset + workload.span.length;
	// The model may come from a module-level constant: then append before the call's closing parenthesis.
	if (anchor >= workload.span.offset && anchor <= callEnd && /^\s*[,)]/.test(text.slice(anchor))) {
		return { span: { offset: anchor, length: 0 }, newText: `, ${kwarg}` };
	}
	const close = text.lastIndexOf(')', callEnd - 1);
	if (close <= workload.span.offset) return undefined;
	const head = text.slice(workload.span.offset, close).trimEnd();
	const sep = head.endsWith('(') ? '' : head.endsWith(',') ? ' ' : ', ';
	const at = workload.span.offset + head.length;
	return { span: { offset: at, length: 0 }, newText: `${sep}${kwarg}${head.endsWith(',') ? ',' : ''}` };
}

function insertJsOption(text: string, anchor: number, model: Span, key: string, value: string | number) {
	const q = quoteAround(text, model) || "'";
	const v = typeof value === 'number' ? String(value) : `${q}${value}${q}`;
	const after = text.slice(anchor);
	if (/^\s*\)/.test(after)) return { span: { offset: anchor, length: 0 }, newText: `, { ${key}: ${v} }` };
	const obj = /^\s*,\s*\{/.exec(after);
	if (obj) return { span: { offset: anchor + obj[0].length, length: 0 }, newText: ` ${key}: ${v},` };
	return undefined;
}

function pyValue(text: string, model: Span, value: string | number): string {
	if (typeof value === 'number') return String(value);
	const q = quoteAround(text, model);
	return `${q === "'" ? "'" : '"'}${value}${q === "'" ? "'" : '"'}`;
}

/** Offset just past a value, including its closing quote when the span excludes the quotes. */
export function afterValue(text: string, span: Span): number {
	const end = span.offset + span.length;
	const open = text[span.offset - 1];
	return QUOTES.has(open) && text[end] === open ? end + 1 : end;
}

/** The quote character around (or inside the ends of) a value, or '' when it is bare. */
function quoteAround(text: string, span: Span): string {
	const first = text[span.offset];
	if (QUOTES.has(first) && text[span.offset + span.length - 1] === first) return first;
	const open = text[span.offset - 1];
	return QUOTES.has(open) && text[span.offset + span.length] === open ? open : '';
}

function lineOf(text: string, offset: number): { start: number; text: string } {
	const start = text.lastIndexOf('\n', offset - 1) + 1;
	return { start, text: text.slice(start, lineEnd(text, offset)) };
}

function lineEnd(text: string, offset: number): number {
	const nl = text.indexOf('\n', offset);
	const end = nl < 0 ? text.length : nl;
	return text[end - 1] === '\r' ? end - 1 : end;
}
