/**
 * CPU decode rates: the DRAM stream one thread pulls (per core class), the thread-pool barrier's growth with
 * threads, and the dequant+dot throughput per core by ISA and GGUF type family (calibrated: calibrationTable.ts).
 */
import type { CpuCoreClass, CpuIsa, FormatSpec } from '../catalog/types';
import { constant } from './calibration';

/**
 * CPU: prior of the DRAM bandwidth one thread can pull (Little's law: ~24 misses × 64 B / ~95 ns); the active
 * value is the calibrated `cpuThreadGBs` (hardware prefetchers keep more lines in flight than demand misses).
 */
export const CPU_PER_THREAD_BANDWIDTH_GBS = 16;

/** The calibrated per-thread stream constant for a core class (absent: desktop/server cores). */
export function cpuThreadConstant(coreClass?: CpuCoreClass): string {
	return coreClass ? `cpuThreadGBs.${coreClass}` : 'cpuThreadGBs';
}

/** GB/s one CPU thread streams (calibrated per core class: desktop/server, mobile Arm, Apple P-core). */
export function cpuThreadGBs(coreClass?: CpuCoreClass): number {
	return constant(cpuThreadConstant(coreClass));
}

/**
 * A thread-pool barrier after each ggml op costs more with more threads to gather (log2 depth of the wake-up
 * and arrival), and nothing with one thread. The calibrated per-layer figure is at 8 threads.
 */
export function cpuBarrierScale(threads: number): number {
	return threads <= 1 ? 0 : Math.log2(1 + threads) / Math.log2(9);
}

/**
 * On a many-core server part the per-layer cost is the barriers' own: after each ggml op every thread announces
 * its arrival with an atomic add on one shared counter and spins until the last one flips the phase (ggml-cpu.c
 * ggml_barrier: atomic_fetch_add on n_barrier, spin on n_barrier_passed; OpenMP builds wait in libgomp's
 * centralized counter barrier, config/linux/bar.c gomp_barrier_wait_start/_end). The arrivals serialize on that
 * cache line, each a core-to-core transfer across the mesh or CCD fabric, so a barrier takes time in proportion to
 * the threads: linear, none with one thread (ggml_barrier returns at once). The calibrated figure
 * (layerUs.llama.cpp-cpu-server) is at 8 threads.
 */
export function cpuServerBarrierScale(threads: number): number {
	return threads <= 1 ? 0 : threads / 8;
}

/**
 * CPU: dequant+dot cost of a GGUF type family relative to Q4_0 (the calibrated per-core rates in
 * calibrationTable.ts are Q4_0-equivalent weights). From instruction counts of ggml's vec_dot kernels: float needs
 * no unpacking but moves 4× the bytes per weight through the FMA units (f16 → f32 convert), Q8_0 skips the
 * nibble unpack, K-quants unpack 6-bit scales per 16-weight sub-block, low-bit i-quants decode a lattice table.
 */
export const CPU_DOT_FORMAT_FACTOR = {
	float: 0.6,
	q8: 1.1,
	q4: 1,
	kquant: 0.8,
	iquantLow: 0.4,
	other: 0.6,
} as const;

/**
 * Kept for callers of the previous API: 10⁹ weights/s per thread by type family at the calibrated AVX2 rate.
 * @deprecated use cpuDotRate with the device ISA.
 */
export const CPU_DEQUANT_GWEIGHTS_PER_THREAD = {
	float: 30,
	q8: 25,
	q4: 20,
	kquant: 15,
	iquantLow: 8,
	other: 10,
} as const;

/** CPU dequant+dot format family of a weight format. */
function cpuFormatFamily(format: FormatSpec): keyof typeof CPU_DOT_FORMAT_FACTOR {
	const id = format.id.toLowerCase();
	if (!format.quantized || format.bitsPerWeight >= 16) return 'float';
	if (format.family !== 'gguf') return format.bitsPerWeight >= 8 ? 'q8' : 'other';
	if (/^iq[123]/.test(id)) return 'iquantLow';
	if (/_k/.test(id)) return 'kquant';
	if (format.bitsPerWeight >= 8) return 'q8';
	return 'q4';
}

/** CPU dequant+dot throughput of a weight format, 10⁹ weights/s per thread (AVX2 rate). */
export function cpuDequantRate(format: FormatSpec): number {
	return CPU_DEQUANT_GWEIGHTS_PER_THREAD[cpuFormatFamily(format)];
}

/** 10⁹ weights one physical core dequantizes and dots per second: calibrated ISA rate × format factor. */
export function cpuDotRate(format: FormatSpec, isa: CpuIsa): { rate: number; why: string } {
	const fam = cpuFormatFamily(format);
	const base = constant(`cpuDot.${isa}`);
	const f = CPU_DOT_FORMAT_FACTOR[fam];
	return {
		rate: base * f,
		why: `${isa} ${round(base)}×10⁹ Q4_0-weights/s per core (calibrated cpuDot.${isa}) × ${f} for ${format.id}`,
	};
}

function round(x: number): string {
	return String(Number(x.toPrecision(3)));
}
