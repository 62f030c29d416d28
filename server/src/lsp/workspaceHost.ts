/**
 * The AnalysisHost the language server gives the analysis: reads files a document refers to (GGUF headers,
 * config.json, requirements.txt) — only inside the workspace folders, only up to a byte limit, and never
 * anything that is not a regular file. Nothing is ever executed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisHost } from '../analysis/types';

/** Hard cap whatever the analysis asks for: a GGUF header or a config.json is far smaller. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

function realpathOrUndefined(p: string): string | undefined {
	try {
		return fs.realpathSync(p);
	} catch {
		return undefined;
	}
}

/** True when `child` is `root` or lies below it (both already real, absolute paths). */
export function isInside(root: string, child: string): boolean {
	const rel = path.relative(root, child);
	return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class WorkspaceHost implements AnalysisHost {
	private readonly roots: string[];

	/**
	 * @param roots workspace folder paths; reads outside them are refused.
	 * @param baseDir directory relative paths are resolved against (the document's folder).
	 * @param extraAllowed absolute files the user named explicitly in settings (the user catalog).
	 */
	constructor(
		roots: readonly string[],
		private readonly baseDir: string | undefined,
		private readonly extraAllowed: readonly string[] = [],
	) {
		this.roots = roots.map((r) => realpathOrUndefined(r)).filter((r): r is string => r !== undefined);
	}

	/** The real path of `p` when reading it is allowed, else undefined. Symlinks out of the workspace are refused. */
	resolveAllowed(p: string): string | undefined {
		const abs = path.isAbsolute(p) ? p : this.baseDir ? path.resolve(this.baseDir, p) : undefined;
		if (!abs) return undefined;
		const real = realpathOrUndefined(abs);
		if (!real) return undefined;
		if (this.extraAllowed.some((a) => realpathOrUndefined(a) === real)) return real;
		return this.roots.some((root) => isInside(root, real)) ? real : undefined;
	}

	readFile(p: string, maxBytes: number): Uint8Array | undefined {
		const real = this.resolveAllowed(p);
		if (!real) return undefined;
		let fd: number | undefined;
		try {
			const stat = fs.statSync(real);
			if (!stat.isFile()) return undefined;
			const limit = Math.max(0, Math.min(maxBytes, MAX_READ_BYTES, stat.size));
			const buf = Buffer.alloc(limit);
			fd = fs.openSync(real, 'r');
			let read = 0;
			while (read < limit) {
				const n = fs.readSync(fd, buf, read, limit - read, read);
				if (n === 0) break;
				read += n;
			}
			return new Uint8Array(buf.buffer, buf.byteOffset, read);
		} catch {
			return undefined;
		} finally {
			if (fd !== undefined) fs.closeSync(fd);
		}
	}

	fileExists(p: string): boolean {
		const real = this.resolveAllowed(p);
		if (!real) return false;
		try {
			return fs.statSync(real).isFile();
		} catch {
			return false;
		}
	}
}
