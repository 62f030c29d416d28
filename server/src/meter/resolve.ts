/**
 * Turns what a measurement file says about itself (a GGUF file name, llama.cpp's `model_type`
 * description, a vLLM `model_id`, `gpu_info`) into catalog entries, preferring what the user passed
 * on the command line. Every guess is written into `notes`, every failure into `errors`.
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from '../analysis/catalog/types';
import type { MeterDeps } from './types';
import type { RunSpecs } from './utilization';

export interface Resolved<T> {
	value?: T;
	matchedBy?: string;
	notes: string[];
	errors: string[];
}

/** `llama 7B Q4_K - Medium` → the format id `q4_k_m`; `llama 7B mostly Q4_0` → `q4_0`. */
export function ggufFtypeToFormat(ftype: string): string | undefined {
	const t = ftype.replace(/^mostly\s+/i, '').trim();
	if (/^all F32$/i.test(t)) return 'f32';
	const k = /^(Q[2-6]_K)\s*-\s*(Small|Medium|Large|Extra Small)?/i.exec(t);
	if (k) {
		const size = (k[2] ?? '').toLowerCase();
		const base = k[1].toLowerCase();
		if (base === 'q2_k' || base === 'q6_k' || !size) return base;
		return `${base}_${size[0]}`;
	}
	const m = /^(MXFP4|I?Q\d\w*|TQ\d_\d|BF16|F16|F32)\b/i.exec(t);
	return m ? m[1].toLowerCase() : undefined;
}

/** The format implied by a GGUF file name: `llama-2-7b.Q4_K_M.gguf` → `q4_k_m`. */
export function formatFromFileName(name: string): string | undefined {
	const m = /[.-](I?Q\d(?:_[A-Z0-9]+)*|BF16|F16|F32|MXFP4)(?:-\d+-of-\d+)?\.gguf$/i.exec(name);
	return m ? m[1].toLowerCase() : undefined;
}

export function baseName(path: string): string {
	return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Resolves the model: the user's `--model`, else each candidate name in turn, else (for llama-bench)
 * the catalog model whose parameter count matches `model_n_params` within 2 % and whose
 * architecture agrees with the description.
 */
export function resolveRunModel(
	deps: MeterDeps,
	override: string | undefined,
	candidates: (string | undefined)[],
	byParams?: { params?: number; arch?: string },
): Resolved<ModelSpec> & { impliedFormat?: string } {
	const out: Resolved<ModelSpec> & { impliedFormat?: string } = { notes: [], errors: [] };
	const queries = override ? [override] : candidates.filter((c): c is string => !!c);
	let firstFailure: string | undefined;
	for (const q of queries) {
		const r = deps.resolveModel(q, deps.catalog);
		if (r.ok) {
			out.value = r.model;
			out.matchedBy = override ? `--model (${r.matchedBy})` : `${r.matchedBy} from "${q}"`;
			out.impliedFormat = r.impliedFormat;
			if (r.note) out.notes.push(r.note);
			return out;
		}
		firstFailure ??= r.message;
		if (override) break;
	}
	if (!override && byParams?.params) {
		const hit = matchByParams(deps.catalog.models, byParams.params, byParams.arch);
		if (hit) {
			out.value = hit;
			out.matchedBy = 'parameter count';
			out.notes.push(
				`model matched by parameter count (${(byParams.params / 1e9).toFixed(2)} B) to ${hit.id}; pass --model to be sure`,
			);
			return out;
		}
	}
	out.errors.push(
		firstFailure ?? 'the file names no model; pass --model <id> (see `inference-meter models` for ids)',
	);
	return out;
}

function matchByParams(models: ModelSpec[], params: number, arch?: string): ModelSpec | undefined {
	const close = models.filter((m) => Math.abs(m.paramsTotal - params) / params < 0.02);
	const sameArch = arch
		? close.filter((m) => m.architecture.toLowerCase().includes(arch.toLowerCase()))
		: close;
	const pool = sameArch.length > 0 ? sameArch : close;
	if (pool.length === 0) return undefined;
	// Nearest parameter count wins; ties keep catalog order.
	return pool.reduce((a, b) => (Math.abs(b.paramsTotal - params) < Math.abs(a.paramsTotal - params) ? b : a));
}

export function resolveRunFormat(
	deps: MeterDeps,
	override: string | undefined,
	candidates: { name: string | undefined; from: string }[],
	model: ModelSpec | undefined,
): Resolved<FormatSpec> {
	const out: Resolved<FormatSpec> = { notes: [], errors: [] };
	if (override) {
		const f = deps.resolveFormat(override, deps.catalog);
		if (f) return { ...out, value: f, matchedBy: '--weights' };
		out.errors.push(`unknown weight format "${override}" (--weights); try bf16, fp8, awq, q4_k_m, q8_0 …`);
		return out;
	}
	for (const c of candidates) {
		if (!c.name) continue;
		const f = deps.resolveFormat(c.name, deps.catalog);
		if (f) return { ...out, value: f, matchedBy: c.from };
		out.notes.push(`weight format "${c.name}" (${c.from}) is not in the catalog`);
	}
	const native = model?.nativeDtype ?? 'bf16';
	const f = deps.resolveFormat(native, deps.catalog);
	if (f) {
		out.notes.push(`weight format assumed ${f.id} (the model's native dtype); pass --weights if it differs`);
		return { ...out, value: f, matchedBy: 'assumed' };
	}
	out.errors.push('cannot tell the weight format; pass --weights');
	return out;
}

export function resolveRunKv(
	deps: MeterDeps,
	override: string | undefined,
	fromFile: string | undefined,
	fallback: string,
): Resolved<KvDtypeSpec> {
	const out: Resolved<KvDtypeSpec> = { notes: [], errors: [] };
	const name = override ?? fromFile ?? fallback;
	const kv = deps.resolveKvDtype(name, deps.catalog) ?? deps.resolveKvDtype(fallback, deps.catalog);
	if (!kv) out.errors.push(`unknown KV cache dtype "${name}"`);
	else {
		out.value = kv;
		if (!override && !fromFile) out.notes.push(`KV cache dtype assumed ${kv.id}`);
	}
	return out;
}

/**
 * `Intel(R) Xeon(R) Platinum 8480+` → `Intel Xeon Platinum 8480`; `AMD EPYC 9654 96-Core Processor` →
 * `AMD EPYC 9654`: the marketing noise in `/proc/cpuinfo` names that catalog lookups do not expect.
 */
export function cleanDeviceName(name: string): string {
	return name
		.replace(/\((R|TM|C)\)/gi, '')
		.replace(/\b\d+-Core Processor\b/i, '')
		.replace(/\bCPU\s*@\s*[\d.]+\s*GHz\b/i, '')
		.replace(/\bProcessor\b/i, '')
		.replace(/(\d)\+/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The user's device, else the device the measurement file names (`gpu_info` / `cpu_info`). */
export function resolveRunHardware(
	deps: MeterDeps,
	override: HardwareSpec | undefined,
	named: string | undefined,
): Resolved<HardwareSpec> {
	const out: Resolved<HardwareSpec> = { notes: [], errors: [] };
	if (override) return { ...out, value: override, matchedBy: 'flag' };
	if (named) {
		let r = deps.resolveHardware(named, deps.catalog);
		const plain = cleanDeviceName(named);
		if (!r.ok && plain !== named) r = deps.resolveHardware(plain, deps.catalog);
		if (r.ok) {
			out.notes.push(
				`hardware ${r.hardware.id} read from the file ("${named}"); pass --hardware to override`,
			);
			return { ...out, value: r.hardware, matchedBy: 'file' };
		}
		out.errors.push(
			`the device in the file ("${named}") is not in the catalog; pass --hardware <id> or --bandwidth-gbs <GB/s>`,
		);
		return out;
	}
	out.errors.push('no hardware: pass --hardware <id> or --bandwidth-gbs <GB/s> to get MBU and MFU');
	return out;
}

/** The resolved model, formats and device as one RunSpecs; every note and error carried over. */
export function runSpecs(
	model: Resolved<ModelSpec>,
	weights: Resolved<FormatSpec>,
	kv: Resolved<KvDtypeSpec>,
	hw: Resolved<HardwareSpec>,
	devices: number,
): RunSpecs {
	return {
		model: model.value,
		modelMatchedBy: model.matchedBy,
		weights: weights.value,
		kv: kv.value,
		hardware: hw.value,
		devices,
		errors: [...model.errors, ...weights.errors, ...kv.errors, ...hw.errors],
		notes: [...model.notes, ...weights.notes, ...kv.notes, ...hw.notes],
	};
}
