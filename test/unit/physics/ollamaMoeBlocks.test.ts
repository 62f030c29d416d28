/**
 * memory.go sizes every blk.N on its own (layers["blk.%d"].Size()), and blk.0 is the one-layer buffer.
 * DeepSeek's first first_k_dense_replace blocks are dense and far smaller than its MoE blocks, so a log's
 * weights.repeating total split evenly over the blocks hides the small blocks that do fit. The accuracy
 * scorer splits the total in the model's block shapes (ollamaBlocks.ts) where the row names the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog, resolveModel } from '../../../server/src/analysis/catalog/index';
import { evaluateMemory, loggedOllamaNames } from '../../../server/src/cli/accuracy/memory';
import { ggufBlockBytes } from '../../../server/src/analysis/physics/memoryPlan/ollamaBlocks';

const r1 = (() => {
	const r = resolveModel('deepseek-ai/DeepSeek-R1', getCatalog());
	assert.ok(r.ok);
	return r.model;
})();

/** A made-up Ollama 0.5 start-up (not a logged one): an 8 GiB GPU, a 380 GiB DeepSeek-R1 GGUF. */
function row(model: string): Record<string, string> {
	return {
		id: 'synthetic-r1',
		engine: 'ollama',
		engine_version: '0.5.0',
		model,
		layers_offloaded: '0',
		layers_model: String(r1.layers + 1),
		ollama_available_gib: '8',
		ollama_weights_repeating_gib: '380',
		ollama_weights_nonrepeating_gib: '0.7',
		ollama_kv_gib: '6.1',
		ollama_graph_full_gib: '0.6',
		ollama_graph_partial_gib: '1.0',
		ollama_library: 'cuda',
	};
}

test('DeepSeek blocks: the dense first_k_dense_replace blocks are a fraction of a MoE block', () => {
	const moe = r1.moe;
	assert.ok(moe && moe.firstDenseLayers > 0);
	const b = ggufBlockBytes(r1, undefined, 100);
	assert.ok(Math.abs(b.reduce((x, y) => x + y, 0) - 100) < 1e-9);
	assert.ok(b[0] < b[moe.firstDenseLayers] / 5, `dense ${b[0]} vs MoE ${b[moe.firstDenseLayers]}`);
	assert.equal(b[0], b[moe.firstDenseLayers - 1]);
});

test('scorer: a row naming DeepSeek-R1 offloads exactly the dense blocks; unnamed (even split) none', () => {
	const named = evaluateMemory([row('deepseek-ai/DeepSeek-R1')]).ollama.rows[0];
	const even = evaluateMemory([row('')]).ollama.rows[0];
	assert.equal(named.predicted, r1.moe?.firstDenseLayers);
	assert.equal(even.predicted, 0);
});

test('scorer: a named model whose block count differs from the log keeps the even split', () => {
	const r = { ...row('deepseek-ai/DeepSeek-R1'), layers_model: String(r1.layers + 5) };
	const named = evaluateMemory([r]).ollama.rows[0];
	const even = evaluateMemory([{ ...r, model: '' }]).ollama.rows[0];
	assert.equal(named.predicted, even.predicted);
});

test('scorer: with no catalog id, an Ollama tag in the logged model name resolves the model', () => {
	const tagged = { ...row(''), model_as_logged: 'deepseek-r1:671b Q4_K_M (a local build)' };
	const untagged = { ...row(''), model_as_logged: 'deepseek r1 671b Q4_K_M' };
	assert.equal(evaluateMemory([tagged]).ollama.rows[0].predicted, r1.moe?.firstDenseLayers);
	assert.equal(evaluateMemory([untagged]).ollama.rows[0].predicted, 0);
});

test('logged model names: tags and "family size" pairs before any parenthesis, never the writer\'s notes', () => {
	assert.deepEqual(loggedOllamaNames('deepseek-r1:671b Q4_K_M (62 layers, 385.0 GiB weights)'), [
		'deepseek-r1:671b',
	]);
	assert.deepEqual(loggedOllamaNames('deepseek-v2 16b lite (MoE, 28 layers, 17.0 GiB weights)'), [
		'deepseek-v2:16b',
	]);
	assert.deepEqual(loggedOllamaNames('gemma3:27b (63 layers, 14.3 GiB weights, vision projector)'), [
		'gemma3:27b',
	]);
	assert.deepEqual(
		loggedOllamaNames(
			'49-layer model with a vision projector (7.5 GiB weights; gemma3:12b class, not named)',
		),
		[],
	);
	assert.deepEqual(loggedOllamaNames('81-layer model, 40.7 GiB weights (70B class, not named)'), []);
});

test('scorer: DeepSeek-V2-Lite named as "deepseek-v2 16b": blk.0 (dense) is a seventh of a MoE block', () => {
	const r = resolveModel('deepseek-v2:16b', getCatalog());
	assert.ok(r.ok && r.model.id === 'deepseek-ai/DeepSeek-V2-Lite');
	const lite = r.model;
	assert.equal(lite.moe?.firstDenseLayers, 1);
	const b = ggufBlockBytes(lite, undefined, 100);
	assert.ok(b[0] < b[1] / 5, `dense ${b[0]} vs MoE ${b[1]}`);
	// Same inputs, named in words vs not named: the shaped split differs from the even one.
	const base = {
		...row(''),
		layers_model: String(lite.layers + 1),
		ollama_weights_repeating_gib: '12',
		ollama_kv_gib: '1',
	};
	const words = evaluateMemory([{ ...base, model_as_logged: 'deepseek-v2 16b lite (notes)' }]).ollama.rows[0];
	const shaped = evaluateMemory([{ ...base, model: lite.id }]).ollama.rows[0];
	assert.equal(words.predicted, shaped.predicted);
});
