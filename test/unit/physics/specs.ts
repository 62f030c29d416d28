/**
 * Hand-made catalog entries for the physics tests, transcribed from HF config.json values (model-specs.csv)
 * and vendor sheets (hardware-specs.csv), so these tests do not depend on the catalog module.
 */
import type {
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../../../server/src/analysis/catalog/types';
import type { EstimateInput } from '../../../server/src/analysis/physics/types';

export const llama31_8b: ModelSpec = {
	id: 'meta-llama/Llama-3.1-8B',
	architecture: 'LlamaForCausalLM',
	layers: 32,
	hidden: 4096,
	intermediate: 14336,
	heads: 32,
	kvHeads: 8,
	headDim: 128,
	vocab: 128256,
	tiedEmbeddings: false,
	maxContext: 131072,
	paramsTotal: 8_030_261_248,
	paramsActive: 8_030_261_248,
	sources: ['test'],
};

export const llama31_70b: ModelSpec = {
	...llama31_8b,
	id: 'meta-llama/Llama-3.1-70B',
	layers: 80,
	hidden: 8192,
	intermediate: 28672,
	heads: 64,
	paramsTotal: 70_553_706_496,
	paramsActive: 70_553_706_496,
};

export const llama2_7b: ModelSpec = {
	...llama31_8b,
	id: 'meta-llama/Llama-2-7b-hf',
	intermediate: 11008,
	kvHeads: 32,
	vocab: 32000,
	maxContext: 4096,
	paramsTotal: 6_738_415_616,
	paramsActive: 6_738_415_616,
};

export const mistral7bV01: ModelSpec = {
	...llama31_8b,
	id: 'mistralai/Mistral-7B-v0.1',
	vocab: 32000,
	maxContext: 32768,
	paramsTotal: 7_241_732_096,
	paramsActive: 7_241_732_096,
	slidingWindow: { window: 4096, layers: 32 },
};

export const mixtral8x7b: ModelSpec = {
	...llama31_8b,
	id: 'mistralai/Mixtral-8x7B-v0.1',
	vocab: 32000,
	maxContext: 32768,
	paramsTotal: 46_702_792_704,
	paramsActive: 12_879_925_248,
	moe: {
		experts: 8,
		expertsPerToken: 2,
		sharedExperts: 0,
		expertIntermediate: 14336,
		firstDenseLayers: 0,
		layerStep: 1,
	},
};

export const deepseekV3: ModelSpec = {
	id: 'deepseek-ai/DeepSeek-V3',
	architecture: 'DeepseekV3ForCausalLM',
	layers: 61,
	hidden: 7168,
	intermediate: 18432,
	heads: 128,
	kvHeads: 128,
	headDim: 192,
	vocab: 129280,
	tiedEmbeddings: false,
	maxContext: 163840,
	paramsTotal: 671_026_419_200,
	paramsActive: 37_552_297_472,
	moe: {
		experts: 256,
		expertsPerToken: 8,
		sharedExperts: 1,
		expertIntermediate: 2048,
		firstDenseLayers: 3,
		layerStep: 1,
	},
	mla: { kvLoraRank: 512, qLoraRank: 1536, ropeHeadDim: 64, nopeHeadDim: 128, vHeadDim: 128 },
	sources: ['test'],
};

function fmt(
	id: string,
	bits: number,
	family: FormatSpec['family'],
	computeDtype: FormatSpec['computeDtype'],
): FormatSpec {
	return {
		id,
		label: id,
		bitsPerWeight: bits,
		computeDtype,
		quantized: bits < 16,
		family,
		aliases: [],
		sources: ['test'],
	};
}
export const bf16 = fmt('bf16', 16, 'float', 'bf16');
export const fp8 = fmt('fp8', 8, 'float', 'fp8');
export const int4 = fmt('int4', 4.125, 'int', 'fp16');
export const awq = fmt('awq', 4.15625, 'awq', 'fp16');
export const q4_0 = fmt('q4_0', 4.5, 'gguf', 'fp16');
export const q8_0 = fmt('q8_0', 8.5, 'gguf', 'fp16');
export const q4_k_m = fmt('q4_k_m', 4.899, 'gguf', 'fp16');
export const f16gguf = fmt('f16', 16, 'gguf', 'fp16');

export const kvBf16: KvDtypeSpec = {
	id: 'bf16',
	label: 'bf16',
	bytesPerElement: 2,
	aliases: [],
	sources: ['test'],
};
export const kvFp8: KvDtypeSpec = {
	id: 'fp8',
	label: 'fp8',
	bytesPerElement: 1,
	aliases: [],
	sources: ['test'],
};
export const kvQ8: KvDtypeSpec = {
	id: 'q8_0',
	label: 'q8_0',
	bytesPerElement: 34 / 32,
	aliases: [],
	sources: ['test'],
};

export const h100: HardwareSpec = {
	id: 'h100-sxm',
	name: 'NVIDIA H100 SXM5 80GB',
	vendor: 'NVIDIA',
	deviceClass: 'gpu',
	spectrum: 'gpu',
	memoryType: 'HBM3',
	memoryGB: 80,
	bandwidthGBs: 3350,
	peakTflops: { fp32: 67, tf32: 494.5, bf16: 989, fp16: 989, fp8: 1979, int8: 1979 },
	tdpW: 700,
	priceUsd: 30000,
	interconnect: { name: 'NVLink4', bandwidthGBs: 450 },
	sources: ['test'],
};

export const h200: HardwareSpec = {
	...h100,
	id: 'h200',
	name: 'NVIDIA H200',
	memoryType: 'HBM3e',
	memoryGB: 141,
	bandwidthGBs: 4800,
	priceUsd: 32000,
};

export const rtx4090: HardwareSpec = {
	...h100,
	id: 'rtx-4090',
	name: 'NVIDIA GeForce RTX 4090',
	memoryType: 'GDDR6X',
	memoryGB: 24,
	bandwidthGBs: 1008,
	peakTflops: { fp32: 82.6, bf16: 165.2, fp16: 165.2, fp8: 330.3, int8: 660.6 },
	tdpW: 450,
	priceUsd: 1599,
	interconnect: undefined,
};

export const epyc9654: HardwareSpec = {
	id: 'epyc-9654',
	name: 'AMD EPYC 9654 (12× DDR5-4800)',
	vendor: 'AMD',
	deviceClass: 'cpu',
	spectrum: 'cpu',
	memoryType: 'DDR5',
	memoryGB: 768,
	bandwidthGBs: 460.8,
	peakTflops: { fp32: 5.4, bf16: 10.8 },
	tdpW: 360,
	priceUsd: 11805,
	sources: ['test'],
};

export const m2ultra: HardwareSpec = {
	id: 'apple-m2-ultra',
	name: 'Apple M2 Ultra (76-core GPU)',
	vendor: 'Apple',
	deviceClass: 'apple-gpu',
	spectrum: 'gpu',
	memoryType: 'LPDDR5',
	memoryGB: 192,
	bandwidthGBs: 800,
	peakTflops: { fp32: 27.2, fp16: 27.2 },
	sources: ['test'],
};

export const taalas: HardwareSpec = {
	id: 'taalas-hc1',
	name: 'Taalas HC1',
	vendor: 'Taalas',
	deviceClass: 'hardwired',
	spectrum: 'hardwired',
	memoryType: 'mask ROM',
	memoryGB: 4,
	bandwidthGBs: 68000,
	peakTflops: {},
	tdpW: 250,
	priceUsd: 1000,
	fixedModels: ['meta-llama/Llama-3.1-8B-Instruct'],
	sources: ['test'],
};

export function input(over: Partial<EstimateInput> = {}): EstimateInput {
	return {
		model: llama31_8b,
		weights: bf16,
		kvDtype: kvBf16,
		hardware: h100,
		devices: 1,
		batch: 1,
		context: 1024,
		prompt: 1024,
		engine: 'vllm',
		...over,
	};
}

/** Equality up to floating-point rounding (relative 1e-9). */
export function assertClose(actual: number, expected: number, rel = 1e-9, what = ''): void {
	const ok = Math.abs(actual - expected) <= rel * Math.max(Math.abs(actual), Math.abs(expected), 1e-300);
	if (!ok) throw new Error(`${what} expected ${expected}, got ${actual}`);
}
