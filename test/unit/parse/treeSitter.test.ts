import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getParser, spanOf } from '../../../server/src/analysis/parse/treeSitter';

test('python node spans are UTF-16 offsets even after non-ASCII text', async () => {
	const parser = await getParser('python');
	// "é" is 1 UTF-16 unit (2 UTF-8 bytes); "😀" is 2 UTF-16 units (4 UTF-8 bytes).
	const src = 'x = "héllo😀"\nLLM(model="m", max_model_len=8192)\n';
	const call = parser.parse(src)!.rootNode.descendantsOfType('call')[0]!;
	const s = spanOf(call);
	assert.equal(src.slice(s.offset, s.offset + s.length), 'LLM(model="m", max_model_len=8192)');
});

test('bash grammar parses a continued command line', async () => {
	const parser = await getParser('bash');
	const tree = parser.parse('vllm serve "x/y" \\\n  --max-model-len=8192 # c\n')!;
	const cmd = tree.rootNode.descendantsOfType('command')[0]!;
	assert.equal(cmd.childForFieldName('name')?.text, 'vllm');
	assert.equal(cmd.childrenForFieldName('argument').length, 3);
});
