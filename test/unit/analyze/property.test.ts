/**
 * Property: whatever values a configuration holds (zero, huge, odd parallel sizes, any model, format,
 * KV type and device in the catalog), resolve → estimate → rules yields findings inside the text with
 * finite numbers in their messages, and no rule or stage fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { realApi, runPipeline } from '../../../server/src/analysis/analyze';
import { getCatalog } from '../../../server/src/analysis/catalog';
import type { Framework, Setting, Workload } from '../../../server/src/analysis/types';

const catalog = getCatalog();
const api = realApi(catalog);
const MODEL = 'MODEL_ID';
const TEXT = `serve ${MODEL} --a 1 --b 2 --c 3 --d 4 --e 5\n`;
const at = (needle: string) => ({ offset: TEXT.indexOf(needle), length: needle.length });
const file = <T>(value: T, needle: string): Setting<T> => ({
	value,
	source: 'file',
	span: at(needle),
	key: needle,
});

const arbWorkload = fc.record({
	framework: fc.constantFrom<Framework>('vllm', 'llama.cpp', 'ollama', 'transformers.js', 'transformers'),
	model: fc.constantFrom(...catalog.models.map((m) => m.id)),
	weights: fc.option(fc.constantFrom(...catalog.formats.map((f) => f.id)), { nil: undefined }),
	kv: fc.option(fc.constantFrom(...catalog.kvDtypes.map((k) => k.id), 'auto'), { nil: undefined }),
	hardware: fc.constantFrom(...catalog.hardware.map((h) => h.id)),
	tp: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
	context: fc.option(fc.integer({ min: 0, max: 4_000_000 }), { nil: undefined }),
	seqs: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
	ngl: fc.option(fc.integer({ min: -2, max: 300 }), { nil: undefined }),
	util: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
	device: fc.option(fc.constantFrom('webgpu', 'wasm', 'cpu', 'cuda', 'auto'), { nil: undefined }),
});

test('random configurations never make a rule or stage fail, and findings stay inside the text', async () => {
	const seen = new Set<string>();
	await fc.assert(
		fc.asyncProperty(arbWorkload, async (r) => {
			const w: Workload = {
				framework: r.framework,
				model: { value: r.model, source: 'file', span: at(MODEL) },
				settings: {},
				span: { offset: 0, length: TEXT.length - 1 },
				syntax: 'cli',
				flags: [],
				unknowns: [],
			};
			const s = w.settings;
			if (r.weights) s.weightFormat = file(r.weights, '--a');
			if (r.kv) s.kvCacheDtype = file(r.kv, '--b');
			if (r.tp) s.tensorParallelSize = file(r.tp, '--c');
			if (r.context !== undefined) s.contextLength = file(r.context, '--d');
			if (r.seqs) s.maxConcurrency = file(r.seqs, '--e');
			if (r.ngl !== undefined) s.gpuLayers = file(r.ngl, '1');
			if (r.util !== undefined) s.gpuMemoryUtilization = file(r.util, '2');
			if (r.device) s.device = file(r.device, '3');
			// Extraction is replaced by the generated workload; everything after it is real.
			const a = await runPipeline(
				{ path: '/w/x.sh', text: TEXT },
				{ hardwareId: r.hardware },
				api,
				async () => ({
					workloads: [w],
					findings: [],
				}),
			);
			for (const f of a.findings) {
				seen.add(f.code);
				assert.notEqual(f.code, 'internal-error', `${f.message} for ${JSON.stringify(r)}`);
				assert.ok(f.span.offset >= 0 && f.span.offset + f.span.length <= TEXT.length, f.code);
				assert.doesNotMatch(f.message, /NaN|Infinity|undefined/, `${f.code}: ${f.message}`);
				for (const fix of f.fixes ?? [])
					for (const e of fix.edits)
						assert.ok(e.span.offset >= 0 && e.span.offset + e.span.length <= TEXT.length);
			}
		}),
		{ numRuns: 150, seed: 42 },
	);
	// The generator reaches the rules, not just the early exits.
	assert.ok(seen.size >= 6, [...seen].join(', '));
});
