// The editor says what the CLI says: every text file under samples/ is opened in the real language server
// (node dist/server.js --stdio) with an EMPTY configuration — settings the user never touched — and its
// diagnostics (code, severity, range, message) must equal `inference-meter analyze --format json` on the
// same file with no flags. A default that the editor treats as a user choice (target hardware, device
// count) shows up here as a different message or an extra finding.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from './harness';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = path.join(dir, name);
		return statSync(p).isDirectory() ? walk(p) : [p];
	});
}

/** Text files only: the editor never opens a .gguf as a document. */
const SAMPLES = walk('samples')
	.filter((f) => !f.endsWith('.gguf') && !readFileSync(f).includes(0))
	.sort();

function languageOf(file: string): string {
	const base = path.basename(file).toLowerCase();
	if (/^(docker|container)file/.test(base)) return 'dockerfile';
	const ext = path.extname(base).slice(1);
	const byExt: Record<string, string> = {
		sh: 'shellscript',
		yaml: 'yaml',
		yml: 'yaml',
		py: 'python',
		ts: 'typescript',
		js: 'javascript',
		cjs: 'javascript',
		mjs: 'javascript',
		service: 'systemd',
		env: 'dotenv',
	};
	return byExt[ext] ?? 'plaintext';
}

interface Row {
	code: string;
	severity: string;
	range: string;
	message: string;
}

const key = (r: Row): string => `${r.range} ${r.code} ${r.severity} ${r.message}`;
const rangeText = (r: Diagnostic['range']): string =>
	`${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

function cliRows(file: string): Row[] {
	let out: string;
	try {
		out = execFileSync(process.execPath, ['bin/inference-meter.js', 'analyze', '--format', 'json', file], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		});
	} catch (e) {
		// Exit code 1 means "error-level findings": the JSON is still on stdout.
		out = (e as { stdout?: string }).stdout ?? '';
	}
	const report = JSON.parse(out) as {
		files: {
			diagnostics: {
				code: string;
				severity: string;
				message: string;
				range: Diagnostic['range'];
			}[];
		}[];
	};
	return (report.files[0]?.diagnostics ?? [])
		.map((d) => ({ code: d.code, severity: d.severity, range: rangeText(d.range), message: d.message }))
		.sort((a, b) => key(a).localeCompare(key(b)));
}

describe('editor = CLI: every sample with an empty configuration', () => {
	let client: TestClient;
	before(async () => {
		client = await TestClient.start({ settings: {} });
	});
	after(async () => {
		await client?.close();
	});

	test('the sample set is not empty', () => {
		assert.ok(SAMPLES.length >= 30, `${SAMPLES.length} samples`);
	});

	for (const file of SAMPLES) {
		test(`${file}: the editor's diagnostics equal analyze --format json`, async () => {
			const uri = pathToFileURL(path.resolve(file)).href;
			client.open(uri, languageOf(file), readFileSync(file, 'utf8'));
			const diags = await client.diagnosticsFor(uri, 1, 20_000);
			client.closeDocument(uri);
			const editor = diags
				.map((d) => ({
					code: String(d.code),
					severity: SEVERITY[d.severity ?? 1],
					range: rangeText(d.range),
					message: typeof d.message === 'string' ? d.message : d.message.value,
				}))
				.sort((a, b) => key(a).localeCompare(key(b)));
			assert.deepEqual(editor.map(key), cliRows(file).map(key));
		});
	}

	test('no sample says "from settings" when nothing was set', async () => {
		const said = SAMPLES.filter((f) => cliRows(f).some((r) => r.message.includes('from settings')));
		assert.deepEqual(said, []);
	});
});

describe('settings the user set are choices; untouched ones are not', () => {
	const file = path.resolve('samples/vllm/serve-tp2.sh');
	const uri = pathToFileURL(file).href;
	const text = readFileSync(file, 'utf8');

	test('a valid --tensor-parallel-size 2 script: no invalid-parallelism with untouched settings', async () => {
		// What VS Code's workspace/configuration returns for settings never touched: the manifest defaults.
		const client = await TestClient.start({ settings: { hardware: 'auto', devices: 0 } });
		try {
			client.open(uri, 'shellscript', text);
			const diags = await client.diagnosticsFor(uri, 1, 20_000);
			assert.deepEqual(
				diags.filter((d) => d.severity === 1 || d.severity === 2).map((d) => d.message),
				[],
			);
			assert.ok(diags.every((d) => !String(d.message).includes('from settings')));
			assert.ok(diags.some((d) => String(d.message).includes('×2, default')));
		} finally {
			await client.close();
		}
	});

	test('devices set to 1 by the user: the TP 2 script needs 2 and says so, from settings', async () => {
		const client = await TestClient.start({ settings: { hardware: 'h100-sxm', devices: 1 } });
		try {
			client.open(uri, 'shellscript', text);
			const diags = await client.diagnosticsFor(uri, 1, 20_000);
			const d = diags.find((x) => x.code === 'invalid-parallelism');
			assert.ok(d, diags.map((x) => x.code).join(', '));
			assert.match(String(d.message), /needs 2 devices but the workload has 1 \(devices setting/);
		} finally {
			await client.close();
		}
	});
});
