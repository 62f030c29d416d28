/**
 * A hand-made report for the panel tests: what the language server returns for
 *   vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 16
 * on line 1 of serve.sh. The estimate is only a fallback in the panel (it recomputes with the bundled
 * physics), so its numbers are round hand-made values, not the physics' output.
 */
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import type { Estimate } from '../../server/src/analysis/physics/types';

export const SAMPLE_TEXT =
	'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 16\n';

const r = (sl: number, sc: number, el: number, ec: number) => ({
	start: { line: sl, character: sc },
	end: { line: el, character: ec },
});

export function sampleEstimate(modelId: string): Estimate {
	return {
		modelId,
		hardwareId: 'h100-sxm',
		weightsFormat: 'bf16',
		kvDtype: 'bf16',
		engine: 'vllm',
		devices: 1,
		batch: 1,
		context: 2048,
		prompt: 1024,
		memory: {
			weightsBytes: 16e9,
			weightsBytesPerDevice: 16e9,
			kvBytesPerToken: 131072,
			kvBytes: 17.2e9,
			kvBytesPerDevice: 17.2e9,
			runtimeOverheadBytesPerDevice: 2e9,
			totalBytesPerDevice: 35.2e9,
			capacityBytesPerDevice: 80e9,
			budgetBytesPerDevice: 72e9,
			kvBudgetBytesPerDevice: 54e9,
			fits: true,
			weightsFit: true,
			maxContextAtBatch: 25000,
			maxBatchAtContext: 50,
		},
		decode: {
			bytesPerStep: 20e9,
			weightBytesPerStep: 16e9,
			kvBytesPerStep: 4e9,
			activationBytesPerStep: 0,
			flopsPerStep: 256e9,
			arithmeticIntensity: 12.8,
			ridgeFlopsPerByte: 295,
			bound: 'memory',
			rooflineTokensPerSecondPerUser: 167,
			expectedTokensPerSecondPerUser: 130,
			tokensPerSecondTotal: 2080,
			computeUtilization: 0.034,
			efficiency: { factor: 0.78, reasons: ['vLLM on a datacenter GPU'] },
			allReduceSecondsPerStep: 0,
			stepSeconds: 1 / 130,
		},
		prefill: {
			flops: 16e12,
			bytes: 16e9,
			seconds: 0.025,
			ttftSeconds: 0.03,
			tokensPerSecond: 40000,
			bound: 'compute',
		},
		cost: {
			usdPerMillionTokens: 0.4,
			joulesPerToken: 0.3,
			basis: '$30,000 over 3 years, 700 W at $0.15/kWh',
		},
		assumptions: ['prompt of 1,024 tokens'],
	};
}

export function sampleWorkload(
	model = 'meta-llama/Llama-3.1-8B-Instruct',
	resolved: string | null = 'meta-llama/Llama-3.1-8B',
): WorkloadReport {
	return {
		framework: 'vllm',
		model,
		resolvedModel: resolved,
		settings: { contextLength: 8192, maxConcurrency: 16 },
		ranges: { model: r(0, 11, 0, 43), contextLength: r(0, 60, 0, 64), maxConcurrency: r(0, 80, 0, 82) },
		provenance: {
			contextLength: { value: 8192, source: 'file', key: '--max-model-len', raw: '8192' },
			maxConcurrency: { value: 16, source: 'file', key: '--max-num-seqs', raw: '16' },
			kvCacheDtype: { value: 'auto', source: 'engine-default' },
		},
		range: r(0, 0, 0, 82),
		unknowns: [],
		target: { hardwareId: 'h100-sxm', devices: 1, source: 'user-setting', note: 'inferenceMeter.hardware' },
		estimate: sampleEstimate(resolved ?? model),
	};
}
