/**
 * What a workload's model string names: a local GGUF file (its header read through the host), a local
 * Hugging Face directory (its config.json), or a catalog entry (id, alias, GGUF name, Ollama tag).
 */
import type { ModelSpec } from '../catalog/types';
import type { ModelOutcome } from '../rules/types';
import type { AnalysisHost, Workload } from '../types';
import { resolveByFamily } from './family';

export type ModelResolution =
	| { ok: true; model: ModelSpec; matchedBy: string; impliedFormat?: string; note?: string }
	| { ok: false; query: string; suggestions: string[]; message: string };

export interface ModelApi {
	resolveModel(query: string): ModelResolution;
	modelFromHfConfig(config: unknown, id: string): ModelSpec | { error: string };
	readLocalGguf(
		host: AnalysisHost,
		path: string,
	): { model?: ModelSpec; formatId?: string; summary: string; error?: string };
}

export interface ModelResult {
	outcome: ModelOutcome;
	/** Format id the name or the file header implies. */
	impliedFormat?: string;
	/** The catalog id for the report (null when not in the catalog). */
	catalogId: string | null;
	localModelInfo?: Workload['localModelInfo'];
	notes: string[];
}

const CONFIG_BYTES = 1024 * 1024;

export function resolveModelFor(
	w: Workload,
	docPath: string,
	host: AnalysisHost | undefined,
	api: ModelApi,
): ModelResult {
	const query = w.model.value.trim();
	const notes: string[] = [];
	if (!query) {
		return {
			outcome: {
				ok: false,
				query,
				suggestions: [],
				message: 'No model is named here, so nothing can be estimated',
			},
			catalogId: null,
			notes,
		};
	}
	const direct = api.resolveModel(query);
	// Not in the catalog by name: a known architecture by family and size, said so in the provenance.
	const byName: ModelResolution = direct.ok
		? direct
		: (resolveByFamily(query, (q) => api.resolveModel(q)) ?? direct);
	// The extractor may already have read the GGUF header the workload points at.
	const info = w.localModelInfo;
	const local = info?.model
		? { model: info.model, formatId: info.formatId, summary: info.summary, path: info.path, kind: info.kind }
		: host && isLocalPath(query)
			? localModel(query, docPath, host, api, notes)
			: undefined;
	if (local?.model) {
		const catalogId = byName.ok ? byName.model.id : null;
		return {
			outcome: { ok: true, model: local.model, matchedBy: local.kind, note: local.summary },
			impliedFormat: local.formatId ?? (byName.ok ? byName.impliedFormat : undefined),
			catalogId: catalogId ?? local.model.id,
			localModelInfo: { path: local.path, kind: local.kind, summary: local.summary },
			notes,
		};
	}
	if (byName.ok) {
		return {
			outcome: { ok: true, model: byName.model, matchedBy: byName.matchedBy, note: byName.note },
			impliedFormat: byName.impliedFormat,
			catalogId: byName.model.id,
			notes,
		};
	}
	// Say why a local file did not help (a GGUF header that lies, a broken config.json): otherwise the
	// notes only reach the estimate's assumptions, and an unknown model has no estimate.
	const outcome = notes.length ? { ...byName, message: `${byName.message} (${notes.join('; ')})` } : byName;
	return { outcome, catalogId: null, notes };
}

function isLocalPath(s: string): boolean {
	return /^(\.{1,2}[\\/]|[\\/]|~[\\/]|[A-Za-z]:[\\/])/.test(s) || /\.gguf$/i.test(s);
}

/** Joins a relative model path onto the document's folder (string work only: no I/O here). */
export function joinPath(docPath: string, p: string): string {
	if (/^([\\/]|[A-Za-z]:[\\/]|~)/.test(p)) return p;
	const slash = Math.max(docPath.lastIndexOf('/'), docPath.lastIndexOf('\\'));
	const dir = slash >= 0 ? docPath.slice(0, slash) : '.';
	const parts = `${dir}/${p}`.split(/[\\/]+/);
	const out: string[] = [];
	for (const part of parts) {
		if (part === '.' && out.length > 0) continue;
		if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '')
			out.pop();
		else out.push(part);
	}
	return out.join('/');
}

function localModel(query: string, docPath: string, host: AnalysisHost, api: ModelApi, notes: string[]) {
	const path = joinPath(docPath, query);
	if (/\.gguf$/i.test(query)) {
		const g = api.readLocalGguf(host, path);
		if (g.error) notes.push(`GGUF header not used: ${g.error}`);
		return g.model
			? { model: g.model, formatId: g.formatId, summary: g.summary, path, kind: 'gguf' as const }
			: undefined;
	}
	const bytes = host.readFile?.(`${path.replace(/[\\/]$/, '')}/config.json`, CONFIG_BYTES);
	if (!bytes) return undefined;
	try {
		const config: unknown = JSON.parse(new TextDecoder().decode(bytes));
		const spec = api.modelFromHfConfig(config, query);
		if ('error' in spec) {
			notes.push(`config.json not used: ${spec.error}`);
			return undefined;
		}
		return {
			model: spec,
			formatId: undefined,
			summary: `config.json: ${spec.architecture}, ${spec.layers} layers`,
			path,
			kind: 'config.json' as const,
		};
	} catch (e) {
		notes.push(`config.json not readable: ${e instanceof Error ? e.message : String(e)}`);
		return undefined;
	}
}
