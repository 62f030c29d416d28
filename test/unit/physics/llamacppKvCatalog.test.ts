/**
 * llama.cpp KV MiB for every model in the catalog (server/data/models.json). Two independent routes must
 * agree: the catalog's own layer facts (from each model's config.json: which layers slide, the window)
 * walked layer by layer with llama.cpp's cache sizing, and llamaCppKv with the per-architecture rule
 * table (llamacppKvRules.ts, from llama-model.cpp). Where the table says a window is ignored (Phi-3,
 * Mistral v0.1) every layer holds n_ctx cells.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveKvDtype } from '../../../server/src/analysis/catalog/index';
import type { ModelSpec } from '../../../server/src/analysis/catalog/types';
import { llamaCppKv } from '../../../server/src/analysis/physics/memoryPlan';
import {
	isSwaLayer,
	llamaCppKvLayers,
	llamaCppKvRule,
} from '../../../server/src/analysis/physics/memoryPlan/llamacppKvRules';

const MIB = 1024 ** 2;
const catalog = getCatalog();
const models: ModelSpec[] = catalog.models;
const pad = (n: number) => Math.ceil(n / 256) * 256;

/** Per layer from the catalog: cells each layer holds in llama.cpp at n_ctx, one sequence, ubatch 512. */
function perLayerCells(m: ModelSpec, nCtx: number): number[] {
	const cells = pad(nCtx);
	const rule = llamaCppKvRule(m);
	const sw = m.slidingWindow;
	const linear = m.linearAttention?.layers ?? 0;
	return Array.from({ length: m.layers }, (_, il) => {
		if (linear > 0) {
			// Gated DeltaNet hybrid: llama.cpp's is_recr(il) = (il + 1) % full_attention_interval != 0 (qwen35moe.cpp);
			// the interval is layers / attention layers (4 for Qwen3-Next and Qwen3.5).
			const interval = Math.round(m.layers / (m.layers - linear));
			return (il + 1) % interval === 0 ? cells : 0;
		}
		if (rule?.noKvLayers) {
			// Hybrid: the catalog marks the layers without attention as a window of 1 token; they hold none.
			return il < m.layers - rule.noKvLayers(m) ? cells : 0;
		}
		if (!rule?.swa || !sw) return cells;
		const window = rule.swa.nSwa ?? sw.window;
		return isSwaLayer(il, rule.swa.pattern, rule.swa.denseFirst) ? Math.min(cells, pad(window + 512)) : cells;
	});
}

function widths(m: ModelSpec): number {
	if (m.mla) return m.mla.kvLoraRank + m.mla.ropeHeadDim + m.mla.kvLoraRank;
	return 2 * m.kvHeads * m.headDim;
}

test('every catalog model: the rule table agrees with the catalog about which layers slide', () => {
	for (const m of models) {
		const rule = llamaCppKvRule(m);
		const l = llamaCppKvLayers(m);
		if (rule?.swa && m.slidingWindow) {
			assert.equal(l.swa, m.slidingWindow.layers, `${m.id}: sliding layers`);
			if (rule.swa.nSwa === undefined) assert.equal(l.nSwa, m.slidingWindow.window, `${m.id}: n_swa`);
		} else if (m.slidingWindow && !rule?.noKvLayers) {
			assert.ok(rule?.fullBecause, `${m.id} has a window in config.json but no llama.cpp rule for it`);
			assert.equal(l.swa, 0, m.id);
		}
		assert.equal(l.full + l.swa + l.none, m.layers, m.id);
	}
});

test('every catalog model: KV MiB exact, per layer from the catalog vs llamaCppKv, f16 and q8_0, 4k and 32k', () => {
	const f16 = resolveKvDtype('f16', catalog)!;
	const q8 = resolveKvDtype('q8_0', catalog)!;
	let checked = 0;
	for (const m of models)
		for (const kv of [f16, q8])
			for (const nCtx of [4096, 32768]) {
				const expected = perLayerCells(m, nCtx).reduce((a, c) => a + c, 0) * widths(m) * kv.bytesPerElement;
				const got = llamaCppKv({ model: m, nCtx, typeK: kv });
				assert.equal(
					(got.totalBytes / MIB).toFixed(2),
					(expected / MIB).toFixed(2),
					`${m.id} ${kv.id} ${nCtx}`,
				);
				checked++;
			}
	assert.equal(checked, models.length * 4);
	assert.ok(models.length >= 57, `${models.length} models`);
});

test('Nemotron-H: only the attention layers hold KV; Phi-3 and Mistral v0.1 keep every layer full', () => {
	const f16 = resolveKvDtype('f16', catalog)!;
	const by = (id: string) => models.find((m) => m.id === id)!;
	const nemo = by('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16');
	const k = llamaCppKv({ model: nemo, nCtx: 8192, typeK: f16 });
	assert.equal(k.totalBytes, 6 * 8192 * 2 * nemo.kvHeads * nemo.headDim * 2);
	for (const id of ['microsoft/Phi-3-mini-4k-instruct', 'mistralai/Mistral-7B-v0.1']) {
		const m = by(id);
		assert.equal(
			llamaCppKv({ model: m, nCtx: 8192, typeK: f16 }).totalBytes,
			m.layers * 8192 * widths(m) * 2,
			id,
		);
	}
	// --swa-full: Gemma 3 back to n_ctx cells on every layer.
	const g = by('google/gemma-3-27b-it');
	assert.equal(
		llamaCppKv({ model: g, nCtx: 8192, typeK: f16, swaFull: true }).totalBytes,
		g.layers * 8192 * widths(g) * 2,
	);
});

test('DeepSeek-V2-Lite: pre-MLA-cache llama.cpp logs KV self size = 4320.00 MiB at n_ctx 16384 (f16)', () => {
	// ollama/ollama #3940 (deepseek-v2:16b-lite-chat-q5_K_M on ROCm, mid-2024 llama.cpp): n_ctx 16384,
	// "KV self size  = 4320.00 MiB" — per layer K = 16 heads × 192, V = 16 × 128 (no latent cache yet).
	const f16 = resolveKvDtype('f16', catalog)!;
	const lite = models.find((m) => m.id === 'deepseek-ai/DeepSeek-V2-Lite')!;
	const legacy = llamaCppKv({ model: lite, nCtx: 16384, typeK: f16, legacyMla: true });
	assert.equal((legacy.totalBytes / MIB).toFixed(2), '4320.00');
	// Today's MLA cache: K = kv_lora_rank + rope (576), V = kv_lora_rank (512) per token per layer.
	const mla = llamaCppKv({ model: lite, nCtx: 16384, typeK: f16 });
	assert.equal(mla.totalBytes, 16384 * 27 * (576 + 512) * 2);
});
