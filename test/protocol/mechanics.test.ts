// The server's own behaviour over real JSON-RPC on stdio — debouncing, caching by version, failure
// handling, settings refresh, quick-fix plumbing — with a stand-in analysis (test/protocol/fakeServer.ts)
// so these tests do not move when the rules' numbers change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeAction, CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import { applyEdits, editsOf, TestClient, textAt } from './harness';

const FAKE = ['--import', 'tsx', 'test/protocol/fakeServer.ts', '--stdio'];
const uri = (name: string): string => `file:///tmp/inference-meter-protocol/${name}`;

describe('language server mechanics (stand-in analysis)', () => {
	let client: TestClient;
	before(async () => {
		client = await TestClient.start({ argv: FAKE, settings: { hardware: 'h100-sxm' } });
	});
	after(async () => {
		await client?.close();
	});

	const analyzedCount = (u: string): number =>
		client.logs.filter((l) => l.startsWith(`analyzed ${u} `)).length;

	test('a finding becomes a diagnostic on the value, with code, link and fix data', async () => {
		const u = uri('serve.sh');
		const text = 'vllm serve m --max-model-len 150000\n';
		client.open(u, 'shellscript', text);
		const [d] = await client.diagnosticsFor(u, 1);
		assert.equal(d.source, 'inference-meter');
		assert.equal(d.code, 'kv-cache-does-not-fit');
		assert.equal(d.severity, 1); // Error
		assert.match(d.codeDescription!.href, /docs\/diagnostics\.md#kv-cache-does-not-fit$/);
		// 'vllm serve m --max-model-len ' is 29 characters; the value is the 6 after it.
		assert.deepEqual(d.range, { start: { line: 0, character: 29 }, end: { line: 0, character: 35 } });
		assert.equal(textAt(text, d.range), '150000');
		const data = d.data as { version: number; facts: { limit: number }; fixes: unknown[] };
		assert.equal(data.version, 1);
		assert.deepEqual(data.facts, { limit: 100000 });
		assert.equal(data.fixes.length, 1);
	});

	test('typing is debounced: only the last of a burst of versions is analyzed and published', async () => {
		const u = uri('burst.sh');
		client.open(u, 'shellscript', 'vllm serve m --max-model-len 1\n');
		await client.diagnosticsFor(u, 1);
		for (let v = 2; v <= 6; v++) client.change(u, v, `vllm serve m --max-model-len ${v}00000\n`);
		const diags = await client.diagnosticsFor(u, 6);
		assert.equal(diags.length, 1, '600000 > 100000');
		const published = client.diagnostics.get(u)!.map((p) => p.version);
		assert.deepEqual(published, [1, 6]);
		assert.equal(analyzedCount(u), 2, 'v1 on open, v6 after the pause; v2..v5 never analyzed');
	});

	test('requests on an analyzed version reuse the cached analysis', async () => {
		const u = uri('cache.sh');
		client.open(u, 'shellscript', 'vllm serve m --max-model-len 150000\n');
		await client.diagnosticsFor(u, 1);
		const before = analyzedCount(u);
		await client.request('textDocument/hover', {
			textDocument: { uri: u },
			position: { line: 0, character: 30 },
		});
		await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: u } });
		await client.request('inferenceMeter/estimate', { textDocument: { uri: u } });
		assert.equal(analyzedCount(u), before);
	});

	test('the quick fix edits the value, names its effect, and the diagnostic goes away', async () => {
		const u = uri('fix.sh');
		let text = 'vllm serve m \\\n  --max-model-len 150000\n';
		client.open(u, 'shellscript', text);
		const diags = await client.diagnosticsFor(u, 1);
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
			textDocument: { uri: u },
			range: diags[0].range,
			context: { diagnostics: diags },
		});
		// The rule's fix, then the inline suppression every finding offers.
		assert.equal(actions.length, 2);
		assert.match(actions[1].title, /^Suppress \S+ here \(inference-meter-disable-next-line\)$/);
		assert.equal(actions[0].title, 'Set --max-model-len 100000 (fits 100000 tokens)');
		assert.equal(actions[0].kind, 'quickfix');
		assert.equal(actions[0].isPreferred, true);
		const { edits, version } = editsOf(actions[0].edit!, u);
		assert.equal(version, 1, 'the edit is tied to the version it was computed for');
		text = applyEdits(text, edits);
		assert.equal(text, 'vllm serve m \\\n  --max-model-len 100000\n');
		client.change(u, 2, text);
		assert.deepEqual(await client.diagnosticsFor(u, 2), []);
	});

	test('fixes computed for an older version are not offered', async () => {
		const u = uri('stale.sh');
		client.open(u, 'shellscript', 'vllm serve m --max-model-len 150000\n');
		const diags = await client.diagnosticsFor(u, 1);
		client.change(u, 2, '# edited\nvllm serve m --max-model-len 150000\n');
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
			textDocument: { uri: u },
			range: diags[0].range,
			context: { diagnostics: diags },
		});
		assert.deepEqual(actions, []);
		await client.diagnosticsFor(u, 2);
	});

	test('a settings change re-publishes open documents without reopening them', async () => {
		const u = uri('settings.sh');
		client.open(u, 'shellscript', 'vllm serve m --max-model-len 150000\n');
		assert.equal((await client.diagnosticsFor(u, 1)).length, 1);
		const count = client.diagnostics.get(u)!.length;
		const refreshes = client.lensRefreshes;
		client.setSettings({ hardware: 'h200' });
		// Lenses show numbers for the target: the server asks the editor to re-request them.
		await client.waitFor('code lens refresh', () => (client.lensRefreshes > refreshes ? true : undefined));
		await client.waitFor('re-publication', () =>
			client.diagnostics.get(u)!.length > count ? true : undefined,
		);
		assert.deepEqual(
			client.diagnostics.get(u)!.at(-1)!.diagnostics,
			[],
			'150000 fits the h200 limit of 200000',
		);
		client.setSettings({ hardware: 'h100-sxm', severities: { 'kv-cache-does-not-fit': 'hint' } });
		await client.waitFor('hint severity', () => {
			const d: Diagnostic | undefined = client.diagnostics.get(u)!.at(-1)!.diagnostics[0];
			return d?.severity === 4 ? true : undefined;
		});
		client.setSettings({ hardware: 'h100-sxm' });
	});

	test('a whole-analysis failure is logged and publishes an empty result; the server keeps serving', async () => {
		const u = uri('throw.sh');
		client.open(u, 'shellscript', 'max-model-len 999999 THROW\n');
		assert.deepEqual(await client.diagnosticsFor(u, 1), []);
		assert.ok(client.logs.some((l) => l.includes('failed') && l.includes('rule engine exploded')));
		await client.waitFor('error status', () =>
			client.status.some((s) => (s as { state: string }).state === 'error') ? true : undefined,
		);
		const ok = uri('after-throw.sh');
		client.open(ok, 'shellscript', 'vllm serve m --max-model-len 150000\n');
		assert.equal((await client.diagnosticsFor(ok, 1)).length, 1);
	});

	test('an analysis that runs past analysisTimeoutMs gives an empty result', async () => {
		client.setSettings({ hardware: 'h100-sxm', analysisTimeoutMs: 300 });
		const u = uri('slow.sh');
		const started = Date.now();
		client.open(u, 'shellscript', 'max-model-len 999999 SLOW\n');
		assert.deepEqual(await client.diagnosticsFor(u, 1, 5000), []);
		assert.ok(Date.now() - started >= 250, 'waited for the limit');
		// The hard limit is the setting or a small multiple of it (the analysis also keeps its own budget).
		assert.ok(client.logs.some((l) => /slow\.sh v1 failed: .*longer than \d+ ms/.test(l)));
		client.setSettings({ hardware: 'h100-sxm' });
	});

	test('an analysis that finishes after the time limit replaces the empty result for its version', async () => {
		client.setSettings({ hardware: 'h100-sxm', analysisTimeoutMs: 300 });
		const u = uri('late.sh');
		client.open(u, 'shellscript', 'LATE vllm serve m --max-model-len 150000\n');
		await client.waitFor('the late publication', () => {
			const list = client.diagnostics.get(u) ?? [];
			// First the empty result at the limit, then the real one for the same version.
			return list.length >= 2 && list[0].diagnostics.length === 0 && list.at(-1)!.diagnostics.length === 1
				? true
				: undefined;
		});
		assert.ok(client.diagnostics.get(u)!.every((p) => p.version === 1));
		client.setSettings({ hardware: 'h100-sxm' });
	});

	test('documents without an engine keyword are not analyzed', async () => {
		const u = uri('notes.sh');
		client.open(u, 'shellscript', 'echo hello\n');
		assert.deepEqual(await client.diagnosticsFor(u, 1), []);
		assert.equal(analyzedCount(u), 0);
	});

	test('closing a document clears its diagnostics', async () => {
		const u = uri('close.sh');
		client.open(u, 'shellscript', 'vllm serve m --max-model-len 150000\n');
		await client.diagnosticsFor(u, 1);
		client.closeDocument(u);
		await client.waitFor('cleared', () => {
			const last = client.diagnostics.get(u)!.at(-1)!;
			return last.version === undefined && last.diagnostics.length === 0 ? true : undefined;
		});
	});
});
