// The built language server (node dist/server.js --stdio) with the real analysis, over JSON-RPC on stdio:
// diagnostics, hover, code lens, quick fixes, settings, and the custom requests. Build first:
// node scripts/build.mjs. Expected numbers are worked out by hand in the comments.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Hover, MarkupContent, Range } from 'vscode-languageserver-protocol';
import type { FileReport } from '../../server/src/analysis/reportTypes';
import type { CatalogSummary, DecodeBandwidthResult } from '../../server/src/shared/protocol';
import { applyEdits, editsOf, TestClient, textAt } from './harness';

const FIXTURES = path.resolve('test/fixtures/lsp');
const fixture = (name: string) => {
	const file = path.join(FIXTURES, name);
	return { uri: pathToFileURL(file).href, text: readFileSync(file, 'utf8') };
};

// Llama 3.1 8B in bf16: weights 8,030,261,248 params × 2 B = 16.06 GB; KV per token
// 2 (K,V) × 32 layers × 8 KV heads × 128 dims × 2 B = 131,072 B, so 131,072 tokens need 17.18 GB.
// On an L4 (24 GB × 0.9 = 21.6 GB budget) only ~5 GB is left beside the weights: not one sequence fits.
// On an H100 SXM (80 GB × 0.9 = 72 GB) about 50 GB is left: it fits.
describe('language server over stdio (real analysis)', () => {
	let client: TestClient;
	before(async () => {
		client = await TestClient.start({ settings: { hardware: 'l4' }, workspaceFolder: FIXTURES });
	});
	after(async () => {
		await client?.close();
	});

	test('kv-cache-does-not-fit on the --max-model-len value, with a link and data', async () => {
		const { uri, text } = fixture('serve-8b.sh');
		client.open(uri, 'shellscript', text);
		const diags = await client.diagnosticsFor(uri, 1);
		const d = diags.find((x) => x.code === 'kv-cache-does-not-fit');
		assert.ok(d, `codes: ${diags.map((x) => x.code).join(', ')}`);
		assert.equal(d.source, 'inference-meter');
		assert.equal(d.severity, 1);
		// Line 3 is `  --max-model-len 131072 \`: the value starts after 2 + 15 + 1 = 18 characters.
		assert.deepEqual(d.range, { start: { line: 3, character: 18 }, end: { line: 3, character: 24 } });
		assert.equal(textAt(text, d.range), '131072');
		assert.match(d.codeDescription!.href, /diagnostics\.md#kv-cache-does-not-fit$/);
		const facts = (d.data as { facts: Record<string, number> }).facts;
		assert.equal(facts.kvBytesPerToken, 131072);
	});

	test('hover on the model id explains weights and KV with formulas, GB and GiB, and provenance', async () => {
		const { uri } = fixture('serve-8b.sh');
		// Line 2 is `vllm serve meta-llama/…`; character 15 is inside the model id.
		const hover = await client.request<Hover>('textDocument/hover', {
			textDocument: { uri },
			position: { line: 2, character: 15 },
		});
		const md = (hover.contents as MarkupContent).value;
		assert.equal((hover.contents as MarkupContent).kind, 'markdown');
		assert.match(md, /Weights\*\*: 16\.1 GB \(15 GiB\)/); // 16.06e9 B; 16.06e9 / 2^30 = 14.96 GiB
		assert.match(md, /KV cache per token\*\*: 131 kB \(128 KiB\)/); // 131,072 B = 128 × 1024
		assert.match(md, /2 × 32 layers × 8 KV heads × 128 head dim × 2 B/);
		assert.match(md, /catalog `meta-llama\/Llama-3\.1-8B`/);
		assert.match(md, /`--max-model-len` = `131072`: written in this file/);
		assert.match(md, /hardware `l4` × 1: your setting/);
		assert.deepEqual(hover.range!.start, { line: 2, character: 11 });
	});

	test('hover on the context value lists what it drives, not the weights', async () => {
		const { uri } = fixture('serve-8b.sh');
		const hover = await client.request<Hover>('textDocument/hover', {
			textDocument: { uri },
			position: { line: 3, character: 20 },
		});
		const md = (hover.contents as MarkupContent).value;
		// What the value reserves: 131,072 B × 131,072 tokens = 17.18e9 B for one sequence, which the L4's
		// budget left after the weights cannot hold.
		assert.match(
			md,
			/\*\*KV for one sequence at the configured context\*\*: 17\.2 GB \(16 GiB\) of .* does not fit/,
		);
		assert.doesNotMatch(md, /\*\*Weights\*\*/);
		// vLLM's start-up plan, line by line in its own log wording, as the CLI and the panel print it.
		assert.match(md, /total_gpu_memory \(22\.00GiB\) x gpu_memory_utilization \(0\.90\) = 19\.80GiB/);
		assert.match(md, /GPU KV cache size: [\d,]+ tokens/);
		assert.match(md, /Maximum concurrency for 131,072 tokens per request: 0\.\d\dx/);
		assert.match(md, /To serve at least one request with the model's max seq len \(131072\)/);
	});

	test('a code lens over the workload sums up the decode step and opens the panel', async () => {
		const { uri } = fixture('serve-8b.sh');
		const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
		assert.equal(lenses.length, 1);
		const [lens] = lenses;
		assert.equal(lens.range.start.line, 2);
		assert.match(
			lens.command!.title,
			/^≈ [\d.,]+ tok\/s per user \(roofline [\d.,]+\) · [\d.]+ GB per step · (memory|compute)-bound · /,
		);
		assert.equal(lens.command!.command, 'inferenceMeter.showHardwareComparison');
		assert.deepEqual(lens.command!.arguments, [uri, 0]);
	});

	test('inferenceMeter/estimate returns the file report with the estimate', async () => {
		const { uri } = fixture('serve-8b.sh');
		const report = await client.request<FileReport>('inferenceMeter/estimate', { textDocument: { uri } });
		assert.equal(report.workloads.length, 1);
		const w = report.workloads[0];
		assert.equal(w.framework, 'vllm');
		assert.equal(w.resolvedModel, 'meta-llama/Llama-3.1-8B');
		assert.equal(w.settings.contextLength, 131072);
		assert.equal(w.estimate?.memory.kvBytesPerToken, 131072);
		assert.equal(w.estimate?.hardwareId, 'l4');
		assert.ok(report.diagnostics.some((d) => d.code === 'kv-cache-does-not-fit'));
		assert.equal(
			await client.request('inferenceMeter/estimate', { textDocument: { uri: 'file:///not/open.sh' } }),
			null,
		);
	});

	test('the preferred quick fix lowers the context; re-analysis drops the diagnostic', async () => {
		const { uri, text } = fixture('serve-8b.sh');
		const diags = (await client.diagnosticsFor(uri, 1)).filter((d) => d.code === 'kv-cache-does-not-fit');
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
			textDocument: { uri },
			range: diags[0].range,
			context: { diagnostics: diags, only: ['quickfix'] },
		});
		const preferred = actions.find((a) => a.isPreferred);
		assert.ok(preferred, actions.map((a) => a.title).join(' | '));
		assert.equal(preferred.kind, 'quickfix');
		assert.match(preferred.title, /\(.+\)$/, 'the title carries the effect in numbers');
		const fixed = applyEdits(text, editsOf(preferred.edit!, uri).edits);
		const m = /--max-model-len (\d+)/.exec(fixed);
		assert.ok(m && Number(m[1]) < 131072 && Number(m[1]) > 0, fixed);
		client.change(uri, 2, fixed);
		const after = await client.diagnosticsFor(uri, 2);
		assert.ok(!after.some((d) => d.code === 'kv-cache-does-not-fit'), after.map((d) => d.message).join('\n'));
		client.change(uri, 3, text);
		await client.diagnosticsFor(uri, 3);
	});

	test('a bigger target GPU in the settings makes kv-cache-does-not-fit disappear without reopening', async () => {
		const { uri } = fixture('serve-8b.sh');
		assert.ok((await client.diagnosticsFor(uri, 3)).some((d) => d.code === 'kv-cache-does-not-fit'));
		const before = client.diagnostics.get(uri)!.length;
		client.setSettings({ hardware: 'h100-sxm' });
		const next = await client.waitFor('re-published diagnostics', () =>
			client.diagnostics.get(uri)!.length > before ? client.diagnostics.get(uri)!.at(-1)! : undefined,
		);
		assert.equal(next.version, 3);
		assert.ok(!next.diagnostics.some((d) => d.code === 'kv-cache-does-not-fit'));
		client.setSettings({ hardware: 'l4' });
	});

	test('inferenceMeter/whatIfEdits inserts settings the file does not write and replaces those it does', async () => {
		// A copy under another name, so the other tests' document keeps its versions.
		const { uri, text } = fixture('serve-8b.sh');
		const u = uri.replace('serve-8b.sh', 'whatif.sh');
		client.open(u, 'shellscript', text);
		await client.diagnosticsFor(u, 1);
		type Edit = { range: Range; newText: string };
		const edits = await client.request<Edit[] | null>('inferenceMeter/whatIfEdits', {
			textDocument: { uri: u },
			workload: 0,
			change: { batch: 8, context: 16384, kvDtype: 'fp8' },
		});
		assert.ok(edits, 'every change can be placed in a vllm command line');
		const changed = applyEdits(text, edits);
		assert.match(changed, /--max-model-len 16384 \\/, 'the written value is replaced in place');
		client.change(u, 2, changed);
		await client.diagnosticsFor(u, 2);
		const report = await client.request<FileReport>('inferenceMeter/estimate', { textDocument: { uri: u } });
		const s = report.workloads[0].settings;
		assert.deepEqual([s.maxConcurrency, s.contextLength, s.kvCacheDtype], [8, 16384, 'fp8'], changed);
		// A weight format cannot be chosen on a vLLM command line: the server declines, the panel explains.
		const none = await client.request('inferenceMeter/whatIfEdits', {
			textDocument: { uri: u },
			workload: 0,
			change: { weightFormat: 'awq' },
		});
		assert.equal(none, null);
		client.closeDocument(u);
	});

	test('an unknown model is reported on the model id, naming how to teach it', async () => {
		const { uri, text } = fixture('unknown-model.sh');
		client.open(uri, 'shellscript', text);
		const d = (await client.diagnosticsFor(uri, 1)).find((x) => x.code === 'unknown-model');
		assert.ok(d);
		assert.equal(textAt(text, d.range), 'acme/NotARealModel-7B');
	});

	test('a script with no engine keyword gets no diagnostics and no lens', async () => {
		const { uri, text } = fixture('plain.sh');
		client.open(uri, 'shellscript', text);
		assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
		assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
	});

	test('inferenceMeter/catalog and decodeBandwidth for a picked model', async () => {
		const catalog = await client.request<CatalogSummary>('inferenceMeter/catalog', {});
		assert.ok(catalog.hardware.some((h) => h.id === 'h100-sxm' && h.bandwidthGBs === 3350));
		const r = await client.request<DecodeBandwidthResult>('inferenceMeter/decodeBandwidth', {
			modelId: 'meta-llama/Llama-3.1-8B',
			tokensPerSecondPerUser: 20,
		});
		assert.equal(r.basis, 'model');
		assert.equal(r.batch, 1);
		assert.equal(r.kvBytesPerToken, 131072);
		// One user at 4,096 tokens reads the weights except the input embedding table (only one of its rows is
		// gathered per token: 128,256 × 4,096 × 2 B = 1.05 GB), so 16.06 − 1.05 = 15.01 GB, plus
		// 4,096 × 131,072 B = 0.54 GB of KV: ≈ 15.55 GB per step; 20 tok/s needs ≈ 311 GB/s.
		assert.ok(r.bytesPerStep > 15.4e9 && r.bytesPerStep < 15.7e9, String(r.bytesPerStep));
		assert.equal(r.requiredBandwidthGBs, (r.bytesPerStep * 20) / 1e9);
		const h100 = r.devices.find((d) => d.id === 'h100-sxm')!;
		// 3,350 GB/s ÷ 15.55 GB ≈ 215 tok/s at the roofline.
		assert.ok(h100.rooflineTokensPerSecond > 205 && h100.rooflineTokensPerSecond < 225);
		for (let i = 1; i < r.devices.length; i++)
			assert.ok(r.devices[i - 1].rooflineTokensPerSecond >= r.devices[i].rooflineTokensPerSecond);
	});

	test('decodeBandwidth for an unknown model answers with the closest ids, not an exception', async () => {
		const r = await client.request<{ error: string }>('inferenceMeter/decodeBandwidth', {
			modelId: 'meta-llama/Llama-9-8B',
		});
		assert.match(r.error, /Llama-9-8B/);
		assert.match(r.error, /meta-llama\/Llama/);
	});

	test('decodeBandwidth for the workload under the cursor uses its context', async () => {
		const { uri } = fixture('serve-8b.sh');
		const r = await client.request<DecodeBandwidthResult>('inferenceMeter/decodeBandwidth', {
			textDocument: { uri },
			position: { line: 3, character: 5 },
		});
		assert.equal(r.basis, 'workload');
		assert.equal(r.modelId, 'meta-llama/Llama-3.1-8B');
		assert.equal(r.tokensPerSecondPerUser, 20, 'the latencyTarget default');
	});
});

describe('user catalog from the settings', () => {
	let client: TestClient;
	before(async () => {
		client = await TestClient.start({
			settings: { hardware: 'lab-gpu-48', userCatalog: 'user-catalog.json' },
			workspaceFolder: FIXTURES,
		});
	});
	after(async () => {
		await client?.close();
	});

	test('a device from the workspace catalog is the target: lens and catalog say so', async () => {
		const { uri, text } = fixture('serve-8b.sh');
		client.open(uri, 'shellscript', text);
		const diags = await client.diagnosticsFor(uri, 1);
		// 48 GB × 0.9 = 43.2 GB budget; 16.1 GB of weights leave ≈ 25 GB, enough for 17.2 GB of KV.
		assert.ok(!diags.some((d) => d.code === 'kv-cache-does-not-fit'));
		const [lens] = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
		// 1,000 GB/s ÷ 15.3 GB per step ≈ 65 tok/s at the roofline.
		assert.match(lens.command!.title, /\(roofline 6[45](\.\d)?\) .* · Lab GPU 48$/);
		const catalog = await client.request<CatalogSummary>('inferenceMeter/catalog', {});
		assert.equal(catalog.hardware.find((h) => h.id === 'lab-gpu-48')?.origin, 'user');
		assert.deepEqual(catalog.errors, []);
	});

	test('a relative path that leaves the workspace is not read', async () => {
		client.setSettings({ hardware: 'h100-sxm', userCatalog: '../../../package.json' });
		const catalog = await client.request<CatalogSummary>('inferenceMeter/catalog', {});
		assert.ok(!catalog.hardware.some((h) => h.id === 'lab-gpu-48'));
		assert.match(catalog.errors.join('\n'), /not found inside the workspace/);
	});
});
