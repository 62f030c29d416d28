import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import { findHoverTarget, hoverMarkdown, type CatalogView } from '../../../server/src/lsp/hover';
import { lensTitle } from '../../../server/src/lsp/codeLens';

const cat = getCatalog();
const catalog: CatalogView = {
	model: (id) => cat.models.find((m) => m.id === id),
	hardware: (id) => cat.hardware.find((h) => h.id === id),
};

test('hover on --max-num-seqs and the lens give per-user latency at that concurrency, as the diagnostic does', async () => {
	const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 512\n';
	const a = await analyzeDocument({ path: '/t/serve.sh', text }, {});
	const w = a.workloads[0];
	assert.ok(w.serving, 'analysis attaches the serving estimate at the configured concurrency');
	assert.equal(w.serving.concurrency, 512);
	const t = findHoverTarget(a, text.indexOf('512'));
	assert.equal(t?.name, 'maxConcurrency');
	const md = hoverMarkdown(t!, catalog);
	assert.match(md, /Serving with all 512 slots busy/);
	assert.match(md, /default lengths/);
	const perUser = w.serving.outputTokensPerSecondPerUser;
	assert.ok(md.includes(`≈ ${Math.round(perUser)}`) || md.includes(perUser.toFixed(1)), md);
	const lens = lensTitle(w, catalog);
	assert.match(lens, /512 busy: ≈ [\d.]+ tok\/s per user, TTFT/);
	// The diagnostic states the same per-user figure.
	const f = a.findings.find((x) => x.code === 'concurrency-misses-latency-target');
	assert.equal(f?.data?.outputTokensPerSecondPerUser, perUser);
});

test('no serving block when the concurrency is an engine default', async () => {
	const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n';
	const a = await analyzeDocument({ path: '/t/serve.sh', text }, {});
	assert.equal(a.workloads[0].serving, undefined);
	assert.doesNotMatch(lensTitle(a.workloads[0], catalog), /busy/);
});
