import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex, toFileReport } from '../../../server/src/analysis/report';
import type { DocumentAnalysis } from '../../../server/src/analysis/types';

test('LineIndex: 0-based lines, UTF-16 characters, \\r\\n line ends', () => {
	// "a😀b" — the emoji is two UTF-16 code units, so "b" is at character 3.
	const text = 'x\r\na😀b\n\nlast';
	const idx = new LineIndex(text);
	assert.deepEqual(idx.position(0), { line: 0, character: 0 });
	assert.deepEqual(idx.position(1), { line: 0, character: 1 }); // the \r belongs to line 0
	assert.deepEqual(idx.position(3), { line: 1, character: 0 });
	assert.deepEqual(idx.position(text.indexOf('b')), { line: 1, character: 3 });
	assert.deepEqual(idx.position(text.indexOf('last')), { line: 3, character: 0 });
	assert.deepEqual(idx.position(text.length + 5), { line: 3, character: 4 }); // clamped
	assert.deepEqual(idx.range({ offset: 3, length: 4 }), {
		start: { line: 1, character: 0 },
		end: { line: 1, character: 4 },
	});
});

test('toFileReport: contract names, ranges only for values written in the file, provenance for all', () => {
	const text = 'vllm serve org/m --max-model-len 8192\n';
	const analysis: DocumentAnalysis = {
		path: 'serve.sh',
		workloads: [
			{
				workload: {
					framework: 'vllm',
					model: { value: 'org/m', source: 'file', span: { offset: 11, length: 5 } },
					settings: {
						contextLength: {
							value: 8192,
							source: 'file',
							span: { offset: 33, length: 4 },
							key: '--max-model-len',
						},
						gpuMemoryUtilization: { value: 0.9, source: 'engine-default', note: 'vLLM default' },
					},
					span: { offset: 0, length: 37 },
					syntax: 'cli',
					flags: [],
					unknowns: [
						{ name: 'tensorParallelSize', reason: '$TP is set at run time', span: { offset: 0, length: 4 } },
					],
				},
				resolvedModel: null,
			},
		],
		findings: [
			{
				code: 'x',
				severity: 'warning',
				message: 'm',
				span: { offset: 33, length: 4 },
				workload: 0,
				fixes: [{ title: 't', effect: 'e', edits: [{ span: { offset: 33, length: 4 }, newText: '4096' }] }],
			},
		],
	};
	const r = toFileReport(analysis, text);
	const w = r.workloads[0];
	assert.deepEqual(w.settings, { contextLength: 8192, gpuMemoryUtilization: 0.9 });
	assert.deepEqual(Object.keys(w.ranges).sort(), ['contextLength', 'model']);
	assert.deepEqual(w.ranges.contextLength, {
		start: { line: 0, character: 33 },
		end: { line: 0, character: 37 },
	});
	assert.deepEqual(w.provenance.gpuMemoryUtilization, {
		value: 0.9,
		source: 'engine-default',
		note: 'vLLM default',
	});
	assert.equal(w.provenance.contextLength.key, '--max-model-len');
	assert.equal(w.resolvedModel, null);
	assert.deepEqual(w.unknowns[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
	assert.deepEqual(r.diagnostics[0].fixes, [
		{ title: 't', effect: 'e', edits: [{ range: w.ranges.contextLength, newText: '4096' }] },
	]);
});
