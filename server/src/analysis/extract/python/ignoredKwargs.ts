/**
 * Keywords that `llama_cpp.Llama(...)` accepts and silently drops: it ends in `**kwargs`, so sampling
 * options — which belong to `llm(...)`, `create_completion` and `create_chat_completion` — and keywords
 * removed from older releases raise nothing and do nothing (llama-cpp-python llama_cpp/llama.py,
 * `Llama.__init__` signature, https://github.com/abetlen/llama-cpp-python/blob/main/llama_cpp/llama.py).
 * LangChain's LlamaCpp is different: there they are fields, so this applies to Llama() only.
 */
import type { SyntaxNode } from '../../parse/treeSitter';
import type { Finding, TextEdit } from '../../types';
import type { KwArg } from './args';

/** Per-call options of create_completion / create_chat_completion (same file, their signatures). */
const SAMPLING = new Set(
	(
		'temperature top_p top_k min_p typical_p max_tokens stop stream echo logprobs top_logprobs ' +
		'repeat_penalty frequency_penalty presence_penalty tfs_z mirostat_mode mirostat_tau mirostat_eta ' +
		'grammar suffix logit_bias logits_processor stopping_criteria response_format tools tool_choice'
	).split(' '),
);

/** Keywords older releases took and current ones drop, with what replaced them. */
const OBSOLETE: Record<string, string> = {
	f16_kv: 'removed in llama-cpp-python 0.2 (the KV cache type is `type_k`/`type_v`, f16 by default)',
	n_parts: 'removed with the ggml file format (GGUF files are one part)',
	low_vram: 'removed in llama-cpp-python 0.2 (llama.cpp dropped the option)',
	n_gqa: 'removed with the GGUF move (the GGUF header carries the head counts)',
	rms_norm_eps: 'removed with the GGUF move (the GGUF header carries it)',
	mul_mat_q: 'removed (llama.cpp always uses its quantized matmul kernels when they apply)',
};

export function isIgnoredByLlama(name: string): boolean {
	return SAMPLING.has(name) || name in OBSOLETE;
}

/** Deletes `name=value,` and the space up to the next argument, so the call stays well formed. */
function removal(arg: KwArg): TextEdit[] {
	const node: SyntaxNode | null = arg.value.parent;
	if (arg.via || node?.type !== 'keyword_argument') return [];
	const comma = node.nextSibling?.type === ',' ? node.nextSibling : null;
	const next = comma?.nextSibling;
	if (next && next.type !== ')')
		return [{ span: { offset: node.startIndex, length: next.startIndex - node.startIndex }, newText: '' }];
	// The last argument: also take the space since the previous comma, so `)` keeps its own line.
	const prev = node.previousSibling;
	const start = prev?.type === ',' ? prev.endIndex : node.startIndex;
	const end = comma?.endIndex ?? node.endIndex;
	return [{ span: { offset: start, length: end - start }, newText: '' }];
}

/** One warning per ignored keyword of a `Llama(...)` call. */
export function ignoredLlamaKwargs(keywords: KwArg[], label: string, workload: number): Finding[] {
	const out: Finding[] = [];
	for (const a of keywords) {
		const sampling = SAMPLING.has(a.name);
		const obsolete = OBSOLETE[a.name];
		if (!sampling && !obsolete) continue;
		const why = sampling
			? `\`${a.name}\` is a per-request sampling option of \`llm(...)\` / \`create_chat_completion(...)\`, not of ${label}`
			: `\`${a.name}\` is no longer an argument of ${label}: ${obsolete}`;
		const edits = removal(a);
		out.push({
			code: 'ignored-config-value',
			severity: 'warning',
			message: `${why}. ${label} takes **kwargs, so it is silently ignored here${sampling ? '; pass it to the completion call' : ''}.`,
			span: a.keySpan,
			workload,
			data: { name: a.name, kind: sampling ? 'sampling-option' : 'obsolete' },
			fixes: edits.length
				? [
						{
							title: `Remove \`${a.name}\` from ${label}`,
							edits,
							effect: sampling
								? `no change in behaviour: ${label} never used it; set it per request instead`
								: 'no change in behaviour: the value was never read',
							isPreferred: true,
						},
					]
				: [],
		});
	}
	return out;
}
