/**
 * engine-format-mismatch (error): the engine cannot load what the file gives it, so it stops at start-up —
 * whatever the memory numbers say.
 * - llama.cpp (llama-server, llama-cli, llama-cpp-python) reads only GGUF: a `.safetensors` / PyTorch
 *   checkpoint must be converted first (convert_hf_to_gguf.py), and pre-GGUF ggml `.bin` files (ggml,
 *   ggmf, ggjt; GGUF replaced them in August 2023) are refused ("invalid magic").
 * - transformers with `attn_implementation="flash_attention_2"` (or _3) and the model on the CPU:
 *   FlashAttention kernels are CUDA-only; transformers raises at load when no GPU is available, and the
 *   kernel fails on CPU tensors otherwise.
 */
import { replaceValue } from '../fixes/edits';
import type { Fix, Span, Workload } from '../types';
import { finding } from './common';
import type { Rule } from './types';

export interface Mismatch {
	message: string;
	span: Span;
	kind: 'safetensors' | 'ggml-bin' | 'pytorch-checkpoint' | 'flash-attention-on-cpu';
}

const FLASH = /^flash_attention_[23]$/;

/** The mismatch of this workload, if any (also used by unknown-model to stay quiet about the same file). */
export function engineFormatMismatch(w: Workload): Mismatch | undefined {
	const span = w.model.span ?? w.span;
	if (w.framework === 'llama.cpp' && w.model.source === 'file') {
		const file = w.model.value.split(/[\\/]/).pop() ?? '';
		if (/\.safetensors$/i.test(file))
			return {
				kind: 'safetensors',
				span,
				message: `llama.cpp loads only GGUF files, not \`${file}\` (safetensors): it fails at start-up. Convert the checkpoint with convert_hf_to_gguf.py (then quantize it), or use a published GGUF of the model`,
			};
		if (/\.(pt|pth|ckpt)$/i.test(file))
			return {
				kind: 'pytorch-checkpoint',
				span,
				message: `llama.cpp loads only GGUF files, not the PyTorch checkpoint \`${file}\`: it fails at start-up. Convert it with convert_hf_to_gguf.py first`,
			};
		if (/\.bin$/i.test(file) && /ggml|ggjt|ggmf/i.test(file))
			return {
				kind: 'ggml-bin',
				span,
				message: `\`${file}\` is a pre-GGUF ggml file; llama.cpp has read only GGUF since August 2023 and refuses it at start-up. Use the GGUF release of the model (or convert it with the old convert-llama-ggml-to-gguf script)`,
			};
	}
	if (w.framework === 'transformers') {
		const attn = w.flags.find(
			(f) => f.canonical === 'attn_implementation' || f.name === 'attn_implementation',
		);
		const value = attn?.value?.replace(/^["']|["']$/g, '');
		const device = w.settings.device;
		if (attn && value && FLASH.test(value) && device?.value === 'cpu')
			return {
				kind: 'flash-attention-on-cpu',
				span: attn.valueSpan ?? attn.span,
				message: `attn_implementation="${value}" needs a CUDA GPU, but the model is on the CPU (${device.source === 'file' ? `${device.key ?? 'device'} ${device.value}` : (device.note ?? 'no device_map')}): transformers refuses to load it without a GPU, and the kernel fails on CPU tensors`,
			};
	}
	return undefined;
}

export const engineFormatMismatchRule: Rule = {
	code: 'engine-format-mismatch',
	defaultSeverity: 'error',
	summary:
		'The engine cannot load this file format or run this kernel where the model is: it stops at start-up.',
	check(ctx) {
		const m = engineFormatMismatch(ctx.workload);
		if (!m) return [];
		return [
			finding(
				ctx,
				engineFormatMismatchRule.code,
				'error',
				m.message,
				m.span,
				{ kind: m.kind, model: ctx.workload.model.value },
				fixes(ctx.text, ctx.workload, m),
			),
		];
	},
};

function fixes(text: string, w: Workload, m: Mismatch): Fix[] {
	if (m.kind !== 'flash-attention-on-cpu') return [];
	const attn = w.flags.find((f) => f.name === 'attn_implementation');
	if (!attn?.valueSpan) return [];
	const edit = replaceValue(text, { value: attn.value ?? '', source: 'file', span: attn.valueSpan }, 'sdpa');
	if (!edit) return [];
	return [
		{
			title: 'Use attn_implementation="sdpa" (runs on the CPU)',
			edits: [edit],
			effect:
				"PyTorch's scaled_dot_product_attention: same weights and KV bytes (0 bytes more), loads on the CPU",
			isPreferred: true,
		},
	];
}
