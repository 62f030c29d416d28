/**
 * The decode measurement ledger (server/data/measurements/decode.csv): one published decode run per row.
 * Turns each row into an estimator input — catalog device and model where the row names them, an ad-hoc
 * device from its label and spec bandwidth, or a model shaped like the nearest catalog model of the row's
 * parameter count where it does not — or into a skipped row with the reason. No row is dropped silently.
 */
import {
	adHocHardware,
	getCatalog,
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
} from '../../analysis/catalog/index';
import type {
	Catalog,
	CpuSpec,
	DeviceClass,
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../../analysis/catalog/types';
import type { Backend } from '../../analysis/physics/efficiency';
import { tensorParams } from '../../analysis/physics/weights';
import { cpuCoreFromText } from '../../analysis/catalog/cpuCores';
import type { Engine, EstimateInput } from '../../analysis/physics/types';

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

/** Unified-memory SoCs that are not Apple (GB10 / DGX Spark, Jetson, Strix Halo / Ryzen AI Max). */
const UNIFIED_SOC = /gb10|dgx spark|jetson|orin|strix halo|ryzen ai max|lpddr5x/i;

/** Device class from the row's backend, catalog device and label. */
export function deviceClassFor(backend: string, label: string, catalogClass?: DeviceClass): DeviceClass {
	const b = backend.toLowerCase();
	if (b === 'cpu') return 'cpu';
	if (catalogClass && catalogClass !== 'cpu') return catalogClass;
	if (b === 'metal' || b === 'mps' || (/apple|\bm[1-4]\b/i.test(label) && b !== 'cpu')) return 'apple-gpu';
	if (UNIFIED_SOC.test(label)) return 'unified-gpu';
	if (/groq|cerebras/i.test(label)) return 'sram';
	if (/sambanova|furiosa/i.test(label)) return 'dataflow';
	if (/tpu|gaudi|inferentia|trainium|tenstorrent|wormhole|blackhole/i.test(label)) return 'accelerator';
	return 'gpu';
}

/** Device family for cross-validation: devices that share a memory system and kernel stack. */
export function familyOf(cls: DeviceClass, label: string, hw?: HardwareSpec): string {
	const text = `${hw?.id ?? ''} ${hw?.name ?? ''} ${label}`.toLowerCase();
	if (cls === 'cpu') {
		if (/epyc|xeon|threadripper|graviton|grace|ampere|altra|sapphire|granite|emerald/.test(text))
			return 'cpu-server';
		if (/apple|\bm[1-4]\b/.test(text)) return 'cpu-apple';
		return 'cpu-desktop';
	}
	if (cls === 'apple-gpu') return 'apple-m';
	if (cls === 'unified-gpu') return 'unified-soc';
	if (cls === 'gpu') {
		// Intel discrete GPUs (Arc, Data Center GPU Max) run their own SYCL/Vulkan/XPU stacks on their own memory
		// systems: a family of their own, not NVIDIA's datacenter one.
		if (/\bintel\b|\barc\s+[ab]\d{3}|data center gpu max/.test(text)) return 'intel-gpu';
		if (/amd|radeon|instinct|mi\d{3}/.test(text))
			return /instinct|mi\d{3}/.test(text) ? 'amd-datacenter' : 'amd-consumer';
		if (/geforce|rtx|gtx|titan/.test(text) && !/rtx (a|pro)\d|rtx 6000/.test(text)) return 'nvidia-consumer';
		// Intel Arc (SYCL / Vulkan, Xe-core-bound kernels): its own family, not a default NVIDIA one.
		if (/\bintel\b|\barc\b/.test(text)) return 'intel-gpu';
		return 'nvidia-datacenter';
	}
	return `${cls}`;
}

/**
 * A model of `paramsB` billion parameters shaped like the catalog's dense model nearest in size: layer
 * count, widths and vocabulary come from the neighbour, the parameter count from the row.
 */
export function modelFromParams(paramsB: number, catalog: Catalog): { model: ModelSpec; near: string } {
	const want = paramsB * 1e9;
	const dense = catalog.models.filter((m) => !m.moe && !m.mla);
	let best = dense[0];
	for (const m of dense)
		if (Math.abs(Math.log(m.paramsTotal / want)) < Math.abs(Math.log(best.paramsTotal / want))) best = m;
	return {
		model: {
			...best,
			id: `ledger/${paramsB}B`,
			aliases: [],
			paramsTotal: want,
			paramsActive: want,
			origin: 'user',
		},
		near: best.id,
	};
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

/**
 * CPU facts read from a ledger label when the row names no catalog CPU: sockets ("2x …"), cores per socket
 * ("16C", "192 Arm cores", "Cortex-A76 x4"), NUMA nodes (one per socket unless the label says) and the dot-
 * product ISA llama.cpp uses there. Undefined when the label gives no core count.
 */
export function cpuFromLabel(label: string): CpuSpec | undefined {
	const sockets = Number(/^\s*(\d+)\s*x\s/i.exec(label)?.[1] ?? 1);
	const perSocket = Number(
		// "16C", "24C/48T"; the \b keeps a core name such as "Cortex-X1C" from reading as one core.
		/\b(\d+)\s*C(?:\/\d+T)?\b/.exec(label)?.[1] ??
			/(\d+)\s*(?:arm\s+|p-)?cores/i.exec(label)?.[1] ??
			/cortex-\w+\s*x\s*(\d+)/i.exec(label)?.[1] ??
			NaN,
	);
	if (!(perSocket > 0)) return undefined;
	// Apple silicon: llama.cpp's default -t is the performance-core count (cpu_get_num_physical_cores reads
	// sysctl hw.perflevel0.physicalcpu), the convention of the catalog's Apple CPU entries (M2 Max: cores 8 of
	// 8P+4E). A label "10 cores (8P+2E)" therefore means 8. Intel hybrids keep every core: their default
	// differs by OS (Linux counts P-cores only, Windows all physical cores).
	const apple = /apple|\bm[1-4]\b/i.test(label) ? /(\d+)\s*P\s*\+\s*\d+\s*E\b/i.exec(label)?.[1] : undefined;
	const cores = apple !== undefined ? Number(apple) : perSocket;
	const numa = Number(/(\d+)\s*NUMA nodes?/i.exec(label)?.[1] ?? sockets);
	const l = label.toLowerCase();
	// Xeon Scalable model numbers carry the generation in their second digit (8180 Skylake-SP, 8280 Cascade
	// Lake, 8380/8339HC Ice/Cooper Lake, 8480 Sapphire Rapids, 8580 Emerald Rapids): AMX arrived with the
	// 4th generation (Sapphire Rapids); the 1st–3rd have AVX-512 only.
	// Named Arm/Apple cores carry their dot-product ISA and per-core stream class (catalog/cpuCores.ts).
	const core = cpuCoreFromText(label);
	const isa: CpuSpec['isa'] = core
		? core.isa
		: /arm|ampere|graviton|cortex|apple|raspberry|snapdragon|grace|neoverse/.test(l)
			? 'neon'
			: /sapphire|emerald|granite|xeon 6|xeon (platinum|gold|silver|bronze) [3-9][4-9]\d{2}/.test(l)
				? 'amx'
				: /avx-?512|zen ?[45]|epyc 9|skylake-sp|cascade|cooper|ice lake|xeon (platinum|gold|silver|bronze) [3-9][1-3]\d{2}/.test(
							l,
					  )
					? 'avx512'
					: 'avx2';
	return {
		cores: cores * sockets,
		threadsPerCore: 1,
		numaNodes: Math.max(1, numa),
		ccds: 1,
		isa,
		bf16Dot: bf16DotFromLabel(l, isa),
		...(core?.coreClass ? { coreClass: core.coreClass } : {}),
		sources: [`ledger label "${label}"${core ? ` (${core.core})` : ''}`],
	};
}

/**
 * Whether a labelled CPU has a bf16 dot instruction. x86: AVX512_BF16 arrived with Cooper Lake (3rd-gen Xeon
 * Scalable 83xxH/HC) and Zen 4, AMX-BF16 with Sapphire Rapids; Skylake/Cascade/Ice Lake and AVX2 parts lack it.
 * Arm: FEAT_BF16 (Armv8.6) is in Apple M2 and later (M1 is Armv8.5 without it), Neoverse V1/V2/N2 (Graviton3/4,
 * Grace) and AmpereOne; Neoverse N1 (Graviton2, Ampere Altra), Cortex-A76 and older lack it.
 */
export function bf16DotFromLabel(lower: string, isa: CpuSpec['isa']): boolean {
	if (isa === 'amx') return true;
	if (isa === 'neon') return /\bm[2-9]\b|neoverse[- ]?(v[1-9]|n2)|graviton ?[34]|grace|ampereone/.test(lower);
	return /cooper|xeon (platinum|gold) 83\d\dhc?|zen ?[45]|epyc 9\d{3}|ryzen \d+ [79]\d{3}/.test(lower);
}

/**
 * MoE models the catalog lacks, by name in the label, with their active parameters (from the model cards);
 * a label that states "A13B" or "36B active" is read directly.
 */
const KNOWN_ACTIVE_B: { name: RegExp; activeB: number; source: string }[] = [
	{ name: /glm-4\.5-air/i, activeB: 12, source: 'zai-org/GLM-4.5-Air model card: 106B total, 12B active' },
	{
		name: /dots\.llm1/i,
		activeB: 14,
		source: 'rednote-hilab/dots.llm1.inst model card: 142B total, 14B active',
	},
];

export function activeParamsFromLabel(label: string): number | undefined {
	const direct = /\bA(\d+(?:\.\d+)?)B\b/.exec(label)?.[1] ?? /(\d+(?:\.\d+)?)B active/i.exec(label)?.[1];
	if (direct) return Number(direct);
	return KNOWN_ACTIVE_B.find((k) => k.name.test(label))?.activeB;
}

/**
 * A catalog model the row's label names by its first word ("GLM-4.7-Flash 30B-A3B IQ4_XS" →
 * zai-org/GLM-4.7-Flash): the word must equal a catalog id, the name after its owner, or an alias (case
 * aside). A row without a model id keeps the real architecture (layers, MoE routing, MLA) this way instead of
 * a dense neighbour of the same size; a label that only resembles a catalog name stays unresolved.
 */
/**
 * The catalog device a row's hardware label names when the row gives no hardware_id: the label's device name
 * (the text before its first "(" or ",", as in "AMD Instinct MI50 32GB (gfx906, HBM2 4096-bit), 2 devices") resolved
 * exactly as `--hardware` would (id, name or alias; no prefix guessing). A multi-device or host description after
 * the name does not change the device; the row's own mem_bw_gbs still wins over the catalog's where they differ.
 */
export function hardwareFromLabel(label: string, catalog: Catalog): HardwareSpec | undefined {
	const name = label.split(/[(,]/)[0].trim();
	if (!name) return undefined;
	const r = resolveHardware(name, catalog);
	return r.ok && r.hardware.deviceClass !== 'cpu' ? r.hardware : undefined;
}

export function modelFromLabel(label: string, catalog: Catalog): ModelSpec | undefined {
	const word = /^\s*([^\s(,]+)/.exec(label)?.[1]?.toLowerCase();
	if (!word) return undefined;
	return catalog.models.find((m) =>
		[m.id, m.id.split('/').pop() ?? '', ...(m.aliases ?? [])].some((n) => n.toLowerCase() === word),
	);
}

/** How far a row's bits may sit from the named format's nominal bits before they read as a slip. */
const BITS_SLIP_HIGH = 1.6;
const BITS_SLIP_LOW = 0.6;
/** The widest a GGUF quantizer keeps any tensor (llama-quantize --token-embedding-type / --output-tensor-type f16). */
const WIDEST_KEPT_BITS = 16;

/**
 * Whether a row's bits per weight can be the named format's file average. The body is stored at the nominal
 * bits; only the token-embedding and output tensors are kept wider (llama.cpp's llama-quant.cpp picks Q5_K,
 * Q6_K or Q8_0 for them by default, and up to F16 on request), so the file average lies between 0.6× the
 * nominal bits and the larger of ×1.6 the nominal and the average with those tensors at 16 bits. Small models
 * with wide vocabularies legitimately sit far above the nominal: gemma-3-1b's tied 262k × 1152 table is 30 %
 * of its parameters, so an IQ1_S (1.56 nominal) file averages up to ~5.9 bits. A figure outside that range
 * (8.97 for a 47 B Q4_K_S) is a transcription slip.
 */
export function plausibleBits(bits: number, model: ModelSpec, named: FormatSpec): boolean {
	const p = tensorParams(model);
	const wide = p.embedding + p.lmHead;
	const total = p.body + wide;
	const widened = total > 0 ? (p.body * named.bitsPerWeight + wide * WIDEST_KEPT_BITS) / total : 0;
	const hi = Math.max(named.bitsPerWeight * BITS_SLIP_HIGH, Math.min(widened, WIDEST_KEPT_BITS));
	return bits <= hi && bits >= named.bitsPerWeight * BITS_SLIP_LOW;
}

function threadsOf(s: string | undefined): number | undefined {
	const n = num(s);
	return n !== undefined && n > 0 ? Math.floor(n) : undefined;
}

/**
 * NUMA page placement of a CPU run, from its notes: "pages spread across nodes" marks a --numa distribute run
 * whose pages the distributed threads first touched; anything else keeps the default (one node holds them).
 */
export function numaPagesOf(notes: string | undefined): 'spread' | undefined {
	return /pages spread across (?:numa )?nodes/i.test(notes ?? '') ? 'spread' : undefined;
}

/** llama.cpp's CUDA graphs (PR #6766) were merged in May 2024; builds from June 2024 on replay them. */
const LLAMA_CPP_GRAPHS_FROM = '2024-06';
/**
 * MoE graphs kept MUL_MAT_ID, whose CUDA path read the expert ids back to the host, out of CUDA graphs until
 * mid-2025 (llama.cpp issue #12859, April 2025: "copying data back to the host, which prevents the use of CUDA
 * Graphs"; ik_llama.cpp PR #689, August 2025, enables them for MoE "just like in mainline").
 */
const LLAMA_CPP_MOE_GRAPHS_FROM = '2025-07';
/** The first llama.cpp release build at or after LLAMA_CPP_GRAPHS_FROM (b3441 is dated 2024-07-24 in the ledger). */
const LLAMA_CPP_GRAPHS_BUILD = 3000;

/**
 * Whether a llama.cpp / Ollama row's build predates CUDA graphs for its model: false when it does, undefined when
 * the build is recent enough that ggml-cuda's own rules decide (physics/efficiency.ts llamaCppCudaGraphs), and
 * what the row's notes state ("CUDA graphs: on" / "off") where its source compares the two. The
 * build date is the row's source date (a build is never newer than its report) unless the version names a
 * release build number (bNNNN, "build <hash> (NNNN)").
 */
export function llamaCppGraphsOf(
	engine: string,
	version: string,
	sourceDate: string,
	moe: boolean,
	notes = '',
): boolean | undefined {
	if (engine !== 'llama.cpp' && engine !== 'ollama') return undefined;
	// A row whose source compares builds with and without graphs says which one it is ("CUDA graphs: on").
	const stated = /cuda graphs:\s*(on|off)\b/i.exec(notes)?.[1]?.toLowerCase();
	if (stated) return stated === 'on';
	const build = Number(/\bb(\d{3,5})\b/.exec(version)?.[1] ?? /\((\d{3,5})\)/.exec(version)?.[1] ?? NaN);
	const date = /^\d{4}(-\d{2})?/.exec(sourceDate.trim())?.[0];
	const month = date && date.length === 4 ? `${date}-01` : date;
	if (Number.isFinite(build) && build < LLAMA_CPP_GRAPHS_BUILD) return false;
	if (!month) return undefined;
	if (month < LLAMA_CPP_GRAPHS_FROM) return false;
	if (moe && month < LLAMA_CPP_MOE_GRAPHS_FROM) return false;
	return undefined;
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
