/**
 * Display formatting for numbers users see: every string carries its unit. Catalog and estimator values
 * are SI (bytes, bytes/s, FLOPs, seconds, USD); the conversion to GB vs GiB happens only here.
 */

const GB = 1e9;
const GIB = 1024 ** 3;

/** Rounds to `sig` significant digits without exponent notation, trimming trailing zeros. */
export function sig(x: number, digits = 3): string {
	if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : '—';
	if (x === 0) return '0';
	const mag = Math.floor(Math.log10(Math.abs(x)));
	const decimals = Math.max(0, digits - 1 - mag);
	return Number(x.toFixed(Math.min(decimals, 12))).toLocaleString('en-US', {
		maximumFractionDigits: Math.min(decimals, 12),
	});
}

/** Bytes in the largest fitting decimal unit: `16.1 GB`, `131 kB`, `512 B`. */
export function formatBytes(bytes: number): string {
	const abs = Math.abs(bytes);
	if (abs >= 1e12) return `${sig(bytes / 1e12)} TB`;
	if (abs >= GB) return `${sig(bytes / GB)} GB`;
	if (abs >= 1e6) return `${sig(bytes / 1e6)} MB`;
	if (abs >= 1e3) return `${sig(bytes / 1e3)} kB`;
	return `${sig(bytes)} B`;
}

/** Bytes in binary units: `14.96 GiB`, `128 KiB`. */
export function formatBytesBinary(bytes: number): string {
	const abs = Math.abs(bytes);
	if (abs >= 1024 ** 4) return `${sig(bytes / 1024 ** 4)} TiB`;
	if (abs >= GIB) return `${sig(bytes / GIB)} GiB`;
	if (abs >= 1024 ** 2) return `${sig(bytes / 1024 ** 2)} MiB`;
	if (abs >= 1024) return `${sig(bytes / 1024)} KiB`;
	return `${sig(bytes)} B`;
}

/** Both, where the difference matters (capacities, weights): `16.1 GB (14.96 GiB)`. */
export function formatBytesBoth(bytes: number): string {
	return `${formatBytes(bytes)} (${formatBytesBinary(bytes)})`;
}

/** Bandwidth from bytes/s: `3.35 TB/s`, `83.2 GB/s`. */
export function formatBandwidth(bytesPerSecond: number): string {
	if (Math.abs(bytesPerSecond) >= 1e12) return `${sig(bytesPerSecond / 1e12)} TB/s`;
	return `${sig(bytesPerSecond / GB)} GB/s`;
}

/** Bandwidth given in GB/s (catalog unit). */
export function formatGBs(gbs: number): string {
	return formatBandwidth(gbs * GB);
}

/** Token rates: `240 tok/s`, `7.4 tok/s`, `0.52 tok/s`. */
export function formatRate(tokensPerSecond: number, unit = 'tok/s'): string {
	return `${sig(tokensPerSecond)} ${unit}`;
}

/** Durations: `4.17 ms`, `36 µs`, `1.2 s`, `3.5 min`. */
export function formatSeconds(seconds: number): string {
	const abs = Math.abs(seconds);
	if (!Number.isFinite(seconds)) return sig(seconds);
	if (abs === 0) return '0 s';
	if (abs < 1e-3) return `${sig(seconds * 1e6)} µs`;
	if (abs < 1) return `${sig(seconds * 1e3)} ms`;
	if (abs < 120) return `${sig(seconds)} s`;
	if (abs < 7200) return `${sig(seconds / 60)} min`;
	return `${sig(seconds / 3600)} h`;
}

/** FLOP counts: `15.5 GFLOP`, `15.6 TFLOP`. */
export function formatFlops(flops: number): string {
	const abs = Math.abs(flops);
	const units: [number, string][] = [
		[1e18, 'EFLOP'],
		[1e15, 'PFLOP'],
		[1e12, 'TFLOP'],
		[1e9, 'GFLOP'],
		[1e6, 'MFLOP'],
		[1e3, 'kFLOP'],
	];
	for (const [scale, name] of units) if (abs >= scale) return `${sig(flops / scale)} ${name}`;
	return `${sig(flops)} FLOP`;
}

/** Compute rates given in TFLOPS (catalog unit): `989 TFLOPS`, `1.98 PFLOPS`. */
export function formatTflops(tflops: number): string {
	if (Math.abs(tflops) >= 1000) return `${sig(tflops / 1000)} PFLOPS`;
	return `${sig(tflops)} TFLOPS`;
}

/** US dollars: `$1.48`, `$0.031`, `$32,000`. */
export function formatUsd(usd: number): string {
	const abs = Math.abs(usd);
	if (abs >= 1000) return `$${Math.round(usd).toLocaleString('en-US')}`;
	if (abs >= 0.1) return `$${usd.toFixed(2)}`;
	return `$${sig(usd, 2)}`;
}

/** A 0..1 share as a percentage: `0.38 %`, `85 %`. */
export function formatPercent(share: number): string {
	const p = share * 100;
	return `${Math.abs(p) < 1 ? sig(p, 2) : sig(p, 3)} %`;
}

/** Energy per token: `2.04 J/token`, `350 mJ/token`. */
export function formatJoules(joules: number, per = 'token'): string {
	if (Math.abs(joules) < 1) return `${sig(joules * 1000)} mJ/${per}`;
	return `${sig(joules)} J/${per}`;
}

/** Parameter counts: `8.03 B params`, `671 B params`, `125 M params`. */
export function formatParams(n: number): string {
	if (Math.abs(n) >= 1e9) return `${sig(n / 1e9)} B params`;
	if (Math.abs(n) >= 1e6) return `${sig(n / 1e6)} M params`;
	return `${sig(n)} params`;
}

/** Token counts with thousands separators: `131,072 tokens`. */
export function formatTokens(n: number): string {
	return `${Math.round(n).toLocaleString('en-US')} tokens`;
}
