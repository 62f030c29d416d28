/**
 * The one `--catalog FILE` rule for every CLI command (docs/catalog.md, "User catalog file"):
 *
 * - a file that is missing, unreadable, not a regular file, larger than 4 MiB, not JSON, or not a JSON
 *   object is a usage error (exit 2) naming the file: nothing in it could apply, and silently falling
 *   back to the built-in catalog would print numbers the user did not ask for;
 * - invalid entries inside a valid file are warnings on stderr (`inference-meter: user catalog: …`) and
 *   are skipped; the valid entries still apply, so one typo does not hide a whole lab's devices.
 */
import { getCatalog } from '../analysis/catalog';
import type { Catalog } from '../analysis/catalog/types';
import { loadUserCatalogFile } from '../analysis/catalog/userCatalogFile';
import type { CliIO } from './io';
import { UsageError } from './io';

/** The built-in catalog, or `file` (relative to `io.cwd`) merged over it. */
export function catalogFromFlag(file: string | undefined, io: CliIO): Catalog {
	if (file === undefined) return getCatalog();
	const r = loadUserCatalogFile(file, io.cwd);
	if (!r.ok) throw new UsageError(`--catalog: ${r.error}`);
	// mergeUserCatalog's messages already start with "user catalog: ".
	for (const e of r.errors) io.stderr(`inference-meter: ${e}\n`);
	return r.catalog;
}
