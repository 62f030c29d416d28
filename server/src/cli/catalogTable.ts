/** The catalog listings (`hardware`, `models`): their plain-text tables. */
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
