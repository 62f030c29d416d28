/**
 * Reads a user catalog file for the CLI (`--catalog FILE`) and merges it over the built-in one.
 * An unreadable, non-JSON or non-object file is an error for the caller to report; bad entries are
 * returned as messages and skipped (the rest of the file still applies).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getCatalog } from './load';
import type { Catalog } from './types';
import { mergeUserCatalog } from './userCatalog';
import { isObject } from './validate';

const MAX_BYTES = 4 * 1024 * 1024;

export type UserCatalogLoad = { ok: true; catalog: Catalog; errors: string[] } | { ok: false; error: string };

export function loadUserCatalogFile(file: string, cwd: string): UserCatalogLoad {
	const full = path.resolve(cwd, file);
	let text: string;
	try {
		const st = fs.statSync(full);
		if (!st.isFile()) return { ok: false, error: `catalog file ${file} is not a file` };
		if (st.size > MAX_BYTES) return { ok: false, error: `catalog file ${file} is larger than 4 MiB` };
		text = fs.readFileSync(full, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		return { ok: false, error: `cannot read catalog file ${file}${code ? ` (${code})` : ''}` };
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		return { ok: false, error: `catalog file ${file} is not valid JSON: ${(e as Error).message}` };
	}
	if (!isObject(json))
		return {
			ok: false,
			error: `catalog file ${file} must be a JSON object with "hardware", "models", "formats" or "kvDtypes" lists`,
		};
	const { catalog, errors } = mergeUserCatalog(getCatalog(), json);
	return { ok: true, catalog, errors };
}
