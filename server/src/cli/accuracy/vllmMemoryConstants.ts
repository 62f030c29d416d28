/**
 * The data-chosen constants of vLLM's memory plan (physics/memoryPlan/vllm.ts), chosen from the start-up
 * ledger (server/data/measurements/startup.csv) by `npm run calibrate`, which writes
 * server/data/vllm-memory-constants.json. Each is the median of what the rows that measure it say:
 * - samplerBytesPerLogit: bytes per logit element of V1's dummy sampler run, from V1 rows whose profile
 *   peak is the sampler's (not the MLP's): (activation peak − last hidden states) ÷ (max_num_seqs × vocab).
 *   A row that logs the peak gives it directly; one that logs the weights and the available KV memory gives
 *   it as total × utilization − weights − available KV − the V1 non-torch median.
 *   V0's profile run uses the same value (vllmActivation.ts `samplerBytesPerLogit`) but its rows do not choose
 *   it: the ledger's V0 peaks sit on the MLP term (RTX 3090 at 20k / 29k, where "above the MLP" cannot separate
 *   them) or come from chunked-prefill profiles; the two that are clearly the sampler's (Llama-3-8B on an H100,
 *   0.6.5.dev: 39.2) agree with the V1 rows.
 * - cudaGraphGib: the graph memory the logs report ("Graph capturing finished … took X GiB").
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { getCatalog, resolveHardware, resolveModel } from '../../analysis/catalog/index';
import { engineVisibleMemory, isBigGpu } from '../../analysis/physics/memoryPlan';
import {
	mlpPeakBytes,
	samplerFixedBytes,
	samplerLogits,
	VLLM_V1_NON_TORCH_GIB,
} from '../../analysis/physics/memoryPlan/vllm';

const GIB = 1024 ** 3;

export interface ChosenConstant {
	value: number;
	what: string;
	rows: { id: string; value: number; how: string }[];
}

export interface VllmMemoryConstants {
	samplerBytesPerLogit: ChosenConstant;
	cudaGraphGib: ChosenConstant;
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : Number(s));

/** One V1 row's sampler bytes per logit, or undefined when the row does not measure it. */
function samplerPerLogit(r: Record<string, string>): { value: number; how: string } | undefined {
	if (r.engine !== 'vllm' || r.generation !== 'v1' || !r.model) return undefined;
	const catalog = getCatalog();
	const m = resolveModel(r.model, catalog);
	if (!m.ok) return undefined;
	const hw = r.hardware ? resolveHardware(r.hardware, catalog) : undefined;
	const total =
		num(r.total_gpu_memory_gib) ?? (hw?.ok ? engineVisibleMemory(hw.hardware).bytes / GIB : undefined);
	if (total === undefined) return undefined;
	const big = hw?.ok ? isBigGpu({ hardware: hw.hardware }) : total >= 70 && !/a100/i.test(r.hardware);
	const seqs = num(r.max_num_seqs) ?? (big ? 1024 : 256);
	const tokens = num(r.max_num_batched_tokens) ?? (big ? 8192 : 2048);
	const tp = num(r.tp) ?? 1;
	let act = num(r.activation_peak_gib);
	let how = 'logged activation peak';
	const weights = num(r.weights_gib);
	const kv = num(r.kv_available_gib);
	if (act === undefined && weights !== undefined && kv !== undefined) {
		act = total * (num(r.gpu_memory_utilization) ?? 0.9) - weights - kv - VLLM_V1_NON_TORCH_GIB;
		how = 'total × utilization − weights − available KV − V1 non-torch median';
	}
	if (act === undefined) return undefined;
	const peak = act * GIB;
	// Only a row whose peak is the sampler's says anything about the sampler.
	if (peak <= mlpPeakBytes(m.model, tokens, tp)) return undefined;
	const value = (peak - samplerFixedBytes(m.model, tokens)) / samplerLogits(m.model, tokens, seqs);
	return { value, how };
}

export function chooseVllmMemoryConstants(records: Record<string, string>[]): VllmMemoryConstants {
	const sampler: ChosenConstant['rows'] = [];
	const graphs: ChosenConstant['rows'] = [];
	for (const r of records) {
		const s = samplerPerLogit(r);
		if (s) sampler.push({ id: r.id, value: Number(s.value.toFixed(2)), how: s.how });
		const g = num(r.cuda_graph_gib);
		if (r.engine === 'vllm' && g !== undefined) graphs.push({ id: r.id, value: g, how: 'logged' });
	}
	return {
		samplerBytesPerLogit: {
			value: sampler.length ? Number(median(sampler.map((x) => x.value)).toFixed(1)) : NaN,
			what: "bytes per logit element of vLLM V1's profile sampler run (max_num_seqs × vocab)",
			rows: sampler,
		},
		cudaGraphGib: {
			value: graphs.length ? Number(median(graphs.map((x) => x.value)).toFixed(2)) : NaN,
			what: 'GiB of CUDA graph memory one vLLM worker captures',
			rows: graphs,
		},
	};
}

/** Writes server/data/vllm-memory-constants.json from the ledger (called by `npm run calibrate`). */
export function writeVllmMemoryConstants(
	root: string,
	records: Record<string, string>[],
	date: string,
): string {
	const out = path.join(root, 'server', 'data', 'vllm-memory-constants.json');
	const chosen = chooseVllmMemoryConstants(records);
	const body = {
		about:
			'Data-chosen constants of the vLLM memory plan, written by `npm run calibrate` from server/data/measurements/startup.csv (the median of what the rows that measure each say). Do not edit by hand: re-run the script. Rules: server/src/cli/accuracy/vllmMemoryConstants.ts.',
		ledger: { file: 'server/data/measurements/startup.csv', rows: records.length, date },
		constants: chosen,
	};
	writeFileSync(out, `${JSON.stringify(body, null, '\t')}\n`);
	return out;
}
