/**
 * Fuzzing the GGUF header reader and everything downstream of it (facts, model spec, the estimate of a
 * workload that points at the file): random bytes, truncations, byte flips, and "lying" u64s (2^62,
 * 2^64−1, 2^31) written over random 8-byte fields of real headers. Nothing may throw, allocate in
 * proportion to a lying count, or take long; every number that reaches output is finite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { llama31_8bQ4KM, tinyMoeQ8 } from '../../scripts/make-sample-gguf.mjs';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import {
	deriveGgufFacts,
	ggufModelSpec,
	isGgufError,
	readGgufHeader,
	readLocalGguf,
} from '../../server/src/analysis/gguf';
import { assertAnalysisValid, assertJsonSafe } from './invariants';

const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const BASES = [tinyMoeQ8(), llama31_8bQ4KM()];
const LIES = [2n ** 62n, 2n ** 64n - 1n, 2n ** 31n, 2n ** 32n + 1n, 0n, 1n, 255n];

const mutatedGguf = fc
	.record({
		base: fc.nat({ max: BASES.length - 1 }),
		cut: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
		flips: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 6 }),
		lies: fc.array(fc.tuple(fc.nat(), fc.nat({ max: LIES.length - 1 })), { maxLength: 3 }),
	})
	.map(({ base, cut, flips, lies }) => {
		const src = BASES[base]!;
		const bytes = src.slice(0, cut === undefined ? src.length : Math.floor(cut * src.length));
		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		for (const [at, lie] of lies) {
			if (bytes.length < 8) break;
			view.setBigUint64(at % (bytes.length - 7), LIES[lie]!, true);
		}
		for (const [at, v] of flips) if (bytes.length) bytes[at % bytes.length] = v;
		return bytes;
	});

const anyBytes = fc.oneof(
	{ weight: 4, arbitrary: mutatedGguf },
	{ weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
	// Random bytes after a valid magic and version 3.
	{
		weight: 1,
		arbitrary: fc
			.uint8Array({ maxLength: 256 })
			.map((b) => Uint8Array.from([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, ...b])),
	},
);

test(`fuzz GGUF reader → facts → model spec (seed ${SEED})`, () => {
	fc.assert(
		fc.property(anyBytes, (bytes) => {
			const started = Date.now();
			const r = readGgufHeader(bytes);
			if (isGgufError(r)) {
				assert.match(r.error, /^GGUF: /);
			} else {
				assert.ok(r.tensors.length <= r.tensorCount && r.metadata.size <= r.kvCount);
				assert.ok(r.bytesRead <= bytes.length);
				const facts = deriveGgufFacts(r);
				const spec = ggufModelSpec(facts, 'fuzz');
				if (!('missing' in spec)) assertJsonSafe(spec);
			}
			const local = readLocalGguf({ readFile: () => bytes }, '/ws/m.gguf');
			assert.equal(typeof local.summary, 'string');
			assert.ok(Date.now() - started < 1000);
		}),
		{
			seed: SEED,
			numRuns: 1500 * SCALE,
			interruptAfterTimeLimit: 5000 * SCALE,
			markInterruptAsFailure: false,
		},
	);
});

test(`fuzz a llama.cpp workload pointing at a mutated GGUF: estimates stay finite (seed ${SEED})`, async () => {
	const text = 'llama-server -m ./model.gguf -c 4096 -ngl 99\n';
	await fc.assert(
		fc.asyncProperty(mutatedGguf, async (bytes) => {
			const a = await analyzeDocument(
				{ path: '/ws/serve.sh', text },
				{ host: { readFile: (p) => (p.endsWith('model.gguf') ? bytes : undefined), fileExists: () => true } },
			);
			assertAnalysisValid(a, text.length);
			assert.equal(a.workloads.length, 1);
		}),
		{
			seed: SEED,
			numRuns: 300 * SCALE,
			interruptAfterTimeLimit: 5000 * SCALE,
			markInterruptAsFailure: false,
		},
	);
});
