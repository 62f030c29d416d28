import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractPython } from '../../../server/src/analysis/extract/python';
import { extractJavaScript } from '../../../server/src/analysis/extract/javascript';
import { sample } from './helpers';

/** The sample with one stretch cut out and some text spliced in: broken code of every kind. */
const mangle = (text: string) =>
	fc
		.tuple(fc.nat({ max: text.length }), fc.nat({ max: 80 }), fc.string({ maxLength: 12 }))
		.map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut));

function checkSpans(text: string, spans: ({ offset: number; length: number } | undefined)[]): void {
	for (const s of spans) {
		if (!s) continue;
		assert.ok(s.offset >= 0 && s.length >= 0 && s.offset + s.length <= text.length, 'span inside the text');
	}
}

test('mangled Python never throws and every span stays inside the text', async () => {
	const { text } = sample('python/vllm_offline.py');
	await fc.assert(
		fc.asyncProperty(mangle(text), async (t) => {
			const r = await extractPython({ path: '/w/x.py', text: t });
			for (const w of r.workloads)
				checkSpans(t, [w.span, w.model.span, ...Object.values(w.settings).map((s) => s?.span)]);
		}),
		{ numRuns: 60 },
	);
});

test('mangled TypeScript never throws and every span stays inside the text', async () => {
	const { text } = sample('transformers.js/worker.js');
	await fc.assert(
		fc.asyncProperty(mangle(text), async (t) => {
			const r = await extractJavaScript({ path: '/w/x.js', text: t });
			for (const w of r.workloads)
				checkSpans(t, [w.span, w.model.span, ...Object.values(w.settings).map((s) => s?.span)]);
		}),
		{ numRuns: 30 },
	);
});
