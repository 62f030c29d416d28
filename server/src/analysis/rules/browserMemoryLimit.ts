/**
 * browser-memory-limit: transformers.js runs on ONNX Runtime Web. On WASM the whole process lives in a
 * 32-bit address space (4 GiB, weights + KV + runtime); on WebGPU each tensor must fit one GPU buffer
 * (maxBufferSize / maxStorageBufferBindingSize, 2 GiB on common desktop adapters) and the model must fit
 * the adapter's memory. The fix switches `dtype` to the most precise one that fits.
 */
import type { FormatSpec } from '../catalog/types';
import { replaceValue, setSetting } from '../fixes/edits';
import type { Estimate } from '../physics/types';
import type { Fix } from '../types';
import { finding, spanOf } from './common';
import type { Rule, RuleContext } from './types';
import { gb } from './units';

export const WASM_MEMORY_BYTES = 4 * 1024 ** 3;
export const WEBGPU_BUFFER_BYTES = 2 * 1024 ** 3;
/** Precision order for the fix: first that fits wins. */
const DTYPES_WEBGPU = ['fp16', 'q8', 'q4f16', 'q4'];
const DTYPES_WASM = ['q8', 'q4'];

interface Verdict {
	severity: 'error' | 'warning';
	reason: string;
}

export const browserMemoryLimit: Rule = {
	code: 'browser-memory-limit',
	defaultSeverity: 'error',
	summary: "A transformers.js model exceeds WASM's 4 GiB memory or a WebGPU limit.",
	check(ctx) {
		if (ctx.workload.framework !== 'transformers.js' || !ctx.estimate || !ctx.model.ok) return [];
		// Node's onnxruntime-node has neither limit.
		if (!ctx.target.hardwareId.startsWith('browser-')) return [];
		const wasm = isWasm(ctx);
		const verdict = judge(ctx, ctx.estimate, wasm);
		if (!verdict) return [];
		const s = ctx.workload.settings;
		const e = ctx.estimate;
		return [
			finding(
				ctx,
				browserMemoryLimit.code,
				verdict.severity,
				`${e.modelId} in ${e.weightsFormat}: ${verdict.reason}`,
				spanOf(ctx, s.weightFormat),
				{
					backend: wasm ? 'wasm' : 'webgpu',
					weightsBytes: e.memory.weightsBytes,
					largestTensorBytes: largestTensorBytes(ctx, ctx.weights),
					limitBytes: wasm ? WASM_MEMORY_BYTES : WEBGPU_BUFFER_BYTES,
				},
				dtypeFix(ctx, wasm),
			),
		];
	},
};

function isWasm(ctx: RuleContext): boolean {
	const device = ctx.workload.settings.device?.value?.toLowerCase();
	return device === 'wasm' || (!/webgpu|gpu/.test(device ?? '') && ctx.target.hardwareId.includes('wasm'));
}

/** The embedding matrix (vocab × hidden) is the largest single tensor in a decoder. */
function largestTensorBytes(ctx: RuleContext, format?: FormatSpec): number {
	if (!ctx.model.ok || !format) return 0;
	return (ctx.model.model.vocab * ctx.model.model.hidden * format.bitsPerWeight) / 8;
}

function judge(ctx: RuleContext, e: Estimate, wasm: boolean, format = ctx.weights): Verdict | undefined {
	const m = e.memory;
	if (wasm) {
		if (m.weightsBytes > WASM_MEMORY_BYTES)
			return {
				severity: 'error',
				reason: `weights of ${gb(m.weightsBytes)} exceed the 4 GiB (4.29 GB) WASM memory`,
			};
		const total = m.weightsBytes + m.kvBytes + m.runtimeOverheadBytesPerDevice;
		if (total > WASM_MEMORY_BYTES)
			return {
				severity: 'warning',
				reason: `weights ${gb(m.weightsBytes)} + KV cache ${gb(m.kvBytes)} + runtime exceed the 4 GiB (4.29 GB) WASM memory at this context`,
			};
		return undefined;
	}
	if (!m.weightsFit)
		return {
			severity: 'error',
			reason: `weights of ${gb(m.weightsBytes)} exceed the ${gb(m.budgetBytesPerDevice)} a WebGPU page can use`,
		};
	const tensor = largestTensorBytes(ctx, format);
	if (tensor > WEBGPU_BUFFER_BYTES)
		return {
			severity: 'warning',
			reason: `the embedding matrix alone is ${gb(tensor)}, over the 2 GiB (2.15 GB) WebGPU buffer limit of common adapters`,
		};
	return undefined;
}

function dtypeFix(ctx: RuleContext, wasm: boolean): Fix[] {
	const setting = ctx.workload.settings.weightFormat;
	// Per-module dtype maps are left to the user.
	if (setting?.source === 'file' && (!setting.span || /[{:]/.test(String(setting.value)))) return [];
	// transformers.js v2 (@xenova/transformers) has only `quantized: true|false` (q8 or fp32).
	const legacy = setting?.source === 'file' && setting.key === 'quantized';
	for (const id of legacy ? ['q8'] : wasm ? DTYPES_WASM : DTYPES_WEBGPU) {
		const format = ctx.formatById(id);
		if (!format || format.bitsPerWeight >= (ctx.weights?.bitsPerWeight ?? Infinity)) continue;
		const e = ctx.evaluate({ weights: format });
		if (!e || judge(ctx, e, wasm, format)) continue;
		const legacyEdit = legacy && setting ? replaceValue(ctx.text, setting, 'true') : undefined;
		const edits = legacy
			? legacyEdit
				? [legacyEdit]
				: undefined
			: setSetting(ctx.text, ctx.workload, 'weightFormat', id);
		if (!edits) return [];
		return [
			{
				title: legacy
					? 'Load the quantized (q8) weights: quantized: true'
					: `Load the model with dtype '${id}'`,
				edits,
				effect: `Weights ${gb(e.memory.weightsBytes)} in ${id} (now ${gb(ctx.estimate?.memory.weightsBytes ?? 0)})`,
				isPreferred: true,
			},
		];
	}
	return [];
}
