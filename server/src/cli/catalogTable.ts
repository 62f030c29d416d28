/** The catalog listings (`hardware`, `models`): their `--catalog` flag and plain-text tables. */
import { getCatalog } from '../analysis/catalog';
import type { Catalog } from '../analysis/catalog/types';
import { loadUserCatalogFile } from '../analysis/catalog/userCatalogFile';
import type { CliIO } from './io';
import { UsageError } from './io';

/**
 * The built-in catalog, or `--catalog FILE` merged over it. Entries the merge rejects are warnings here:
 * a listing still shows everything else.
 */
export function catalogFrom(flags: Record<string, unknown>, io: CliIO): Catalog {
	if (typeof flags.catalog !== 'string') return getCatalog();
	const r = loadUserCatalogFile(flags.catalog, io.cwd);
	if (!r.ok) throw new UsageError(r.error);
	for (const e of r.errors) io.stderr(`inference-meter: warning: ${e}\n`);
	return r.catalog;
}

export interface Column {
	title: string;
	/** Right-align numbers. */
	right?: boolean;
}

export function renderTable(columns: Column[], rows: string[][]): string {
	const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => (columns[i].right ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return (
		[line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join(
			'\n',
		) + '\n'
	);
}

/** A number with at most `digits` significant digits and thousands separators. */
export function num(n: number, digits = 4): string {
	const v = Number(n.toPrecision(digits));
	return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
