/**
 * Non-GPU accelerators (dataflow, SRAM, in-memory, hardwired): where the weights are read from and how long a
 * token spends in one transformer layer. Derivations in docs/physics.md § "Non-GPU accelerators".
 *
 * On these stacks the vendor compiler fuses a whole decoder layer into one statically scheduled program, so
 * the time a token spends in a layer is a property of the chip and its network (a per-layer latency the vendor
 * claims pin down), not a GPU kernel stream plus launch gaps plus PCIe all-reduces.
 */
import type { DeviceClass, HardwareSpec, ModelSpec } from '../catalog/types';

/**
 * Per-layer latency by class, used when the device has no `layerLatency` of its own (catalog hardware.json
 * carries the per-device figures and the claims they come from).
 */
export const VENDOR_LAYER_LATENCY_US: Partial<Record<DeviceClass, number>> = {
	dataflow: 25, // SambaNova 1,042 tok/s on Llama 3.1 8B ⇒ ~30 µs/layer; RNGD compiled graphs similar
	'in-memory': 30, // d-Matrix: 1 ms/token on Llama3-8B (32 layers) ⇒ ~31 µs/layer
	sram: 25, // Cerebras 1,800 tok/s on 8B ⇒ 17 µs/layer; Groq 751 tok/s ⇒ 42 µs/layer; middle
	// Taalas HC1 claims 17,000 tok/s on 8B (59 µs/token); the catalog's effective bandwidth is derived from that
	// claim, so only a token latency is added here to avoid counting it twice.
	hardwired: 0.1,
};

/** Parameters in one transformer layer, 10⁹ (the embedding and LM head excluded). */
export function layerBillionParams(model: ModelSpec): number {
	const vh = model.vocab * model.hidden * (model.tiedEmbeddings ? 1 : 2);
	return Math.max(0, model.paramsActive - vh) / model.layers / 1e9;
}

/**
 * Chips a model occupies on an SRAM-only part: its weights must sit in on-chip memory, so at least
 * weights / SRAM chips hold them, whatever count was given.
 */
export function chipsToHold(hardware: HardwareSpec, weightsBytes: number): number {
	if (!hardware.sramMB || hardware.deviceClass !== 'sram') return 1;
	return Math.max(1, Math.ceil(weightsBytes / (hardware.sramMB * 1e6)));
}

/**
 * µs one token spends per layer on a vendor stack: the device's own claims (a fixed part, plus a part that grows
 * with the layer's parameters, plus a part per doubling of the chips the model spans, where two claims on
 * different sizes give the slope), else the class figure.
 */
export function vendorLayerUs(
	deviceClass: DeviceClass,
	hardware?: HardwareSpec,
	model?: ModelSpec,
	chips = 1,
): { us: number; why: string } {
	const own = hardware?.layerLatency;
	if (own) {
		const layerB = model ? layerBillionParams(model) : 0;
		const doublings = Math.log2(Math.max(1, chips));
		const us =
			own.us + (own.usPerLayerBillionParams ?? 0) * layerB + (own.usPerChipDoubling ?? 0) * doublings;
		const span = own.usPerChipDoubling ? `; ${Math.max(1, chips)} chips` : '';
		return { us, why: `${own.source}${span}` };
	}
	const us = VENDOR_LAYER_LATENCY_US[deviceClass] ?? 25;
	return { us, why: `${deviceClass} class figure from vendor tok/s claims` };
}

/** Which memory tier a step streams the weights from, and at what spec bandwidth (GB/s). */
export interface WeightTier {
	gbs: number;
	residence: 'device' | 'sram' | 'capacity';
	why?: string;
}

/**
 * The tier the weights stream from: on-chip SRAM when weights + KV fit there (always, for a hardwired part);
 * the capacity tier (SambaNova's DDR5 behind HBM, d-Matrix's LPDDR5X behind SRAM) when they do not fit in the
 * device memory `bandwidthGBs` describes; else that device memory.
 */
export function weightTier(
	hardware: HardwareSpec,
	weightsBytesPerDevice: number,
	kvBytesPerDevice: number,
): WeightTier {
	const bytes = weightsBytesPerDevice + kvBytesPerDevice;
	if (hardware.sramMB && hardware.sramBandwidthTBs) {
		if (bytes <= hardware.sramMB * 1e6 || hardware.deviceClass === 'hardwired')
			return { gbs: hardware.sramBandwidthTBs * 1000, residence: 'sram' };
	}
	const cap = hardware.capacityMemory;
	if (cap && weightsBytesPerDevice > hardware.memoryGB * 1e9) {
		return {
			gbs: cap.bandwidthGBs,
			residence: 'capacity',
			why: `weights (${(weightsBytesPerDevice / 1e9).toFixed(1)} GB per device) exceed the ${hardware.memoryGB} GB device tier: streamed from ${cap.type} at ${cap.bandwidthGBs} GB/s (${cap.source})`,
		};
	}
	return { gbs: hardware.bandwidthGBs, residence: 'device' };
}
