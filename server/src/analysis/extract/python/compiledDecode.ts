/**
 * Compiled PyTorch decode: `torch.compile` together with a static KV cache (HF `cache_implementation="static"`
 * or a `StaticCache`, the gpt-fast pattern) replays one CUDA graph per token and decodes at several times
 * eager `generate()`. Without a static cache, shapes change every step and compile gains little, so both
 * must be written in the file. Comments do not count.
 */
import type { Setting } from '../../types';

const COMPILE = /\btorch\.compile\s*\(/;
const STATIC_CACHE = /cache_implementation["']?\s*[=:]\s*["']static["']|\bStaticCache\s*\(/;

/** Blanks `#` comments (outside strings, roughly) so commented-out calls are not read. */
function withoutComments(text: string): string {
	return text.replace(/^([^#'"\n]*)#.*$/gm, (_m, code: string) => code);
}

export function compiledDecodeIn(text: string): Setting<boolean> | undefined {
	const code = withoutComments(text);
	const compile = COMPILE.exec(code);
	const cache = STATIC_CACHE.exec(code);
	if (!compile || !cache) return undefined;
	return {
		value: true,
		source: 'file',
		span: { offset: compile.index, length: 'torch.compile'.length },
		raw: compile[0].replace(/\s*\($/, ''),
		key: 'torch.compile',
		note: `torch.compile with a static KV cache (${cache[0].replace(/\s+/g, ' ').replace(/\($/, '')}): compiled decode`,
	};
}
