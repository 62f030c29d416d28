/** "Did you mean" for keyword arguments: optimal-string-alignment distance against a known list. */

export function editDistance(a: string, b: string): number {
	const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
		i,
		...Array<number>(b.length).fill(0),
	]);
	for (let j = 1; j <= b.length; j++) d[0][j] = j;
	for (let i = 1; i <= a.length; i++)
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
				d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
		}
	return d[a.length][b.length];
}

/**
 * The known name `name` is clearly a misspelling of, or undefined. "Clearly": within 1 edit for short
 * names, 2 for names of 8+ characters, and no other known name equally close.
 */
export function misspeltOf(name: string, known: Iterable<string>): string | undefined {
	if (name.length < 4) return undefined;
	const max = name.length >= 8 ? 2 : 1;
	let best: string | undefined;
	let bestD = Infinity;
	let tie = false;
	for (const k of known) {
		if (k === name) return undefined;
		if (Math.abs(k.length - name.length) > max) continue;
		const d = editDistance(name.toLowerCase(), k.toLowerCase());
		if (d < bestD) {
			best = k;
			bestD = d;
			tie = false;
		} else if (d === bestD) tie = true;
	}
	return best !== undefined && bestD <= max && !tie ? best : undefined;
}
