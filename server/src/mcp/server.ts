/**
 * The MCP server (`inference-meter mcp`): the agent tools and the catalogs over the Model Context Protocol,
 * with the official TypeScript SDK. Read-only by construction: the tools run the CLI's estimate/analyze
 * commands in-process, read files only inside the client's roots, write nothing and open no connection.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { CODES } from '../analysis/rules/codes';
import { ToolInputError, runCommand } from '../agent/inProcess';
import { rootPath } from '../agent/roots';
import {
	analyzeFileInputShape,
	analyzeFileOutput,
	compareInputShape,
	compareOutput,
	estimateInputShape,
	estimateOutput,
	explainInputShape,
	explainOutput,
	recommendOutput,
} from '../agent/schemas';
import {
	analyzeFileTool,
	compareHardwareTool,
	estimateTool,
	explainTool,
	recommendTool,
	type ToolContext,
	type ToolResult,
} from '../agent/tools';

export interface McpOptions {
	version: string;
	cwd: string;
	/** Roots used when the client does not offer `roots` (from --root, else the working directory). */
	fallbackRoots: string[];
	catalogFile?: string;
}

/** A tool's answer, or its failure as an MCP tool error (isError) with the reason — never a thrown crash. */
async function answer<T>(run: () => Promise<ToolResult<T>>): Promise<CallToolResult> {
	try {
		const r = await run();
		return {
			content: [{ type: 'text', text: r.text }],
			structuredContent: r.json as unknown as Record<string, unknown>,
		};
	} catch (e) {
		const text =
			e instanceof ToolInputError
				? e.message
				: `internal error: ${e instanceof Error ? e.message : String(e)} (please report it)`;
		return { isError: true, content: [{ type: 'text', text }] };
	}
}

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

export function createMcpServer(opts: McpOptions): McpServer {
	const server = new McpServer(
		{ name: 'inference-meter', version: opts.version },
		{
			instructions:
				'Inference Meter computes what an LLM serving setup costs in memory, bandwidth, speed and money. ' +
				'Call estimate before choosing hardware, tensor parallelism or a weight format; analyze_file on a ' +
				'serving config (vLLM, llama.cpp, Ollama, SGLang, transformers) to see what will fail at start-up.',
		},
	);

	// Roots: asked of the client once, again after it says they changed; the fallback when it has none.
	let clientRoots: string[] | undefined;
	server.server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
		clientRoots = undefined;
	});
	const ctx: ToolContext = {
		cwd: opts.cwd,
		catalogFile: opts.catalogFile,
		roots: async () => {
			if (!server.server.getClientCapabilities()?.roots) return opts.fallbackRoots;
			if (!clientRoots) {
				const listed = await server.server.listRoots();
				clientRoots = listed.roots.map((r) => rootPath(r.uri)).filter((p): p is string => p !== undefined);
			}
			return clientRoots;
		},
	};

	server.registerTool(
		'estimate',
		{
			title: 'Estimate memory, speed and cost',
			description:
				'Memory per device (weights, KV cache, fit), decode tok/s per user (expected and roofline), prefill/TTFT, ' +
				'$ per million tokens, J/token and the coupling-spectrum class for one model on one hardware (catalog id ' +
				'or ad-hoc bandwidthGBs/tflops/memoryGB). Same numbers as `inference-meter estimate --json`.',
			inputSchema: estimateInputShape,
			outputSchema: estimateOutput,
			annotations: READ_ONLY,
		},
		(args) => answer(() => estimateTool(args, ctx)),
	);

	server.registerTool(
		'analyze_file',
		{
			title: 'Analyze a serving config file',
			description:
				'Finds the LLM workloads in one file inside the workspace roots (shell, Dockerfile, compose, Kubernetes, ' +
				'Helm values, Python, JS/TS, Modelfile …) and returns them with their estimates and the findings, ranged ' +
				'in the file, each with fixes as text edits. Same as `inference-meter analyze FILE --format json`.',
			inputSchema: analyzeFileInputShape,
			outputSchema: analyzeFileOutput,
			annotations: READ_ONLY,
		},
		(args) => answer(() => analyzeFileTool(args, ctx)),
	);

	server.registerTool(
		'compare_hardware',
		{
			title: 'Compare the hardware catalog for a workload',
			description:
				'Estimates the same workload on every catalog device (or one spectrum class) and ranks them: fits first, ' +
				'then decode tok/s per user, then $ per million tokens; with J/token and memory per device.',
			inputSchema: compareInputShape,
			outputSchema: compareOutput,
			annotations: READ_ONLY,
		},
		(args) => answer(() => compareHardwareTool(args, ctx)),
	);

	server.registerTool(
		'recommend',
		{
			title: 'Recommend a spectrum class and device',
			description:
				'Where on the memory–compute coupling spectrum (cpu → gpu → dataflow → in-memory-compute → sram → hardwired) ' +
				'the workload belongs against its latency target, with the reasons and the best devices of that class.',
			inputSchema: estimateInputShape,
			outputSchema: recommendOutput,
			annotations: READ_ONLY,
		},
		(args) => answer(() => recommendTool(args, ctx)),
	);

	server.registerTool(
		'explain',
		{
			title: 'Explain a diagnostic code',
			description:
				'What a finding code (e.g. kv-cache-does-not-fit) means, its default severity, and how it is computed.',
			inputSchema: explainInputShape,
			outputSchema: explainOutput,
			annotations: READ_ONLY,
		},
		(args) => answer(() => explainTool(args)),
	);

	const jsonResource = (name: string, uri: string, description: string, text: () => Promise<string>) =>
		server.registerResource(
			name,
			uri,
			{ title: name, description, mimeType: 'application/json' },
			async (u) => ({
				contents: [{ uri: u.href, mimeType: 'application/json', text: await text() }],
			}),
		);
	const cliJson = async (argv: string[]) => {
		const out = await runCommand(
			[...argv, ...(opts.catalogFile ? [`--catalog=${opts.catalogFile}`] : [])],
			opts.cwd,
		);
		if (out.code !== 0) throw new Error(out.stderr.trim() || `${argv[0]} failed`);
		return out.stdout;
	};
	jsonResource(
		'hardware catalog',
		'inference-meter://catalog/hardware',
		'Every device with memory, bandwidth, dense peak FLOPS per dtype, spectrum class and sources.',
		() => cliJson(['hardware', '--json']),
	);
	jsonResource(
		'model catalog',
		'inference-meter://catalog/models',
		'Every model with its config facts (params, layers, heads, KV layout, context) and sources.',
		() => cliJson(['models', '--json']),
	);
	jsonResource(
		'diagnostic codes',
		'inference-meter://diagnostics',
		'Every finding code with its default severity and summary.',
		async () => JSON.stringify({ codes: CODES }, null, 2),
	);
	return server;
}
