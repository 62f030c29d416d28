/**
 * vLLM's start-up memory plan, by engine generation (V0 ≤ 0.7.x, V1 from 0.8.0), reproducing
 * Worker.determine_available_memory / profile_run and v1/core/kv_cache_utils.py:
 *
 *   requested  = total × gpu_memory_utilization            (total: what CUDA reports)
 *   KV memory  = requested − weights − activation peak − non-torch memory (NCCL/custom all-reduce at TP ≥ 2)
 *                − CUDA graphs (from v0.21.0)
 *   blocks     = ⌊KV memory / bytes of one 16-token block across the layers⌋
 *   tokens     = blocks × 16 ("GPU KV cache size: N tokens"), or for hybrid models
 *                max_concurrency × max_model_len (kv_cache_utils._report_kv_cache_config)
 *
 * CUDA graphs are captured after the KV cache is allocated and lived in the 1 − utilization headroom until
 * v0.21.0; from v0.21.0 vLLM profiles their memory before sizing the KV cache and takes it from the pool
 * ("CUDA graph memory profiling is enabled (default since v0.21.0)" in the start-up log).
 * Which rule holds from which version: docs/physics.md § "Memory plan".
 */
import chosen from '../../../../data/vllm-memory-constants.json';
import type { KvDtypeSpec, ModelSpec } from '../../catalog/types';
import { gib } from './device';
import type { PlanLine } from './types';
import {
	cmp,
	graphsInKvBudget,
	mrv2SkipsGraphReserve,
	parseVersion,
	versionAtLeast,
	v0NonTorchExcludesReserved,
	VLLM_V1_SNAPSHOT_NON_TORCH_FROM,
	planGeneration,
	type VllmGeneration,
} from './vllmVersion';
export * from './vllmVersion';
import {
	activationPeakBytes,
	VLLM_V1_SAMPLER_BYTES_PER_LOGIT,
	VLLM_V1_SAMPLER_BYTES_PER_LOGIT_LOW,
} from './vllmActivation';
export * from './vllmActivation';
import { kvLayout, vllmKvPool, VLLM_BLOCK_SIZE } from './vllmKvPool';
export * from './vllmKvPool';

const GIB = 1024 ** 3;
export const VLLM_DEFAULT_UTILIZATION = 0.9;

/**
 * Constants read off server/data/measurements/startup.csv (test/unit/physics/memoryPlan.test.ts recomputes
 * each from the ledger and fails when they drift):
 * - non_torch_memory one worker logs at profiling: V0 single-GPU rows before 0.7.0 (median; they count the caching
 *   allocator's unused reserved blocks too), V1 rows (median; V0 from 0.7.0 measures it the same way: vllmVersion.ts);
 * - what TP ≥ 2 adds with custom all-reduce over NVLink (NCCL communicators, custom all-reduce buffers): the
 *   TP 2 − TP 1 difference of the same model and card (V0; V1 before 0.11.0, see commCountedInProfile);
 * - bytes per logit element of V1's dummy sampler run (max_num_seqs × vocab: fp32 logits, penalty bin counts,
 *   top-k/top-p sort values and int64 indices, softmax, noise), from the V1 rows whose profile peak is the
 *   sampler's (chosen by `npm run calibrate`; vllmActivation.ts).
 */
export const VLLM_V0_NON_TORCH_GIB = 0.35;
export const VLLM_V1_NON_TORCH_GIB = 0.135;
export const VLLM_V0_TP_COMM_GIB = 1.79;
/**
 * The smallest graph capture the ledger has measured (the smallest sampler value: vllmActivation.ts): a plan that fits
 * with it is borderline, not refused — a false "does not fit" is worse than a missed one.
 */
export const VLLM_CUDA_GRAPH_GIB_LOW = Math.max(
	0,
	Math.min(...chosen.constants.cudaGraphGib.rows.map((r) => r.value)),
);
/**
 * CUDA graph memory one worker captures: the median of what the ledger's start-up logs report
 * ("Graph capturing finished … took X GiB", "Estimated CUDA graph memory: X GiB"), chosen by `npm run calibrate`.
 */
export const VLLM_CUDA_GRAPH_GIB = chosen.constants.cudaGraphGib.value;
export interface VllmPlanInput {
	model: ModelSpec;
	kvDtype: KvDtypeSpec;
	/** Weight bytes one worker holds (from weights.ts, split by TP × PP). */
	weightsBytesPerDevice: number;
	/** Device total as CUDA reports it, and how it was obtained. */
	totalBytes: number;
	totalRule: string;
	tensorParallel: number;
	pipelineParallel: number;
	maxModelLen: number;
	gpuMemoryUtilization?: number;
	maxNumBatchedTokens?: number;
	maxNumSeqs?: number;
	/** True on ≥ 70 GiB GPUs other than A100 (arg_utils default tables). */
	bigGpu: boolean;
	version?: string;
	/**
	 * Version not known, but known to be older than this (the log predates that release): rules that start at
	 * or after it are off. Otherwise an unknown version gets the latest release's rules.
	 */
	versionBelow?: string;
	/** The engine generation the log names (or VLLM_USE_V1 sets); overrides the version's default. */
	generation?: VllmGeneration;
	/** CUDA compute capability (major) of the card: 0.8.x–0.10.x run V0 below 8.0. */
	computeCapabilityMajor?: number;
	enableChunkedPrefill?: boolean;
	disableHybridKvCache?: boolean;
	/** Whether vLLM sets up its custom all-reduce at this TP on this hardware (vllmComm.ts); described only. */
	customAllReduce?: boolean;
	/**
	 * Whether the GPUs are linked pairwise by NVLink / Infinity Fabric (vllmComm.ts), so NCCL's NVLink buffers
	 * (VLLM_V0_TP_COMM_GIB) are allocated; PCIe-only GPUs add none, custom all-reduce or not. Unknown
	 * hardware: assumed linked (the larger overhead).
	 */
	nvlinkBuffers?: boolean;
	allReduceWhy?: string;
}

export interface VllmPlan {
	engine: 'vllm';
	generation: VllmGeneration;
	versionKnown: boolean;
	/** The pinned version the rules were picked by, when the file names one. */
	version?: string;
	totalBytes: number;
	utilization: number;
	requestedBytes: number;
	weightsBytes: number;
	profileTokens: number;
	activationPeakBytes: number;
	nonTorchBytes: number;
	cudaGraphBytes: number;
	/** The graphs' memory is taken from the KV budget (v0.21.0 on) rather than the headroom. */
	cudaGraphInBudget: boolean;
	kvAvailableBytes: number;
	/** Bytes of one 16-token block summed over the layers one worker holds (all groups). */
	blockBytes: number;
	numBlocks: number;
	kvTokens: number;
	maxConcurrency: number;
	maxModelLen: number;
	/** KV one request of max_model_len needs (hybrid-aware), bytes per worker. */
	bytesPerRequest: number;
	hybrid: boolean;
	fits: boolean;
	/**
	 * The verdict could go either way on a real card: within 10 % of the line, or a refusal that the most
	 * favourable measured constants would turn into a start.
	 */
	borderline: boolean;
	/** Longest max_model_len the KV memory holds (0 when none). */
	estimatedMaxModelLen: number;
	/** The error vLLM raises, in its words, when it refuses to start. */
	refusal?: string;
	lines: PlanLine[];
	notes: string[];
}

/**
 * Before 0.2.6 torch.distributed.all_reduce kept every input alive until the stream synchronised, so the
 * profile run held both all-reduce inputs of every layer (tokens × hidden, 2 bytes) at once (vLLM issue
 * #2150, fixed by setting TORCH_NCCL_AVOID_RECORD_STREAMS=1 in the worker).
 */
export function retainedAllReduceBytes(
	model: ModelSpec,
	tokens: number,
	tp: number,
	pp: number,
	version: string | undefined,
): number {
	const v = parseVersion(version);
	if (tp <= 1 || !v || cmp(v, [0, 2, 6]) >= 0) return 0;
	return 2 * Math.ceil(model.layers / Math.max(1, pp)) * tokens * model.hidden * 2;
}

/**
 * Whether the TP communication buffers land in the profiled non-torch memory. V0 always counts them. V1
 * counted them too until vLLM PR #25359 (September 2025, first in 0.11.0) moved the distributed init and
 * NCCL's buffers before the memory snapshot ("NCCL buffers … allocated after the memory snapshot … show up as
 * non-torch memory increase"); from 0.11.0, and for an unknown (current) version, they do not.
 */
export function commCountedInProfile(
	gen: VllmGeneration,
	version: string | undefined,
	below?: string,
): boolean {
	if (gen === 'v0') return true;
	return !versionAtLeast(version, [0, 11, 0], below);
}

/** Tokens one worker profiles with: V1 max_num_batched_tokens; V0 the same, whose default depends on chunked prefill. */
function profileTokens(
	input: VllmPlanInput,
	gen: VllmGeneration,
): { tokens: number; why: string; v0Chunked?: boolean } {
	if (input.maxNumBatchedTokens)
		return {
			tokens: input.maxNumBatchedTokens,
			why: 'max-num-batched-tokens',
			v0Chunked: gen === 'v0' && (input.enableChunkedPrefill ?? input.maxModelLen > 32768),
		};
	if (gen === 'v1') {
		const t = input.bigGpu ? 8192 : 2048;
		return {
			tokens: t,
			why: `V1 default max_num_batched_tokens for vllm serve on ${input.bigGpu ? '≥ 70 GiB GPUs' : 'this GPU'}`,
		};
	}
	// V0 enables chunked prefill by default when max_model_len > 32K (then 512 tokens per step).
	const chunked = input.enableChunkedPrefill ?? input.maxModelLen > 32768;
	if (chunked)
		return {
			tokens: 512,
			why: 'V0 chunked prefill (on by default above 32K context): 512 tokens',
			v0Chunked: true,
		};
	return {
		tokens: Math.max(input.maxModelLen, 2048),
		why: 'V0 without chunked prefill: max(max_model_len, 2048)',
	};
}

/** 32768 → `32,768` without Intl (this runs on every estimate). */
const fmtInt = (n: number) => String(Math.floor(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function vllmPlan(input: VllmPlanInput): VllmPlan {
	const { gen, known, why: genWhy } = planGeneration(input);
	const tp = Math.max(1, input.tensorParallel);
	const u = input.gpuMemoryUtilization ?? VLLM_DEFAULT_UTILIZATION;
	const requested = input.totalBytes * u;
	const seqs = input.maxNumSeqs ?? (gen === 'v1' && input.bigGpu ? 1024 : 256);
	const prof = profileTokens(input, gen);
	const retained = retainedAllReduceBytes(
		input.model,
		prof.tokens,
		tp,
		input.pipelineParallel,
		input.version,
	);
	// The profile run's activation peak at a given sampler cost per logit (the ledger's typical and most favourable).
	const peakAt = (samplerBytesPerLogit: number) =>
		activationPeakBytes(input.model, prof.tokens, seqs, tp, gen, samplerBytesPerLogit, prof.v0Chunked);
	const act = peakAt(VLLM_V1_SAMPLER_BYTES_PER_LOGIT) + retained;
	const commBuffers =
		tp > 1 && (input.nvlinkBuffers ?? true) && commCountedInProfile(gen, input.version, input.versionBelow);
	// V0 from 0.7.0 measures non-torch memory as V1 does (beyond PyTorch's reserved pool): vllmVersion.ts.
	const reservedRule = gen === 'v1' || v0NonTorchExcludesReserved(input.version, input.versionBelow);
	const nonTorch =
		((reservedRule ? VLLM_V1_NON_TORCH_GIB : VLLM_V0_NON_TORCH_GIB) +
			(commBuffers ? VLLM_V0_TP_COMM_GIB : 0)) *
		GIB;
	const graphs = VLLM_CUDA_GRAPH_GIB * GIB;
	// Dense models on Model Runner V2 (0.25.1–0.28.x) reserve nothing for the graphs: vllmVersion.ts.
	const mrv2NoReserve = mrv2SkipsGraphReserve(input.version, !input.model.moe, gen);
	const graphsInBudget = graphsInKvBudget(input.version, input.versionBelow) && !mrv2NoReserve;
	const kvAvail = requested - input.weightsBytesPerDevice - act - nonTorch - (graphsInBudget ? graphs : 0);
	const layout = kvLayout(input, gen);
	const L = input.maxModelLen;
	const { numBlocks, maxConcurrency, kvTokens, bytesPerRequest } = vllmKvPool(input, kvAvail);
	const fits = kvAvail > 0 && bytesPerRequest <= kvAvail;
	// The longest length whose blocks fit (vLLM's estimate_max_model_len): closed form for uniform layers,
	// a binary search over the hybrid block count only when one request of max_model_len does not fit.
	let lo = 0;
	if (kvAvail > 0 && fits) lo = L;
	else if (kvAvail > 0 && !layout.hybrid) lo = Math.floor(kvAvail / layout.blockBytes) * VLLM_BLOCK_SIZE;
	else if (kvAvail > 0) {
		let hi = Math.max(L, 1);
		const fitsLen = (len: number) => layout.blocksPerRequest(len) * layout.blockBytes <= kvAvail;
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2);
			if (fitsLen(mid)) lo = mid;
			else hi = mid - 1;
		}
	}
	// The same plan with the most favourable constants the ledger has measured: fitting there is borderline.
	const kvFavourable =
		requested -
		input.weightsBytesPerDevice -
		peakAt(VLLM_V1_SAMPLER_BYTES_PER_LOGIT_LOW) -
		retained -
		// V1's counting of the NCCL buffers depended on when NCCL allocated them (PR #25359: "in some cases").
		(nonTorch - (gen === 'v1' && commBuffers ? VLLM_V0_TP_COMM_GIB * GIB : 0)) -
		(graphsInBudget ? VLLM_CUDA_GRAPH_GIB_LOW * GIB : 0);
	const borderline =
		(kvAvail > 0 && Math.abs(kvAvail - bytesPerRequest) <= 0.1 * bytesPerRequest) ||
		(!fits && kvFavourable > 0 && bytesPerRequest <= kvFavourable);
	let refusal: string | undefined;
	if (kvAvail <= 0) {
		refusal =
			gen === 'v1'
				? `ValueError: No available memory for the cache blocks. Try increasing \`gpu_memory_utilization\` when initializing the engine.`
				: `ValueError: No available memory for the cache blocks. Try increasing \`gpu_memory_utilization\` when initializing the engine.`;
	} else if (!fits) {
		refusal =
			gen === 'v1'
				? `ValueError: To serve at least one request with the model's max seq len (${L}), (${gib(bytesPerRequest)} GiB KV cache is needed, which is larger than the available KV cache memory (${gib(kvAvail)} GiB). Based on the available memory, the estimated maximum model length is ${lo}. Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`
				: `ValueError: The model's max seq len (${L}) is larger than the maximum number of tokens that can be stored in KV cache (${kvTokens}). Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
	}
	const graphLine: PlanLine = {
		label: 'CUDA graphs',
		bytes: graphs,
		text: `CUDA graphs ≈ ${gib(graphs)} GiB`,
		source: graphsInBudget
			? `profiled before the KV cache and taken from its budget (v0.21.0 on${input.version ? '' : "; version unknown: the latest release's rules"})`
			: mrv2NoReserve
				? `captured after the KV cache in the 1 − gpu_memory_utilization headroom: vLLM ${input.version} runs this dense model on Model Runner V2, whose CUDA graph memory estimate is 0 until 0.29.0 (PR #53306)`
				: `captured after the KV cache: they use the 1 − gpu_memory_utilization headroom, not the KV pool${!input.version && input.versionBelow ? ` (version unknown but older than ${input.versionBelow})` : ''}`,
	};
	const lines: PlanLine[] = [
		{
			label: 'total × utilization',
			bytes: requested,
			text: `the current vLLM instance can use total_gpu_memory (${gib(input.totalBytes)}GiB) x gpu_memory_utilization (${u.toFixed(2)}) = ${gib(requested)}GiB`,
			source: input.totalRule,
		},
		{
			label: 'model weights',
			bytes: input.weightsBytesPerDevice,
			text: `model weights take ${gib(input.weightsBytesPerDevice)}GiB`,
		},
		{
			label: 'activation peak',
			bytes: act,
			text: `PyTorch activation peak memory takes ${gib(act)}GiB`,
			source:
				`profile run over ${fmtInt(prof.tokens)} tokens (${prof.why}), ${fmtInt(Math.min(seqs, prof.tokens))} sequences' logits` +
				(retained > 0
					? `; before 0.2.6 every layer's all-reduce inputs stay allocated (${gib(retained)} GiB)`
					: ''),
		},
		{
			label: 'non-torch memory',
			bytes: nonTorch,
			text: `non_torch_memory takes ${gib(nonTorch)}GiB`,
			source: commBuffers
				? `CUDA context + NCCL NVLink / custom all-reduce buffers at TP ${tp}${input.allReduceWhy ? ` (${input.allReduceWhy})` : ''}`
				: tp > 1 && commCountedInProfile(gen, input.version, input.versionBelow)
					? `CUDA context; GPUs not linked by NVLink (${input.allReduceWhy ?? 'no custom all-reduce'}), so no NVLink buffers`
					: tp > 1 && !input.version
						? 'CUDA context and library workspaces (version unknown: latest rules, NCCL buffers allocated before the memory snapshot from 0.11.0)'
						: reservedRule
							? `library workspaces the CUDA driver holds beyond PyTorch's reserved pool${gen === 'v0' ? ' (V0 from 0.7.0 measures it as V1 does: PR #11809)' : ''}`
							: "CUDA context, library workspaces and the caching allocator's unused reserved blocks (V0 before 0.7.0 counts them as non-torch: PR #11809)",
		},
		...(graphsInBudget ? [graphLine] : []),
		{
			label: 'KV cache memory',
			bytes: kvAvail,
			text:
				gen === 'v1'
					? `Available KV cache memory: ${gib(kvAvail)} GiB`
					: `the rest of the memory reserved for KV Cache is ${gib(kvAvail)}GiB`,
		},
		gen === 'v1'
			? {
					label: 'KV pool',
					text: `GPU KV cache size: ${fmtInt(kvTokens)} tokens`,
					source: `${fmtInt(numBlocks)} blocks of ${VLLM_BLOCK_SIZE} tokens`,
				}
			: {
					label: 'KV pool',
					text: `# GPU blocks: ${numBlocks}`,
					source: `${fmtInt(kvTokens)} tokens in blocks of ${VLLM_BLOCK_SIZE}`,
				},
		{
			label: 'concurrency',
			text: `Maximum concurrency for ${gen === 'v1' ? fmtInt(L) : String(L)} tokens per request: ${maxConcurrency.toFixed(2)}x`,
		},
	];
	if (!graphsInBudget) lines.push(graphLine);
	const notes: string[] = [];
	if (!known && input.versionBelow)
		notes.push(
			`vLLM version unknown but older than ${input.versionBelow}: the rules that start later are off, the others are the latest release's`,
		);
	else if (!known)
		notes.push(
			"vLLM version unknown: the latest release's rules are applied (V1; NCCL buffers outside the profile from 0.11.0; CUDA graphs from the KV budget from 0.21.0). Pin the version (vllm==X.Y.Z) for that release's plan",
		);
	if (genWhy) notes.push(genWhy);
	if (gen === 'v1' && known && !versionAtLeast(input.version, VLLM_V1_SNAPSHOT_NON_TORCH_FROM))
		notes.push(
			`vLLM ${input.version} (V1 before 0.9.2) counts the whole GPU's non-PyTorch memory as non_torch_memory — its CUDA context and any other process on the card — so expect that much less KV cache than this plan shows (PR #19312 moved it to the start-up snapshot in 0.9.2)`,
		);
	if (layout.note) notes.push(layout.note);
	if (refusal) lines.push({ label: 'refusal', text: refusal });
	return {
		engine: 'vllm',
		generation: gen,
		versionKnown: known,
		version: input.version,
		totalBytes: input.totalBytes,
		utilization: u,
		requestedBytes: requested,
		weightsBytes: input.weightsBytesPerDevice,
		profileTokens: prof.tokens,
		activationPeakBytes: act,
		nonTorchBytes: nonTorch,
		cudaGraphBytes: graphs,
		cudaGraphInBudget: graphsInBudget,
		kvAvailableBytes: kvAvail,
		blockBytes: layout.blockBytes,
		numBlocks,
		kvTokens,
		maxConcurrency,
		maxModelLen: L,
		bytesPerRequest,
		hybrid: layout.hybrid,
		fits,
		borderline,
		estimatedMaxModelLen: lo,
		refusal,
		lines,
		notes,
	};
}
