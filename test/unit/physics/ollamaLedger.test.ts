/**
 * Ollama's layer count against the start-up logs in the ledger (server/data/measurements/startup.csv):
 * the estimator by version reproduces layers.offload from the logged inputs, and the version rules are
 * what makes it do so (read the logs with the wrong release's rules and rows miss).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluateMemory, MEMORY_TARGETS, readLedgerCsv } from '../../../server/src/cli/accuracy/memory';
import { ollamaEstimateLayers, ollamaEstimatorRules } from '../../../server/src/analysis/physics/memoryPlan';

const GIB = 1024 ** 3;
const ledger = readLedgerCsv(readFileSync('server/data/measurements/startup.csv', 'utf8'));
const ollamaRows = ledger.filter((r) => r.engine === 'ollama' && r.ollama_weights_repeating_gib);

test('Ollama layers.offload: the target share of logged start-ups predicted exactly', () => {
	const a = evaluateMemory(ledger);
	assert.ok(a.ollama.rows.length >= 8, `${a.ollama.rows.length} rows`);
	assert.ok(
		a.ollama.hitShare >= MEMORY_TARGETS.ollamaHitShare,
		a.ollama.rows
			.filter((o) => o.logged !== o.predicted)
			.map((o) => `${o.id}: logged ${o.logged}, predicted ${o.predicted}`)
			.join('; '),
	);
});

test('before 0.6.1 the logged weights.repeating includes the KV: read as weights alone, old rows miss', () => {
	const old = ollamaRows.filter((r) => ollamaEstimatorRules(r.engine_version).repeatingIncludesKv);
	assert.ok(old.length >= 2, `${old.length} pre-0.6.1 rows`);
	let missesWithoutRule = 0;
	for (const r of old) {
		const blocks = Number(r.layers_model) - 1;
		const kv = Number(r.ollama_kv_gib) * GIB;
		const est = ollamaEstimateLayers({
			gpuFree: r.ollama_available_gib.split(';').map((g) => Number(g) * GIB),
			library: r.ollama_library === 'metal' ? 'metal' : r.ollama_library === 'rocm' ? 'rocm' : 'cuda',
			blockCount: blocks,
			// the wrong reading: repeating as the blocks' weights, KV added on top
			layerBytes: (Number(r.ollama_weights_repeating_gib) * GIB) / blocks,
			kvPerLayer: Array.from({ length: blocks }, () => kv / blocks),
			outputBytes: Number(r.ollama_weights_nonrepeating_gib) * GIB,
			graphPartial: Number(r.ollama_graph_partial_gib) * GIB,
			graphFull: Number(r.ollama_graph_full_gib || r.ollama_graph_partial_gib) * GIB,
			version: r.engine_version,
		});
		if (est.layers !== Number(r.layers_offloaded)) missesWithoutRule++;
	}
	assert.ok(missesWithoutRule >= 2, `${missesWithoutRule} misses without the pre-0.6.1 reading`);
});

test('estimator rules by release: order, buffer layer, projector placement, layout', () => {
	const r = ollamaEstimatorRules;
	assert.equal(r('0.5.11').topDown, false);
	assert.equal(r('0.7.0').topDown, true);
	assert.equal(r('0.7.0').bufferIsLargestLayer, true);
	assert.equal(r('0.7.1').bufferIsLargestLayer, false);
	assert.equal(r('0.7.0').visionWithOutput, false);
	assert.equal(r('0.7.1').visionWithOutput, true);
	assert.equal(r('0.12.10').layout, false);
	assert.equal(r('0.12.11').layout, true);
	assert.equal(r(undefined).layout, true, 'no version: the current rules');
});
