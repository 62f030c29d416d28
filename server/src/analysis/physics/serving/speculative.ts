/**
 * Speculative decoding: a drafter proposes K tokens, the target verifies them in one step, and the step
 * emits the accepted prefix plus one token of its own. Derivations in docs/physics.md § "Speculative decoding".
 */

export type SpeculativeMethod = 'ngram' | 'eagle' | 'eagle3' | 'mtp' | 'medusa' | 'draft-model';

export const SPECULATIVE_METHODS: readonly SpeculativeMethod[] = [
	'ngram',
	'eagle',
	'eagle3',
	'mtp',
	'medusa',
	'draft-model',
];

export interface SpeculativeSettings {
	method: SpeculativeMethod;
	/** Tokens proposed per step (vLLM num_speculative_tokens, SGLang speculative-num-draft-tokens − 1, llama.cpp --draft-max). */
	tokens: number;
	/** Per-token acceptance probability; undefined = the method's default below. */
	acceptanceRate?: number;
}

/**
 * Default per-token acceptance, by method. These are defaults, stated as such wherever they are used: real
 * acceptance depends on the prompt mix, temperature and how well the drafter matches the target.
 * - mtp 0.85: DeepSeek-V3 technical report, 85–90 % acceptance of the second (MTP) token.
 * - eagle3 0.8, eagle 0.7: EAGLE/EAGLE-3 papers report ~3.5–4.5 accepted tokens per step at K = 5–7 on
 *   chat benchmarks, i.e. per-token acceptance ≈ 0.7–0.8.
 * - medusa 0.6: Medusa heads reach ~2.2–2.8 tokens per step (per-token ≈ 0.55–0.65).
 * - draft-model 0.7: a same-family small model on chat (vLLM/llama.cpp reports ~0.6–0.8).
 * - ngram 0.3: prompt lookup only hits where the output repeats the input (code edits, RAG); low on chat.
 */
export const DEFAULT_ACCEPTANCE: Record<SpeculativeMethod, number> = {
	mtp: 0.85,
	eagle3: 0.8,
	eagle: 0.7,
	medusa: 0.6,
	'draft-model': 0.7,
	ngram: 0.3,
};

/**
 * Cost of one draft proposal relative to one target decode step, by method: EAGLE/MTP/Medusa heads are one
 * transformer layer (or just heads) on top of the target's hidden state, so ≈ 1/layers of a step each plus a
 * launch; a draft model is its own small decode (≈ its bytes / the target's bytes; 0.1 assumed when the draft
 * model is unknown); n-gram lookup runs on the host and costs nothing on the device.
 */
export function draftStepShare(method: SpeculativeMethod, targetLayers: number): number {
	switch (method) {
		case 'ngram':
			return 0;
		case 'medusa':
			return 0.5 / Math.max(1, targetLayers);
		case 'eagle':
		case 'eagle3':
		case 'mtp':
			return 1.5 / Math.max(1, targetLayers);
		case 'draft-model':
			return 0.1;
	}
}

/** Expected tokens one verify step emits: Σ_{i=0..K} αⁱ = (1 − α^{K+1}) / (1 − α) (Leviathan et al. 2023). */
export function expectedTokensPerStep(tokens: number, acceptance: number): number {
	const k = Math.max(0, Math.floor(tokens));
	const a = Math.min(Math.max(acceptance, 0), 0.999);
	return (1 - Math.pow(a, k + 1)) / (1 - a);
}

/** Method from the spellings engines use (vLLM "eagle3", SGLang "EAGLE3", "NEXTN", "draft_model" …). */
export function speculativeMethodOf(name: string | undefined): SpeculativeMethod | undefined {
	const n = (name ?? '').toLowerCase().replace(/[_\s]/g, '-');
	if (!n) return undefined;
	if (n === 'eagle3' || n === 'eagle-3') return 'eagle3';
	if (n.startsWith('eagle')) return 'eagle';
	if (n === 'mtp' || n === 'nextn' || n.endsWith('-mtp') || n.includes('mtp')) return 'mtp';
	if (n.includes('medusa') || n === 'mlp-speculator') return 'medusa';
	if (n.includes('ngram') || n.includes('prompt-lookup') || n === 'lookahead') return 'ngram';
	if (n.includes('draft') || n === 'standalone') return 'draft-model';
	return undefined;
}
