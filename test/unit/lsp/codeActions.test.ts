// Quick fixes read back from diagnostic data; the title carries the effect; stale versions are dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeActionParams } from 'vscode-languageserver';
import { codeActionsFor } from '../../../server/src/lsp/codeActions';
import { toDiagnostic } from '../../../server/src/lsp/diagnostics';
import type { Finding } from '../../../server/src/analysis/types';

const text = 'vllm serve m \\\n  --max-num-seqs 256\n';
const doc = TextDocument.create('file:///w/serve.sh', 'shellscript', 4, text);
// Line 0 is 15 characters with its newline; `  --max-num-seqs ` adds 2 + 14 + 1: the value starts at 32.
const valueOffset = text.indexOf('256');
const finding: Finding = {
	code: 'kv-cache-limits-concurrency',
	severity: 'warning',
	message: 'only 12 sequences fit',
	span: { offset: valueOffset, length: 3 },
	workload: 0,
	data: { fits: 12 },
	fixes: [
		{
			title: 'Lower max-num-seqs to 12',
			edits: [{ span: { offset: valueOffset, length: 3 }, newText: '12' }],
			effect: 'all 12 fit',
			isPreferred: true,
		},
		{
			title: 'Store the KV cache as fp8',
			edits: [{ span: { offset: text.length - 1, length: 0 }, newText: ' --kv-cache-dtype fp8' }],
		},
	],
};

function params(only?: string[]): CodeActionParams {
	const d = toDiagnostic(doc, finding);
	return { textDocument: { uri: doc.uri }, range: d.range, context: { diagnostics: [d], only } };
}

test('the diagnostic sits on the value and carries its fixes as ranges', () => {
	assert.equal(valueOffset, 32);
	const d = toDiagnostic(doc, finding);
	assert.deepEqual(d.range, { start: { line: 1, character: 17 }, end: { line: 1, character: 20 } });
	assert.equal(d.severity, 2);
	assert.deepEqual((d.data as { facts: unknown }).facts, { fits: 12 });
});

test('one quick fix per fix, effect in the title, preferred flag kept, edits versioned', () => {
	const actions = codeActionsFor(params(), { documentChanges: true, currentVersion: 4 });
	assert.deepEqual(
		actions.map((a) => [a.title, a.isPreferred ?? false]),
		[
			['Lower max-num-seqs to 12 (all 12 fit)', true],
			['Store the KV cache as fp8', false],
		],
	);
	const change = actions[0].edit!.documentChanges![0] as {
		textDocument: { version: number };
		edits: unknown[];
	};
	assert.equal(change.textDocument.version, 4);
	assert.deepEqual(change.edits, [
		{ range: { start: { line: 1, character: 17 }, end: { line: 1, character: 20 } }, newText: '12' },
	]);
});

test('plain `changes` for clients without versioned edits', () => {
	const [a] = codeActionsFor(params(), { documentChanges: false, currentVersion: 4 });
	assert.equal(a.edit!.changes![doc.uri][0].newText, '12');
});

test('nothing for an older version, another source, or a non-quickfix kind filter', () => {
	assert.deepEqual(codeActionsFor(params(), { documentChanges: true, currentVersion: 5 }), []);
	assert.deepEqual(codeActionsFor(params(['refactor']), { documentChanges: true, currentVersion: 4 }), []);
	assert.equal(codeActionsFor(params(['quickfix']), { documentChanges: true, currentVersion: 4 }).length, 2);
	const p = params();
	p.context.diagnostics[0].source = 'someone-else';
	assert.deepEqual(codeActionsFor(p, { documentChanges: true, currentVersion: 4 }), []);
});
