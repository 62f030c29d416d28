/**
 * A device described only by flags (`--bandwidth-gbs --tflops --memory-gb --device-class`).
 */
import type { DeviceClass, HardwareSpec, SpectrumClass } from './types';

const SPECTRUM_OF: Record<DeviceClass, SpectrumClass> = {
	cpu: 'cpu',
	'apple-gpu': 'gpu',
	'unified-gpu': 'gpu',
	gpu: 'gpu',
	accelerator: 'gpu',
	dataflow: 'dataflow',
	'in-memory': 'in-memory-compute',
	sram: 'sram',
	hardwired: 'hardwired',
};

export function spectrumOf(deviceClass: DeviceClass): SpectrumClass {
	return SPECTRUM_OF[deviceClass];
}

function label(n: number): string {
	return String(Number(n.toPrecision(4)));
}

/**
 * Builds a HardwareSpec from user-supplied numbers. The TFLOPS figure is taken as the dense
 * 16-bit rate (bf16 and fp16); without one no compute peak is known. Memory defaults to
 * unlimited-for-practical-purposes only when not given: callers must say so (it is listed in
 * `unverified`).
 */
export function adHocHardware(o: {
	bandwidthGBs: number;
	tflops?: number;
	memoryGB?: number;
	deviceClass?: DeviceClass;
}): HardwareSpec {
	const deviceClass = o.deviceClass ?? 'gpu';
	const unverified = ['bandwidthGBs'];
	if (o.tflops !== undefined) unverified.push('peakTflops.bf16', 'peakTflops.fp16');
	if (o.memoryGB === undefined) unverified.push('memoryGB');
	const parts = [`${label(o.bandwidthGBs)} GB/s`];
	if (o.tflops !== undefined) parts.push(`${label(o.tflops)} TFLOPS`);
	if (o.memoryGB !== undefined) parts.push(`${label(o.memoryGB)} GB`);
	return {
		id: 'ad-hoc',
		name: `Ad-hoc ${deviceClass} (${parts.join(', ')})`,
		vendor: 'user',
		deviceClass,
		spectrum: SPECTRUM_OF[deviceClass],
		memoryType: 'unspecified',
		memoryGB: o.memoryGB ?? Number.MAX_SAFE_INTEGER / 1e9,
		bandwidthGBs: o.bandwidthGBs,
		peakTflops: o.tflops !== undefined ? { bf16: o.tflops, fp16: o.tflops } : {},
		unverified,
		sources: ['command-line flags'],
		notes:
			o.memoryGB === undefined
				? 'Described by flags; no --memory-gb, so capacity is not checked (treated as unlimited).'
				: 'Described by flags.',
		origin: 'ad-hoc',
	};
}
