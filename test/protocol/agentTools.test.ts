// The language server's inferenceMeter/agentTool request (what the VS Code language-model tools call), over
// stdio against the built dist/server.js: the same estimate the CLI prints, validation errors in words, the
// user catalog of the settings honoured, and unknown tools refused. Build first: node scripts/build.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { AgentToolResult } from '../../server/src/shared/agentProtocol';
import { TestClient } from './harness';

const CLI = path.resolve('dist/cli.js');

describe('inferenceMeter/agentTool over stdio', () => {
	let client: TestClient;
	before(async () => {
		client = await TestClient.start({ settings: {}, workspaceFolder: path.resolve('samples') });
	});
	after(async () => {
		await client?.close();
	});

	test('estimate: the JSON equals `estimate --json` for the same input', async () => {
		const r = await client.request<AgentToolResult>('inferenceMeter/agentTool', {
			tool: 'estimate',
			input: { model: 'Qwen/Qwen3-8B', hardware: 'l4', weights: 'fp8', context: 8192 },
		});
		assert.ok('json' in r, JSON.stringify(r));
		const cli = spawnSync(
			process.execPath,
			[
				CLI,
				'estimate',
				'--model',
				'Qwen/Qwen3-8B',
				'--hardware',
				'l4',
				'--weights',
				'fp8',
				'--context',
				'8192',
				'--json',
			],
			{ encoding: 'utf8' },
		);
		assert.deepEqual(r.json, JSON.parse(cli.stdout));
		assert.match(r.text, /tok\/s per user/);
	});

	test('compare_hardware ranks the sram class', async () => {
		const r = await client.request<AgentToolResult>(
			'inferenceMeter/agentTool',
			{
				tool: 'compare_hardware',
				input: { model: 'meta-llama/Llama-3.1-8B-Instruct', spectrum: 'sram', limit: 3 },
			},
			60_000,
		);
		assert.ok('json' in r, JSON.stringify(r));
		const rows = (r.json as { rows: { spectrum: string }[] }).rows;
		assert.ok(rows.length > 0 && rows.length <= 3);
		assert.ok(rows.every((x) => x.spectrum === 'sram'));
	});

	test('bad input and unknown tools are answered with an error, and the server keeps serving', async () => {
		const bad = await client.request<AgentToolResult>('inferenceMeter/agentTool', {
			tool: 'estimate',
			input: { model: 'meta-llama/Llama-3.1-8B-Instruct', hardware: 'h100-sxm', batch: -3 },
		});
		assert.ok('error' in bad);
		assert.match(bad.error, /invalid input: batch/);
		const unknown = await client.request<AgentToolResult>('inferenceMeter/agentTool', {
			tool: 'rm_rf',
			input: {},
		});
		assert.ok('error' in unknown);
		assert.match(unknown.error, /unknown agent tool/);
		const model = await client.request<AgentToolResult>('inferenceMeter/agentTool', {
			tool: 'estimate',
			input: { model: 'not-a-model-at-all', hardware: 'h100-sxm' },
		});
		assert.ok('error' in model);
		assert.match(model.error, /Unknown model/);
		const explain = await client.request<AgentToolResult>('inferenceMeter/agentTool', {
			tool: 'explain',
			input: { code: 'partial-offload' },
		});
		assert.ok('json' in explain);
		assert.equal((explain.json as { defaultSeverity: string }).defaultSeverity, 'warning');
	});
});
