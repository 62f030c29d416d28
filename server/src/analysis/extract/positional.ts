/**
 * `sh -c 'script' NAME ARG…` hands the words after the script to it as `$0`, `$1`… and `"$@"`: the
 * Kubernetes pattern `command: ["bash", "-c", "… vllm serve \"$@\"", "--"]` with `args: [MODEL, …]`
 * puts the engine's arguments in `args:`. A word that is exactly `$@`/`$*`/`$N` is replaced by the
 * bound argument tokens (their own spans); without a binding it stays unknown (set at run time).
 */
import type { Token } from './tokens';
import type { Word } from './words';

/** The positional parameter a word consists of, alone (quoted or not), or undefined. */
function wholePositional(w: Word): string | undefined {
	if (w.parts.length !== 1) return undefined;
	const p = w.parts[0]!;
	return p.kind === 'var' && /^[@*0-9]$/.test(p.name) ? p.name : undefined;
}

/**
 * Resolves the words of one command, splicing in `bound` (`[$0, $1, …]`) where a word is a whole
 * positional parameter.
 */
export function resolveWithPositional(
	words: Word[],
	resolve: (w: Word) => Token,
	bound: Token[] | undefined,
): Token[] {
	const out: Token[] = [];
	for (const w of words) {
		const name = bound ? wholePositional(w) : undefined;
		if (name === undefined) {
			out.push(resolve(w));
			continue;
		}
		if (name === '@' || name === '*') {
			for (const t of bound!.slice(1)) out.push(t);
			continue;
		}
		const t = bound![Number(name)];
		if (t) out.push(t);
		// `$3` with two arguments given expands to nothing: the word disappears, as in the shell.
	}
	return out;
}
