/**
 * The small glob dialect of `.inference-meter.yaml` (`ignore`, `overrides[].files`): `*` and `?` stay inside
 * one path segment, `**` spans any number of segments, `{a,b}` picks one. A pattern without a slash matches
 * the file name at any depth (as in .gitignore); one with a slash matches from the config file's folder.
 */

/** Compiles one glob to an anchored regular expression over forward-slash relative paths. */
export function globToRegExp(glob: string): RegExp {
	let pattern = glob.trim().replace(/^\.\//, '');
	if (pattern.endsWith('/')) pattern += '**';
	// A leading slash anchors the pattern at the config's folder, like any other slash.
	const anywhere = !pattern.includes('/');
	pattern = pattern.replace(/^\//, '');
	let out = '';
	let depth = 0;
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '*' && pattern[i + 1] === '*') {
			// `**/` is zero or more whole segments; a trailing `**` is everything below.
			if (pattern[i + 2] === '/') {
				out += '(?:[^/]*/)*';
				i += 2;
			} else {
				out += '.*';
				i += 1;
			}
		} else if (c === '*') out += '[^/]*';
		else if (c === '?') out += '[^/]';
		else if (c === '{') {
			out += '(?:';
			depth++;
		} else if (c === '}' && depth > 0) {
			out += ')';
			depth--;
		} else if (c === ',' && depth > 0) out += '|';
		else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
	}
	out += ')'.repeat(depth);
	return new RegExp(`^${anywhere ? '(?:.*/)?' : ''}${out}$`);
}

/** True when the relative path (forward slashes, no leading `./`) matches any of the globs. */
export function matchesAny(relPath: string, globs: readonly string[]): boolean {
	return globs.some((g) => globToRegExp(g).test(relPath));
}
