/**
 * Hand-made catalog entries and a hand-made "physics" for the meter's arithmetic tests: every number
 * below is chosen so the expected MBU/MFU can be worked out on paper in the tests.
 */
import type {
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../../../server/src/analysis/catalog/types';
import type { Estimate, EstimateInput } from '../../../server/src/analysis/physics/types';
import type { MeterDeps } from '../../../server/src/meter/types';

export const MODEL: ModelSpec = {
	id: 'test/llama-2-7b',
	architecture: 'LlamaForCausalLM',
	aliases: ['llama-2-7b'],
	layers: 32,
	hidden: 4096,
	intermediate: 11008,
	heads: 32,
	kvHeads: 32,
	headDim: 128,
	vocab: 32000,
	tiedEmbeddings: false,
	maxContext: 4096,
	paramsTotal: 6.74e9,
	paramsActive: 6.74e9,
	nativeDtype: 'f16',
	sources: ['test'],
};

const fmt = (id: string, bits: number, computeDtype: FormatSpec['computeDtype']): FormatSpec => ({
	id,
	label: id,
	bitsPerWeight: bits,
	computeDtype,
	quantized: bits < 16,
	family: 'gguf',
	aliases: [],
	sources: ['test'],
});
export const FORMATS = [fmt('q4_0', 4.5, 'fp16'), fmt('f16', 16, 'fp16'), fmt('bf16', 16, 'bf16')];
export const KVS: KvDtypeSpec[] = [
	{ id: 'f16', label: 'f16', bytesPerElement: 2, aliases: ['fp16'], sources: ['test'] },
	{ id: 'bf16', label: 'bf16', bytesPerElement: 2, aliases: [], sources: ['test'] },
	{ id: 'q8_0', label: 'q8_0', bytesPerElement: 34 / 32, aliases: [], sources: ['test'] },
];
export const GPU: HardwareSpec = {
	id: 'rtx-3090',
	name: 'NVIDIA GeForce RTX 3090',
	vendor: 'NVIDIA',
	deviceClass: 'gpu',
	spectrum: 'gpu',
	memoryType: 'GDDR6X',
	memoryGB: 24,
	bandwidthGBs: 936,
	peakTflops: { fp16: 71, bf16: 71 },
	sources: ['test'],
};

/** KV bytes per token for the model above at 2 bytes/element: 2 (K,V) × 32 layers × 32 heads × 128 × 2. */
export const KV_PER_TOKEN = 2 * 32 * 32 * 128 * 2; // 524,288
/** Catalog weight bytes the stub physics reports (the file may differ). */
export const CATALOG_WEIGHT_BYTES = 4e9;

export function stubEstimate(input: EstimateInput): Estimate {
	const kvPerToken = (KV_PER_TOKEN * input.kvDtype.bytesPerElement) / 2;
	const kvBytesPerStep = kvPerToken * input.context * input.batch;
	const bytesPerStep = CATALOG_WEIGHT_BYTES + kvBytesPerStep;
	const roofline = (input.hardware.bandwidthGBs * input.devices * 1e9) / bytesPerStep;
	return {
		modelId: input.model.id,
		hardwareId: input.hardware.id,
		weightsFormat: input.weights.id,
		kvDtype: input.kvDtype.id,
		engine: input.engine,
		devices: input.devices,
		batch: input.batch,
		context: input.context,
		prompt: input.prompt,
		memory: {
			weightsBytes: CATALOG_WEIGHT_BYTES,
			weightsBytesPerDevice: CATALOG_WEIGHT_BYTES,
			kvBytesPerToken: kvPerToken,
			kvBytes: kvBytesPerStep,
			kvBytesPerDevice: kvBytesPerStep,
			runtimeOverheadBytesPerDevice: 0,
			totalBytesPerDevice: bytesPerStep,
			capacityBytesPerDevice: 24e9,
			budgetBytesPerDevice: 21.6e9,
			kvBudgetBytesPerDevice: 10e9,
			fits: true,
			weightsFit: true,
			maxContextAtBatch: 4096,
			maxBatchAtContext: 8,
		},
		decode: {
			bytesPerStep,
			weightBytesPerStep: CATALOG_WEIGHT_BYTES,
			kvBytesPerStep,
			activationBytesPerStep: 0,
			flopsPerStep: 2 * input.model.paramsActive * input.batch,
			arithmeticIntensity: 0,
			ridgeFlopsPerByte: 76,
			bound: input.batch >= 100 ? 'compute' : 'memory',
			rooflineTokensPerSecondPerUser: roofline,
			expectedTokensPerSecondPerUser: 0.8 * roofline,
			tokensPerSecondTotal: 0.8 * roofline * input.batch,
			computeUtilization: 0,
			efficiency: { factor: 0.8, reasons: ['stub'] },
			allReduceSecondsPerStep: 0,
			stepSeconds: 1 / (0.8 * roofline),
		},
		prefill: {
			flops: 2 * input.model.paramsActive * input.prompt,
			bytes: CATALOG_WEIGHT_BYTES,
			seconds: input.prompt / 4000,
			ttftSeconds: input.prompt / 4000,
			tokensPerSecond: 4000,
			bound: 'compute',
		},
		assumptions: [],
	};
}

export const STUB_DEPS: MeterDeps = {
	catalog: { hardware: [GPU], models: [MODEL], formats: FORMATS, kvDtypes: KVS },
	resolveModel(query) {
		const q = query.toLowerCase();
		if (q === MODEL.id || q.includes('llama-2-7b'))
			return {
				ok: true,
				model: MODEL,
				matchedBy: 'gguf-name',
				impliedFormat: /q4_0/.test(q) ? 'q4_0' : undefined,
			};
		return {
			ok: false,
			query,
			suggestions: [MODEL.id],
			message: `unknown model "${query}"; closest: ${MODEL.id}`,
		};
	},
	resolveHardware(query) {
		if (query === GPU.id || query === GPU.name) return { ok: true, hardware: GPU };
		return { ok: false, query, suggestions: [GPU.id], message: `unknown hardware "${query}"` };
	},
	resolveFormat: (name) => FORMATS.find((f) => f.id === name.toLowerCase()),
	resolveKvDtype: (name) =>
		KVS.find((k) => k.id === name.toLowerCase() || k.aliases.includes(name.toLowerCase())),
	estimate: stubEstimate,
};
