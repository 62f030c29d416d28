/**
 * Structural fixes to the decode-ledger loader found through held-out misses (issue #12): each test pins the
 * engine or format fact the rule rests on, not a held-out number.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveFormat } from '../../../server/src/analysis/catalog/index';
import { countParams } from '../../../server/src/analysis/catalog/params';
import { loadLedger } from '../../../server/src/cli/accuracy/ledger';
import { cpuFromLabel, modelFromLabel, plausibleBits } from '../../../server/src/cli/accuracy/ledgerLabels';
import { ledgerRecord, type LedgerRecord } from './ledgerRecord';

type Rec = LedgerRecord;
const rec = (id: string, o: Partial<Rec>): Rec => ledgerRecord(id, { hardware_id: 'rtx-4090', ...o });

function model(id: string) {
	const m = getCatalog().models.find((x) => x.id === id);
	assert.ok(m, id);
	return m;
}

function format(id: string) {
	const f = resolveFormat(id, getCatalog());
	assert.ok(f, id);
	return f;
}

test('a small wide-vocabulary model keeps a file-average bits figure far above its nominal quant', () => {
	// gemma-3-1b: the tied 262,144 × 1,152 table is ~30 % of the parameters, kept wider than IQ1_S.
	const gemma = model('google/gemma-3-1b-it');
	assert.equal(plausibleBits(4.4, gemma, format('iq1_s')), true);
	const { rows } = loadLedger([
		rec('G1', { model_id: gemma.id, weight_format: 'iq1_s', bits_per_weight: '4.4' }),
	]);
	assert.equal(rows[0].input.weights.bitsPerWeight, 4.4);
	assert.ok(!rows[0].notes.some((n) => /row bits/.test(n)));
});

test('the same figure on a large model (small embedding share) is still a transcription slip', () => {
	const llama70 = model('meta-llama/Llama-3.1-70B');
	assert.equal(plausibleBits(8.97, llama70, format('q4_k_s')), false);
	assert.equal(plausibleBits(4.4, llama70, format('iq1_s')), false);
	const { rows } = loadLedger([
		rec('G2', { model_id: llama70.id, weight_format: 'q4_k_s', bits_per_weight: '8.97' }),
	]);
	assert.notEqual(rows[0].input.weights.bitsPerWeight, 8.97);
	assert.ok(rows[0].notes.some((n) => /row bits 8.97 ignored/.test(n)));
});

test('bits below the nominal quant are still bounded at 0.6× the nominal', () => {
	const gemma = model('google/gemma-3-1b-it');
	assert.equal(plausibleBits(2, gemma, format('q4_0')), false);
	assert.equal(plausibleBits(4.5, gemma, format('q4_0')), true);
});

test('a row without a model id resolves a catalog model its label names by its first word', () => {
	const catalog = getCatalog();
	const glm = modelFromLabel('GLM-4.7-Flash 30B-A3B IQ4_XS (deepseek2 arch, MLA)', catalog);
	assert.equal(glm?.id, 'zai-org/GLM-4.7-Flash');
	assert.ok(glm?.mla && glm.moe, 'the real MLA MoE architecture, not a dense neighbour');
	// A label that only resembles a catalog name stays unresolved (the params_b fallback applies).
	assert.equal(modelFromLabel('Llama-1 7B (GPTQ 4-bit g128, no act-order)', catalog), undefined);
	assert.equal(modelFromLabel('', catalog), undefined);
	const { rows } = loadLedger([
		rec('M1', { model_id: '', model_label: 'GLM-4.7-Flash 30B-A3B IQ4_XS', params_b: '29.94' }),
	]);
	assert.equal(rows[0].input.model.id, 'zai-org/GLM-4.7-Flash');
});

test('GLM-4.7-Flash catalog entry: parameter counts follow from its config dimensions', () => {
	const glm = model('zai-org/GLM-4.7-Flash');
	const counted = countParams(glm);
	assert.equal(glm.paramsTotal, counted.total);
	assert.equal(glm.paramsActive, counted.active);
	// The published "30B-A3B" class: ~29.9 B total, under 4 B read per token.
	assert.ok(Math.abs(glm.paramsTotal / 1e9 - 29.94) < 0.05);
	assert.ok(glm.paramsActive < 4e9);
});

test('Xeon Scalable ISA from the model number: AMX from the 4th generation, AVX-512 before it', () => {
	const isa = (label: string) => cpuFromLabel(label)?.isa;
	assert.equal(isa('Intel Xeon Platinum 8339HC 24C (Cooper Lake, 6ch DDR4-3200)'), 'avx512');
	assert.equal(isa('Intel Xeon Platinum 8380 40C'), 'avx512');
	assert.equal(isa('Intel Xeon Gold 6138 20C'), 'avx512');
	assert.equal(isa('Intel Xeon Platinum 8480+ 56C'), 'amx');
	assert.equal(isa('Intel Xeon Gold 6548Y+ 32C'), 'amx');
	assert.equal(isa('Intel Xeon E5-2699 v3 18C'), 'avx2');
});

test('a Xeon model number with a C suffix is not a core count', () => {
	// AWS's custom Sapphire Rapids part: "8488C" is the model, "48C" the cores.
	assert.equal(
		cpuFromLabel('Intel Xeon Platinum 8488C (Sapphire Rapids, 48C), 1 socket, 8-channel DDR5-4800')?.cores,
		48,
	);
	assert.equal(cpuFromLabel('Intel Xeon Platinum 8339HC 24C (Cooper Lake, 6ch DDR4-3200)')?.cores, 24);
	assert.equal(cpuFromLabel('2x Intel Xeon E5-2698B v3 (16C/32T each, AVX2)')?.cores, 32);
});

test('Apple CPU labels: the performance cores are the cores llama.cpp uses by default', () => {
	assert.equal(cpuFromLabel('Apple M1 Max CPU, 10 cores (8P+2E), unified LPDDR5-6400 512-bit')?.cores, 8);
	assert.equal(cpuFromLabel('Apple M4 CPU (MacBook, 10 cores 4P+6E), LPDDR5X-7500 128-bit')?.cores, 4);
	// Intel hybrids keep the full count (the default differs by OS).
	assert.equal(cpuFromLabel('Intel Core i9-13900K 24 cores (8P+16E, AVX2), DDR5-6400')?.cores, 24);
});
