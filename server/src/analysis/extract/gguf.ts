/**
 * GGUF quantization types written in model file names and tags: `…-Q4_K_M.gguf`, `llama-2-7b.Q5_0.gguf`,
 * `repo:IQ4_XS`, Ollama `llama3.1:70b-instruct-q8_0`.
 */
const QUANT =
	/(?:^|[-._:/])((?:i?q[1-8](?:_[0-9]+)?(?:_(?:k|0|1|nl|xs|xxs|s|m|l|xl))*)|bf16|f16|fp16|f32|mxfp4)(?=$|[-._/])/gi;

/** The last quant type in a name, lowercased, with where it sits; undefined when none is written. */
export function ggufQuant(name: string): { quant: string; start: number; end: number } | undefined {
	let last: { quant: string; start: number; end: number } | undefined;
	for (const m of name.matchAll(QUANT)) {
		const q = m[1]!;
		const start = m.index + m[0].length - q.length;
		last = { quant: q.toLowerCase() === 'fp16' ? 'f16' : q.toLowerCase(), start, end: start + q.length };
	}
	return last;
}
