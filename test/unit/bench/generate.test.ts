import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generate } from '../../../scripts/bench/generate.mjs';

describe('benchmark input generators', () => {
	for (const kind of ['yaml', 'python', 'typescript'] as const) {
		test(`${kind}: at least the lines asked for, whole blocks, one workload per block`, () => {
			const g = generate(kind, 1000);
			const lines = g.text.split('\n').length - 1; // every block ends with a newline
			assert.equal(lines, g.lines);
			assert.ok(g.lines >= 1000, String(g.lines));
			// Whole blocks: one block fewer would be under 1,000 lines.
			const perBlock = (g.lines - generate(kind, 1).lines) / (g.blocks - generate(kind, 1).blocks);
			assert.ok(g.lines - perBlock < 1000);
			const marker = { yaml: /vllm\/vllm-openai/g, python: /= LLM\(/g, typescript: /await pipeline\(/g }[
				kind
			];
			assert.equal(g.text.match(marker)?.length, g.blocks);
		});
	}

	test('the YAML documents are separate (one --- per block) and vary their numbers', () => {
		const g = generate('yaml', 200);
		assert.equal(g.text.match(/^---$/gm)?.length, g.blocks);
		const lens = new Set(g.text.match(/--max-model-len=(\d+)/g));
		assert.ok(lens.size > 1);
	});
});
