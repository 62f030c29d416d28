// `inference-meter mcp` (the built dist/cli.js → dist/mcp.js) driven by the MCP SDK's own client over stdio:
// tools listed with schemas, every tool called and its structured result validated against the tool's
// declared output schema, numbers equal to the CLI's for the same input, roots enforced, bad input answered
// as tool errors while the server keeps serving. Build first: node scripts/build.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { ListRootsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';

const CLI = path.resolve('dist/cli.js');
const SAMPLES = path.resolve('samples');

function cliJson(args: string[], cwd = process.cwd()): unknown {
	const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
	assert.ok(r.status === 0 || r.status === 1, `cli ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

function textOf(r: CallToolResult): string {
	return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

describe('MCP server over stdio (SDK client)', () => {
	let client: Client;
	let tools: Tool[];
	let roots = [{ uri: pathToFileURL(SAMPLES).href, name: 'samples' }];
	const validator = new AjvJsonSchemaValidator();
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'im-mcp-'));

	/** Calls a tool and checks its structured result against the output schema the server declared. */
	async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
		const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
		if (!r.isError) {
			const schema = tools.find((t) => t.name === name)?.outputSchema;
			assert.ok(schema, `${name} declares an output schema`);
			const check = validator.getValidator(schema)(r.structuredContent);
			assert.ok(check.valid, `${name} result matches its schema: ${check.errorMessage}`);
		}
		return r;
	}

	before(async () => {
		client = new Client(
			{ name: 'inference-meter-test', version: '1.0.0' },
			{ capabilities: { roots: { listChanged: true } } },
		);
		client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
		await client.connect(
			new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], stderr: 'pipe' }),
		);
		tools = (await client.listTools()).tools;
	});
	after(async () => {
		await client?.close();
		rmSync(tmp, { recursive: true, force: true });
	});

	test('lists the five tools, each with typed input and output schemas, and the catalog resources', async () => {
		assert.deepEqual(tools.map((t) => t.name).sort(), [
			'analyze_file',
			'compare_hardware',
			'estimate',
			'explain',
			'recommend',
		]);
		for (const t of tools) {
			assert.equal(t.inputSchema.type, 'object');
			assert.ok(Object.keys(t.inputSchema.properties ?? {}).length > 0, `${t.name} has input properties`);
			assert.equal(t.outputSchema?.type, 'object');
			assert.equal(t.annotations?.readOnlyHint, true);
		}
		const estimate = tools.find((t) => t.name === 'estimate');
		assert.deepEqual(estimate?.inputSchema.required, ['model']);
		const resources = (await client.listResources()).resources.map((r) => r.uri).sort();
		assert.deepEqual(resources, [
			'inference-meter://catalog/hardware',
			'inference-meter://catalog/models',
			'inference-meter://diagnostics',
		]);
		const hw = await client.readResource({ uri: 'inference-meter://catalog/hardware' });
		const body = JSON.parse((hw.contents[0] as { text: string }).text) as { hardware: { id: string }[] };
		assert.ok(body.hardware.some((h) => h.id === 'h100-sxm'));
	});

	test('estimate returns exactly what `estimate --json` prints for the same input', async () => {
		const r = await call('estimate', {
			model: 'meta-llama/Llama-3.1-8B-Instruct',
			hardware: 'h100-sxm',
			batch: 8,
			context: 4096,
		});
		assert.ok(!r.isError, textOf(r));
		const cli = cliJson([
			'estimate',
			'--model',
			'meta-llama/Llama-3.1-8B-Instruct',
			'--hardware',
			'h100-sxm',
			'--batch',
			'8',
			'--context',
			'4096',
			'--json',
		]);
		assert.deepEqual(r.structuredContent, cli);
		assert.match(textOf(r), /tok\/s/);
	});

	test('estimate takes an ad-hoc device', async () => {
		const r = await call('estimate', {
			model: 'Qwen/Qwen3-8B',
			bandwidthGBs: 500,
			tflops: 100,
			memoryGB: 32,
		});
		assert.ok(!r.isError, textOf(r));
		const s = r.structuredContent as { hardware: { bandwidthGBs: number; memoryGB: number } };
		assert.equal(s.hardware.bandwidthGBs, 500);
		assert.equal(s.hardware.memoryGB, 32);
	});

	test('analyze_file: workloads and findings with ranges and fixes, as `analyze --format json` gives them', async () => {
		const r = await call('analyze_file', { path: 'vllm/serve-llama-8b.sh' });
		assert.ok(!r.isError, textOf(r));
		const cli = cliJson(['analyze', 'vllm/serve-llama-8b.sh', '--format', 'json'], SAMPLES) as {
			files: unknown[];
		};
		assert.deepEqual(r.structuredContent, cli.files[0]);
		const report = r.structuredContent as { diagnostics: { code: string; fixes?: { edits: unknown[] }[] }[] };
		const withFix = report.diagnostics.find((d) => d.fixes && d.fixes.length > 0);
		assert.ok(withFix, 'at least one finding carries a fix');
		assert.ok(withFix.fixes![0].edits.length > 0);
	});

	test('compare_hardware ranks devices that fit first, then by expected tok/s per user', async () => {
		const r = await call('compare_hardware', {
			model: 'meta-llama/Llama-3.1-70B-Instruct',
			weights: 'awq',
			spectrum: 'gpu',
			limit: 8,
		});
		assert.ok(!r.isError, textOf(r));
		const s = r.structuredContent as {
			rows: { id: string; fits: boolean; spectrum: string; expectedTokensPerSecondPerUser: number | null }[];
		};
		assert.equal(s.rows.length, 8);
		assert.ok(s.rows.every((x) => x.spectrum === 'gpu'));
		for (let i = 1; i < s.rows.length; i++) {
			const [a, b] = [s.rows[i - 1], s.rows[i]];
			assert.ok(a.fits || !b.fits, 'fitting devices come first');
			if (a.fits === b.fits)
				assert.ok((a.expectedTokensPerSecondPerUser ?? -1) >= (b.expectedTokensPerSecondPerUser ?? -1));
		}
		const top = s.rows[0];
		const cli = cliJson([
			'estimate',
			'--model',
			'meta-llama/Llama-3.1-70B-Instruct',
			'--weights',
			'awq',
			'--hardware',
			top.id,
			'--json',
		]) as {
			decode: { expectedTokensPerSecondPerUser: number };
		};
		assert.equal(top.expectedTokensPerSecondPerUser, cli.decode.expectedTokensPerSecondPerUser);
	});

	test('recommend names a spectrum class with reasons and candidates that meet the target, cheapest first', async () => {
		const r = await call('recommend', {
			model: 'meta-llama/Llama-3.1-8B-Instruct',
			hardware: 'h100-sxm',
			targetTokensPerSecondPerUser: 30,
		});
		assert.ok(!r.isError, textOf(r));
		const s = r.structuredContent as {
			recommendedClass: string;
			reasons: string[];
			candidates: {
				fits: boolean;
				expectedTokensPerSecondPerUser: number;
				usdPerMillionTokens: number | null;
			}[];
		};
		assert.ok(
			['cpu', 'gpu', 'dataflow', 'in-memory-compute', 'sram', 'hardwired'].includes(s.recommendedClass),
		);
		assert.ok(s.reasons.length > 0);
		for (const c of s.candidates) assert.ok(c.fits && c.expectedTokensPerSecondPerUser >= 30);
		for (let i = 1; i < s.candidates.length; i++)
			assert.ok(
				(s.candidates[i - 1].usdPerMillionTokens ?? Infinity) <=
					(s.candidates[i].usdPerMillionTokens ?? Infinity),
			);
	});

	test('explain gives the reference section of a code; an unknown code is a tool error with suggestions', async () => {
		const r = await call('explain', { code: 'kv-cache-does-not-fit' });
		assert.ok(!r.isError, textOf(r));
		const s = r.structuredContent as { defaultSeverity: string; reference: string };
		assert.equal(s.defaultSeverity, 'error');
		assert.match(s.reference, /^## kv-cache-does-not-fit/);
		const bad = await call('explain', { code: 'kv-cache-doesnt-fit' });
		assert.equal(bad.isError, true);
		assert.match(textOf(bad), /closest: kv-cache-does-not-fit/);
	});

	test('bad input is a tool error, never a crash', async () => {
		const cases: [string, Record<string, unknown>, RegExp][] = [
			['estimate', { model: 'no-such-model-xyz', hardware: 'h100-sxm' }, /unknown model/i],
			['estimate', { model: 'meta-llama/Llama-3.1-8B-Instruct', hardware: 'no-such-gpu' }, /hardware/i],
			['estimate', { model: 'meta-llama/Llama-3.1-8B-Instruct' }, /give hardware/],
			['estimate', { model: 'meta-llama/Llama-3.1-8B-Instruct', hardware: 'h100-sxm', batch: NaN }, /batch/],
			['estimate', { model: 'meta-llama/Llama-3.1-8B-Instruct', hardware: 'h100-sxm', batch: 1e30 }, /batch/],
			[
				'estimate',
				{ model: 'meta-llama/Llama-3.1-8B-Instruct', hardware: 'h100-sxm', gpuMemoryUtilization: 7 },
				/gpuMemoryUtilization/,
			],
			[
				'estimate',
				{ model: 'meta-llama/Llama-3.1-8B-Instruct', hardware: 'h100-sxm', weights: '--json' },
				/weights/,
			],
			['estimate', { model: 'x'.repeat(5000), hardware: 'h100-sxm' }, /model/],
			['analyze_file', { path: '/etc/passwd' }, /outside the roots/],
			['analyze_file', { path: '../package.json' }, /outside the roots/],
			['analyze_file', { path: 'no/such/file.sh' }, /no such file/],
			['analyze_file', { path: 'vllm' }, /not a regular file/],
			['compare_hardware', { model: 'no-such-model-xyz' }, /unknown model/i],
		];
		for (const [name, args, why] of cases) {
			const r = await call(name, args);
			assert.equal(r.isError, true, `${name} ${JSON.stringify(args).slice(0, 80)} → ${textOf(r)}`);
			assert.match(textOf(r), why);
		}
		assert.equal((await client.listTools()).tools.length, 5, 'the server still answers');
	});

	test('a symbolic link inside a root that points outside it is refused', async () => {
		const outside = path.join(tmp, 'outside.sh');
		writeFileSync(outside, 'vllm serve meta-llama/Llama-3.1-8B-Instruct\n');
		const inRoot = mkdtempSync(path.join(tmp, 'root-'));
		symlinkSync(outside, path.join(inRoot, 'link.sh'));
		roots = [{ uri: pathToFileURL(inRoot).href, name: 'tmp' }];
		await client.sendRootsListChanged();
		// The server re-asks for the roots on its next call; give the notification a moment to arrive.
		await new Promise((r) => setTimeout(r, 100));
		const r = await call('analyze_file', { path: 'link.sh' });
		assert.equal(r.isError, true);
		assert.match(textOf(r), /outside the roots/);
		writeFileSync(
			path.join(inRoot, 'serve.sh'),
			'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n',
		);
		const ok = await call('analyze_file', { path: 'serve.sh' });
		assert.ok(!ok.isError, textOf(ok));
		assert.equal((ok.structuredContent as { workloads: unknown[] }).workloads.length, 1);
		roots = [{ uri: pathToFileURL(SAMPLES).href, name: 'samples' }];
		await client.sendRootsListChanged();
	});
});

describe('MCP server without client roots', () => {
	test('falls back to --root folders', async () => {
		const client = new Client({ name: 'no-roots', version: '1.0.0' });
		await client.connect(
			new StdioClientTransport({
				command: process.execPath,
				args: [CLI, 'mcp', '--root', SAMPLES],
				stderr: 'pipe',
			}),
		);
		try {
			const r = (await client.callTool({
				name: 'analyze_file',
				arguments: { path: 'ollama/Modelfile' },
			})) as CallToolResult;
			assert.ok(!r.isError, textOf(r));
			const out = (await client.callTool({
				name: 'analyze_file',
				arguments: { path: CLI },
			})) as CallToolResult;
			assert.equal(out.isError, true);
		} finally {
			await client.close();
		}
	});

	test('`mcp --root` naming a missing folder is a usage error (exit 2)', () => {
		const r = spawnSync(process.execPath, [CLI, 'mcp', '--root', '/no/such/dir'], {
			encoding: 'utf8',
			input: '',
		});
		assert.equal(r.status, 2);
		assert.match(r.stderr, /--root: no such folder/);
	});
});
