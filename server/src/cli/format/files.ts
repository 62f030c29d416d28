/**
 * The file side of `analyze`: expands paths into files (directories recursively, skipping dependency,
 * build and hidden folders), reads them with bounds, and gives the analysis a host that reads only inside
 * the paths the user named.
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisHost } from '../../analysis/types';
import { UsageError } from '../io';

const SKIP_DIRS = new Set(['node_modules', 'dist', '__pycache__', 'site-packages']);
const SNIFF_BYTES = 8192;

export interface FileEntry {
	abs: string;
	/** As shown in output: relative to the working directory, with forward slashes. */
	display: string;
	/** Named on the command line (then analyzed even when hidden). */
	explicit: boolean;
}

/** Expands the command-line paths; a missing path is a usage error. */
export function collectFiles(paths: string[], cwd: string): FileEntry[] {
	const out = new Map<string, FileEntry>();
	for (const p of paths) {
		const abs = path.resolve(cwd, p);
		let st;
		try {
			st = statSync(abs);
		} catch {
			throw new UsageError(`no such file or directory: ${p}`);
		}
		if (st.isDirectory()) walk(abs, cwd, out);
		else if (st.isFile()) out.set(abs, { abs, display: display(abs, cwd), explicit: true });
	}
	return [...out.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

function walk(dir: string, cwd: string, out: Map<string, FileEntry>): void {
	let names: string[];
	try {
		names = readdirSync(dir).sort();
	} catch {
		return;
	}
	for (const name of names) {
		const abs = path.join(dir, name);
		let st;
		try {
			st = lstatSync(abs);
		} catch {
			continue;
		}
		// Symlinks are not followed: no loops, no escaping the named folder.
		if (st.isSymbolicLink()) continue;
		if (st.isDirectory()) {
			if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
			walk(abs, cwd, out);
		} else if (st.isFile() && !name.startsWith('.')) {
			out.set(abs, { abs, display: display(abs, cwd), explicit: false });
		} else if (st.isFile() && /^\.env(\..+)?$/.test(name)) {
			out.set(abs, { abs, display: display(abs, cwd), explicit: false });
		}
	}
}

function display(abs: string, cwd: string): string {
	const rel = path.relative(cwd, abs);
	return (rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}

export type ReadResult =
	{ kind: 'text'; text: string } | { kind: 'binary' } | { kind: 'too-large'; bytes: number };

/** Reads a file unless it is larger than `maxBytes` or looks binary (a NUL in its first 8 KB). */
export function readTextFile(abs: string, maxBytes: number): ReadResult {
	const size = statSync(abs).size;
	if (size > maxBytes) return { kind: 'too-large', bytes: size };
	const bytes = readBounded(abs, size);
	if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { kind: 'binary' };
	let text = new TextDecoder('utf-8').decode(bytes);
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	return { kind: 'text', text };
}

function readBounded(abs: string, maxBytes: number): Uint8Array {
	const fd = openSync(abs, 'r');
	try {
		const buf = Buffer.alloc(maxBytes);
		let n = 0;
		while (n < maxBytes) {
			const r = readSync(fd, buf, n, maxBytes - n, n);
			if (r === 0) break;
			n += r;
		}
		return buf.subarray(0, n);
	} finally {
		closeSync(fd);
	}
}

/**
 * A host that reads GGUF headers and config.json files only inside the named paths: a named folder, or
 * the folder of a named file. Reads stop at `maxBytes`.
 */
export function boundedHost(paths: string[], cwd: string): AnalysisHost {
	const roots = paths.map((p) => {
		const abs = path.resolve(cwd, p);
		try {
			const real = realpathSync(abs);
			return statSync(real).isDirectory() ? real : path.dirname(real);
		} catch {
			return abs;
		}
	});
	const inside = (p: string): string | undefined => {
		try {
			const real = realpathSync(path.resolve(cwd, p));
			return roots.some((r) => real === r || real.startsWith(r + path.sep)) ? real : undefined;
		} catch {
			return undefined;
		}
	};
	return {
		readFile(p, maxBytes) {
			const real = inside(p);
			if (!real || !statSync(real).isFile()) return undefined;
			return readBounded(real, Math.min(maxBytes, statSync(real).size));
		},
		fileExists(p) {
			return inside(p) !== undefined;
		},
	};
}
