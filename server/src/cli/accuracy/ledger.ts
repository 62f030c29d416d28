/**
 * The decode measurement ledger (server/data/measurements/decode.csv): one published decode run per row.
 * Turns each row into an estimator input — catalog device and model where the row names them, an ad-hoc
 * device from its label and spec bandwidth, or a model shaped like the nearest catalog model of the row's
 * parameter count where it does not — or into a skipped row with the reason. No row is dropped silently.
 */
import { adHocHardware, getCatalog, resolveFormat, resolveKvDtype } from '../../analysis/catalog/index';
import type {
	Catalog,
	DeviceClass,
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../../analysis/catalog/types';
import type { Backend } from '../../analysis/physics/efficiency';
import type { Engine, EstimateInput } from '../../analysis/physics/types';
import {
	activeParamsFromLabel,
	cpuFromLabel,
	deviceClassFor,
	familyOf,
	hardwareFromLabel,
	llamaCppGraphsOf,
	vllmEngineOfRow,
	modelFromLabel,
	modelFromParams,
	numaPagesOf,
	plausibleBits,
} from './ledgerLabels';

/** Columns a ledger file must have (the header the ledger helper writes). */
export const LEDGER_COLUMNS = [
	'id',
	'engine',
	'backend',
	'hardware_id',
	'hardware_label',
	'mem_bw_gbs',
	'devices',
	'model_id',
	'params_b',
	'weight_format',
	'bits_per_weight',
	'batch',
	'decode_tok_s_per_user',
] as const;

/** Ledger engine names → estimator engine ids. Names not here are skipped with the reason. */
const ENGINE_ALIASES: Record<string, Engine> = {
	'llama.cpp': 'llama.cpp',
	llamacpp: 'llama.cpp',
	'llama-cpp': 'llama.cpp',
	ollama: 'ollama',
	vllm: 'vllm',
	sglang: 'sglang',
	'trt-llm': 'trt-llm',
	trtllm: 'trt-llm',
	'tensorrt-llm': 'trt-llm',
	mlc: 'mlc',
	'mlc-llm': 'mlc',
	pytorch: 'pytorch',
	transformers: 'pytorch',
	'hf-transformers': 'pytorch',
	'pytorch-compiled': 'pytorch-compiled',
	'gpt-fast': 'pytorch-compiled',
	'transformers.js': 'transformers.js',
	mlx: 'mlx',
	'mlx-lm': 'mlx',
	exllama: 'exllama',
	exllamav2: 'exllama',
	exllamav3: 'exllama',
	'other:pytorch-eager': 'pytorch',
	'pytorch-eager': 'pytorch',
	// Intel Extension for PyTorch's LLM path (ipex.llm.optimize, Optimum Intel's IPEX models) fuses each decoder
	// layer into a few C++ kernels and runs a TorchScript graph (jit trace + freeze): no per-op Python dispatch,
	// the compiled PyTorch path's cost structure.
	ipex: 'pytorch-compiled',
	'intel-extension-for-pytorch': 'pytorch-compiled',
	// Vendor-stack rows (Groq, Cerebras, SambaNova) run the vendor's own runtime; the estimator ignores the
	// engine on those device classes (backend 'vendor'), so any id stands for it.
	vendor: 'vllm',
};

const BACKENDS: Record<string, Backend> = {
	cuda: 'cuda',
	rocm: 'rocm',
	hip: 'rocm',
	metal: 'metal',
	mps: 'metal',
	cpu: 'cpu',
	vulkan: 'vulkan',
	sycl: 'vulkan',
	opencl: 'vulkan',
	webgpu: 'webgpu',
	wasm: 'wasm',
	vendor: 'vendor',
};

/** A ledger row ready to estimate. */
export interface LedgerRow {
	id: string;
	input: EstimateInput;
	measured: number;
	engine: Engine;
	/** The engine name as the ledger writes it (groups CV by what was measured). */
	engineName: string;
	deviceClass: DeviceClass;
	/** Device family for leave-one-family-out cross-validation (apple-m, nvidia-consumer, …). */
	family: string;
	/** 'batch 1' or 'batch > 1'. */
	regime: string;
	hardwareLabel: string;
	bandwidthGBs: number;
	/** What the loader had to assume (ad-hoc device, model shape from a neighbour). */
	notes: string[];
}

export interface SkippedRow {
	id: string;
	reason: string;
}

const F16_KV: KvDtypeSpec = {
	id: 'f16',
	label: 'f16',
	bytesPerElement: 2,
	aliases: [],
	sources: ['engine default KV dtype'],
};

function num(s: string | undefined): number | undefined {
	if (s === undefined || s.trim() === '') return undefined;
	const n = Number(s);
	return Number.isFinite(n) ? n : undefined;
}

function formatFor(name: string, bits: number | undefined, catalog: Catalog): FormatSpec | undefined {
	const clean = name.replace(/^other:/i, '').trim();
	const base = resolveFormat(clean, catalog) ?? resolveFormat(clean.toLowerCase(), catalog);
	if (base) {
		if (bits === undefined || Math.abs(bits - base.bitsPerWeight) < 1e-9) return base;
		return { ...base, bitsPerWeight: bits, quantized: bits < 16 };
	}
	if (bits === undefined) return undefined;
	return {
		id: clean.toLowerCase() || 'unknown',
		label: clean,
		bitsPerWeight: bits,
		computeDtype: 'fp16',
		quantized: bits < 16,
		family: 'int',
		aliases: [],
		sources: ['ledger row bits per weight'],
	};
}

function threadsOf(s: string | undefined): number | undefined {
	const n = num(s);
	return n !== undefined && n > 0 ? Math.floor(n) : undefined;
}

/** Turns ledger records into estimator inputs; every record ends in `rows` or `skipped`. */
export function loadLedger(
	records: Record<string, string>[],
	catalog: Catalog = getCatalog(),
): { rows: LedgerRow[]; skipped: SkippedRow[] } {
	const rows: LedgerRow[] = [];
	const skipped: SkippedRow[] = [];
	const seen = new Set<string>();
	for (const r of records) {
		const id = r.id || `line-${rows.length + skipped.length + 2}`;
		const skip = (reason: string) => skipped.push({ id, reason });
		if (seen.has(id)) {
			skip('duplicate id');
			continue;
		}
		seen.add(id);
		const notes: string[] = [];
		const engineName = (r.engine ?? '').trim().toLowerCase();
		const engine = ENGINE_ALIASES[engineName];
		if (!engine) {
			skip(`engine "${r.engine ?? ''}" has no estimator engine id`);
			continue;
		}
		// Closed-loop concurrency sweeps measure serving (per-user rate with prefill interleaved and queueing),
		// not a decode step at a fixed batch: the serving model scores those (serving.csv), not this one.
		if ((r.measures ?? '').trim() === 'serving-sweep') {
			skip(
				'serving sweep: the per-user rate includes prefill interference (a serving measurement, not a decode step)',
			);
			continue;
		}
		// A service that decodes speculatively (SambaStack lists speculative decoding) emits several tokens per
		// target-model step: its tok/s is not one decode step per token, so the step model cannot score it.
		if ((r.measures ?? '').trim() === 'decode-speculative') {
			skip('speculative decoding: several tokens per target-model step (not one decode step per token)');
			continue;
		}
		const batch = Math.max(1, Math.floor(num(r.batch) ?? 1));
		const perUser = num(r.decode_tok_s_per_user);
		const total = num(r.decode_tok_s_total);
		const measured = perUser ?? (total !== undefined ? total / batch : undefined);
		if (!(measured !== undefined && measured > 0)) {
			skip('no measured decode tok/s (per user or total)');
			continue;
		}
		const backendText = (r.backend ?? '').trim().toLowerCase();
		const label = r.hardware_label ?? '';
		const hwId = (r.hardware_id ?? '').trim();
		let hardware: HardwareSpec | undefined = hwId
			? catalog.hardware.find((h) => h.id === hwId)
			: hardwareFromLabel(label, catalog);
		if (hwId && !hardware) notes.push(`hardware id ${hwId} not in the catalog: ad-hoc device`);
		if (!hwId && hardware) notes.push(`hardware ${hardware.id} named by the label`);
		if (hardware?.layerLatency?.ledgerRows?.includes(id)) {
			// A constant's own source rows cannot score it: they reproduce it by construction.
			skip(`sets ${hardware.id}'s per-layer latency constant (its source cannot score it)`);
			continue;
		}
		const bw = num(r.mem_bw_gbs);
		const deviceClass = deviceClassFor(backendText, label, hardware?.deviceClass);
		if (!hardware || (hardware.deviceClass !== deviceClass && deviceClass === 'cpu')) {
			const base = hardware;
			const bandwidth = bw ?? (deviceClass === hardware?.deviceClass ? hardware?.bandwidthGBs : undefined);
			if (!(bandwidth !== undefined && bandwidth > 0)) {
				skip('no catalog device and no mem_bw_gbs for an ad-hoc one');
				continue;
			}
			const cpu = deviceClass === 'cpu' ? (base?.cpu ?? cpuFromLabel(label)) : undefined;
			hardware = {
				...adHocHardware({ bandwidthGBs: bandwidth, deviceClass }),
				id: `ledger-${id}`,
				name: label || `ad-hoc ${deviceClass}`,
				vendor: base?.vendor ?? vendorOf(label),
				origin: 'measured',
				cpu,
			};
			if (!base) notes.push(`ad-hoc ${deviceClass} device from label and ${bandwidth} GB/s`);
			if (cpu && !base?.cpu)
				notes.push(
					`CPU facts from the label: ${cpu.cores} cores, ${cpu.isa}${cpu.coreClass ? ` (${cpu.coreClass} cores)` : ''}, ${cpu.numaNodes} NUMA node(s)`,
				);
		} else if (
			bw !== undefined &&
			bw > 0 &&
			Math.abs(bw - hardware.bandwidthGBs) / hardware.bandwidthGBs > 0.02
		) {
			// The row's own spec figure wins (one GCD of a two-die card, a power-limited part): the catalog is per
			// package and the measurement was on what the row says.
			notes.push(`row bandwidth ${bw} GB/s instead of catalog ${hardware.bandwidthGBs}`);
			hardware = { ...hardware, bandwidthGBs: bw };
		}
		const modelId = (r.model_id ?? '').trim();
		let model: ModelSpec | undefined = modelId
			? catalog.models.find((m) => m.id === modelId || (m.aliases ?? []).includes(modelId))
			: modelFromLabel(r.model_label ?? '', catalog);
		if (!modelId && model) notes.push(`model ${model.id} named by the label`);
		const paramsB = num(r.params_b);
		if (!model) {
			if (!(paramsB !== undefined && paramsB > 0)) {
				skip(`model "${modelId}" not in the catalog and no params_b`);
				continue;
			}
			const label = r.model_label ?? '';
			const active = activeParamsFromLabel(label);
			if (active !== undefined && active < paramsB) {
				// An MoE the catalog lacks: at batch 1 a token reads its active parameters, so the decode stream is
				// that of a dense model of the active size (the expert overlap of larger batches is not modeled here).
				const near = modelFromParams(active, catalog);
				model = { ...near.model, id: `ledger/${paramsB}B-A${active}B` };
				notes.push(`MoE ${paramsB} B total, ${active} B active: decode read as a ${active} B dense model`);
			} else {
				const near = modelFromParams(paramsB, catalog);
				model = near.model;
				notes.push(`model shaped like ${near.near} at ${paramsB} B parameters`);
			}
		}
		let bits = num(r.bits_per_weight);
		const named = resolveFormat((r.weight_format ?? '').replace(/^other:/i, '').trim(), catalog);
		if (named && bits !== undefined && !plausibleBits(bits, model, named)) {
			// A bits figure far from the named format's (8.97 for a Q4_K_S) is a transcription slip, not a format.
			notes.push(`row bits ${bits} ignored: ${named.id} stores ~${named.bitsPerWeight} bits/weight`);
			bits = undefined;
		}
		const weights = formatFor(r.weight_format ?? '', bits, catalog);
		if (!weights) {
			skip(`weight format "${r.weight_format ?? ''}" unknown and no bits_per_weight`);
			continue;
		}
		let devices = Math.max(1, Math.floor(num(r.devices) ?? 1));
		if (num(r.devices) === undefined && hardware.systemChips) {
			devices = hardware.systemChips.count;
			notes.push(`${devices} chips: ${hardware.systemChips.source}`);
		}
		const kvName = (r.kv_dtype ?? '').trim().toLowerCase();
		const kvDtype = (kvName && resolveKvDtype(kvName, catalog)) || F16_KV;
		const tp = num(r.tp);
		const pp = num(r.pp);
		const prompt = num(r.prompt_tokens) ?? 0;
		const gen = num(r.gen_tokens) ?? 128;
		const explicitBackend = BACKENDS[backendText];
		const input: EstimateInput = {
			model,
			weights,
			kvDtype,
			hardware,
			devices,
			tensorParallel: tp && tp > 0 ? tp : undefined,
			pipelineParallel: pp && pp > 0 ? pp : undefined,
			batch,
			// The mean context over the generated tokens.
			context: prompt + gen / 2,
			prompt: Math.max(1, prompt),
			engine,
			threads: threadsOf(r.threads),
			numaPages: numaPagesOf(r.notes),
			backend: explicitBackend,
			cudaGraphs: llamaCppGraphsOf(
				engineName,
				r.engine_version ?? '',
				r.source_date ?? '',
				Boolean(model.moe) || activeParamsFromLabel(r.model_label ?? '') !== undefined,
				r.notes,
			),
			vllmEngine: vllmEngineOfRow(engineName, r.engine_version ?? '', r.source_date ?? ''),
		};
		if (batch > 1 && /llama-batched-bench/i.test(`${r.notes ?? ''} ${r.source_title ?? ''}`)) {
			// llama-batched-bench feeds the same token to every sequence in its generation phase.
			input.identicalSequences = true;
			notes.push('llama-batched-bench: every sequence decodes the same token (identical MoE routing)');
		}
		rows.push({
			id,
			input,
			measured,
			engine,
			engineName,
			deviceClass,
			family: familyOf(deviceClass, label, hardware.origin === 'measured' ? undefined : hardware),
			regime: batch > 1 ? 'batch > 1' : 'batch 1',
			hardwareLabel: label || hardware.name,
			bandwidthGBs: hardware.bandwidthGBs,
			notes,
		});
	}
	return { rows, skipped };
}

function vendorOf(label: string): string {
	const m = /\b(nvidia|amd|apple|intel|google|groq|cerebras|sambanova|qualcomm|ampere)\b/i.exec(label);
	return m ? m[1] : 'unknown';
}
