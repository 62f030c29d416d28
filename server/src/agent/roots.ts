/**
 * The agent tools read files only inside the roots the client gave (MCP `roots/list`, the workspace folders
 * in VS Code, or `--root` on the command line). Paths are compared after resolving symbolic links, so a
 * link inside a root that points outside it is refused like the outside path itself.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolInputError } from './inProcess';

/** A root given as a `file:` URI or a path, as an absolute real path; undefined when it does not exist. */
export function rootPath(root: string): string | undefined {
	try {
		const p = root.startsWith('file:') ? fileURLToPath(root) : root;
		return realpathSync(path.resolve(p));
	} catch {
		return undefined;
	}
}

function inside(child: string, root: string): boolean {
	const rel = path.relative(root, child);
	return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path of `given` (absolute, or relative to the first root) when it names a regular file inside
 * one of `roots`; else a ToolInputError that says why.
 */
export function fileInsideRoots(given: string, roots: readonly string[]): string {
	if (roots.length === 0)
		throw new ToolInputError('no roots: the client gave no folders this server may read');
	if (given.includes('\0')) throw new ToolInputError('path contains a NUL character');
	const candidate = path.isAbsolute(given) ? given : path.resolve(roots[0], given);
	let real: string;
	try {
		real = realpathSync(candidate);
	} catch {
		throw new ToolInputError(`no such file: ${given}`);
	}
	if (!roots.some((r) => inside(real, r)))
		throw new ToolInputError(`${given} is outside the roots this server may read (${roots.join(', ')})`);
	if (!statSync(real).isFile()) throw new ToolInputError(`${given} is not a regular file`);
	return real;
}
