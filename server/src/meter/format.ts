/**
 * Plain-text rendering for the meter's CLI output: aligned tables and number formatting with units.
 */

/** Aligns columns; `rightAligned` lists the numeric columns by index. */
export function table(header: string[], rows: string[][], rightAligned: number[] = []): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function fmt(x: number | null | undefined, digits = 1): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '—';
	return x.toFixed(digits);
}

export function pct(x: number | null | undefined): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '—';
	return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}
