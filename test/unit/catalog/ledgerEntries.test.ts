// Devices and models added for the public decode ledger: each resolves by the names that ledger
// labels, nvidia-smi and real configs use, without prefix guessing, and the label helpers of
// scripts/ledger/fill-ids.mjs peel context off a label without touching other CSV bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveHardware, resolveModel } from '../../../server/src/analysis/catalog';
import { kvLayerTokens } from '../../../server/src/analysis/physics/kv';
import { hardwareCandidates, modelCandidates, splitCsv, unquote } from '../../../scripts/ledger/labels.mjs';

const NEW_DEVICES: Record<string, string[]> = {
	'dgx-spark': [
		'dgx-spark',
		'DGX Spark',
		'NVIDIA DGX Spark',
		'gb10',
		'GB10',
		'NVIDIA GB10',
		'Dell Pro Max with GB10',
	],
	'rtx-3090-ti': ['rtx-3090-ti', 'RTX 3090 Ti', 'NVIDIA GeForce RTX 3090 Ti', 'rtx3090ti'],
	'rtx-6000-ada': ['RTX 6000 Ada', 'NVIDIA RTX 6000 Ada Generation', 'RTX 6000 Ada 48GB'],
	mi210: ['MI210', 'AMD Instinct MI210', 'mi210'],
	'rtx-a6000': ['RTX A6000', 'NVIDIA RTX A6000', 'A6000'],
	'jetson-orin-nano-8gb': ['Jetson Orin Nano 8GB', 'NVIDIA Jetson Orin Nano 8GB', 'Jetson Orin Nano'],
	'jetson-orin-nano-super': ['Jetson Orin Nano Super', 'NVIDIA Jetson Orin Nano Super 8GB'],
	'tesla-p40': ['Tesla P40', 'NVIDIA Tesla P40', 'P40'],
	'rx-7900-xtx': ['AMD Radeon RX 7900 XTX', 'RX 7900 XTX', '7900 XTX'],
	a40: ['A40', 'NVIDIA A40'],
	'rtx-4070-ti': ['RTX 4070 Ti', 'NVIDIA GeForce RTX 4070 Ti'],
	'rtx-4080': ['RTX 4080', 'NVIDIA GeForce RTX 4080'],
	'rtx-4000-ada': ['RTX 4000 Ada', 'NVIDIA RTX 4000 Ada Generation'],
	'rtx-5000-ada': ['RTX 5000 Ada', 'NVIDIA RTX 5000 Ada Generation'],
	'jetson-agx-orin-64gb': ['Jetson AGX Orin 64GB', 'IGX Orin'],
	'rtx-3060-12gb': ['RTX 3060 12GB', 'NVIDIA GeForce RTX 3060 12GB'],
	'rtx-3080-ti': ['RTX 3080 Ti', 'NVIDIA GeForce RTX 3080 Ti'],
	'ampereone-a192-32x': ['AmpereOne A192-32X', 'A192-32X'],
};

test('each new device resolves by its id, name, every alias and the listed real-world spellings', () => {
	const cat = getCatalog();
	for (const [id, names] of Object.entries(NEW_DEVICES)) {
		const h = cat.hardware.find((d) => d.id === id);
		assert.ok(h, `${id} is in the catalog`);
		for (const q of [h.id, h.name, ...(h.aliases ?? []), ...names]) {
			const r = resolveHardware(q);
			assert.ok(r.ok, `${q}: ${r.ok ? '' : r.message}`);
			assert.equal(r.hardware.id, id, q);
		}
	}
});

test('unified-memory SoCs are unified-gpu; the new devices keep dense, spec numbers', () => {
	const h = (id: string) => getCatalog().hardware.find((d) => d.id === id)!;
	for (const id of ['dgx-spark', 'jetson-orin-nano-8gb', 'jetson-orin-nano-super', 'jetson-agx-orin-64gb'])
		assert.equal(h(id).deviceClass, 'unified-gpu', id);
	assert.equal(h('ampereone-a192-32x').deviceClass, 'cpu');
	assert.equal(h('dgx-spark').bandwidthGBs, 273);
	assert.equal(h('dgx-spark').memoryGB, 128);
	// 1 PFLOP FP4 is the sparse marketing figure: the entry stores half.
	assert.equal(h('dgx-spark').peakTflops.fp4, 500);
	// Orin Nano Super: 67 sparse INT8 TOPS → 33.5 dense; same silicon as the 15 W part at 68 GB/s.
	assert.equal(h('jetson-orin-nano-super').peakTflops.int8, 33.5);
	assert.equal(h('jetson-orin-nano-8gb').bandwidthGBs, 68);
	// P40: no fp16 peak (1/64 rate), so the physics falls back to fp32.
	assert.equal(h('tesla-p40').peakTflops.fp16, undefined);
	// MI210: 4096-bit HBM2e at 3.2 Gbps.
	assert.equal(h('mi210').bandwidthGBs, (4096 / 8) * 3.2);
});

test('near names stay unresolved: no prefix or suffix guessing', () => {
	for (const q of ['RTX 4070 Ti Super', 'RTX 3060', 'RTX 6000', 'Jetson Orin', 'RX 7900 XT', 'A4000']) {
		const r = resolveHardware(q);
		assert.equal(r.ok, false, `${q} must not resolve`);
	}
});

test('new models resolve by HF id, Ollama tag, GGUF/MLX/FP8 re-upload names and ledger spellings', () => {
	const cases: [string, string, string?][] = [
		['deepseek-r1:14b', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B'],
		['DeepSeek-R1-Distill-Qwen-14B-Q4_K_M.gguf', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B', 'q4_k_m'],
		['DeepSeek-R1-Distill-Qwen-14B-FP8', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B', 'fp8'],
		['mlx-community/DeepSeek-R1-Distill-Qwen-14B-4bit', 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B'],
		['databricks/dbrx-instruct', 'databricks/dbrx-base'],
		['nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-FP8', 'nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16', 'fp8'],
		['NVIDIA Nemotron Nano 30B', 'nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16'],
		['openlm-research/open_llama_7b', 'openlm-research/open_llama_7b'],
		['GPT-J 6B', 'EleutherAI/gpt-j-6b'],
		['EleutherAI/gpt-j-6B', 'EleutherAI/gpt-j-6b'],
	];
	for (const [q, id, fmt] of cases) {
		const r = resolveModel(q);
		assert.ok(r.ok, `${q}: ${r.ok ? '' : r.message}`);
		assert.equal(r.model.id, id, q);
		if (fmt) assert.equal(r.impliedFormat, fmt, q);
	}
});

test('DBRX and Nemotron 3 Nano: params near the published totals; Nemotron KV in its 6 attention layers', () => {
	const m = (id: string) => getCatalog().models.find((x) => x.id === id)!;
	const dbrx = m('databricks/dbrx-base');
	assert.ok(Math.abs(dbrx.paramsTotal / 1e9 - 132) < 1, `${dbrx.paramsTotal}`); // Databricks: 132B / 36B
	assert.ok(Math.abs(dbrx.paramsActive / 1e9 - 36) < 1, `${dbrx.paramsActive}`);
	const nano = m('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16');
	assert.ok(Math.abs(nano.paramsTotal / 1e9 - 31.6) < 0.1); // NVIDIA: 31.6B total, 3.6B active with embeddings
	assert.ok(Math.abs(nano.paramsActive / 1e9 - 3.6) < 0.1);
	// 52 layers, 6 with attention: at 8k context the cache holds 6 × 8192 tokens plus 1 token on 46 layers.
	assert.equal(kvLayerTokens(nano, 8192), 6 * 8192 + 46);
});

test('ledger label candidates peel context but never drop name words', () => {
	assert.ok(hardwareCandidates('NVIDIA RTX A6000 48GB (Ampere)').includes('NVIDIA RTX A6000'));
	assert.ok(hardwareCandidates('AMD Instinct MI210 64GB HBM2e').includes('AMD Instinct MI210'));
	assert.ok(
		hardwareCandidates('4x NVIDIA DGX Spark (GB10) nodes, TP over ConnectX-7').includes('NVIDIA DGX Spark'),
	);
	assert.ok(
		hardwareCandidates('NVIDIA Jetson Orin Nano 8GB (original, 15W), 128-bit LPDDR5').includes(
			'NVIDIA Jetson Orin Nano 8GB',
		),
	);
	for (const c of hardwareCandidates('NVIDIA GeForce RTX 4070 Ti Super')) assert.match(c, /Super/);
	assert.ok(modelCandidates('deepseek-r1:14b (Qwen2.5-14B distill, Q4_K_M)').includes('deepseek-r1:14b'));
	assert.ok(modelCandidates('DeepSeek-R1-Distill-Qwen-14B FP8').includes('DeepSeek-R1-Distill-Qwen-14B-FP8'));
});

test('CSV split keeps every raw byte: quotes, embedded commas and newlines, CRLF', () => {
	const text = 'id,label,note\r\nA1,"x, ""y""",plain\r\nA2,"two\nlines",\nA3,z,last';
	const recs = splitCsv(text);
	assert.equal(recs.length, 4);
	assert.equal(recs.map((r) => r.fields.join(',') + r.eol).join(''), text);
	assert.equal(unquote(recs[1].fields[1]), 'x, "y"');
	assert.equal(unquote(recs[2].fields[1]), 'two\nlines');
	assert.equal(recs[2].fields[2], '');
	assert.equal(recs[3].eol, '');
});
