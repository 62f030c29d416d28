/**
 * How a decode-ledger row's free text becomes estimator facts: the device class and cross-validation family of its
 * hardware label, CPU topology and ISA from a CPU label, catalog devices and models a label names, a model shaped
 * from a parameter count, whether a bits-per-weight figure is plausible, NUMA page placement and CUDA-graph builds
 * from the notes. ledger.ts assembles a row from these.
 */
import { resolveHardware } from '../../analysis/catalog/index';
import type {
	Catalog,
	CpuSpec,
	DeviceClass,
	FormatSpec,
	HardwareSpec,
	ModelSpec,
} from '../../analysis/catalog/types';
import { cpuCoreFromText } from '../../analysis/catalog/cpuCores';
import { tensorParams } from '../../analysis/physics/weights';
import {
	parseVersion,
	vllmGeneration,
	type VllmGeneration,
} from '../../analysis/physics/memoryPlan/vllmVersion';

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

/** Many-core server CPUs by name: EPYC, Xeon, Threadripper, Graviton, Grace, Ampere/Altra, Neoverse. */
export const SERVER_CPU =
	/epyc|xeon|threadripper|graviton|grace|ampere|altra|sapphire rapids|granite rapids|emerald rapids|neoverse/i;

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

/**
 * CPU facts read from a ledger label when the row names no catalog CPU: sockets ("2x …"), cores per socket
 * ("16C", "192 Arm cores", "Cortex-A76 x4"), NUMA nodes (one per socket unless the label says) and the dot-
 * product ISA llama.cpp uses there. Undefined when the label gives no core count.
 */
export function cpuFromLabel(label: string): CpuSpec | undefined {
	const sockets = Number(/^\s*(\d+)\s*x\s/i.exec(label)?.[1] ?? 1);
	const perSocket = Number(
		// "16C", "24C/48T"; the \b keeps a core name such as "Cortex-X1C" from reading as one core, and at most
		// three digits keep a model number with a C suffix (AWS's Xeon Platinum 8488C, 8375C) from reading as
		// thousands of cores: the largest server parts have a few hundred.
		/\b(\d{1,3})\s*C(?:\/\d+T)?\b/.exec(label)?.[1] ??
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
		// Server parts (the cpu-server family's names): llama.cpp's per-op barrier crosses their fabric.
		...(!core?.coreClass && SERVER_CPU.test(l) ? { server: true } : {}),
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
	// A build number is "bNNNN" or llama.cpp's own "build <hash> (NNNN)"; a bare "(2025)" is a year, not a build.
	const build = Number(
		/\bb(\d{3,5})\b/.exec(version)?.[1] ??
			/\bbuild\s+[0-9a-f]{6,}\s*\((\d{3,5})\)/i.exec(version)?.[1] ??
			NaN,
	);
	const month = sourceMonth(sourceDate, '01');
	if (Number.isFinite(build) && build < LLAMA_CPP_GRAPHS_BUILD) return false;
	if (!month) return undefined;
	if (month < LLAMA_CPP_GRAPHS_FROM) return false;
	if (moe && month < LLAMA_CPP_MOE_GRAPHS_FROM) return false;
	return undefined;
}

/** vLLM 0.8.0 (March 2025) made V1 the default engine; a source dated before it ran V0. */
const VLLM_V1_DEFAULT_FROM = '2025-03';

/**
 * The vLLM engine a row ran on: what its version says ("V1 engine", a release number, through vllmGeneration's
 * rules), else its source date (V0 before 0.8.0 made V1 the default); undefined off vLLM or when neither says.
 */
export function vllmEngineOfRow(
	engine: string,
	version: string,
	sourceDate: string,
): VllmGeneration | undefined {
	if (engine !== 'vllm') return undefined;
	const named = /\b(V0|V1)\b/.exec(version)?.[1]?.toLowerCase();
	if (named === 'v0' || named === 'v1') return named;
	if (parseVersion(version)) return vllmGeneration(version).gen;
	// A year-only date counts as its last month: only a source dated before March 2025 is known to be V0.
	const month = sourceMonth(sourceDate, '12');
	if (!month) return undefined;
	return month < VLLM_V1_DEFAULT_FROM ? 'v0' : undefined;
}

/** "YYYY-MM" of a ledger source date ("2024-03-28", "2025-08", "2024"); a bare year reads as the month given. */
function sourceMonth(sourceDate: string, yearOnlyMonth: '01' | '12'): string | undefined {
	const date = /^\d{4}(-\d{2})?/.exec(sourceDate.trim())?.[0];
	return date && date.length === 4 ? `${date}-${yearOnlyMonth}` : date;
}
