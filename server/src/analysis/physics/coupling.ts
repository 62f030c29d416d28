/**
 * The memory–compute coupling spectrum: where the workload sits and the cheapest class of machine that
 * meets a latency target. Derivation in docs/physics.md § "Coupling".
 */
import { deviceMemoryBytes } from './memoryPlan/device';
import type { DeviceClass, FormatSpec, HardwareSpec, ModelSpec } from '../catalog/types';
import type { CouplingEstimate, Engine, Estimate, EstimateInput, LatencyTarget } from './types';

/** Interactive chat: faster than reading speed, first token within two seconds. */
export const DEFAULT_LATENCY_TARGET: Required<LatencyTarget> = { tokensPerSecondPerUser: 20, ttftSeconds: 2 };

/** Most devices one deployment of a class uses (a node of GPUs, a rack of SRAM chips). */
export const DEVICE_CAP: Record<DeviceClass, number> = {
	cpu: 2,
	'apple-gpu': 1,
	'unified-gpu': 1,
	gpu: 8,
	accelerator: 8,
	dataflow: 16,
	'in-memory': 128,
	sram: 1024,
	hardwired: 1,
};

const DEFAULT_ENGINE: Record<DeviceClass, Engine> = {
	cpu: 'llama.cpp',
	'apple-gpu': 'llama.cpp',
	'unified-gpu': 'llama.cpp',
	gpu: 'vllm',
	accelerator: 'vllm',
	dataflow: 'vllm',
	'in-memory': 'vllm',
	sram: 'vllm',
	hardwired: 'vllm',
};

function norm(id: string): string {
	return id.toLowerCase().replace(/-(instruct|chat|it)$/, '');
}

/** Hardwired silicon runs only the models etched into it. */
export function canRun(hardware: HardwareSpec, model: ModelSpec): boolean {
	if (hardware.deviceClass !== 'hardwired') return true;
	const names = [model.id, ...(model.aliases ?? [])].map(norm);
	return (hardware.fixedModels ?? []).some((f) => names.includes(norm(f)));
}

export interface Candidate {
	hardware: HardwareSpec;
	devices: number;
	estimate: Estimate;
	/** Purchase price of all devices, USD (undefined when the catalog has no price). */
	priceUsd?: number;
	meets: boolean;
}

type Evaluate = (input: EstimateInput) => Estimate;

function deviceCounts(cls: DeviceClass, minimum: number): number[] {
	const cap = DEVICE_CAP[cls];
	const out: number[] = [];
	const pow2 = cls === 'gpu' || cls === 'accelerator' || cls === 'cpu';
	let n = Math.max(1, pow2 ? 2 ** Math.ceil(Math.log2(Math.max(1, minimum))) : Math.ceil(minimum));
	while (n <= cap && out.length < 6) {
		out.push(n);
		n *= 2;
	}
	return out;
}

/**
 * Hardwired silicon runs its own etched weights, whatever format the user picked: their size is the
 * catalog's capacity, so bits/weight = capacity / parameters.
 */
export function etchedFormat(hardware: HardwareSpec, model: ModelSpec): FormatSpec {
	const bits = (deviceMemoryBytes(hardware) * 8) / model.paramsTotal;
	return {
		id: `${hardware.id}-etched`,
		label: `weights etched in ${hardware.name}`,
		bitsPerWeight: bits,
		computeDtype: 'int8',
		quantized: true,
		family: 'gguf',
		aliases: [],
		sources: hardware.sources,
	};
}

/** Smallest deployment of `hardware` that fits, or undefined. */
function fitOn(
	input: EstimateInput,
	hardware: HardwareSpec,
	evaluate: Evaluate,
	target: Required<LatencyTarget>,
): Candidate | undefined {
	const engine =
		hardware.deviceClass === input.hardware.deviceClass ? input.engine : DEFAULT_ENGINE[hardware.deviceClass];
	if (hardware.deviceClass === 'hardwired')
		input = { ...input, weights: etchedFormat(hardware, input.model) };
	const probe = evaluate({
		...input,
		hardware,
		engine,
		devices: 1,
		tensorParallel: undefined,
		pipelineParallel: undefined,
		gpuLayers: undefined,
	});
	const need = probe.memory.totalBytesPerDevice / Math.max(1, probe.memory.budgetBytesPerDevice);
	for (const n of deviceCounts(hardware.deviceClass, need)) {
		const est =
			n === 1
				? probe
				: evaluate({
						...input,
						hardware,
						engine,
						devices: n,
						tensorParallel: undefined,
						pipelineParallel: undefined,
						gpuLayers: undefined,
					});
		// Hardwired silicon carries its model's weights etched in; capacity is not a constraint to check.
		if (!est.memory.fits && hardware.deviceClass !== 'hardwired') continue;
		const meets =
			est.decode.expectedTokensPerSecondPerUser >= target.tokensPerSecondPerUser &&
			est.prefill.ttftSeconds <= target.ttftSeconds;
		return {
			hardware,
			devices: n,
			estimate: est,
			priceUsd: hardware.priceUsd ? hardware.priceUsd * n : undefined,
			meets,
		};
	}
	return undefined;
}

/**
 * Candidate deployments depend on the workload, not on the device it currently runs on (except through the
 * engine the current class implies), so rules that re-evaluate one workload many times share them. The cache
 * is keyed by the catalog array identity and every input that changes a candidate's numbers.
 */
const candidateCache = new WeakMap<HardwareSpec[], Map<string, Candidate[]>>();
const CACHE_ENTRIES = 64;

function cacheKey(input: EstimateInput, target: Required<LatencyTarget>): string {
	const { model: m, weights: w, kvDtype: kv } = input;
	return JSON.stringify([
		[m.id, m.paramsTotal, m.paramsActive, m.layers, m.hidden, m.kvHeads, m.headDim, m.vocab, m.maxContext],
		[w.id, w.bitsPerWeight, w.family, w.computeDtype],
		[kv.id, kv.bytesPerElement],
		[input.batch, input.context, input.prompt, input.engine, input.hardware.deviceClass, input.maxContext],
		[input.gpuMemoryUtilization, input.threads, input.maxBatchedTokens, input.hostBandwidthGBs],
		target,
		input.pricing ?? null,
	]);
}

function candidatesFor(
	input: EstimateInput,
	catalog: HardwareSpec[],
	evaluate: Evaluate,
	target: Required<LatencyTarget>,
): Candidate[] {
	let perCatalog = candidateCache.get(catalog);
	if (!perCatalog) candidateCache.set(catalog, (perCatalog = new Map()));
	const key = cacheKey(input, target);
	const hit = perCatalog.get(key);
	if (hit) return hit;
	const out: Candidate[] = [];
	for (const hw of catalog) {
		if (!canRun(hw, input.model)) continue;
		const c = fitOn(input, hw, evaluate, target);
		if (c) out.push(c);
	}
	if (perCatalog.size >= CACHE_ENTRIES) perCatalog.delete(perCatalog.keys().next().value as string);
	perCatalog.set(key, out);
	return out;
}

function money(x: number | undefined): string {
	return x === undefined ? 'no price listed' : `$${Math.round(x).toLocaleString('en-US')}`;
}

/** Places the workload and recommends the cheapest class over `catalog` that fits and meets the target. */
export function recommend(
	current: Estimate,
	input: EstimateInput,
	catalog: HardwareSpec[],
	evaluate: Evaluate,
): CouplingEstimate {
	const target: Required<LatencyTarget> = { ...DEFAULT_LATENCY_TARGET, ...(input.latencyTarget ?? {}) };
	const d = current.decode;
	const reasons: string[] = [];
	const util = d.computeUtilization * 100;
	reasons.push(
		`batch ${input.batch}: ${d.arithmeticIntensity.toFixed(1)} FLOP/byte against a ridge of ${d.ridgeFlopsPerByte.toFixed(0)} on ${input.hardware.id} — ${d.bound}-bound, using ${util < 1 ? util.toFixed(2) : util.toFixed(1)} % of peak FLOPs`,
	);
	const candidates = candidatesFor(input, catalog, evaluate, target);
	const meeting = candidates
		.filter((c) => c.meets && c.priceUsd !== undefined)
		.sort((a, b) => (a.priceUsd as number) - (b.priceUsd as number));
	const currentPrice = input.hardware.priceUsd ? input.hardware.priceUsd * current.devices : undefined;
	const tgt = `${target.tokensPerSecondPerUser} tok/s per user and TTFT ≤ ${target.ttftSeconds} s`;
	if (meeting.length === 0) {
		const fastest = [...candidates].sort(
			(a, b) =>
				b.estimate.decode.expectedTokensPerSecondPerUser - a.estimate.decode.expectedTokensPerSecondPerUser,
		)[0];
		if (!fastest) {
			reasons.push(
				`nothing in the catalog fits ${input.model.id} in ${input.weights.id} within its device cap`,
			);
			return { current: input.hardware.spectrum, recommendedClass: input.hardware.spectrum, reasons, target };
		}
		reasons.push(
			`no priced catalog device meets ${tgt}; the fastest that fits is ${fastest.hardware.name} × ${fastest.devices} at ${fastest.estimate.decode.expectedTokensPerSecondPerUser.toFixed(0)} tok/s per user`,
		);
		return {
			current: input.hardware.spectrum,
			recommendedClass: fastest.hardware.spectrum,
			recommendedHardware: fastest.hardware.id,
			recommendedDevices: fastest.devices,
			reasons,
			target,
		};
	}
	const best = meeting[0];
	const e = best.estimate.decode.expectedTokensPerSecondPerUser;
	const ratio = currentPrice && best.priceUsd ? currentPrice / best.priceUsd : undefined;
	const cheaper =
		ratio && ratio > 1.05
			? ` — ${ratio >= 2 ? `${ratio.toFixed(0)}×` : `${((1 - 1 / ratio) * 100).toFixed(0)} %`} cheaper than ${input.hardware.id} × ${current.devices} (${money(currentPrice)})`
			: '';
	reasons.push(
		`${tgt}: ${best.hardware.name} × ${best.devices} (${best.hardware.bandwidthGBs} GB/s each) gives ${e.toFixed(0)} tok/s at ${money(best.priceUsd)}${cheaper}`,
	);
	const sameClassMeets = current.decode.expectedTokensPerSecondPerUser >= target.tokensPerSecondPerUser;
	if (!sameClassMeets) {
		reasons.push(
			`${input.hardware.id} × ${current.devices} gives ${current.decode.expectedTokensPerSecondPerUser.toFixed(1)} tok/s per user: short of the target`,
		);
	} else {
		const needGBs = (target.tokensPerSecondPerUser * d.bytesPerStep) / 1e9;
		reasons.push(
			`the target needs ≈ ${needGBs.toFixed(0)} GB/s of memory traffic (${target.tokensPerSecondPerUser} steps/s × ${(d.bytesPerStep / 1e9).toFixed(2)} GB per step); ${best.hardware.id} × ${best.devices} has ${(best.hardware.bandwidthGBs * best.devices).toFixed(0)} GB/s`,
		);
	}
	return {
		current: input.hardware.spectrum,
		recommendedClass: best.hardware.spectrum,
		recommendedHardware: best.hardware.id,
		recommendedDevices: best.devices,
		reasons: reasons.slice(0, 3),
		target,
	};
}
