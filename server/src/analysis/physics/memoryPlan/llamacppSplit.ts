/**
 * Which device llama.cpp puts each layer on (src/llama-model.cpp load_tensors, get_layer_buft_list):
 *
 *   splits      = -ts proportions (default: each device's free memory), cumulative and normalised
 *   i_gpu_start = max(n_layer − n_gpu_layers, 0)   (the first layers stay on the CPU)
 *   act         = min(n_gpu_layers, n_layer + 1)
 *   layer il    → CPU if il < i_gpu_start or il − i_gpu_start ≥ act,
 *                 else device upper_bound(splits, (il − i_gpu_start) / act)
 *   output      → the same rule at il = n_layer
 *
 * -sm none keeps only the main GPU (-mg); -sm row adds a split buffer type that divides each weight matrix's
 * rows across the devices in the -ts proportions, while the layer (its KV, norms) keeps the device above.
 */
export type SplitMode = 'layer' | 'row' | 'none';

export interface LlamaCppSplitInput {
	nLayer: number;
	/** -ngl (n_gpu_layers); counts the output layer, so n_layer + 1 is "all". */
	nGpuLayers: number;
	/** -ts proportions, or the devices' free memory when -ts is not given. */
	proportions: number[];
	mode?: SplitMode;
	mainGpu?: number;
}

export interface LlamaCppSplit {
	/** Device of each repeating layer, −1 = CPU. */
	layerDevice: number[];
	/** Device of the output layer, −1 = CPU. */
	outputDevice: number;
	/** Share of each device in a row-split matrix (row mode), else undefined. */
	rowShare?: number[];
}

export function llamaCppSplit(input: LlamaCppSplitInput): LlamaCppSplit {
	const mode = input.mode ?? 'layer';
	const main = Math.max(0, Math.min(input.proportions.length - 1, input.mainGpu ?? 0));
	// -sm none: the device list is the main GPU alone.
	const devices = mode === 'none' ? [main] : input.proportions.map((_, i) => i);
	const raw = mode === 'none' ? [1] : input.proportions.map((p) => Math.max(0, p));
	const allZero = raw.every((x) => x === 0);
	const weights = allZero ? raw.map(() => 1) : raw;
	const total = weights.reduce((a, b) => a + b, 0);
	let acc = 0;
	const splits = weights.map((w) => (acc += w) / total);
	const n = input.nLayer;
	const iGpuStart = Math.max(n - input.nGpuLayers, 0);
	const act = devices.length === 0 ? 0 : Math.min(input.nGpuLayers, n + 1);
	const deviceOf = (il: number): number => {
		if (il < iGpuStart || il - iGpuStart >= act) return -1;
		const x = (il - iGpuStart) / act;
		let k = splits.findIndex((s) => s > x); // std::upper_bound
		if (k < 0) k = splits.length - 1;
		return devices[k];
	};
	return {
		layerDevice: Array.from({ length: n }, (_, il) => deviceOf(il)),
		outputDevice: deviceOf(n),
		rowShare: mode === 'row' ? weights.map((w) => w / total) : undefined,
	};
}
