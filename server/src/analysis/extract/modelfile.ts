/**
 * Ollama Modelfiles: `FROM` (a library tag like `llama3.1:70b` or a local `./model.gguf`) and
 * `PARAMETER name value` (num_ctx, num_gpu, num_thread, …). Instruction keywords are case-insensitive;
 * `#` comments and triple-quoted TEMPLATE/SYSTEM blocks are skipped.
 */
import { WorkloadBuilder } from './builder';
import { unknownFlagFinding } from './findings';
import { OLLAMA_PARAMETERS } from './flags/ollama';
import type { ExtractInput, ExtractResult } from './types';

const LINE = /^[ \t]*([A-Za-z]+)[ \t]+(\S+)(?:[ \t]+(.*?))?[ \t]*$/;

export function extractModelfile(input: ExtractInput): ExtractResult {
	const doc = input.text;
	const b = new WorkloadBuilder('ollama', 'modelfile', { offset: 0, length: doc.length });
	let pos = 0;
	let inBlock = false;
	while (pos <= doc.length) {
		let eol = doc.indexOf('\n', pos);
		if (eol < 0) eol = doc.length;
		const line = doc.slice(pos, eol).replace(/\r$/, '');
		const quotes = (line.match(/"""/g) ?? []).length;
		if (inBlock) {
			if (quotes % 2 === 1) inBlock = false;
		} else if (!/^\s*#/.test(line)) {
			const m = LINE.exec(line);
			if (quotes % 2 === 1) inBlock = true;
			if (m) handle(b, m, pos + (m.index ?? 0), line);
		}
		pos = eol + 1;
	}
	const w = b.build();
	return { workloads: w?.model.value ? [w] : [], findings: b.findings };
}

function handle(b: WorkloadBuilder, m: RegExpExecArray, lineStart: number, line: string): void {
	const kw = m[1]!.toUpperCase();
	const argAt = lineStart + line.indexOf(m[2]!, m[1]!.length);
	if (kw === 'FROM') {
		const keySpan = { offset: lineStart + line.indexOf(m[1]!), length: m[1]!.length };
		b.set('model', {
			value: m[2]!,
			source: 'file',
			span: { offset: argAt, length: m[2]!.length },
			key: m[1]!,
			keySpan,
		});
		b.flags.push({
			name: m[1]!,
			canonical: 'from',
			span: keySpan,
			known: true,
			value: m[2],
		});
		return;
	}
	if (kw !== 'PARAMETER' || m[3] === undefined) return;
	const name = m[2]!;
	const keySpan = { offset: argAt, length: name.length };
	const raw = m[3];
	const unq = raw.replace(/^"(.*)"$/, '$1');
	const valueAt =
		lineStart + line.indexOf(raw, line.indexOf(name, m[1]!.length) + name.length) + (unq !== raw ? 1 : 0);
	const value = { text: unq, span: { offset: valueAt, length: unq.length } };
	const spec = OLLAMA_PARAMETERS.bySpelling.get(name.toLowerCase());
	b.flags.push({
		name,
		canonical: spec?.canonical,
		span: keySpan,
		known: !!spec,
		value: unq,
		valueSpan: value.span,
	});
	if (!spec) {
		b.findings.push(unknownFlagFinding(name, keySpan, OLLAMA_PARAMETERS, 'Ollama'));
		return;
	}
	if (spec.deprecated)
		b.findings.push({
			code: 'deprecated-flag',
			severity: 'warning',
			message: `PARAMETER ${name}: ${spec.deprecated.note ?? 'deprecated'}.`,
			span: keySpan,
			data: { flag: name },
		});
	b.apply(spec, { name, span: keySpan }, value);
}
