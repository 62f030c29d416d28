/**
 * `inference-meter mcp`: runs the MCP server over stdio until the client closes it. stdout carries only
 * JSON-RPC; anything for a person goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { rootPath } from '../agent/roots';
import { createMcpServer } from '../mcp/server';
import { formatHelp, parseArgs, type FlagSpec } from './args';
import { UsageError, type CliIO } from './io';

const FLAGS: Record<string, FlagSpec> = {
	root: {
		kind: 'string',
		help: 'a folder analyze_file may read when the client offers no MCP roots (repeatable; default: the working directory)',
	},
	catalog: { kind: 'string', help: 'user catalog JSON merged over the built-in one' },
	help: { kind: 'boolean', help: 'show this help' },
};

const USAGE = `usage: inference-meter mcp [--root DIR]… [--catalog FILE]

Serves the tools estimate, analyze_file, compare_hardware, recommend and explain, and the catalogs as
resources, over the Model Context Protocol on stdin/stdout. Read-only: no network, no writes; files are read
only inside the client's roots (or --root folders).`;

/** `--root` may repeat; the shared parser keeps one value per flag, so the roots are taken out first. */
function takeRoots(argv: string[]): { roots: string[]; rest: string[] } {
	const roots: string[] = [];
	const rest: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--root') {
			const v = argv[++i];
			if (v === undefined || v.startsWith('--')) throw new UsageError('--root needs a folder');
			roots.push(v);
		} else if (a.startsWith('--root=')) roots.push(a.slice('--root='.length));
		else rest.push(a);
	}
	return { roots, rest };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { roots: given, rest } = takeRoots(argv);
	const { flags, positionals } = parseArgs(rest, FLAGS);
	if (flags.help) {
		io.stdout(formatHelp(USAGE, FLAGS));
		return 0;
	}
	if (positionals.length) throw new UsageError(`mcp: unexpected argument "${positionals[0]}"`);
	const roots = (given.length ? given : [io.cwd]).map((r) => {
		const p = rootPath(r.startsWith('file:') ? r : `${r}`.replace(/^~(?=\/)/, io.env.HOME ?? '~'));
		if (!p) throw new UsageError(`--root: no such folder: ${r}`);
		return p;
	});
	const server = createMcpServer({
		version: io.env.INFERENCE_METER_VERSION ?? '0.1.0',
		cwd: io.cwd,
		fallbackRoots: roots,
		catalogFile: flags.catalog as string | undefined,
	});
	const transport = new StdioServerTransport();
	const closed = new Promise<void>((resolve) => {
		// The protocol layer owns transport.onclose; its own onclose hook fires when the client goes away.
		server.server.onclose = () => resolve();
		process.stdin.on('end', () => resolve());
	});
	await server.connect(transport);
	io.stderr(`inference-meter mcp: serving on stdio (roots fallback: ${roots.join(', ')})\n`);
	await closed;
	await server.close();
	return 0;
}
