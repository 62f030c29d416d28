/**
 * GGUF file names: `Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf`, `llama-2-7b.Q4_0.gguf`,
 * `qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf`. Returns the model part and the quant token.
 */

export interface GgufName {
	/** The model part of the file name, separators kept ('-'). */
	model: string;
	/** Lowercased quant token (`q4_k_m`), when the name has one. */
	quant?: string;
}

const SHARD = /-\d{5}-of-\d{5}$/i;
/** GGUF quant labels as they appear in file names (case-insensitive). */
const QUANT = /^(i?q\d(_[a-z0-9]+)*|tq\d_\d|f16|f32|bf16|fp16|mxfp4(_moe)?)$/i;

export function isGgufName(s: string): boolean {
	return /\.gguf$/i.test(s.trim());
}

export function parseGgufName(fileName: string): GgufName {
	let base = fileName
		.trim()
		.replace(/\.gguf$/i, '')
		.replace(SHARD, '');
	let quant: string | undefined;
	// The quant is the last token, separated by '.' (TheBloke) or '-' (bartowski, ggml-org).
	const m = /^(.*?)[.-]([^.-]+)$/.exec(base);
	if (m && QUANT.test(m[2])) {
		quant = m[2].toLowerCase();
		base = m[1];
	}
	// TheBloke also used '.' between name and variant (`mistral-7b-instruct-v0.2.Q4_K_M`): keep
	// dots that sit between digits (versions), turn the others into '-'.
	const model = base.replace(/(?<!\d)\.|\.(?!\d)/g, '-');
	return { model, quant: quant === 'fp16' ? 'f16' : quant };
}
