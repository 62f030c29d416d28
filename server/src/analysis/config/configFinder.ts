/**
 * Finds the `.inference-meter.yaml` that applies to a document: in the document's folder or the nearest
 * parent, stopping at the repository or workspace root. Reads go through the injected reader, so the core
 * does no I/O of its own and the CLI, the language server and the MCP tools each bring their own.
 */
import { CONFIG_FILE_NAMES } from './projectConfig';

export interface ConfigReader {
	/** The file's text, or undefined when it does not exist or may not be read. */
	read(path: string): string | undefined;
	/** True for the last folder to look in (a workspace folder, a folder holding `.git`). */
	isRoot(dir: string): boolean;
}

export interface FoundConfig {
	path: string;
	text: string;
}

/** The folder of a path, for `/` and `\` separators; the root stays itself. */
export function dirOf(p: string): string {
	const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
	if (i < 0) return '.';
	if (i === 0) return p.slice(0, 1);
	// `C:\x` → `C:\`
	if (i === 2 && p[1] === ':') return p.slice(0, 3);
	return p.slice(0, i);
}

function join(dir: string, name: string): string {
	const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
	return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** Bounded walk up: a config more than 64 folders above the file is not a project config. */
const MAX_DEPTH = 64;

export function findProjectConfig(docPath: string, reader: ConfigReader): FoundConfig | undefined {
	let dir = dirOf(docPath);
	for (let i = 0; i < MAX_DEPTH; i++) {
		for (const name of CONFIG_FILE_NAMES) {
			const path = join(dir, name);
			const text = reader.read(path);
			if (text !== undefined) return { path, text };
		}
		const parent = dirOf(dir);
		if (reader.isRoot(dir) || parent === dir) return undefined;
		dir = parent;
	}
	return undefined;
}

/** True for a document that is itself a project config (the language server validates it). */
export function isProjectConfigPath(p: string): boolean {
	const base = p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
	return CONFIG_FILE_NAMES.includes(base);
}
