/**
 * Number formatting for hovers and lenses. Decimal units (GB = 10^9 bytes, as the catalog and vendors use)
 * first, binary units (GiB = 2^30 bytes, what `nvidia-smi` and OOM messages print) in parentheses, so users
 * can compare with either without guessing. Locale-independent.
 */

function sig(v: number, digits = 3): string {
	if (!Number.isFinite(v)) return String(v);
	if (v === 0) return '0';
	const abs = Math.abs(v);
	if (abs >= 10 ** digits) return Math.round(v).toLocaleString('en-US');
	return Number(v.toPrecision(digits)).toString();
}

const DECIMAL: [number, string][] = [
	[1e12, 'TB'],
	[1e9, 'GB'],
	[1e6, 'MB'],
	[1e3, 'kB'],
];
const BINARY: [number, string][] = [
	[2 ** 40, 'TiB'],
	[2 ** 30, 'GiB'],
	[2 ** 20, 'MiB'],
	[2 ** 10, 'KiB'],
];

function scaled(bytes: number, units: [number, string][]): string {
	for (const [size, unit] of units) if (Math.abs(bytes) >= size) return `${sig(bytes / size)} ${unit}`;
	return `${sig(bytes)} B`;
}

/** `16.1 GB` (decimal only; for compact text like lenses). */
export function bytesDecimal(bytes: number): string {
	return scaled(bytes, DECIMAL);
}

/** `16.1 GB (15.0 GiB)`. */
export function bytes(bytes: number): string {
	if (Math.abs(bytes) < 1e3) return `${sig(bytes)} B`;
	return `${scaled(bytes, DECIMAL)} (${scaled(bytes, BINARY)})`;
}

/** Decimal GB/s, or TB/s from 1000 GB/s on. */
export function bandwidth(bytesPerSecond: number): string {
	const gbs = bytesPerSecond / 1e9;
	return gbs >= 1000 ? `${sig(gbs / 1000)} TB/s` : `${sig(gbs)} GB/s`;
}

export function tokensPerSecond(v: number): string {
	return `${sig(v)} tok/s`;
}

/** `8.03 B`, `70.6 B`, `494 M`. */
export function count(v: number): string {
	if (v >= 1e12) return `${sig(v / 1e12)} T`;
	if (v >= 1e9) return `${sig(v / 1e9)} B`;
	if (v >= 1e6) return `${sig(v / 1e6)} M`;
	return sig(v);
}

/** FLOPs with an SI prefix: `16.1 GFLOP`. */
export function flops(v: number): string {
	if (v >= 1e15) return `${sig(v / 1e15)} PFLOP`;
	if (v >= 1e12) return `${sig(v / 1e12)} TFLOP`;
	if (v >= 1e9) return `${sig(v / 1e9)} GFLOP`;
	if (v >= 1e6) return `${sig(v / 1e6)} MFLOP`;
	return `${sig(v)} FLOP`;
}

export function percent(share: number): string {
	return `${sig(share * 100, 2)} %`;
}

export function seconds(s: number): string {
	if (s >= 1) return `${sig(s)} s`;
	if (s >= 1e-3) return `${sig(s * 1e3)} ms`;
	return `${sig(s * 1e6)} µs`;
}

export function plain(v: number): string {
	return sig(v);
}
