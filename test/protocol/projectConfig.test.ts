// The built language server over stdio with a project config (.inference-meter.yaml) in the workspace:
// the config beats the user setting, the editor reports what the CLI reports for the same file, a change
// on disk (didChangeWatchedFiles) re-analyzes open documents, a broken config gets diagnostics on the
// config file, and the suppression quick fix inserts a comment. Build first: node scripts/build.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import type { AnalyzeReport, FileReport } from '../../server/src/analysis/reportTypes';
import { applyEdits, editsOf, TestClient, textAt } from './harness';

const SERVE = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --max-num-seqs 256\n';

describe('project config in the language server', () => {
	let client: TestClient;
	let dir = '';
	const file = (p: string) => path.join(dir, p);
	const uri = (p: string) => pathToFileURL(file(p)).href;
	const publications = (u: string) => client.diagnostics.get(u)?.length ?? 0;
	const nextDiagnostics = async (u: string, after: number): Promise<Diagnostic[]> =>
		client.waitFor(`a new publication for ${u}`, () =>
			publications(u) > after ? client.diagnostics.get(u)!.at(-1)!.diagnostics : undefined,
		);
	const writeConfig = (text: string) => {
		writeFileSync(file('.inference-meter.yaml'), text);
		void client.connection.sendNotification('workspace/didChangeWatchedFiles', {
			changes: [{ uri: uri('.inference-meter.yaml'), type: 2 }],
		});
	};
	const estimate = (u: string) =>
		client.request<FileReport>('inferenceMeter/estimate', { textDocument: { uri: u } });

	before(async () => {
		dir = mkdtempSync(path.join(os.tmpdir(), 'im-lsp-config-'));
		mkdirSync(file('.git'));
		writeFileSync(file('.inference-meter.yaml'), 'hardware: h200\nseverity:\n  decode-compute-idle: off\n');
		writeFileSync(file('serve.sh'), SERVE);
		// The user's own setting says L4; the project's file says H200 and wins.
		client = await TestClient.start({ settings: { hardware: 'l4' }, workspaceFolder: dir });
	});
	after(async () => {
		await client?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	test('the config sets the target and severities, and the editor says what the CLI says', async () => {
		client.open(uri('serve.sh'), 'shellscript', SERVE);
		const diags = await client.diagnosticsFor(uri('serve.sh'), 1);
		const report = await estimate(uri('serve.sh'));
		const t = report.workloads[0]!.target!;
		assert.deepEqual([t.hardwareId, t.source, t.note], ['h200', 'config', 'from .inference-meter.yaml']);
		assert.ok(!diags.some((d) => d.code === 'decode-compute-idle'), 'severity off in the config');
		const cli = spawnSync(
			process.execPath,
			[path.resolve('dist/cli.js'), 'analyze', 'serve.sh', '--format', 'json'],
			{
				cwd: dir,
				encoding: 'utf8',
			},
		);
		const cliFile = (JSON.parse(cli.stdout) as AnalyzeReport).files[0]!;
		assert.deepEqual(
			diags.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.message]),
			cliFile.diagnostics.map((d) => [
				d.code,
				{ error: 1, warning: 2, information: 3, hint: 4 }[d.severity],
				d.range.start.line,
				d.range.start.character,
				d.message,
			]),
		);
		assert.deepEqual(cliFile.workloads[0]!.target, t);
	});

	test('an override by glob applies to the files it names only', async () => {
		const before = publications(uri('serve.sh'));
		writeConfig('hardware: h200\noverrides:\n  - files: ["edge/**"]\n    hardware: rtx-4090\n');
		await nextDiagnostics(uri('serve.sh'), before);
		mkdirSync(file('edge'), { recursive: true });
		const edge = 'llama-server -m llama-3.1-8b-instruct-q4_k_m.gguf -c 8192 -ngl 99\n';
		writeFileSync(file('edge/run.sh'), edge);
		client.open(uri('edge/run.sh'), 'shellscript', edge);
		await client.diagnosticsFor(uri('edge/run.sh'), 1);
		const t = (await estimate(uri('edge/run.sh'))).workloads[0]!.target!;
		assert.equal(t.hardwareId, 'rtx-4090');
		assert.match(t.note, /^from \.inference-meter\.yaml overrides\[0\] \(files: edge\/\*\*\)/);
		assert.equal((await estimate(uri('serve.sh'))).workloads[0]!.target!.hardwareId, 'h200');
		client.closeDocument(uri('edge/run.sh'));
	});

	test('a change on disk re-analyzes the open document', async () => {
		const before = publications(uri('serve.sh'));
		writeConfig('hardware: l40s\n');
		const diags = await nextDiagnostics(uri('serve.sh'), before);
		assert.ok(
			diags.some((d) => d.code === 'decode-compute-idle'),
			'severity no longer off',
		);
		assert.equal((await estimate(uri('serve.sh'))).workloads[0]!.target!.hardwareId, 'l40s');
	});

	test('a broken config gets invalid-project-config on the config file, at the key', async () => {
		const configUri = uri('.inference-meter.yaml');
		const before = publications(configUri);
		const text = 'hardware: l40s\ndevcies: 2\n';
		writeConfig(text);
		const diags = await nextDiagnostics(configUri, before);
		assert.equal(diags.length, 1);
		assert.equal(diags[0]!.code, 'invalid-project-config');
		assert.equal(diags[0]!.severity, 1);
		assert.equal(textAt(text, diags[0]!.range), 'devcies');
		assert.match(String(diags[0]!.message), /did you mean devices\?/);
		// Open in the editor, the config document is analyzed itself, unsaved edits included.
		client.open(configUri, 'yaml', 'hardware: h100-sxmm\n');
		const open = await client.diagnosticsFor(configUri, 1);
		assert.equal(open[0]?.code, 'invalid-project-config');
		assert.equal(textAt('hardware: h100-sxmm\n', open[0]!.range), 'h100-sxmm');
		client.closeDocument(configUri);
	});

	test('the suppression quick fix inserts a comment that silences the finding', async () => {
		const u = uri('serve.sh');
		const before = publications(u);
		const configBefore = publications(uri('.inference-meter.yaml'));
		writeConfig('hardware: h200\n');
		// The fixed config's diagnostics are cleared.
		assert.deepEqual(await nextDiagnostics(uri('.inference-meter.yaml'), configBefore), []);
		const diags = await nextDiagnostics(u, before);
		const d = diags.find((x) => x.code === 'kv-cache-limits-concurrency');
		assert.ok(d, diags.map((x) => x.code).join(', '));
		const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
			textDocument: { uri: u },
			range: d.range,
			context: { diagnostics: [d] },
		});
		const suppress = actions.find((a) => a.title.startsWith('Suppress kv-cache-limits-concurrency'));
		assert.ok(suppress, actions.map((a) => a.title).join(' | '));
		const edited = applyEdits(SERVE, editsOf(suppress.edit!, u).edits);
		assert.equal(edited, `# inference-meter-disable-next-line kv-cache-limits-concurrency\n${SERVE}`);
		client.change(u, 2, edited);
		const after = await client.diagnosticsFor(u, 2);
		assert.ok(!after.some((x) => x.code === 'kv-cache-limits-concurrency'));
		assert.ok(!after.some((x) => x.code === 'unused-suppression'));
	});
});
