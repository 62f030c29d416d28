import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, only, slice } from './helpers';

const UNPARSEABLE = 'unparseable-config';

test('an unterminated quote that swallows the vllm serve command is an unparseable-config finding', async () => {
	// Line 2 opens a string that never closes: bash reads the vllm line as part of it, so no command is left.
	const doc = '#!/bin/sh\nLABEL="prod\nvllm serve meta-llama/Llama-3.1-8B --max-model-len 8192\n';
	const { workloads, findings } = await extract('run.sh', doc);
	assert.equal(workloads.length, 0);
	assert.equal(findings.length, 1);
	const f = findings[0]!;
	assert.equal(f.code, UNPARSEABLE);
	assert.equal(f.severity, 'error');
	// Ranged from the opening quote to the end of its line.
	assert.equal(slice(doc, f.span), '"prod');
	assert.match(
		f.message,
		/^Unterminated string starting here swallows the `vllm serve` command: nothing after it/,
	);
});

test('an unterminated quote inside the command cuts it short and says so; the command is still read', async () => {
	const doc = '#!/bin/sh\nvllm serve meta-llama/Llama-3.1-8B --max-model-len "8192\n';
	const { workloads, findings } = await extract('run.sh', doc);
	const w = only(workloads);
	assert.equal(w.model?.value, 'meta-llama/Llama-3.1-8B');
	assert.equal(w.settings.contextLength, undefined);
	const f = only1(findings.filter((x) => x.code === UNPARSEABLE));
	assert.equal(slice(doc, f.span), '"8192');
	assert.match(f.message, /cuts the `vllm serve` command short/);
});

test('no finding when the broken part swallows no engine command, or the file is well formed', async () => {
	// The workload is extracted before the error; what the string swallows holds no engine keyword.
	const before = '#!/bin/sh\nvllm serve meta-llama/Llama-3.1-8B --max-model-len 8192\necho "done\necho bye\n';
	const a = await extract('run.sh', before);
	assert.equal(only(a.workloads).settings.contextLength?.value, 8192);
	assert.deepEqual(
		a.findings.filter((f) => f.code === UNPARSEABLE),
		[],
	);
	// Broken, but no engine keyword anywhere: nothing to say.
	const unrelated = await extract('run.sh', '#!/bin/sh\necho "hello\nls -la\n');
	assert.deepEqual(unrelated.findings, []);
	// An `if` without `fi`: the grammar inserts a MISSING node, but the command inside is read.
	const noFi = await extract('run.sh', 'if true; then\n  vllm serve m/x --max-model-len 4096\n');
	assert.equal(only(noFi.workloads).settings.contextLength?.value, 4096);
	assert.deepEqual(noFi.findings, []);
});

test('a variable whose assigned value cannot be read says so instead of blaming the environment', async () => {
	const doc = '#!/bin/sh\nset -e\nMODEL=$(cat /etc/model-name)\nvllm serve "$MODEL"\n';
	const w = only((await extract('run.sh', doc)).workloads);
	const u = w.unknowns.find((x) => x.name === 'model');
	assert.ok(u);
	assert.equal(
		u.reason,
		'$MODEL is assigned on line 3 but its value could not be read: `$(cat /etc/model-name)` is a command substitution, only known at run time',
	);
	assert.doesNotMatch(u.reason, /from the environment/);
	assert.equal(slice(doc, u.span), '"$MODEL"');
	// An env default does not apply either: the assignment decides the value at run time.
	const withDefault = '#!/bin/sh\nLEN=$(compute)\nvllm serve m/x --max-model-len ${LEN:-4096}\n';
	const w2 = only((await extract('run.sh', withDefault)).workloads);
	assert.equal(w2.settings.contextLength, undefined);
	assert.match(w2.unknowns.find((x) => x.name === 'contextLength')!.reason, /\$LEN is assigned on line 2/);
});

test('a variable that hits the expansion limit keeps its first reason, not a chain of messages', async () => {
	// X starts at 10 characters and doubles per line: 10 × 2^14 = 163,840 > 100,000 (MAX_WORD_CHARS) on the
	// 14th doubling, which is on line 2 + 14 = 16; the next doublings keep that reason with their own line.
	const lines = ['#!/bin/sh', 'X=abcdefghij', ...Array.from({ length: 20 }, () => 'X="$X$X"')];
	lines.push('vllm serve m/x --max-model-len $X');
	const doc = lines.join('\n') + '\n';
	const w = only((await extract('run.sh', doc)).workloads);
	const reason = w.unknowns.find((x) => x.name === 'contextLength')!.reason;
	// The last assignment is on line 22 (2 + 20).
	assert.equal(
		reason,
		'--max-model-len: $X is assigned on line 22 but its value could not be read: $X expands past 100000 characters here; not followed',
	);
});

function only1<T>(xs: T[]): T {
	assert.equal(xs.length, 1, `expected one, got ${xs.length}`);
	return xs[0]!;
}
