/**
 * `inference-meter hardware [--class C] [--json] [--catalog FILE]`: the hardware catalog as a table
 * with units, dense 16-bit peak, ridge point and price; unverified values are marked.
 */
import type { HardwareSpec } from '../analysis/catalog/types';
import { SPECTRUM_ORDER } from '../analysis/catalog/types';
import { DEVICE_CLASSES } from '../analysis/catalog/validate';
import { formatHelp, parseArgs } from './args';
import type { FlagSpec } from './args';
import { num, renderTable } from './catalogTable';
import { catalogFromFlag } from './userCatalog';
import type { CliIO } from './io';
import { UsageError } from './io';

const CLASSES = [...new Set<string>([...SPECTRUM_ORDER, ...DEVICE_CLASSES])];

const FLAGS: Record<string, FlagSpec> = {
	class: { kind: 'string', help: 'only devices of this spectrum class or device class', choices: CLASSES },
	json: { kind: 'boolean', help: 'print the entries as JSON (all fields, with sources)' },
	catalog: { kind: 'string', help: 'user catalog JSON file merged over the built-in one' },
	help: { kind: 'boolean', help: 'show this help', alias: 'h' },
};

const USAGE = 'usage: inference-meter hardware [--class <class>] [--json] [--catalog FILE]';

export const HARDWARE_LEGEND =
	'Units: memory in decimal GB (10^9 bytes) per device; bandwidth = spec GB/s (not measured); TFLOPS dense ' +
	'(no 2:4 sparsity), bf16 (fp16 where marked f); ridge = TFLOPS x 1000 / bandwidth, FLOP per byte; ' +
	'* = unverified (no primary source; see --json for sources and notes).';

/** The dense 16-bit peak used for the ridge point: bf16, else fp16. */
export function peak16(h: HardwareSpec): { tflops: number; dtype: 'bf16' | 'fp16' } | undefined {
	if (h.peakTflops.bf16) return { tflops: h.peakTflops.bf16, dtype: 'bf16' };
	if (h.peakTflops.fp16) return { tflops: h.peakTflops.fp16, dtype: 'fp16' };
	return undefined;
}

export function ridgeFlopsPerByte(h: HardwareSpec): number | undefined {
	const p = peak16(h);
	return p ? (p.tflops * 1000) / h.bandwidthGBs : undefined;
}

function mark(h: HardwareSpec, field: string): string {
	return h.unverified?.includes(field) ? '*' : '';
}

function price(h: HardwareSpec): string {
	if (h.priceUsd !== undefined)
		return `$${num(h.priceUsd, 6)}${mark(h, 'priceUsd')}${h.priceYear ? ` (${h.priceYear})` : ''}`;
	if (h.cloudUsdPerHour !== undefined)
		return `$${num(h.cloudUsdPerHour)}${mark(h, 'cloudUsdPerHour')}/h cloud`;
	return '-';
}

function row(h: HardwareSpec): string[] {
	const p = peak16(h);
	const ridge = ridgeFlopsPerByte(h);
	const peakMark = p ? mark(h, `peakTflops.${p.dtype}`) : '';
	return [
		h.id,
		h.name,
		h.deviceClass === h.spectrum ? h.spectrum : `${h.spectrum}/${h.deviceClass}`,
		`${num(h.memoryGB)}${mark(h, 'memoryGB')}`,
		`${num(h.bandwidthGBs, 6)}${mark(h, 'bandwidthGBs')}`,
		p ? `${num(p.tflops, 6)}${p.dtype === 'fp16' ? 'f' : ''}${peakMark}` : '-',
		ridge !== undefined ? `${num(ridge, 3)}${peakMark || mark(h, 'bandwidthGBs')}` : '-',
		price(h),
	];
}

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { flags, positionals } = parseArgs(argv, FLAGS);
	if (flags.help) {
		io.stdout(formatHelp(USAGE, FLAGS));
		return 0;
	}
	if (positionals.length) throw new UsageError(`hardware takes no arguments, got "${positionals[0]}"`);
	const catalog = catalogFromFlag(flags.catalog as string | undefined, io);
	const cls = flags.class as string | undefined;
	const list = catalog.hardware.filter((h) => !cls || h.spectrum === cls || h.deviceClass === cls);
	// Spectrum order (cheapest coupling first), then bandwidth: reads like the spectrum itself.
	const order = (h: HardwareSpec) => SPECTRUM_ORDER.indexOf(h.spectrum);
	list.sort((a, b) => order(a) - order(b) || a.bandwidthGBs - b.bandwidthGBs || a.id.localeCompare(b.id));
	if (flags.json) {
		const hardware = list.map((h) => ({ ...h, ridgeFlopsPerByte: ridgeFlopsPerByte(h) ?? null }));
		const units = {
			memoryGB: 'decimal GB (1e9 bytes) per device, the marketing label',
			memoryBytes:
				'bytes the driver reports per device (nvidia-smi / rocm-smi memory.total), see memorySource',
			memoryVisibleBytes:
				'bytes CUDA reports to the process (vLLM total_gpu_memory), where a start-up log shows it',
			bandwidthGBs: 'decimal GB/s, vendor spec, not measured',
			peakTflops: 'dense TFLOPS (TOPS for int types), no 2:4 sparsity',
			ridgeFlopsPerByte: 'bf16 (else fp16) TFLOPS x 1000 / bandwidthGBs',
			interconnect: 'GB/s per direction',
		};
		io.stdout(`${JSON.stringify({ units, hardware }, null, 2)}\n`);
		return 0;
	}
	if (!list.length) {
		io.stdout(`No devices of class "${cls}".\n`);
		return 0;
	}
	const table = renderTable(
		[
			{ title: 'id' },
			{ title: 'name' },
			{ title: 'class' },
			{ title: 'memory GB', right: true },
			{ title: 'bandwidth GB/s', right: true },
			{ title: 'bf16 TFLOPS', right: true },
			{ title: 'ridge FLOP/B', right: true },
			{ title: 'price' },
		],
		list.map(row),
	);
	io.stdout(`${table}\n${list.length} devices. ${HARDWARE_LEGEND}\n`);
	return 0;
}
