/**
 * Picks the hardware a workload is estimated on, and says why: the file (node selector, GPU label,
 * `device`), else the user's setting or CLI flag, else a default that fits the engine — a datacenter GPU
 * for server engines, the local machine for llama.cpp/Ollama, the browser for transformers.js.
 */
import type { HardwareSpec } from '../catalog/types';
import type { HardwareProblem } from '../rules/types';
import type { AnalysisOptions, TargetChoice, Workload } from '../types';
import { provenanceNote as projectNote } from '../config/forFile';
import { hardwareHint } from './hardwareHints';

export const SERVER_DEFAULT = 'h100-sxm';
export const LOCAL_DEFAULT = 'ryzen-9-7950x';
/** Stand-in when a local engine offloads layers but no hardware is named: the common 24 GB desktop card. */
export const LOCAL_GPU_DEFAULT = 'rtx-4090';

export type HardwareLookup = (
	id: string,
) => { ok: true; hardware: HardwareSpec } | { ok: false; suggestions: string[]; message: string };

export interface TargetResult {
	target: TargetChoice;
	hardware?: HardwareSpec;
	problem?: HardwareProblem;
}

const ENGINE_LABEL: Record<Workload['framework'], string> = {
	vllm: 'vLLM',
	'llama.cpp': 'llama.cpp',
	ollama: 'Ollama',
	'transformers.js': 'transformers.js',
	transformers: 'transformers',
	sglang: 'SGLang',
};

/** Default target for an engine, with the reason in words. */
export function defaultTarget(w: Workload, options: AnalysisOptions): { id: string; note: string } {
	const device = w.settings.device?.value?.toLowerCase() ?? '';
	const engine = ENGINE_LABEL[w.framework];
	const local = options.localHardwareId ?? LOCAL_DEFAULT;
	const localNote = options.localHardwareId
		? 'this machine'
		: `${LOCAL_DEFAULT}, the stand-in for a local machine`;
	switch (w.framework) {
		case 'llama.cpp':
		case 'ollama': {
			// Offloading layers says there is a GPU; a CPU stand-in would silently ignore -ngl.
			const ngl = w.settings.gpuLayers;
			if (!options.localHardwareId && ngl?.source === 'file' && ngl.value !== 0) {
				const flag = `${ngl.key ?? 'gpu layers'} ${ngl.value}`;
				return {
					id: LOCAL_GPU_DEFAULT,
					note: `${flag} offloads to a GPU; ${LOCAL_GPU_DEFAULT} (24 GB) stands in for it`,
				};
			}
			return { id: local, note: `default for ${engine}: ${localNote}` };
		}
		case 'transformers.js':
			// In Node, onnxruntime-node runs natively on this machine (device cpu, cuda, dml, coreml).
			if (/^(cpu|cuda|dml|coreml)/.test(device))
				return { id: local, note: `transformers.js device ${device} runs natively in Node on ${localNote}` };
			return device.includes('webgpu') || device === 'gpu'
				? { id: 'browser-webgpu', note: 'transformers.js with device webgpu runs in the browser on WebGPU' }
				: { id: 'browser-wasm', note: 'transformers.js without a WebGPU device runs on WASM' };
		case 'transformers':
			if (device === 'cpu') return { id: local, note: `device cpu: ${localNote}` };
			if (device === 'mps')
				return { id: options.localHardwareId ?? 'apple-m4-max', note: 'device mps: an Apple GPU' };
			return { id: SERVER_DEFAULT, note: `default for ${engine} on a server GPU` };
		default:
			return { id: SERVER_DEFAULT, note: `default for ${engine}` };
	}
}

/**
 * A place a target can come from besides the file and the engine default, in precedence order (first
 * wins). Today: the user's setting / CLI flag. A project config file (and its overrides) plugs in here
 * as more layers — between the file's hints and the engine default — without touching the rest.
 */
export interface TargetLayer {
	hardwareId?: string;
	devices?: number;
	source: 'config' | 'user-setting';
	/** Where it was set, in words, for the hover and the JSON (`devices setting / --devices`). */
	hardwareNote: string;
	devicesNote: string;
}

/** The override layers the options carry; unset settings make no layer (they are not user choices). */
export function targetLayers(options: AnalysisOptions): TargetLayer[] {
	const layers: TargetLayer[] = [];
	// The project config (.inference-meter.yaml, its matching override first) ranks above user settings.
	const p = options.project;
	if (p?.hardwareId || p?.devices)
		layers.push({
			hardwareId: p.hardwareId,
			devices: p.devices,
			source: 'config',
			hardwareNote: projectNote(p, 'hardwareId'),
			devicesNote: projectNote(p, 'devices'),
		});
	if (options.hardwareId || (options.devices && options.devices > 0))
		layers.push({
			hardwareId: options.hardwareId || undefined,
			devices: options.devices && options.devices > 0 ? options.devices : undefined,
			source: 'user-setting',
			hardwareNote: 'from the hardware setting / --hardware',
			devicesNote: 'devices setting / --devices',
		});
	return layers;
}

/**
 * The workload with the device count a layer gives, when the file does not say. The file's own count
 * (GPU limits, `--gpus`, …) always wins; TP × PP is the file's statement of how many devices it needs.
 */
export function withLayerDevices(w: Workload, options: AnalysisOptions): Workload {
	if (w.settings.deviceCount) return w;
	const layer = targetLayers(options).find((l) => l.devices !== undefined);
	if (!layer?.devices) return w;
	return {
		...w,
		settings: {
			...w.settings,
			deviceCount: { value: layer.devices, source: layer.source, note: layer.devicesNote },
		},
	};
}

/**
 * The one place the target is decided: the file's hints, then each override layer, then the engine's
 * default as the CLI uses it. Returns the workload with the device count it will be judged on.
 */
export function resolveTarget(
	w: Workload,
	options: AnalysisOptions,
	lookup: HardwareLookup,
	docText?: string,
): TargetResult & { workload: Workload } {
	const workload = withLayerDevices(withFileHint(w, docText), options);
	return { ...chooseTarget(workload, options, lookup), workload };
}

/**
 * The file's own hints when it names no hardware: ROCm, TPU, an Instinct part (resolve/hardwareHints.ts),
 * from the workload's text (or the whole file when the workload has no span of its own). They are the
 * file speaking, so they rank with the file — above every override layer.
 */
function withFileHint(w: Workload, docText?: string): Workload {
	if (w.settings.hardware?.value || !docText) return w;
	const own = docText.slice(w.span.offset, w.span.offset + w.span.length);
	const hint = hardwareHint(own, w.framework, docText);
	if (!hint) return w;
	const settings = { ...w.settings, hardware: { value: hint.id, source: 'file' as const, note: hint.note } };
	if (hint.devices && !settings.deviceCount)
		settings.deviceCount = { value: hint.devices, source: 'file', note: hint.note };
	return { ...w, settings };
}

export function chooseTarget(w: Workload, options: AnalysisOptions, lookup: HardwareLookup): TargetResult {
	const devices = deviceCount(w, options);
	const fallback = defaultTarget(w, options);
	const fromFile = w.settings.hardware;
	const device = w.settings.device;
	const candidates: { id: string; source: TargetChoice['source']; note: string }[] = [];
	if (fromFile?.value)
		candidates.push({
			id: fromFile.value,
			source: 'file',
			note: fromFile.note ?? `named in the file (${fromFile.key ?? 'hardware'})`,
		});
	else if (w.framework === 'transformers.js' && device?.source === 'file')
		candidates.push({ id: fallback.id, source: 'file', note: `device ${device.value} in the file` });
	for (const layer of targetLayers(options))
		if (layer.hardwareId)
			candidates.push({ id: layer.hardwareId, source: layer.source, note: layer.hardwareNote });
	candidates.push({
		id: fallback.id,
		source: 'default',
		note: `${fallback.note}; set inferenceMeter.hardware or --hardware to change it`,
	});

	let problem: HardwareProblem | undefined;
	for (const c of candidates) {
		const r = lookup(c.id);
		if (r.ok) {
			const note = problem ? `${c.note} (“${problem.query}” is not in the catalog)` : c.note;
			return {
				target: { hardwareId: r.hardware.id, devices, source: c.source, note },
				hardware: r.hardware,
				problem,
			};
		}
		if (!problem && c.source !== 'default')
			problem = {
				query: c.id,
				suggestions: r.suggestions,
				message: r.message,
				source: c.source === 'file' ? 'file' : 'user-setting',
			};
	}
	const last = candidates[candidates.length - 1];
	return {
		target: { hardwareId: last.id, devices, source: last.source, note: `${last.note}; not in the catalog` },
		problem,
	};
}

/** Devices the workload spans: TP × PP when set, else the file's device count, else the option. */
export function deviceCount(w: Workload, options: AnalysisOptions): number {
	const tp = w.settings.tensorParallelSize?.value ?? 1;
	const pp = w.settings.pipelineParallelSize?.value ?? 1;
	if (tp * pp > 1) return tp * pp;
	// vLLM and SGLang take their device count from TP × PP; the others may be told it by a layer.
	const tpEngine = w.framework === 'vllm' || w.framework === 'sglang';
	if (!tpEngine && w.settings.deviceCount?.value) return w.settings.deviceCount.value;
	const layer = targetLayers(options).find((l) => l.devices !== undefined);
	return tpEngine ? 1 : Math.max(1, layer?.devices ?? 1);
}

/** `H100 SXM ×2 (default for vLLM; …)` for messages. */
export function targetLabel(target: TargetChoice, hardware?: HardwareSpec): string {
	const name = hardware?.name ?? target.hardwareId;
	const n = target.devices > 1 ? ` ×${target.devices}` : '';
	const why =
		target.source === 'file'
			? 'from the file'
			: target.source === 'config'
				? target.note
				: target.source === 'user-setting'
					? 'from settings'
					: 'default';
	return `${name}${n}, ${why}`;
}
