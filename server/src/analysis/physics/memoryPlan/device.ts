/**
 * Device memory as the engines see it. The catalog's `memoryGB` is the marketing label ("80 GB"); engines
 * size their pools from what the driver reports. Derivations in docs/physics.md § "Memory plan".
 */
import type { HardwareSpec } from '../../catalog/types';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/**
 * MiB that nvidia-smi's memory.total shows but cudaMemGetInfo (what vLLM and llama.cpp read) does not: the
 * median over the catalog devices whose total CUDA reports appears in server/data/measurements/startup.csv
 * (RTX 3090: 24,576 MiB vs 23.58 GiB → 430 MiB; L40S: 46,068 MiB vs 44.42 GiB → 582 MiB).
 * test/unit/physics/memoryPlan.test.ts recomputes it from the ledger and the catalog.
 */
export const CUDA_DRIVER_RESERVED_MIB = 506;

/** Bytes the driver reports for one device (nvidia-smi / rocm-smi total; unified memory in GiB). */
export function deviceMemoryBytes(hw: HardwareSpec): number {
	return hw.memoryBytes ?? hw.memoryGB * 1e9;
}

export interface VisibleMemory {
	bytes: number;
	/** How the figure was obtained, in words with the number. */
	rule: string;
}

/** What an engine process sees as the device total (cudaMemGetInfo on NVIDIA). */
export function engineVisibleMemory(hw: HardwareSpec): VisibleMemory {
	if (hw.memoryVisibleBytes !== undefined)
		return {
			bytes: hw.memoryVisibleBytes,
			rule: `${gib(hw.memoryVisibleBytes)} GiB as CUDA reports it on ${hw.name} (start-up log)`,
		};
	const total = deviceMemoryBytes(hw);
	if (hw.memoryBytes === undefined)
		return { bytes: total, rule: `${hw.memoryGB} GB catalog label (no driver figure for ${hw.name})` };
	if (hw.vendor === 'NVIDIA' && hw.deviceClass === 'gpu') {
		const bytes = total - CUDA_DRIVER_RESERVED_MIB * MIB;
		return {
			bytes,
			rule: `${gib(bytes)} GiB: nvidia-smi's ${String(Math.round(total / MIB)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} MiB less the ${CUDA_DRIVER_RESERVED_MIB} MiB CUDA does not report`,
		};
	}
	return { bytes: total, rule: `${gib(total)} GiB as the driver reports it` };
}

/** Share of unified memory Metal lets the GPU wire (recommendedMaxWorkingSetSize). */
export function metalWorkingSetFraction(totalBytes: number): number {
	return totalBytes <= 36 * GIB ? 2 / 3 : 0.75;
}

export function gib(bytes: number, digits = 2): string {
	return (bytes / GIB).toFixed(digits);
}

export function mib(bytes: number, digits = 2): string {
	return (bytes / MIB).toFixed(digits);
}
