/**
 * llama.cpp's --fit (on by default; src/llama.cpp llama_params_fit_impl, common.h fit_params_target
 * 1024 MiB, fit_params_min_ctx 4096), for the parameters the user left unset:
 *
 *   1. projected use ≤ free − 1024 MiB on every device → no change
 *   2. n_ctx not set by the user: shrink it (not below 4096) by the deficit ÷ KV bytes per context token
 *   3. -ngl not set by the user: per device, target = free − 1024 MiB; layers are kept from the top
 *      (llama.cpp offloads the last n_gpu_layers) while they fit, the rest stay on the CPU
 *
 * MoE expert overflow to the CPU (step 2b of the source) is not modelled; a model that only fits that way is
 * reported as a partial -ngl.
 */
export const LLAMACPP_FIT_MARGIN_MIB = 1024;
export const LLAMACPP_FIT_MIN_CTX = 4096;
const MIB = 1024 ** 2;

export interface LlamaCppFitInput {
	/** Free bytes per device. */
	free: number[];
	/** Weights of one repeating block (bytes). */
	blockBytes: number;
	nLayer: number;
	/** Output layer (output + norm) bytes. */
	outputBytes: number;
	/** KV of the whole model per context token (bytes), at the default context. */
	kvBytesPerCtx: number;
	/** Compute buffer per device in use (bytes). */
	computeBytes: number;
	/** The context llama.cpp would use: the user's -c, else the model's trained context. */
	nCtx: number;
	ctxSetByUser: boolean;
	nglSetByUser: boolean;
	margin?: number;
}

export interface LlamaCppFit {
	nCtx: number;
	/** -ngl after fitting (n_layer + 1 = everything, output included). */
	ngl: number;
	changed: boolean;
	/** What --fit would log, in words. */
	reason: string;
}

export function llamaCppFit(input: LlamaCppFitInput): LlamaCppFit {
	const margin = input.margin ?? LLAMACPP_FIT_MARGIN_MIB * MIB;
	const nd = Math.max(1, input.free.length);
	const all = input.nLayer + 1;
	const used = (ctx: number) =>
		input.nLayer * input.blockBytes + input.outputBytes + ctx * input.kvBytesPerCtx + nd * input.computeBytes;
	const totalFree = input.free.reduce((a, b) => a + b, 0);
	let surplus = totalFree - nd * margin - used(input.nCtx);
	if (surplus >= 0)
		return {
			nCtx: input.nCtx,
			ngl: all,
			changed: false,
			reason: `fits with ≥ ${margin / MIB} MiB free per device`,
		};
	let nCtx = input.nCtx;
	if (!input.ctxSetByUser && nCtx > LLAMACPP_FIT_MIN_CTX && input.kvBytesPerCtx > 0) {
		const cut = Math.min(Math.ceil(-surplus / input.kvBytesPerCtx), nCtx - LLAMACPP_FIT_MIN_CTX);
		nCtx -= cut;
		surplus += cut * input.kvBytesPerCtx;
		if (surplus >= 0)
			return { nCtx, ngl: all, changed: true, reason: `context reduced from ${input.nCtx} to ${nCtx}` };
	}
	if (input.nglSetByUser)
		return { nCtx, ngl: all, changed: nCtx !== input.nCtx, reason: '-ngl set by the user: no layer change' };
	// Blocks from the top, filling the devices in turn; a block carries its share of the KV. The output
	// layer is offloaded only with every block (-ngl n_layer + 1).
	const layer = input.blockBytes + (nCtx * input.kvBytesPerCtx) / Math.max(1, input.nLayer);
	let blocks = 0;
	let outputOn = false;
	for (const free of input.free) {
		let room = free - margin - input.computeBytes;
		while (blocks < input.nLayer && room >= layer) {
			room -= layer;
			blocks++;
		}
		if (blocks === input.nLayer && !outputOn && room >= input.outputBytes) outputOn = true;
	}
	const ngl = blocks + (outputOn ? 1 : 0);
	return {
		nCtx,
		ngl,
		changed: true,
		reason: `${ngl} of ${all} layers on the GPU(s)${nCtx !== input.nCtx ? `, context ${nCtx}` : ''}`,
	};
}
