/**
 * Replays every input under test/fixtures/hostile/regressions/: inputs that once crashed, hung or blew
 * up (found by the hostile corpus or by fuzzing), stored compactly as repeated parts. A new fuzz failure
 * goes here as `{ bug, level: 'extract' | 'analyze', path, parts: [[text, times]], expectCode?, maxMs? }`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { extractWorkloads } from '../../server/src/analysis/extract';
import { assertAnalysisValid, assertFindingValid, assertWorkloadSpans } from './invariants';

interface Regression {
	bug: string;
	level: 'extract' | 'analyze';
	path: string;
	parts: [string, number][];
	expectCode?: string;
	expectModelLength?: number;
	maxMs?: number;
}

const DIR = 'test/fixtures/hostile/regressions';

for (const file of readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.sort()) {
	const r = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Regression;
	test(`regression ${file}: ${r.bug.slice(0, 80)}…`, async () => {
		const text = r.parts.map(([t, n]) => t.repeat(n)).join('');
		const started = Date.now();
		if (r.level === 'extract') {
			const x = await extractWorkloads({ path: `/ws/${r.path}`, text });
			for (const w of x.workloads) assertWorkloadSpans(w, text.length);
			for (const f of x.findings) assertFindingValid(f, text.length);
			if (r.expectModelLength !== undefined)
				assert.equal(x.workloads[0]?.model.value.length, r.expectModelLength);
		} else {
			const a = await analyzeDocument({ path: `/ws/${r.path}`, text }, {});
			assertAnalysisValid(a, text.length);
			assert.ok(!a.findings.some((f) => f.code === 'internal-error'), 'no internal-error');
			if (r.expectCode)
				assert.ok(
					a.findings.some((f) => f.code === r.expectCode),
					`expected ${r.expectCode}`,
				);
		}
		const ms = Date.now() - started;
		assert.ok(ms < (r.maxMs ?? 5000), `${ms} ms`);
	});
}
