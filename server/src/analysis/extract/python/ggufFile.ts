/**
 * A model that is a GGUF file: the quant written in its name (shared `ggufQuant`), and, when the host can
 * read it, the header of the local file (bounded prefix, see gguf/local.ts). Used by llama-cpp-python and
 * by vLLM's GGUF loading.
 */
import path from 'node:path';
import { readLocalGguf } from '../../gguf/local';
import type { AnalysisHost, Setting, Workload } from '../../types';
import { ggufQuant } from '../gguf';
import { joinNotes, type WorkloadParts } from './workload';

/**
 * weightFormat from a quant written in a file name (shared `ggufQuant`). When the string literal is
 * written right here, the span covers just the quant inside it (`Q4_K_M`), as the shell extractor does.
 */
export function quantFromName(s: Setting<string>, literal: string, p: WorkloadParts, why: string): void {
	// Glob characters are not separators for ggufQuant; same-length stand-ins keep the offsets.
	const q = ggufQuant(s.value.replace(/[*?]/g, '-'));
	if (!q || !s.span) return;
	const at = s.raw === undefined ? literal.indexOf(s.value) : -1;
	const span = at >= 0 ? { offset: s.span.offset + at + q.start, length: q.end - q.start } : s.span;
	p.settings.weightFormat = {
		...s,
		value: q.quant,
		span,
		raw: s.value.slice(q.start, q.end),
		note: joinNotes(`${why} \`${s.value}\``, s.note),
	};
}

/** Reads the GGUF header when the model path is a local file the host can read. */
export function readLocal(
	model: Setting<string>,
	ctx: { docPath: string; host?: AnalysisHost },
	p: WorkloadParts,
): Workload['localModelInfo'] {
	if (!ctx.host?.readFile || !/\.gguf$/i.test(model.value) || model.value.startsWith('~')) return undefined;
	const file = path.isAbsolute(model.value) ? model.value : path.join(path.dirname(ctx.docPath), model.value);
	const r = readLocalGguf(ctx.host, file);
	if (r.error && !r.summary) {
		if (!/not found/.test(r.error))
			p.unknowns.push({ name: 'localModel', reason: r.error, span: model.span });
		return undefined;
	}
	const info: NonNullable<Workload['localModelInfo']> = { path: file, kind: 'gguf', summary: r.summary };
	if (r.model) info.model = r.model;
	if (r.formatId) {
		info.formatId = r.formatId;
		if (model.span)
			p.settings.weightFormat = {
				value: r.formatId,
				source: 'file',
				span: model.span,
				raw: model.value,
				note: `read from the GGUF header of ${file}`,
			};
	}
	return info;
}
