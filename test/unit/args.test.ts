import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../server/src/cli/args';
import { UsageError } from '../../server/src/cli/io';

const specs = {
	model: { kind: 'string', help: 'model' },
	batch: { kind: 'integer', help: 'batch', min: 1 },
	json: { kind: 'boolean', help: 'json' },
	engine: { kind: 'string', help: 'engine', choices: ['vllm', 'llama.cpp'] },
} as const;

test('parses --flag value, --flag=value and booleans', () => {
	const r = parseArgs(['--model', 'x/y', '--batch=4', '--json', 'pos'], specs);
	assert.deepEqual(r.flags, { model: 'x/y', batch: 4, json: true });
	assert.deepEqual(r.positionals, ['pos']);
});

test('rejects unknown flags, bad numbers and bad choices with the flag named', () => {
	assert.throws(
		() => parseArgs(['--modle', 'x'], specs),
		(e: unknown) => e instanceof UsageError && /--modle/.test(e.message),
	);
	assert.throws(() => parseArgs(['--batch', 'two'], specs), /--batch needs a number/);
	assert.throws(() => parseArgs(['--batch', '1.5'], specs), /whole number/);
	assert.throws(() => parseArgs(['--batch', '0'], specs), /at least 1/);
	assert.throws(() => parseArgs(['--engine', 'tgi'], specs), /must be one of/);
	assert.throws(() => parseArgs(['--model'], specs), /needs a value/);
});
