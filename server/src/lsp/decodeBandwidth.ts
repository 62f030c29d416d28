/**
 * `inferenceMeter/decodeBandwidth`: bytes streamed per decode step for a workload (or a picked model), the
 * bandwidth a tok/s target needs, and the roofline of that same step on every catalog device. The physics
 * is the estimator's; this module only chooses the inputs and loops over the catalog.
 */
import { resolveFormat, resolveKvDtype, resolveModel, type Catalog } from '../analysis/catalog';
import type { FormatSpec, KvDtypeSpec, ModelSpec } from '../analysis/catalog/types';
import { estimate } from '../analysis/physics';
import type { Engine, Estimate } from '../analysis/physics/types';
import type { DecodeBandwidthResult, DeviceRoofline } from '../shared/protocol';

/** Context assumed for a picked model: long enough to matter, short enough for small devices. */
export const PICKED_MODEL_CONTEXT = 4096;

interface StepInputs {
	basis: DecodeBandwidthResult['basis'];
	model: ModelSpec;
	weights: FormatSpec;
	kv: KvDtypeSpec;
	batch: number;
	context: number;
	engine: Engine;
	assumptions: string[];
}

export function inputsFromEstimate(e: Estimate, catalog: Catalog): StepInputs | { error: string } {
	const model = resolveModel(e.modelId, catalog);
	const weights = resolveFormat(e.weightsFormat, catalog);
	const kv = resolveKvDtype(e.kvDtype, catalog);
	if (!model.ok || !weights || !kv)
		return { error: `cannot resolve ${e.modelId} / ${e.weightsFormat} / ${e.kvDtype}` };
	return {
		basis: 'workload',
		model: model.model,
		weights,
		kv,
		batch: e.batch,
		context: e.context,
		engine: e.engine,
		assumptions: [...e.assumptions],
	};
}

export function inputsFromModel(modelId: string, catalog: Catalog): StepInputs | { error: string } {
	const model = resolveModel(modelId, catalog);
	if (!model.ok) return { error: model.message };
	const formatId = model.impliedFormat ?? model.model.nativeDtype ?? 'bf16';
	const weights = resolveFormat(formatId, catalog) ?? resolveFormat('bf16', catalog);
	const kv = resolveKvDtype('bf16', catalog) ?? resolveKvDtype('f16', catalog);
	if (!weights || !kv) return { error: `the catalog has no ${formatId} weight format or 16-bit KV dtype` };
	const context = Math.min(PICKED_MODEL_CONTEXT, model.model.maxContext);
	return {
		basis: 'model',
		model: model.model,
		weights,
		kv,
		batch: 1,
		context,
		engine: 'vllm',
		assumptions: [
			`${weights.id} weights (${model.impliedFormat ? 'named in the id' : 'the model’s native dtype'})`,
			`${kv.id} KV cache`,
			`one user, ${context} tokens of context`,
		],
	};
}

/** The decode step of `inputs` on every catalog device (one device each), plus the target's bandwidth. */
export function decodeBandwidth(
	inputs: StepInputs,
	catalog: Catalog,
	tokensPerSecondPerUser: number,
): DecodeBandwidthResult {
	const run = (hardware: Catalog['hardware'][number]): Estimate =>
		estimate({
			model: inputs.model,
			weights: inputs.weights,
			kvDtype: inputs.kv,
			hardware,
			devices: 1,
			batch: inputs.batch,
			context: inputs.context,
			prompt: Math.min(inputs.context, 1024),
			engine: inputs.engine,
		});
	const devices: DeviceRoofline[] = [];
	let reference: Estimate | undefined;
	for (const hw of catalog.hardware) {
		const e = run(hw);
		reference ??= e;
		devices.push({
			id: hw.id,
			name: hw.name,
			spectrum: hw.spectrum,
			bandwidthGBs: hw.bandwidthGBs,
			rooflineTokensPerSecond: e.decode.rooflineTokensPerSecondPerUser,
			fitsMemory: e.memory.fits,
			meetsTarget: e.decode.rooflineTokensPerSecondPerUser >= tokensPerSecondPerUser,
		});
	}
	devices.sort((a, b) => b.rooflineTokensPerSecond - a.rooflineTokensPerSecond);
	const bytesPerStep = reference?.decode.bytesPerStep ?? 0;
	return {
		basis: inputs.basis,
		modelId: inputs.model.id,
		weightsFormat: inputs.weights.id,
		kvDtype: inputs.kv.id,
		batch: inputs.batch,
		context: inputs.context,
		bytesPerStep,
		weightBytes: reference?.memory.weightsBytes ?? 0,
		kvBytesPerToken: reference?.memory.kvBytesPerToken ?? 0,
		tokensPerSecondPerUser,
		requiredBandwidthGBs: (bytesPerStep * tokensPerSecondPerUser) / 1e9,
		devices,
		assumptions: inputs.assumptions,
	};
}
