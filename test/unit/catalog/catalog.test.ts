import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog';
import { SPECTRUM_ORDER } from '../../../server/src/analysis/catalog/types';

const REQUIRED_HARDWARE = [
	'h100-sxm',
	'h100-pcie',
	'h200',
	'b200',
	'a100-80gb-sxm',
	'l40s',
	'l4',
	'rtx-4090',
	'rtx-5090',
	'mi300x',
	'apple-m2-ultra',
	'apple-m4-max',
	'epyc-9654',
	'xeon-6980p',
	'ryzen-9-7950x',
	'furiosa-rngd',
	'd-matrix-corsair',
	'cerebras-cs3',
	'groq-lpu',
	'taalas-hc1',
	// the rest of the research CSV rows
	'h100-nvl',
	'gb200',
	'a100-40gb-sxm',
	'a10g',
	'rtx-3090',
	'mi325x',
	'mi355x',
	'gaudi3',
	'tpu-v5e',
	'tpu-v6e',
	'inferentia2',
	'sambanova-sn40l',
	'epyc-9755',
	'xeon-8480',
	'strix-halo',
	'browser-webgpu',
	'browser-wasm',
];
const APPLE = ['m1', 'm2', 'm3', 'm4'].flatMap((g) =>
	['', '-pro', '-max', ...(g === 'm4' ? [] : ['-ultra'])].map((v) => `apple-${g}${v}`),
);

// Every model_id row of shared/data/model-specs.csv (52 rows).
const CSV_MODELS = [
	'meta-llama/Llama-2-7b-hf',
	'meta-llama/Llama-2-13b-hf',
	'meta-llama/Llama-2-70b-hf',
	'meta-llama/Meta-Llama-3-8B',
	'meta-llama/Llama-3.1-8B',
	'meta-llama/Meta-Llama-3-70B',
	'meta-llama/Llama-3.1-70B',
	'meta-llama/Llama-3.1-405B',
	'meta-llama/Llama-3.2-1B',
	'meta-llama/Llama-3.2-3B',
	'meta-llama/Llama-3.3-70B-Instruct',
	'meta-llama/Llama-4-Scout-17B-16E',
	'meta-llama/Llama-4-Maverick-17B-128E',
	'mistralai/Mistral-7B-v0.1',
	'mistralai/Mistral-7B-v0.3',
	'mistralai/Mixtral-8x7B-v0.1',
	'mistralai/Mixtral-8x22B-v0.1',
	'mistralai/Mistral-Small-24B-Base-2501',
	'Qwen/Qwen2.5-0.5B',
	'Qwen/Qwen2.5-1.5B',
	'Qwen/Qwen2.5-3B',
	'Qwen/Qwen2.5-7B',
	'Qwen/Qwen2.5-14B',
	'Qwen/Qwen2.5-32B',
	'Qwen/Qwen2.5-72B',
	'Qwen/Qwen3-0.6B',
	'Qwen/Qwen3-1.7B',
	'Qwen/Qwen3-4B',
	'Qwen/Qwen3-8B',
	'Qwen/Qwen3-14B',
	'Qwen/Qwen3-32B',
	'Qwen/Qwen3-30B-A3B',
	'Qwen/Qwen3-235B-A22B',
	'google/gemma-2-2b',
	'google/gemma-2-9b',
	'google/gemma-2-27b',
	'google/gemma-3-1b-it',
	'google/gemma-3-4b-it',
	'google/gemma-3-12b-it',
	'google/gemma-3-27b-it',
	'microsoft/Phi-3-mini-4k-instruct',
	'microsoft/phi-4',
	'deepseek-ai/DeepSeek-V3',
	'deepseek-ai/DeepSeek-R1',
	'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
	'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
	'openai/gpt-oss-120b',
	'openai/gpt-oss-20b',
	'HuggingFaceTB/SmolLM2-135M',
	'HuggingFaceTB/SmolLM2-360M',
	'HuggingFaceTB/SmolLM2-1.7B',
	'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
];

const cat = getCatalog();
const hw = (id: string) => {
	const h = cat.hardware.find((x) => x.id === id);
	assert.ok(h, id);
	return h;
};
const model = (id: string) => {
	const m = cat.models.find((x) => x.id === id);
	assert.ok(m, id);
	return m;
};

test('the built-in catalog loads, validates and is cached', () => {
	assert.equal(getCatalog(), cat);
	assert.ok(cat.formats.length >= 40 && cat.kvDtypes.length >= 10);
});

test('hardware: at least 40 devices, every required id, every Apple M1..M4 variant', () => {
	assert.ok(cat.hardware.length >= 40, `${cat.hardware.length} devices`);
	const ids = new Set(cat.hardware.map((h) => h.id));
	for (const id of [...REQUIRED_HARDWARE, ...APPLE]) assert.ok(ids.has(id), `missing ${id}`);
	assert.equal(APPLE.length, 15);
});

test('hardware covers every spectrum class and every entry has sources', () => {
	for (const s of SPECTRUM_ORDER)
		assert.ok(
			cat.hardware.some((h) => h.spectrum === s),
			`no ${s} device`,
		);
	for (const h of cat.hardware) assert.ok(h.sources.length > 0, h.id);
});

test('unverified lists only name fields the entry has', () => {
	for (const h of cat.hardware) {
		for (const f of h.unverified ?? []) {
			const [head, sub] = f.split('.');
			const v = (h as unknown as Record<string, unknown>)[head];
			assert.ok(v !== undefined, `${h.id}: unverified "${f}" but no such field`);
			if (sub) assert.ok((v as Record<string, unknown>)[sub] !== undefined, `${h.id}: ${f}`);
		}
	}
	// CSV cells marked UNVERIFIED stay marked unless a primary source was found (H100 PCIe TDP).
	assert.ok(hw('l4').unverified?.includes('bandwidthGBs'));
	assert.ok(hw('h100-pcie').unverified?.includes('memoryType'));
	assert.ok(!hw('h100-pcie').unverified?.includes('tdpW')); // NVIDIA product brief: 350 W
	assert.ok(hw('apple-m3-ultra').unverified?.includes('memoryGB'));
	assert.equal(hw('h100-sxm').unverified, undefined);
});

test('hardware numbers: spec values, dense not sparse, unit conversions', () => {
	const h100 = hw('h100-sxm');
	assert.equal(h100.bandwidthGBs, 3350);
	// Dense bf16 989 TFLOPS; the vendor sparse figure is exactly 2x (1979).
	assert.equal(h100.peakTflops.bf16, 989);
	// RTX 5090 vendor sparse fp16 838.4 / 2 = 419.2 dense.
	assert.equal(hw('rtx-5090').peakTflops.fp16, 838.4 / 2);
	// Inferentia2: AWS says 32 GiB and 820 GiB/s → 32 × 1.073741824 = 34.36 GB, 820 × 1.073741824 = 880.47 GB/s.
	assert.ok(Math.abs(hw('inferentia2').memoryGB - 32 * 1.073741824) < 0.01);
	assert.ok(Math.abs(hw('inferentia2').bandwidthGBs - 820 * 1.073741824) < 0.1);
	// EPYC 9654: 12 channels × 4800 MT/s × 8 B = 460.8 GB/s.
	assert.equal(hw('epyc-9654').bandwidthGBs, (12 * 4800 * 8) / 1000);
	// Strix Halo: 256-bit / 8 × 8000 MT/s = 256 GB/s.
	assert.equal(hw('strix-halo').bandwidthGBs, ((256 / 8) * 8000) / 1000);
});

test('SRAM machines hold weights in SRAM; Taalas is hardwired to Llama 3.1 8B', () => {
	const cs3 = hw('cerebras-cs3');
	assert.equal(cs3.memoryGB, 44);
	assert.equal(cs3.bandwidthGBs, 21e6); // 21 PB/s in GB/s
	assert.equal(cs3.sramMB, 44000);
	const groq = hw('groq-lpu');
	assert.equal(groq.memoryGB, 0.23);
	assert.equal(groq.bandwidthGBs, 80 * 1000); // 80 TB/s
	assert.match(groq.notes ?? '', /SRAM/);
	const taalas = hw('taalas-hc1');
	assert.deepEqual(taalas.fixedModels, ['meta-llama/Llama-3.1-8B']);
	assert.equal(taalas.spectrum, 'hardwired');
	assert.ok(taalas.fixedModels!.every((id) => cat.models.some((m) => m.id === id)));
});

test('browser pseudo-devices: WebGPU and WASM with the cited limits', () => {
	const gpu = hw('browser-webgpu');
	assert.equal(gpu.origin, 'catalog');
	assert.match(gpu.notes ?? '', /256 MiB/);
	assert.match(gpu.sources.join(' '), /268435456/); // maxBufferSize default = 256 × 2^20
	const wasm = hw('browser-wasm');
	// wasm32: 65536 pages × 64 KiB = 2^32 bytes = 4.295 GB.
	assert.ok(Math.abs(wasm.memoryGB - 2 ** 32 / 1e9) < 0.001);
	assert.equal(wasm.deviceClass, 'cpu');
});

test('models: every row of model-specs.csv, with derived params and sources', () => {
	assert.equal(CSV_MODELS.length, 52);
	for (const id of CSV_MODELS) assert.ok(model(id).sources.length > 0);
	// Llama-3.1-8B from its dimensions: 2 × 128256 × 4096 (embed + lm_head) + 4096 (final norm)
	// + 32 × (2 × 4096² + 2 × 4096 × 1024 + 3 × 4096 × 14336 + 2 × 4096) = 8,030,261,248.
	const l = model('meta-llama/Llama-3.1-8B');
	const perLayer = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096;
	assert.equal(l.paramsTotal, 2 * 128256 * 4096 + 4096 + 32 * perLayer);
	assert.equal(l.paramsActive, l.paramsTotal);
});

test('models: MoE, MLA and sliding-window layer counts', () => {
	const ds = model('deepseek-ai/DeepSeek-V3');
	assert.deepEqual(ds.moe, {
		experts: 256,
		expertsPerToken: 8,
		sharedExperts: 1,
		expertIntermediate: 2048,
		firstDenseLayers: 3,
		layerStep: 1,
	});
	assert.equal(ds.mla!.kvLoraRank + ds.mla!.ropeHeadDim, 576);
	assert.deepEqual(model('google/gemma-2-9b').slidingWindow, { window: 4096, layers: 21 }); // 42 / 2
	assert.deepEqual(model('google/gemma-3-27b-it').slidingWindow, { window: 1024, layers: 52 }); // 62 − ⌊62/6⌋
	assert.deepEqual(model('google/gemma-3-1b-it').slidingWindow, { window: 512, layers: 22 }); // 26 − 4
	assert.deepEqual(model('openai/gpt-oss-120b').slidingWindow, { window: 128, layers: 18 }); // 36 / 2
	assert.deepEqual(model('mistralai/Mistral-7B-v0.1').slidingWindow, { window: 4096, layers: 32 });
	assert.deepEqual(model('meta-llama/Llama-4-Scout-17B-16E').slidingWindow, { window: 8192, layers: 36 }); // 3/4 of 48
	assert.equal(model('mistralai/Mistral-7B-v0.3').slidingWindow, undefined);
	assert.equal(model('Qwen/Qwen2.5-7B').slidingWindow, undefined);
	assert.equal(model('meta-llama/Llama-4-Maverick-17B-128E').moe!.layerStep, 2);
});

test('aliases are unique across models', () => {
	const seen = new Map<string, string>();
	for (const m of cat.models) {
		for (const a of [m.id, ...(m.aliases ?? [])]) {
			const k = a.toLowerCase();
			assert.ok(!seen.has(k) || seen.get(k) === m.id, `${a} on ${m.id} and ${seen.get(k)}`);
			seen.set(k, m.id);
		}
	}
});

test('model unverified lists name existing fields; research conflicts stay marked', () => {
	for (const m of cat.models) {
		for (const f of m.unverified ?? []) {
			const [head, sub] = f.split('.');
			const v = (m as unknown as Record<string, unknown>)[head];
			assert.ok(v !== undefined, `${m.id}: unverified "${f}" but no such field`);
			if (sub) assert.ok((v as Record<string, unknown>)[sub] !== undefined, `${m.id}: ${f}`);
		}
	}
	assert.ok(model('meta-llama/Llama-3.1-405B').unverified?.includes('kvHeads')); // 8 vs 16 in an early HF revision
	assert.ok(model('google/gemma-3-27b-it').unverified?.includes('vocab')); // 262144 vs 262208
	assert.equal(model('meta-llama/Llama-3.1-8B').unverified, undefined);
});
