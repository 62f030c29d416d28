/**
 * Number formatting for finding messages. Decimal GB (10^9 bytes) everywhere, as the catalog uses, and
 * named as such; thousands separators fixed to `,` so messages do not depend on the host locale.
 */

/** 32768 → `32,768`. */
export function int(n: number): string {
	const s = Math.round(n).toString();
	return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes → `16.1 GB` (decimal). */
export function gb(bytes: number): string {
	const v = bytes / 1e9;
	if (v >= 100) return `${int(v)} GB`;
	if (v >= 10) return `${v.toFixed(1)} GB`;
	if (v >= 1) return `${v.toFixed(2)} GB`;
	return `${(bytes / 1e6).toFixed(0)} MB`;
}

/** Bytes → `4.62 GiB` (binary), for numbers that stand beside an engine's own GiB log lines. */
export function gib(bytes: number): string {
	return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** 0.0123 → `1.2 %`; small shares keep two significant digits. */
export function pct(share: number): string {
	const v = share * 100;
	if (v >= 10) return `${v.toFixed(0)} %`;
	if (v >= 1) return `${v.toFixed(1)} %`;
	return `${v.toPrecision(2)} %`;
}

/** Tokens per second, `160 tok/s` or `4.2 tok/s`. */
export function tokS(v: number): string {
	return v >= 100 ? `${int(v)} tok/s` : `${v.toFixed(1)} tok/s`;
}

/** `1 sequence` / `14 sequences`. */
export function plural(n: number, word: string): string {
	return `${int(n)} ${word}${n === 1 ? '' : 's'}`;
}
