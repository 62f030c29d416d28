/**
 * The start-up memory plans (server/src/analysis/physics/memoryPlan) against the start-up logs in
 * server/data/measurements/startup.csv (read here, not typed in), and llama.cpp's KV size against its own
 * allocation formula for every catalog model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
	getCatalog,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
} from '../../../server/src/analysis/catalog/index';
import type { ModelSpec } from '../../../server/src/analysis/catalog/types';
import {
	CUDA_DRIVER_RESERVED_MIB,
	engineVisibleMemory,
	llamaCppKv,
	ollamaDefaultNumCtx,
	ollamaEstimateLayers,
	vllmKvPool,
	vllmPlan,
} from '../../../server/src/analysis/physics/memoryPlan';
import {
	VLLM_V0_NON_TORCH_GIB,
	VLLM_V0_TP_COMM_GIB,
	VLLM_V1_NON_TORCH_GIB,
	VLLM_V1_SAMPLER_BYTES_PER_LOGIT,
	VLLM_V0_RESERVED_NON_TORCH_FROM,
	versionAtLeast,
} from '../../../server/src/analysis/physics/memoryPlan/vllm';
import { evaluateMemory, readLedgerCsv } from '../../../server/src/cli/accuracy/memory';
import { chooseVllmMemoryConstants } from '../../../server/src/cli/accuracy/vllmMemoryConstants';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const ledger = readLedgerCsv(readFileSync('server/data/measurements/startup.csv', 'utf8'));
const row = (id: string) => {
	const r = ledger.find((x) => x.id === id);
	assert.ok(r, `ledger row ${id}`);
	return r;
};
const n = (s: string) => Number(s);
const catalog = getCatalog();
const model = (id: string): ModelSpec => {
	const r = resolveModel(id, catalog);
	assert.ok(r.ok, id);
	return r.model;
};
const kv = (id: string) => resolveKvDtype(id, catalog)!;
function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

test('ledger: at least 40 start-up logs, each with a source, across vLLM V0/V1, llama.cpp and Ollama', () => {
	assert.ok(ledger.length >= 40, `${ledger.length} rows`);
	for (const r of ledger) assert.ok(r.source_title && r.source_url, `${r.id} has a source`);
	const engines = new Set(ledger.map((r) => (r.engine === 'vllm' ? `vllm-${r.generation}` : r.engine)));
	for (const e of ['vllm-v0', 'vllm-v1', 'llama.cpp', 'ollama']) assert.ok(engines.has(e), e);
	assert.equal(new Set(ledger.map((r) => r.id)).size, ledger.length, 'ids are unique');
});

test('constants are the ledger medians they claim to be', () => {
	// CUDA's reservation: nvidia-smi total (catalog memoryBytes) − what vLLM logs as total_gpu_memory.
	const gaps = new Map<string, number>();
	for (const r of ledger) {
		if (!r.hardware || !r.total_gpu_memory_gib) continue;
		const h = resolveHardware(r.hardware, catalog);
		if (!h.ok || h.hardware.memoryBytes === undefined) continue;
		gaps.set(h.hardware.id, h.hardware.memoryBytes / MIB - n(r.total_gpu_memory_gib) * 1024);
	}
	assert.ok(gaps.size >= 2);
	assert.equal(CUDA_DRIVER_RESERVED_MIB, Math.round(median([...gaps.values()])));
	// V0 before 0.7.0 (allocated-based non-torch, PR #11809); V0 from 0.7.0 measures it as V1 does.
	const v0tp1 = ledger.filter(
		(r) =>
			r.engine === 'vllm' &&
			r.generation === 'v0' &&
			r.tp === '1' &&
			r.non_torch_gib &&
			!versionAtLeast(r.engine_version, VLLM_V0_RESERVED_NON_TORCH_FROM),
	);
	assert.equal(VLLM_V0_NON_TORCH_GIB, median(v0tp1.map((r) => n(r.non_torch_gib))));
	const v1 = ledger.filter((r) => r.engine === 'vllm' && r.generation === 'v1' && r.non_torch_gib);
	assert.equal(VLLM_V1_NON_TORCH_GIB, median(v1.map((r) => n(r.non_torch_gib))));
	const tp2 = row('vllm-10511-llama3-8b-tp2');
	const tp1 = row('vllm-10511-llama3-8b-tp1');
	assert.equal(VLLM_V0_TP_COMM_GIB, Number((n(tp2.non_torch_gib) - n(tp1.non_torch_gib)).toFixed(2)));
	// V1 sampler bytes per logit: what `npm run calibrate` chooses from the ledger (vllmMemoryConstants.ts).
	const chosen = chooseVllmMemoryConstants(ledger);
	assert.ok(chosen.samplerBytesPerLogit.rows.length >= 2);
	assert.equal(VLLM_V1_SAMPLER_BYTES_PER_LOGIT, chosen.samplerBytesPerLogit.value);
});

test('device memory: every GPU has the bytes the driver reports, with a source; CUDA totals as vLLM logs them', () => {
	for (const h of catalog.hardware.filter((x) => x.deviceClass === 'gpu')) {
		assert.ok(h.memoryBytes && h.memoryBytes > 0, `${h.id} memoryBytes`);
		assert.ok(h.memorySource, `${h.id} memorySource`);
		// The marketing label stays: within 10 % of the driver figure (80 GB label vs 79.65 GiB).
		assert.ok(Math.abs(h.memoryBytes / GIB - h.memoryGB) / h.memoryGB < 0.1, `${h.id} label vs bytes`);
	}
	const r3090 = row('vllm-10517-3090-20k');
	const h3090 = resolveHardware('rtx-3090', catalog);
	assert.ok(h3090.ok);
	assert.equal(
		(engineVisibleMemory(h3090.hardware).bytes / GIB).toFixed(2),
		n(r3090.total_gpu_memory_gib).toFixed(2),
	);
	// H100: nvidia-smi 81,559 MiB less the reservation ≈ the 79.22 GiB vLLM logs on an 80 GB card.
	const h100 = resolveHardware('h100-sxm', catalog);
	assert.ok(h100.ok);
	assert.ok(
		Math.abs(
			engineVisibleMemory(h100.hardware).bytes / GIB -
				n(row('vllm-10511-llama3-8b-tp1').total_gpu_memory_gib),
		) < 0.1,
	);
});

test('vLLM KV pool from the logged available memory reproduces "GPU KV cache size" (block arithmetic)', () => {
	for (const id of [
		'vllm-1739-qwen3-14b',
		'vllm-doc-l40s-qwen3-235b-fp8-tp8',
		'vllm-doc-g6e-qwen3-coder-30b-tp4',
		'vllm-doc-16g-qwen25-7b-awq',
		'vllm-10517-3090-20k',
	]) {
		const r = row(id);
		const pool = vllmKvPool(
			{
				model: model(r.model),
				kvDtype: kv(r.kv_dtype),
				tensorParallel: n(r.tp),
				pipelineParallel: 1,
				maxModelLen: n(r.max_model_len),
				version: r.engine_version,
			},
			n(r.kv_available_gib) * GIB,
		);
		// The log rounds the available memory to 0.01 GiB and prints one worker's figure, while the pool takes
		// the smallest over the workers: the tokens agree within 0.5 %.
		const err = Math.abs(pool.kvTokens - n(r.kv_tokens)) / n(r.kv_tokens);
		assert.ok(err < 0.005, `${id}: ${pool.kvTokens} vs ${r.kv_tokens}`);
		assert.equal(pool.maxConcurrency.toFixed(1), (n(r.kv_tokens) / n(r.max_model_len)).toFixed(1));
	}
});

test("vLLM V0 on an RTX 3090: 20k starts, 29k is refused in vLLM's words, both within 5 % of the logged blocks", () => {
	const h = resolveHardware('rtx-3090', catalog);
	assert.ok(h.ok);
	const vis = engineVisibleMemory(h.hardware);
	for (const id of ['vllm-10517-3090-20k', 'vllm-10517-3090-29k']) {
		const r = row(id);
		const p = vllmPlan({
			model: model(r.model),
			kvDtype: kv(r.kv_dtype),
			weightsBytesPerDevice: n(r.weights_gib) * GIB,
			totalBytes: vis.bytes,
			totalRule: vis.rule,
			tensorParallel: 1,
			pipelineParallel: 1,
			maxModelLen: n(r.max_model_len),
			gpuMemoryUtilization: n(r.gpu_memory_utilization),
			bigGpu: false,
			version: r.engine_version,
		});
		assert.equal(p.generation, 'v0');
		assert.ok(
			Math.abs(p.numBlocks - n(r.gpu_blocks)) / n(r.gpu_blocks) < 0.05,
			`${id}: ${p.numBlocks} vs ${r.gpu_blocks}`,
		);
		assert.ok(Math.abs(p.activationPeakBytes / GIB - n(r.activation_peak_gib)) < 0.1, `${id} activation`);
		assert.equal(p.fits, !r.refusal, id);
		if (r.refusal) {
			assert.ok(
				p.refusal?.startsWith(
					`ValueError: The model's max seq len (${r.max_model_len}) is larger than the maximum number of tokens that can be stored in KV cache (`,
				),
			);
		} else
			assert.match(
				p.lines.map((l) => l.text).join('\n'),
				/# GPU blocks: \d+\nMaximum concurrency for 20000 tokens per request: 1\.\d\dx/,
			);
	}
	// Above 32K V0 turns chunked prefill on and profiles 512 tokens: the 35k run starts with a tiny peak.
	const r35 = row('vllm-10517-3090-35k');
	const p35 = vllmPlan({
		model: model(r35.model),
		kvDtype: kv('bf16'),
		weightsBytesPerDevice: n(r35.weights_gib) * GIB,
		totalBytes: vis.bytes,
		totalRule: vis.rule,
		tensorParallel: 1,
		pipelineParallel: 1,
		maxModelLen: 35000,
		gpuMemoryUtilization: 0.9,
		bigGpu: false,
		version: r35.engine_version,
	});
	assert.equal(p35.profileTokens, 512);
	assert.ok(Math.abs(p35.activationPeakBytes / GIB - n(r35.activation_peak_gib)) < 0.02);
	assert.equal(p35.fits, true);
});

test('vLLM hybrid allocator: gpt-oss sliding layers hold the window only from 0.10.0; V0 keeps full caches', () => {
	const m = model('openai/gpt-oss-120b');
	const base = { model: m, kvDtype: kv('bf16'), tensorParallel: 1, pipelineParallel: 1, maxModelLen: 131072 };
	const v1 = vllmKvPool({ ...base, version: '0.11.0' }, 10 * GIB);
	const old = vllmKvPool({ ...base, version: '0.9.2' }, 10 * GIB);
	// 18 full + 18 sliding (128) layers: one request = 8,192 full blocks + 9 window blocks of 18 layers' pages.
	const page = 16 * 2 * 8 * 64 * 2;
	assert.equal(v1.blockBytes, page * 18);
	assert.equal(v1.bytesPerRequest, (8192 + 9) * page * 18);
	assert.equal(old.bytesPerRequest, 8192 * page * 36);
	assert.ok(v1.hybrid && !old.hybrid);
	assert.ok(v1.maxConcurrency > 1.9 * old.maxConcurrency);
});

test('vLLM V1 refusal wording and the estimated maximum model length', () => {
	const m = model('Qwen/Qwen2.5-32B');
	const p = vllmPlan({
		model: m,
		kvDtype: kv('bf16'),
		weightsBytesPerDevice: 61.03 * GIB,
		totalBytes: 79.15 * GIB,
		totalRule: 'test',
		tensorParallel: 1,
		pipelineParallel: 1,
		maxModelLen: 32768,
		gpuMemoryUtilization: 0.85,
		maxNumSeqs: 16,
		bigGpu: true,
		version: '0.11.0',
	});
	assert.equal(p.fits, false);
	assert.match(
		p.refusal!,
		/^ValueError: To serve at least one request with the model's max seq len \(32768\), \(8\.00 GiB KV cache is needed, which is larger than the available KV cache memory \(\d+\.\d\d GiB\)\. Based on the available memory, the estimated maximum model length is \d+\./,
	);
	assert.equal(p.estimatedMaxModelLen, Math.floor(p.kvAvailableBytes / (16 * 262144)) * 16);
	assert.match(p.lines.find((l) => l.label === 'KV pool')!.text, /^GPU KV cache size: [\d,]+ tokens$/);
});

/** llama.cpp's allocation, written out independently: pad(n_ctx, 256) cells × per-layer (K + V) widths × type size. */
function llamaCppReference(m: ModelSpec, nCtx: number, typeSize: number): number {
	const cells = Math.ceil(nCtx / 256) * 256;
	const iswa = /^(Gemma2|Gemma3|Cohere2|Llama4|GptOss)/.test(m.architecture) && m.slidingWindow;
	let total = 0;
	// Hybrid Nemotron-H: the layers the catalog marks as a 1-token window (Mamba, MLP) hold no KV in llama.cpp.
	// Gated DeltaNet hybrids (Qwen3-Next, Qwen3.5/3.6): the recurrent layers hold no KV either
	// (llama_memory_hybrid caches only the layers where hparams.is_recr(il) is false).
	const noKv =
		/^NemotronH/.test(m.architecture) && m.slidingWindow?.window === 1
			? m.slidingWindow.layers
			: (m.linearAttention?.layers ?? 0);
	for (let layer = noKv; layer < m.layers; layer++) {
		const windowed = iswa && layer < m.slidingWindow!.layers;
		const c = windowed ? Math.min(cells, Math.ceil((m.slidingWindow!.window + 512) / 256) * 256) : cells;
		const k = m.mla ? m.mla.kvLoraRank + m.mla.ropeHeadDim : m.kvHeads * m.headDim;
		const v = m.mla ? m.mla.kvLoraRank : m.kvHeads * m.headDim;
		total += c * (k + v) * typeSize;
	}
	return total;
}

test('llama.cpp KV MiB is exact for every catalog model (f16 and q8_0, padded and unpadded contexts)', () => {
	for (const m of catalog.models)
		for (const [t, size] of [
			['f16', 2],
			['q8_0', 34 / 32],
		] as const)
			for (const ctx of [4096, 5000, 32768]) {
				const got = llamaCppKv({ model: m, nCtx: ctx, typeK: kv(t) }).totalBytes;
				assert.equal(got, llamaCppReference(m, ctx, size), `${m.id} ${t} ${ctx}`);
			}
	// --swa-full keeps every layer at the full size.
	const g = model('google/gemma-3-27b-it');
	assert.equal(
		llamaCppKv({ model: g, nCtx: 32768, typeK: kv('f16'), swaFull: true }).totalBytes,
		32768 * 62 * 2 * 16 * 128 * 2,
	);
});

test('llama.cpp KV self size from the ledger: exact to the MiB llama.cpp prints', () => {
	const a = row('llamacpp-11200-qwen25-coder-32b-q8kv');
	const b = row('llamacpp-8447-deepseek-legacy');
	const kvA = llamaCppKv({ model: model(a.model), nCtx: n(a.num_ctx), typeK: kv(a.kv_dtype) });
	assert.equal((kvA.totalBytes / MIB).toFixed(2), n(a.kv_self_mib).toFixed(2));
	const kvB = llamaCppKv({
		model: model(b.model),
		nCtx: n(b.num_ctx),
		typeK: kv(b.kv_dtype),
		legacyMla: true,
	});
	assert.equal((kvB.totalBytes / MIB).toFixed(2), n(b.kv_self_mib).toFixed(2));
});

test('Ollama: layers.offload from the logged estimator inputs, and the default num_ctx by version and VRAM', () => {
	for (const id of [
		'ollama-doc-qwen25-1.5b-3g',
		'ollama-doc-cuda-7g-41layer',
		'ollama-doc-rocm-34g-gemma3-vision',
		'ollama-doc-cuda-23g-33layer',
	]) {
		const r = row(id);
		const blocks = n(r.layers_model) - 1;
		const est = ollamaEstimateLayers({
			gpuFree: r.ollama_available_gib.split(';').map((g) => n(g) * GIB),
			library: r.ollama_library as 'cuda' | 'rocm',
			blockCount: blocks,
			layerBytes: (n(r.ollama_weights_repeating_gib) * GIB) / blocks,
			kvPerLayer: Array.from({ length: blocks }, () => (n(r.ollama_kv_gib) * GIB) / blocks),
			outputBytes: n(r.ollama_weights_nonrepeating_gib) * GIB,
			graphPartial: n(r.ollama_graph_partial_gib) * GIB,
			graphFull: n(r.ollama_graph_full_gib) * GIB,
			projectorBytes: (Number(r.ollama_projector_gib) || 0) * GIB,
		});
		assert.equal(est.layers, n(r.layers_offloaded), id);
	}
	assert.equal(ollamaDefaultNumCtx('0.6.6', 24 * GIB, 131072).numCtx, 2048);
	assert.equal(ollamaDefaultNumCtx('0.12.0', 80 * GIB, 131072).numCtx, 4096);
	assert.equal(ollamaDefaultNumCtx('0.15.5', 22.5 * GIB, 131072).numCtx, 4096);
	assert.equal(ollamaDefaultNumCtx('0.15.5', 23.6 * GIB, 131072).numCtx, 32768);
	assert.equal(
		ollamaDefaultNumCtx('0.16.0', 79.2 * GIB, 131072).numCtx,
		131072,
		'capped at the trained context',
	);
	assert.equal(ollamaDefaultNumCtx(undefined, 79.2 * GIB, 262144).numCtx, 262144);
});

test('memory accuracy over the ledger: what the report prints', () => {
	const a = evaluateMemory(ledger);
	assert.ok(a.vllm.rows.filter((r) => r.errorPct !== undefined).length >= 6);
	assert.ok(a.vllm.medianAbsErrorPct < a.vllm.beforeMedianAbsErrorPct, 'better than the rule before #14');
	assert.equal(a.vllm.falseDoesNotFit, 0, 'no false "does not fit"');
	assert.ok(a.vllm.fromLoggedMedianAbsErrorPct < 0.5);
	assert.equal(a.llamaCpp.exact, a.llamaCpp.rows.length);
	assert.ok(a.ollama.rows.length >= 8);
});

test('llama.cpp keeps a full cache for Mistral v0.1 (no iSWA cache), vLLM-style window caps do not apply', async () => {
	const { estimate } = await import('../../../server/src/analysis/physics/index');
	const m = model('mistralai/Mistral-7B-v0.1');
	const hw = resolveHardware('rtx-4090', catalog);
	assert.ok(hw.ok);
	const base = {
		model: m,
		weights: catalog.formats.find((f) => f.id === 'q4_k_m')!,
		kvDtype: kv('f16'),
		hardware: hw.hardware,
		devices: 1,
		batch: 1,
		context: 16384,
		prompt: 512,
	};
	const llama = estimate({ ...base, engine: 'llama.cpp' });
	// 16,384 tokens × 32 layers × 2 × 8 heads × 128 × 2 B, not capped at the 4,096-token window.
	assert.equal(llama.memory.kvBytes, 16384 * 32 * 2 * 8 * 128 * 2);
	assert.equal(llama.memory.kvBytes, llamaCppKv({ model: m, nCtx: 16384, typeK: kv('f16') }).totalBytes);
});
