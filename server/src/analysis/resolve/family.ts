/**
 * Unknown model ids that name a known architecture by family and size: a vision-language model's language
 * model (`Qwen3-VL-30B-A3B` → Qwen3-30B-A3B), a fine-tune line with the base model's shapes
 * (`Qwen2.5-Coder-7B` → Qwen2.5-7B), or a release whose config.json matches a catalog entry but for a
 * field or two (`Mistral-7B-Instruct-v0.2` → Mistral-7B-v0.3 with a 32,000-token vocabulary). Each rule
 * is data with its source; the resolved spec carries the overrides, and the note says what was assumed.
 * Only used when the catalog does not know the id itself.
 */
import type { ModelSpec } from '../catalog/types';
import type { ModelResolution } from './model';

interface FamilyRule {
	/** Matched against the last path segment of the id, file extension and GGUF quant removed. */
	pattern: RegExp;
	/** The catalog query the match stands for. */
	target: (m: RegExpExecArray) => string;
	/** Fields of the resolved spec that differ for this model. */
	overrides?: Partial<ModelSpec>;
	/** What was assumed, in words (goes into the provenance). */
	note: (m: RegExpExecArray, target: string) => string;
	source: string;
}

const LITGPT =
	'Lightning-AI/litgpt litgpt/config.py @26857050fe3ff627cd714fe92f5838f51a3d5efa (from HF config.json)';

const RULES: FamilyRule[] = [
	{
		// Qwen2-VL-7B's language model has Qwen2.5-7B's shapes: 28 layers, 3584 hidden, q 3584 / kv 512
		// (4 KV heads of 128), MLP 18944, vocabulary 152064; the vision tower (32 blocks of 1280) is extra.
		pattern: /^qwen2-vl-7b(?:-instruct)?$/i,
		target: () => 'Qwen/Qwen2.5-7B',
		overrides: { maxContext: 32768 },
		note: (_m, t) =>
			`the language model of Qwen2-VL-7B, which has ${t}'s shapes (context 32,768); the ~0.6 B-parameter vision encoder is not counted`,
		source:
			'Qwen2VLForConditionalGeneration module dump (zhenhua32/Qwen2-VL READ.md); context 32768 (xinference qwen2-vl-instruct spec)',
	},
	{
		// Any other "<family>-VL-<size>…": the language model of the same family and size, if the catalog has it.
		pattern: /^(.+?)-VL-(.+)$/i,
		target: (m) => `${m[1]}-${m[2]}`,
		note: (m, t) =>
			`the language model of the vision-language model ${m[1]}-VL-${m[2]} (read as ${t}); the vision encoder's weights are not counted and the context limit may differ`,
		source: 'family and size from the id',
	},
	{
		// Qwen2.5-Coder-N has Qwen2.5-N's shapes with a 32,768-token context (7B: 28 layers, 3584 hidden, 4 KV
		// heads, MLP 18944; 14B/32B likewise match their Qwen2.5 sizes).
		pattern: /^(qwen2\.5)-coder-(0\.5b|1\.5b|3b|7b|14b|32b)(?:-instruct)?$/i,
		target: (m) => `Qwen/Qwen2.5-${m[2]!.toUpperCase()}`,
		overrides: { maxContext: 32768 },
		note: (m, t) => `Qwen2.5-Coder-${m[2]!.toUpperCase()} has ${t}'s shapes with a 32,768-token context`,
		source: LITGPT,
	},
	{
		// Mistral-7B v0.2 = v0.3's shapes (32 layers, 8 KV heads, MLP 14336, rope 1e6, 32k context, no sliding
		// window) with the 32,000-token vocabulary of v0.1 (about 6 M parameters fewer, 0.09 %).
		pattern: /^mistral-7b(?:-instruct)?-v0\.2$/i,
		target: () => 'mistralai/Mistral-7B-v0.3',
		overrides: { vocab: 32000, maxContext: 32768 },
		note: (_m, t) =>
			`Mistral-7B v0.2 has ${t}'s shapes with a 32,000-token vocabulary (0.09 % fewer parameters, not subtracted)`,
		source: LITGPT,
	},
	{
		// Phi-3.5-mini: Phi-3-mini's shapes (32 layers, 3072 hidden, 32 KV heads, MLP 8192), 128k context
		// (LongRoPE) and no 2,047-token sliding window.
		pattern: /^phi-3\.5-mini(?:-instruct)?$/i,
		target: () => 'microsoft/Phi-3-mini-4k-instruct',
		overrides: { maxContext: 131072, slidingWindow: undefined },
		note: (_m, t) =>
			`Phi-3.5-mini has ${t}'s shapes with a 131,072-token context (LongRoPE) and full attention on every layer`,
		source: `${LITGPT}; context: the Phi-3.5-mini model card (128K)`,
	},
];

/** The id's last path segment without `.gguf`, a GGUF quant suffix or a `-GGUF`/`-AWQ`… repo suffix. */
export function bareName(id: string): string {
	const last = id.trim().split(/[\\/]/).pop() ?? '';
	return last
		.replace(/\.gguf$/i, '')
		.replace(/[.-](?:i?q\d\w*|f16|bf16|f32)$/i, '')
		.replace(/-(?:gguf|awq|gptq(?:-int\d)?|fp8|int4|int8|mlx(?:-\dbit)?|bnb-4bit)$/i, '');
}

/**
 * Resolves an id the catalog does not know by the rules above. `resolve` is the catalog lookup; the
 * result is a copy of the catalog spec with the overrides applied and the note in the provenance.
 */
export function resolveByFamily(
	query: string,
	resolve: (q: string) => ModelResolution,
): (ModelResolution & { ok: true }) | undefined {
	const name = bareName(query);
	for (const rule of RULES) {
		const m = rule.pattern.exec(name);
		if (!m) continue;
		const target = rule.target(m);
		const r = resolve(target);
		if (!r.ok) continue;
		const model: ModelSpec = {
			...r.model,
			...rule.overrides,
			sources: [...r.model.sources, `family rule: ${rule.source}`],
		};
		if (rule.overrides && 'slidingWindow' in rule.overrides && !rule.overrides.slidingWindow)
			delete model.slidingWindow;
		return {
			ok: true,
			model,
			matchedBy: 'family',
			impliedFormat: r.impliedFormat,
			note: `"${query}" is not in the catalog; resolved by family and size: ${rule.note(m, r.model.id)}`,
		};
	}
	return undefined;
}
