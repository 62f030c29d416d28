// The built language server with the new file kinds: a Jupyter notebook cell as VS Code sends it (scheme
// vscode-notebook-cell, language python, the .ipynb's path) gets Python diagnostics on the cell's own
// text; a Windows .bat and a notebook opened as JSON text get the same diagnostics as the CLI.
// Build first: node scripts/build.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { TestClient, textAt } from './harness';

describe('language server: notebook cells, .bat, .ipynb', () => {
	let client: TestClient;
	before(async () => {
		client = await TestClient.start({
			settings: { hardware: 'l4' },
			workspaceFolder: path.resolve('samples'),
		});
	});
	after(async () => {
		await client?.close();
	});

	test('a notebook code cell (vscode-notebook-cell URI, python) gets diagnostics on the cell text', async () => {
		const nb = path.resolve('samples/notebooks/vllm-offline.ipynb');
		const uri = `vscode-notebook-cell:${pathToFileURL(nb).pathname}#W3sZmlsZQ%3D%3D`;
		// Llama 3.1 8B bf16 at 131,072 tokens on an L4: not one sequence fits (kv-cache-does-not-fit).
		const text =
			'from vllm import LLM\nllm = LLM(model="meta-llama/Llama-3.1-8B-Instruct", max_model_len=131072)\n';
		client.open(uri, 'python', text);
		const diags = await client.diagnosticsFor(uri, 1);
		const d = diags.find((x) => x.code === 'kv-cache-does-not-fit');
		assert.ok(d, `codes: ${diags.map((x) => x.code).join(', ')}`);
		assert.equal(textAt(text, d.range), '131072');
	});

	for (const [rel, languageId] of [
		['windows/start-llama-server.bat', 'bat'],
		['notebooks/vllm-offline.ipynb', 'json'],
	] as const)
		test(`${rel} (${languageId}): the same findings as the CLI's analysis`, async () => {
			const file = path.resolve('samples', rel);
			const text = readFileSync(file, 'utf8');
			const uri = pathToFileURL(file).href;
			client.open(uri, languageId, text);
			const diags = await client.diagnosticsFor(uri, 1);
			const cli = await analyzeDocument({ path: file, text }, { hardwareId: 'l4' });
			assert.deepEqual(diags.map((x) => x.code).sort(), cli.findings.map((f) => f.code).sort());
			assert.ok(diags.length > 0);
		});
});
