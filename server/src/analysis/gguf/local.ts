/**
 * Reads the GGUF file a workload points at (llama.cpp `-m`, `Llama(model_path=…)`, Ollama `FROM ./x.gguf`)
 * through the host, never more than a bounded prefix: metadata with a large tokenizer is ~10 MB.
 */
import type { ModelSpec } from '../catalog/types';
import type { AnalysisHost } from '../types';
import { deriveGgufFacts, ggufFormatId, ggufModelSpec, ggufSummary } from './derive';
import { isGgufError, readGgufHeader } from './reader';

export const GGUF_PREFIX_BYTES = 16 * 1024 * 1024;
/** The most a retry reads when the metadata does not fit the first prefix. */
export const GGUF_MAX_PREFIX_BYTES = 64 * 1024 * 1024;

export interface LocalGguf {
	model?: ModelSpec;
	formatId?: string;
	summary: string;
	error?: string;
}

export function readLocalGguf(host: AnalysisHost, path: string, maxBytes = GGUF_PREFIX_BYTES): LocalGguf {
	if (!host.readFile) return { summary: '', error: 'no file access in this context' };
	let bytes: Uint8Array | undefined;
	try {
		bytes = host.readFile(path, maxBytes);
	} catch (e) {
		return { summary: '', error: `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}` };
	}
	if (!bytes) return { summary: '', error: `${path} not found` };
	let header = readGgufHeader(bytes, { prefixOfLargerFile: bytes.byteLength >= maxBytes });
	// Metadata past the first prefix (huge tokenizers): one more try with a larger, still bounded, read.
	if (isGgufError(header) && bytes.byteLength >= maxBytes && maxBytes < GGUF_MAX_PREFIX_BYTES) {
		const more = host.readFile(path, GGUF_MAX_PREFIX_BYTES);
		if (more) header = readGgufHeader(more, { prefixOfLargerFile: more.byteLength >= GGUF_MAX_PREFIX_BYTES });
	}
	if (isGgufError(header)) return { summary: '', error: `${path}: ${header.error}` };
	const facts = deriveGgufFacts(header);
	const summary = ggufSummary(facts);
	const formatId = ggufFormatId(facts);
	const id = facts.name ?? path.split(/[\\/]/).pop() ?? path;
	const spec = ggufModelSpec(facts, id);
	if ('missing' in spec)
		return { formatId, summary, error: `${path}: GGUF header lacks ${spec.missing.join(', ')}` };
	return { model: spec, formatId, summary };
}
