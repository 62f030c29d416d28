/**
 * Jupyter notebooks (`.ipynb`, the JSON file): the code cells, in order, are read as one Python module
 * — cells share the kernel's namespace, so a constant from cell 1 counts in cell 3 — through the same
 * Python reader. Each character of the module keeps the document offset of the JSON text that encodes
 * it (escapes included), so every span lands inside its cell's source string. IPython magics (`%pip`,
 * `!nvidia-smi`, `%%time`) are not Python and are read as comments. Fix texts are JSON-escaped by the
 * pipeline (they edit inside JSON strings); a fix whose edit would cross from one source line's string to
 * the next is dropped rather than break the JSON.
 */
import { parseTree, type Node as JsonNode } from 'jsonc-parser/lib/esm/main.js';
import { preflight } from '../limits';
import type { Finding, Setting, Span, Workload } from '../types';
import { extractPython } from './python';
import type { ExtractInput, ExtractResult } from './types';

/** One character of the module: where its encoding starts and ends in the document, and which string holds it. */
interface CharAt {
	start: number;
	end: number;
	string: number;
}

interface Module {
	text: string;
	chars: CharAt[];
	/** A vLLM version installed by a `%pip` / `!pip` line, at its module offset. */
	pin?: { version: string; offset: number };
}

const ESC: Record<string, string> = {
	n: '\n',
	t: '\t',
	r: '\r',
	b: '\b',
	f: '\f',
	'"': '"',
	'\\': '\\',
	'/': '/',
};

/** Decodes one JSON string node, appending its characters with their document ranges. */
function decodeString(doc: string, node: JsonNode, id: number, out: Module): void {
	const end = node.offset + node.length - 1;
	for (let i = node.offset + 1; i < end;) {
		const c = doc[i]!;
		if (c !== '\\') {
			out.text += c;
			out.chars.push({ start: i, end: i + 1, string: id });
			i++;
			continue;
		}
		const e = doc[i + 1] ?? '';
		if (e === 'u') {
			const code = parseInt(doc.slice(i + 2, i + 6), 16);
			out.text += Number.isFinite(code) ? String.fromCharCode(code) : '?';
			out.chars.push({ start: i, end: i + 6, string: id });
			i += 6;
		} else {
			out.text += ESC[e] ?? e;
			out.chars.push({ start: i, end: i + 2, string: id });
			i += 2;
		}
	}
}

/** `%pip install vllm`, `!nvidia-smi`, `%%time`: a `#` over the first character keeps every offset. */
function blankMagics(m: Module): void {
	let lineStart = 0;
	const text = m.text.split('');
	for (let i = 0; i <= text.length; i++) {
		if (i === text.length || text[i] === '\n') {
			let k = lineStart;
			while (text[k] === ' ' || text[k] === '\t') k++;
			if (text[k] === '%' || text[k] === '!') text[k] = '#';
			lineStart = i + 1;
		}
	}
	m.text = text.join('');
}

/** The code cells' sources as one module, or undefined when the text is not a notebook. */
export function notebookModule(doc: string): Module | undefined {
	const root = parseTree(doc, [], { allowTrailingComma: true });
	const cells = root?.children?.find((p) => p.children?.[0]?.value === 'cells')?.children?.[1];
	if (cells?.type !== 'array') return undefined;
	const m: Module = { text: '', chars: [] };
	let id = 0;
	for (const cell of cells.children ?? []) {
		const prop = (name: string) => cell.children?.find((p) => p.children?.[0]?.value === name)?.children?.[1];
		if (prop('cell_type')?.value !== 'code') continue;
		const source = prop('source');
		const strings = source?.type === 'array' ? (source.children ?? []) : source ? [source] : [];
		if (m.text) {
			m.text += '\n';
			m.chars.push({ start: -1, end: -1, string: -1 });
		}
		for (const s of strings) if (s.type === 'string') decodeString(doc, s, id++, m);
	}
	m.pin = magicPin(m.text);
	blankMagics(m);
	return m;
}

/** `%pip install "vllm==0.10.1"` / `!pip install vllm==…` in a cell pins the engine the notebook runs. */
function magicPin(text: string): { version: string; offset: number } | undefined {
	const re =
		/^[ \t]*[%!]\s*(?:pip|uv pip|python -m pip)\s+install\b[^\n]*?\bvllm(?:\[[^\]]*\])?==v?(\d[0-9a-z.+-]*)/gm;
	const m = re.exec(text);
	return m ? { version: m[1]!, offset: m.index + m[0].length - m[1]!.length } : undefined;
}

/** Maps a span of the module to the document; `strict` refuses spans that leave one JSON string. */
function mapSpan(m: Module, span: Span, strict = false): Span | undefined {
	const first = m.chars[span.offset];
	if (span.length === 0) {
		const prev = m.chars[span.offset - 1];
		const at = first && first.start >= 0 ? first.start : prev && prev.end >= 0 ? prev.end : undefined;
		return at === undefined ? undefined : { offset: at, length: 0 };
	}
	let a: CharAt | undefined;
	let b: CharAt | undefined;
	for (let k = span.offset; k < span.offset + span.length; k++) {
		const c = m.chars[k];
		if (!c || c.start < 0) {
			if (strict) return undefined;
			continue;
		}
		a ??= c;
		if (strict && c.string !== a.string) return undefined;
		b = c;
	}
	return a && b ? { offset: a.start, length: b.end - a.start } : undefined;
}

function remapSetting(m: Module, s: Setting<unknown> | undefined): void {
	if (!s) return;
	if (s.span) s.span = mapSpan(m, s.span);
	if (s.keySpan) s.keySpan = mapSpan(m, s.keySpan);
}

function remapWorkload(m: Module, w: Workload): void {
	w.span = mapSpan(m, w.span) ?? { offset: 0, length: 0 };
	remapSetting(m, w.model);
	remapSetting(m, w.engineVersion);
	for (const s of Object.values(w.settings)) remapSetting(m, s as Setting<unknown>);
	for (const f of w.flags) {
		f.span = mapSpan(m, f.span) ?? w.span;
		if (f.valueSpan) f.valueSpan = mapSpan(m, f.valueSpan);
	}
	for (const u of w.unknowns) if (u.span) u.span = mapSpan(m, u.span);
}

function remapFinding(m: Module, f: Finding): Finding {
	const fixes = f.fixes
		?.map((fix) => {
			const edits = fix.edits.map((e) => ({ ...e, span: mapSpan(m, e.span, true) }));
			return edits.every((e) => e.span)
				? { ...fix, edits: edits as { span: Span; newText: string }[] }
				: undefined;
		})
		.filter((x): x is NonNullable<typeof x> => !!x);
	return {
		...f,
		span: mapSpan(m, f.span) ?? { offset: 0, length: 0 },
		fixes: fixes?.length ? fixes : undefined,
	};
}

export async function extractNotebook(input: ExtractInput): Promise<ExtractResult> {
	const m = notebookModule(input.text);
	if (!m || !m.text.trim()) return { workloads: [], findings: [] };
	// The document's own line limits were waived (outputs are long lines); the cells' code gets them here.
	const pre = preflight(m.text);
	const r = await extractPython({ ...input, text: pre.text, languageId: 'python' });
	for (const w of r.workloads) {
		// Installed in this notebook: closer to what runs than a requirements file next to it.
		if (m.pin && w.framework === 'vllm')
			w.engineVersion = {
				value: m.pin.version,
				source: 'file',
				span: { offset: m.pin.offset, length: m.pin.version.length },
				note: 'installed by a pip line in this notebook',
			};
		remapWorkload(m, w);
	}
	return {
		workloads: r.workloads,
		findings: [...pre.findings, ...r.findings].map((f) => remapFinding(m, f)),
	};
}

/** Fix texts go inside JSON strings in a notebook: quotes, backslashes and newlines are escaped. */
export function escapeFixesForJson(findings: Finding[]): void {
	for (const f of findings)
		for (const fix of f.fixes ?? [])
			for (const e of fix.edits) e.newText = JSON.stringify(e.newText).slice(1, -1);
}
