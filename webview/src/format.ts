/**
 * Number formatting for the panel. The core works in SI units; units are chosen here and always shown.
 * GB is decimal (10^9 bytes), as in the catalog and vendor data sheets.
 */

/** Three significant digits, no exponent for the magnitudes the panel shows. */
export function sig(n: number, digits = 3): string {
	if (!Number.isFinite(n)) return '—';
	if (n === 0) return '0';
	const a = Math.abs(n);
	if (a >= 10 ** digits) return Math.round(n).toLocaleString('en-US');
	const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
	return n.toFixed(Math.min(decimals, 6));
}

export function gb(bytes: number): string {
	return `${sig(bytes / 1e9)} GB`;
}

export function tokS(n: number): string {
	return `${sig(n)} tok/s`;
}

export function seconds(sec: number): string {
	if (!Number.isFinite(sec)) return '—';
	if (sec < 1) return `${sig(sec * 1000)} ms`;
	if (sec < 120) return `${sig(sec)} s`;
	return `${sig(sec / 60)} min`;
}

export function usd(n: number): string {
	if (!Number.isFinite(n)) return '—';
	if (n >= 100) return `$${Math.round(n).toLocaleString('en-US')}`;
	return `$${n >= 1 ? n.toFixed(2) : sig(n, 2)}`;
}

export function joules(j: number): string {
	if (!Number.isFinite(j)) return '—';
	return j < 1 ? `${sig(j * 1000)} mJ` : `${sig(j)} J`;
}

export function pct(x: number): string {
	if (!Number.isFinite(x)) return '—';
	const p = x * 100;
	return `${p < 1 ? sig(p, 2) : Math.round(p)} %`;
}

export function tflops(flopsPerSecond: number): string {
	return `${sig(flopsPerSecond / 1e12)} TFLOP/s`;
}

/** Tokens: 8192 → "8,192"; 131072 → "131,072". */
export function tokens(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}
