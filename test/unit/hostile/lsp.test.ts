/**
 * The built language server (node dist/server.js --stdio, through test/protocol/harness.ts) under hostile
 * documents: every document gets its diagnostics, one document's failure never stops the others, the
 * time budget setting ends a long analysis with `analysis-time-budget`, hovers keep file values inert
 * (rendered here with markdown-it with HTML *enabled*, the most trusting renderer), and GGUF headers are
 * read only inside the workspace (`..` and symlinks out are refused). Build first: node scripts/build.mjs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from '../../protocol/harness';
import { hostileCases } from './corpus';

// markdown-it (a devDependency): VS Code renders hovers with it too.
const MarkdownIt = createRequire(__filename)('markdown-it') as new (o: { html: boolean }) => {
	render(md: string): string;
};

/** Diagnostic text (LSP 3.18 allows MarkupContent; this server sends plain strings). */
const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

const uriOf = (dir: string, name: string): string => pathToFileURL(path.join(dir, name)).href;

describe('language server under hostile documents (stdio)', () => {
	let client: TestClient;
	let ws = '';
	before(async () => {
		const root = mkdtempSync(path.join(tmpdir(), 'im-lsp-hostile-'));
		ws = path.join(root, 'ws');
		mkdirSync(ws);
		mkdirSync(path.join(root, 'outside'));
		const gguf = path.resolve('samples/gguf/tiny-moe-Q8_0.gguf');
		copyFileSync(gguf, path.join(root, 'outside', 'secret.gguf'));
		copyFileSync(gguf, path.join(ws, 'inside.gguf'));
		symlinkSync(path.join(root, 'outside', 'secret.gguf'), path.join(ws, 'link.gguf'));
		client = await TestClient.start({ workspaceFolder: ws });
	});
	after(async () => {
		await client?.close();
		rmSync(path.dirname(ws), { recursive: true, force: true });
	});

	test('every hostile document gets diagnostics, and a healthy one opened after them still works', async () => {
		// The slowest cases (seconds of analysis each) are covered in process by hostile.test.ts.
		const slow = /many|unknown flags|huge ExecStart|JS brackets/;
		const cases = hostileCases().filter((c) => !slow.test(c.name));
		cases.forEach((c, i) => client.open(uriOf(ws, `h${i}-${c.path}`), 'plaintext', c.text));
		const healthy = uriOf(ws, 'healthy.sh');
		client.open(healthy, 'shellscript', 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 4096\n');
		for (const [i, c] of cases.entries()) await client.diagnosticsFor(uriOf(ws, `h${i}-${c.path}`), 1, 9000);
		const diags = await client.diagnosticsFor(healthy, 1, 9000);
		assert.ok(
			diags.some((d) => d.code === 'decode-compute-idle'),
			diags.map((d) => d.code).join(', '),
		);
		// 2,000,000-character lines exceed the editor's default 2 MB (maxFileSizeMb) limit.
		const long = cases.findIndex((c) => c.name.startsWith('a 2 MB line (shell)'));
		const longDiags = await client.diagnosticsFor(uriOf(ws, `h${long}-${cases[long]!.path}`), 1);
		assert.equal(longDiags[0]?.code, 'file-too-large');
		const bomb = cases.findIndex((c) => c.name === 'YAML alias bomb');
		const bombDiags = await client.diagnosticsFor(uriOf(ws, `h${bomb}-${cases[bomb]!.path}`), 1);
		assert.ok(bombDiags.some((d) => /alias expansion limit reached/.test(msg(d))));
		// And the server still answers requests.
		const hover = await client.request<Hover>('textDocument/hover', {
			textDocument: { uri: healthy },
			position: { line: 0, character: 15 },
		});
		assert.match((hover.contents as MarkupContent).value, /Weights/);
	});

	test('the analysisTimeoutMs setting is the time budget: a huge document stops with analysis-time-budget', async () => {
		client.setSettings({ analysisTimeoutMs: 100 });
		const uri = uriOf(ws, 'many.sh');
		client.open(uri, 'shellscript', 'vllm serve meta-llama/Llama-3.1-8B-Instruct\n'.repeat(3000));
		const diags = await client.diagnosticsFor(uri, 1, 9000);
		const d = diags.find((x) => x.code === 'analysis-time-budget');
		assert.ok(
			d,
			diags
				.map((x) => x.code)
				.slice(0, 5)
				.join(', '),
		);
		assert.match(msg(d), /over its 100 ms budget: \d+ of 3000 workload\(s\) analyzed/);
		client.setSettings({});
	});

	test('hover shows a model named <img src=x onerror=alert(1)> as text, even to an HTML-enabled renderer', async () => {
		const evil = 'x`<img src=x onerror=alert(1)>`[run](command:workbench.action.terminal.new)';
		const uri = uriOf(ws, 'evil.sh');
		const text = `vllm serve '${evil}' --max-model-len 4096\n`;
		client.open(uri, 'shellscript', text);
		await client.diagnosticsFor(uri, 1);
		const hover = await client.request<Hover>('textDocument/hover', {
			textDocument: { uri },
			position: { line: 0, character: 13 },
		});
		const md = (hover.contents as MarkupContent).value;
		assert.ok(md.includes(evil), 'the name appears literally in the markdown source');
		const html = new MarkdownIt({ html: true }).render(md);
		assert.ok(!/<img/i.test(html), `no img element: ${html}`);
		assert.ok(!/<a /i.test(html), `no link: ${html}`);
		assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'shown as text');
		// The diagnostic says the name as written, as plain text (LSP diagnostics are never markdown).
		const diags = await client.diagnosticsFor(uri, 1);
		assert.ok(diags.some((d) => msg(d).includes('<img src=x onerror=alert(1)>')));
	});

	test('GGUF headers are read inside the workspace only: `..` and a symlink out are refused', async () => {
		const uri = uriOf(ws, 'serve-gguf.sh');
		const text = [
			'llama-server -m ./inside.gguf -c 2048',
			'llama-server -m ../outside/secret.gguf -c 2048',
			'llama-server -m ./link.gguf -c 2048',
			`llama-server -m ${path.join(path.dirname(ws), 'outside', 'secret.gguf')} -c 2048`,
		].join('\n');
		client.open(uri, 'shellscript', text + '\n');
		const diags = await client.diagnosticsFor(uri, 1);
		const unknownOnLine = (line: number) =>
			diags.find((d) => d.code === 'unknown-model' && d.range.start.line === line);
		// Inside: the header names the model, so it resolves (no unknown-model on line 0).
		assert.equal(unknownOnLine(0), undefined);
		for (const line of [1, 2, 3]) {
			const d = unknownOnLine(line);
			assert.ok(d, `line ${line}: the file outside the workspace was read`);
			assert.match(msg(d), /GGUF header not used: .* not found/);
		}
	});
});
