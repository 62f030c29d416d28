// Reads llama.cpp's `add_opt(common_arg({spellings}, [{negations},] [VALUE_HINT, [HINT2,]] help, handler)
// .set_env("LLAMA_ARG_…").set_examples({…}))` declarations from common/arg.cpp.
import { calls, closeOf, splitTop, stringList } from './source.mjs';

export function llamaCppFlags(text) {
	const out = [];
	for (const call of calls(text, 'common_arg')) {
		const items = splitTop(call.args);
		const lists = [];
		while (items.length && stringList(items[0])) lists.push(stringList(items.shift()));
		if (!lists.length || items.length < 2) continue;
		// What is left: value hints…, help, handler.
		const hints = items.length - 2;
		const help = items[items.length - 2];
		const chain = chainAfter(text, call.end);
		const env = /\.set_env\(\s*"([^"]+)"\s*\)/.exec(chain)?.[1];
		const examples = /\.set_examples\(\s*\{([^}]*)\}/.exec(chain)?.[1];
		const examplesVar = /\.set_examples\(\s*(\w+)\s*\)/.exec(chain)?.[1];
		const excludes = /\.set_excludes\(\s*\{([^}]*)\}/.exec(chain)?.[1];
		const names = (s) =>
			s
				?.split(',')
				.map((x) =>
					x
						.trim()
						.replace(/^LLAMA_EXAMPLE_/, '')
						.toLowerCase(),
				)
				.filter(Boolean);
		const [spellings, negations] = lists;
		const kind = negations ? 'bool' : hints === 0 ? 'switch' : hints === 1 ? 'value' : 'two-values';
		out.push({
			spellings,
			...(negations ? { negations } : {}),
			kind,
			...(env ? { env } : {}),
			...(examples ? { examples: names(examples) } : examplesVar ? { examples: [examplesVar] } : {}),
			...(excludes ? { excludes: names(excludes) } : {}),
			...(/DEPRECATED/.test(help) ? { deprecated: {} } : {}),
		});
	}
	return out;
}

/** The `.set_env(…).set_examples(…)` chain that follows a `common_arg(…)` call. */
function chainAfter(text, end) {
	let i = end;
	let chain = '';
	for (;;) {
		const m = /^\s*\.(\w+)\(/.exec(text.slice(i, i + 200));
		if (!m) return chain;
		const open = i + m[0].length - 1;
		const close = closeOf(text, open);
		if (close < 0) return chain;
		chain += text.slice(i, close);
		i = close;
	}
}
