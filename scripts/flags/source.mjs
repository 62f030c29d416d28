// Small source-text helpers shared by the flag parsers: balanced-bracket scanning that skips string
// literals, splitting call arguments at top-level commas, and reading Python/C++ string literals.

/** Index just past the bracket that closes the one at `open`, or -1. Strings and comments are skipped. */
export function closeOf(text, open) {
	const pairs = { '(': ')', '[': ']', '{': '}' };
	const stack = [pairs[text[open]]];
	for (let i = open + 1; i < text.length; i++) {
		const c = text[i];
		if (c === '"' || c === "'") {
			i = skipString(text, i) - 1;
			continue;
		}
		if (c === '#' && isPythonComment(text, i)) {
			while (i < text.length && text[i] !== '\n') i++;
			continue;
		}
		if (c === '/' && text[i + 1] === '/') {
			while (i < text.length && text[i] !== '\n') i++;
			continue;
		}
		if (pairs[c]) stack.push(pairs[c]);
		else if (c === stack[stack.length - 1]) {
			stack.pop();
			if (!stack.length) return i + 1;
		}
	}
	return -1;
}

// `#` starts a comment in Python but not inside a C++ `#include` line we never scan into.
function isPythonComment(text, i) {
	const lineStart = text.lastIndexOf('\n', i - 1) + 1;
	return !/^\s*#\s*(include|define|if|endif|else|pragma)/.test(text.slice(lineStart, i + 10));
}

/** Index just past the string literal starting at `i` (handles ''' / """ and escapes). */
export function skipString(text, i) {
	const q = text[i];
	if (text.startsWith(q.repeat(3), i)) {
		const end = text.indexOf(q.repeat(3), i + 3);
		return end < 0 ? text.length : end + 3;
	}
	for (let k = i + 1; k < text.length; k++) {
		if (text[k] === '\\') k++;
		else if (text[k] === q) return k + 1;
		else if (text[k] === '\n') return k;
	}
	return text.length;
}

/** Top-level comma-separated items of the text between brackets (brackets excluded). */
export function splitTop(text) {
	let inner = text;
	const items = [];
	let start = 0;
	for (let i = 0; i < inner.length; i++) {
		const c = inner[i];
		if (c === '"' || c === "'") i = skipString(inner, i) - 1;
		else if (c === '/' && inner[i + 1] === '/') {
			// A C++ line comment (llama.cpp puts some between the handler and the closing paren).
			const nl = inner.indexOf('\n', i);
			inner = inner.slice(0, i) + (nl < 0 ? '' : inner.slice(nl));
			i--;
		} else if (c === '(' || c === '[' || c === '{') i = closeOf(inner, i) - 1;
		else if (c === ',') {
			items.push(inner.slice(start, i).trim());
			start = i + 1;
		}
	}
	const last = inner.slice(start).trim();
	if (last) items.push(last);
	return items;
}

/** The value of a plain string literal item (`"--x"`, `'--x'`), or undefined. */
export function stringLiteral(item) {
	const m = /^[rbuf]?(["'])((?:\\.|(?!\1).)*)\1$/s.exec(item.trim());
	return m ? m[2] : undefined;
}

/** Every string literal inside a `{ "a", "b" }` / `["a", "b"]` list item, or undefined when not a list. */
export function stringList(item) {
	const t = item.trim();
	if (!/^[{[(]/.test(t)) return undefined;
	const items = splitTop(t.slice(1, -1));
	const values = items.map(stringLiteral);
	return values.every((v) => v !== undefined) ? values : undefined;
}

/** Calls `name(...)` in the text: the offset of the name and the argument text. */
export function* calls(text, name) {
	const re = new RegExp(`\\b${name.replace(/\./g, '\\.')}\\(`, 'g');
	let m;
	while ((m = re.exec(text))) {
		const open = m.index + m[0].length - 1;
		const close = closeOf(text, open);
		if (close < 0) continue;
		yield { at: m.index, args: text.slice(open + 1, close - 1), end: close };
		re.lastIndex = close;
	}
}
