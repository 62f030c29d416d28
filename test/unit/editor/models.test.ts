/**
 * Models the catalog does not know by id: resolved by family and size when the architecture is clear
 * (with the provenance saying so and the fields that differ overridden), otherwise one information
 * finding per model id per file — never a warning per workload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { resolveModel } from '../../../server/src/analysis/catalog';
import { bareName, resolveByFamily } from '../../../server/src/analysis/resolve/family';

const CASES: [string, string, Partial<{ maxContext: number; vocab: number; slidingWindow: null }>][] = [
	['Qwen/Qwen3-VL-30B-A3B-Instruct', 'Qwen/Qwen3-30B-A3B', {}],
	['Qwen/Qwen2-VL-7B-Instruct', 'Qwen/Qwen2.5-7B', { maxContext: 32768 }],
	['Qwen/Qwen2.5-Coder-7B-Instruct', 'Qwen/Qwen2.5-7B', { maxContext: 32768 }],
	['Qwen/Qwen2.5-Coder-32B-Instruct-AWQ', 'Qwen/Qwen2.5-32B', { maxContext: 32768 }],
	['mistralai/Mistral-7B-Instruct-v0.2', 'mistralai/Mistral-7B-v0.3', { vocab: 32000, maxContext: 32768 }],
	['TheBloke/Mistral-7B-Instruct-v0.2-GGUF', 'mistralai/Mistral-7B-v0.3', { vocab: 32000 }],
	['mistral-7b-instruct-v0.2.Q4_K_M.gguf', 'mistralai/Mistral-7B-v0.3', { vocab: 32000 }],
	[
		'microsoft/Phi-3.5-mini-instruct',
		'microsoft/Phi-3-mini-4k-instruct',
		{ maxContext: 131072, slidingWindow: null },
	],
];

for (const [id, base, fields] of CASES) {
	test(`${id} → ${base} by family and size`, () => {
		assert.equal(resolveModel(id).ok, false, 'not in the catalog by id (else this rule is moot)');
		const r = resolveByFamily(id, (q) => resolveModel(q));
		assert.ok(r, `${id} (${bareName(id)}) resolved`);
		assert.equal(r.matchedBy, 'family');
		assert.match(r.note ?? '', /resolved by family and size/);
		const catalogSpec = resolveModel(base);
		assert.ok(catalogSpec.ok);
		assert.equal(r.model.layers, catalogSpec.model.layers);
		assert.equal(r.model.kvHeads, catalogSpec.model.kvHeads);
		if (fields.maxContext) assert.equal(r.model.maxContext, fields.maxContext);
		if (fields.vocab) assert.equal(r.model.vocab, fields.vocab);
		if (fields.slidingWindow === null) assert.equal(r.model.slidingWindow, undefined);
		assert.ok(r.model.sources.some((s) => s.startsWith('family rule:')));
	});
}

test('no family guess for an id that only looks similar', () => {
	for (const id of [
		'acme/Mystery-9B',
		'Qwen/Qwen2.5-Coder-9B-Instruct',
		'mistralai/Mistral-7B-Instruct-v0.4',
	])
		assert.equal(
			resolveByFamily(id, (q) => resolveModel(q)),
			undefined,
			id,
		);
});

test('the provenance says what was assumed; the context rule uses the family override', async () => {
	const text = 'vllm serve Qwen/Qwen2.5-Coder-7B-Instruct --max-model-len 65536\n';
	const a = await analyzeDocument({ path: '/w/serve.sh', text }, {});
	const w = a.workloads[0]!;
	assert.equal(w.resolvedModel, 'Qwen/Qwen2.5-7B');
	assert.match(w.workload.model.note ?? '', /resolved by family and size: Qwen2\.5-Coder-7B/);
	assert.ok(w.estimate?.assumptions.some((s) => /^model: .*family and size/.test(s)));
	const f = a.findings.find((x) => x.code === 'context-exceeds-model');
	assert.ok(f, 'Coder-7B is a 32,768-token model');
	assert.match(f.message, /32,768 tokens/);
});

test('one information finding per unknown model id per file, not a warning per workload', async () => {
	const path = 'samples/compose/unknown-model-twice.yaml';
	const a = await analyzeDocument({ path: `/w/${path}`, text: readFileSync(path, 'utf8') }, {});
	assert.equal(a.workloads.length, 3);
	const unknown = a.findings.filter((f) => f.code === 'unknown-model');
	assert.equal(unknown.length, 1);
	assert.equal(unknown[0]!.severity, 'information');
	assert.equal(unknown[0]!.data?.query, 'acme-labs/support-bot-13b');
	assert.equal(a.workloads[2]!.resolvedModel, 'Qwen/Qwen2.5-7B');
	assert.ok(a.findings.every((f) => f.severity !== 'warning' && f.severity !== 'error'));
});
