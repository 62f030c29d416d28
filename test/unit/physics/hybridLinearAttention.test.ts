/**
 * Hybrid linear-attention MoE models under llama.cpp (issue #12): Qwen3-Next and Qwen3.5/3.6 keep a KV cache only
 * in their full-attention layers (every 4th), carry an f32 Gated DeltaNet state per linear-attention layer that
 * each token reads and writes, and each linear-attention layer costs more fixed time than an attention layer
 * (calibrated layerFactor.linear-attention). Ledger rows naming these models resolve to the catalog entries, not
 * to a dense 3 B neighbour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import type { ModelSpec } from '../../../server/src/analysis/catalog/types';
import { withConstants } from '../../../server/src/analysis/physics/calibration';
import { fixedOverhead } from '../../../server/src/analysis/physics/efficiency';
import { estimate } from '../../../server/src/analysis/physics/index';
import {
	kvBytesForSequence,
	kvLayerTokens,
	linearAttentionLayers,
	recurrentStateBytes,
} from '../../../server/src/analysis/physics/kv';
import { llamaCppKvLayers } from '../../../server/src/analysis/physics/memoryPlan/llamacppKvRules';
import { modelFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';
import { input, kvBf16, q4_k_m } from './specs';
import { catalogHardware } from './catalogInput';

const catalog = getCatalog();
const model = (id: string): ModelSpec => {
	const m = catalog.models.find((x) => x.id === id);
	assert.ok(m, id);
	return m;
};
const hw = catalogHardware;
const next = model('Qwen/Qwen3-Next-80B-A3B-Instruct');
const q35 = model('Qwen/Qwen3.5-35B-A3B');

test('catalog: Qwen3-Next and Qwen3.5-35B-A3B dimensions reproduce the parameter counts llama-bench reports', () => {
	// 79.67 B and 34.66 B (llama-bench "params" of the qwen3next / qwen35moe GGUFs).
	assert.equal(Math.round(next.paramsTotal / 1e7) / 100, 79.67);
	assert.equal(Math.round(q35.paramsTotal / 1e7) / 100, 34.66);
	assert.equal(next.layers, 48);
	assert.equal(q35.layers, 40);
	// Three of every four layers are Gated DeltaNet (full_attention_interval 4).
	assert.equal(linearAttentionLayers(next), 36);
	assert.equal(linearAttentionLayers(q35), 30);
	assert.deepEqual([next.moe?.experts, next.moe?.expertsPerToken], [512, 10]);
	assert.deepEqual([q35.moe?.experts, q35.moe?.expertsPerToken], [256, 8]);
});

test('ledger labels resolve to the hybrid catalog models (Qwen3.6 and Qwen3-Coder-Next share the architectures)', () => {
	assert.equal(modelFromLabel('Qwen3-Next-80B-A3B-Instruct Q4_K_M GGUF', catalog)?.id, next.id);
	assert.equal(modelFromLabel('Qwen3-Coder-Next 80B-A3B UD-Q5_K_XL', catalog)?.id, next.id);
	assert.equal(modelFromLabel('Qwen3.6-35B-A3B Q8_0', catalog)?.id, q35.id);
});

test('KV cache only in the full-attention layers; the recurrent state is fixed per sequence', () => {
	// 12 of 48 layers hold KV: 2 kv heads × 256 × K and V.
	assert.equal(kvLayerTokens(next, 1000), 12 * 1000);
	assert.equal(kvBytesForSequence(next, kvBf16, 1000), 12 * 1000 * 2 * 2 * 256 * 2);
	// Per linear layer: 32 value heads × 128 × 128 f32 state + 3 × (2·16·128 + 32·128) f32 conv window.
	const perLayer = (32 * 128 * 128 + 3 * (2 * 16 * 128 + 32 * 128)) * 4;
	assert.equal(recurrentStateBytes(next), 36 * perLayer);
	assert.equal(recurrentStateBytes(q35), 30 * perLayer);
	// A dense model has none.
	assert.equal(recurrentStateBytes({ ...q35, linearAttention: undefined }), 0);
	assert.equal(kvLayerTokens({ ...q35, linearAttention: undefined }, 100), 40 * 100);
});

test('decode reads the recurrent state twice (read + write) per token', () => {
	const base = { model: q35, weights: q4_k_m, hardware: hw('rx-7900-xtx'), engine: 'llama.cpp' as const };
	const hybrid = estimate(input({ ...base, context: 64 })).decode;
	const plain = estimate(
		input({ ...base, model: { ...q35, linearAttention: undefined }, context: 64 }),
	).decode;
	const stateTraffic = hybrid.kvBytesPerStep - (plain.kvBytesPerStep * 10) / 40;
	assert.ok(Math.abs(stateTraffic - 2 * recurrentStateBytes(q35)) < 1, `${stateTraffic}`);
});

test('each linear-attention layer adds (factor − 1) dense layers of fixed time, and nothing at factor 1', () => {
	const h = hw('mi50-32gb');
	const cost = (m: ModelSpec) =>
		fixedOverhead('llama.cpp', 'gpu', m.layers, { model: m, hardware: h }).seconds;
	const dense = { ...q35, linearAttention: undefined };
	withConstants({ 'layerFactor.linear-attention': 1 }, () => assert.equal(cost(q35), cost(dense)));
	withConstants({ 'layerFactor.linear-attention': 2, 'layerUs.llama.cpp-cuda': 50 }, () => {
		// 30 linear layers × 1 extra dense layer × 50 µs.
		assert.ok(Math.abs(cost(q35) - cost(dense) - (30 * 50) / 1e6) < 1e-9);
		assert.match(
			fixedOverhead('llama.cpp', 'gpu', q35.layers, { model: q35, hardware: h }).reason,
			/30 gated-delta-net layers/,
		);
	});
	// Models without linear attention are untouched.
	const llama = model('meta-llama/Llama-3.1-8B');
	const a = withConstants({ 'layerFactor.linear-attention': 1 }, () => cost(llama));
	const b = withConstants({ 'layerFactor.linear-attention': 4 }, () => cost(llama));
	assert.equal(a, b);
});

test('a hybrid MoE decodes slower than the same dims without linear-attention layers', () => {
	const base = { model: q35, weights: q4_k_m, hardware: hw('mi50-32gb'), engine: 'llama.cpp' as const };
	const tps = (m: ModelSpec) =>
		estimate(input({ ...base, model: m, context: 64 })).decode.expectedTokensPerSecondPerUser;
	assert.ok(tps(q35) < tps({ ...q35, linearAttention: undefined }));
});

test('llama.cpp memory plan: a hybrid keeps KV only in its attention layers', () => {
	const kv = llamaCppKvLayers(q35);
	assert.deepEqual([kv.full, kv.swa, kv.none], [10, 0, 30]);
	assert.deepEqual([llamaCppKvLayers(next).full, llamaCppKvLayers(next).none], [12, 36]);
});
