/**
 * Fuzzing every extractor (shell, Dockerfile, YAML kinds incl. llama-swap, generic Helm, KubeRay, Modelfile,
 * systemd, env, Windows batch, Jupyter notebooks, Python, JS/TS — one per kind of file under samples/) and the
 * whole pipeline with fast-check: fixed seed, bounded runs and time. Properties: no throw, valid shape,
 * spans and fix edits inside the document and non-overlapping, every number JSON-safe, bounded time per
 * input. A failure prints the shrunk input: save it under test/fixtures/hostile/regressions/ (see
 * regressions.test.ts) so it is replayed for ever.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { extractWorkloads } from '../../server/src/analysis/extract';
import { toFileReport } from '../../server/src/analysis/report';
import {
	assertAnalysisValid,
	assertFindingValid,
	assertJsonRoundTrip,
	assertJsonSafe,
	assertWorkloadSpans,
} from './invariants';
import { amplifiedSample, mutatedSample, samplesByKind } from './mutate';

/** Fixed in CI; `FUZZ_SEED=… FUZZ_SCALE=10` explores further by hand (never in `npm test`). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** Per input: generous for a 2-core machine shared by many; a hang or a quadratic blow-up exceeds it. */
const PER_INPUT_MS = 3000;

const byKind = samplesByKind();

for (const [kind, samples] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
	// ts-morph is slower per input than the tree-sitter and line readers.
	const numRuns = (kind === 'javascript' ? 150 : 600) * SCALE;
	test(`fuzz extractor: ${kind} (${samples.length} samples, seed ${FUZZ_SEED})`, async () => {
		await fc.assert(
			fc.asyncProperty(mutatedSample(samples), async ({ path, text }) => {
				const started = Date.now();
				const r = await extractWorkloads({ path, text });
				const ms = Date.now() - started;
				assert.ok(Array.isArray(r.workloads) && Array.isArray(r.findings));
				for (const w of r.workloads) assertWorkloadSpans(w, text.length);
				for (const f of r.findings) assertFindingValid(f, text.length);
				assertJsonSafe(r.workloads);
				assert.ok(ms < PER_INPUT_MS, `${ms} ms`);
			}),
			{ seed: FUZZ_SEED, numRuns, interruptAfterTimeLimit: 4000 * SCALE, markInterruptAsFailure: false },
		);
	});
}

test(`fuzz the whole pipeline on mutated samples of every kind (seed ${FUZZ_SEED})`, async () => {
	const all = [...byKind.values()].flat();
	await fc.assert(
		fc.asyncProperty(mutatedSample(all), async ({ path, text }) => {
			const started = Date.now();
			const a = await analyzeDocument({ path, text }, {});
			const ms = Date.now() - started;
			assertAnalysisValid(a, text.length);
			// What the CLI and the panel print: every estimate number survives JSON unchanged.
			const report = toFileReport(a, text);
			assertJsonSafe(report);
			assertJsonRoundTrip(report);
			assert.ok(ms < PER_INPUT_MS, `${ms} ms`);
		}),
		{
			seed: FUZZ_SEED,
			numRuns: 500 * SCALE,
			interruptAfterTimeLimit: 6000 * SCALE,
			markInterruptAsFailure: false,
		},
	);
});

test(`fuzz with amplified slices: no input takes quadratic time (seed ${FUZZ_SEED})`, async () => {
	const all = [...byKind.values()].flat();
	await fc.assert(
		fc.asyncProperty(amplifiedSample(all), async ({ path, text }) => {
			const started = Date.now();
			const a = await analyzeDocument({ path, text }, {});
			const ms = Date.now() - started;
			assertAnalysisValid(a, text.length);
			// ≤ 120 KB of input: linear work is milliseconds; quadratic work is seconds.
			assert.ok(ms < PER_INPUT_MS, `${ms} ms for ${text.length} characters`);
		}),
		{
			seed: FUZZ_SEED,
			numRuns: 60 * SCALE,
			interruptAfterTimeLimit: 6000 * SCALE,
			markInterruptAsFailure: false,
		},
	);
});
