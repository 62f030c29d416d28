/**
 * `inference-meter` entry point: dispatches to one module per subcommand. Exit codes: 0 ok,
 * 1 findings at error level (analyze) or a failed check, 2 usage error / unknown model or hardware.
 */
import type { CliIO, CommandRun } from './io';
import { UsageError } from './io';

const commands: Record<string, { summary: string; load: () => Promise<{ run: CommandRun }> }> = {
	estimate: {
		summary: 'decode/prefill/memory/cost for one model on one device',
		load: () => import('./estimateCommand'),
	},
	analyze: {
		summary: 'find LLM workloads in files and directories and report findings',
		load: () => import('./analyzeCommand'),
	},
	hardware: { summary: 'list the hardware catalog', load: () => import('./hardwareCommand') },
	models: { summary: 'list the model catalog', load: () => import('./modelsCommand') },
	meter: {
		summary: 'compare measured throughput (llama-bench, vLLM bench, /metrics) with the roofline',
		load: () => import('./meterCommand'),
	},
	'probe-bandwidth': {
		summary: "measure this machine's memory bandwidth",
		load: () => import('./probeCommand'),
	},
	mcp: {
		summary: 'serve the estimate/analyze/compare tools to coding agents (Model Context Protocol, stdio)',
		// Its own bundle (dist/mcp.js, with the MCP SDK and zod), so the other commands do not parse it.
		load: async () => loadApart<{ run: CommandRun }>('mcp.js'),
	},
	accuracy: {
		summary: 'expected vs measured decode tok/s over the calibration data',
		load: () => import('./accuracyCommand'),
	},
};

/**
 * Requires a bundle that lives beside dist/cli.js. The computed path keeps esbuild from inlining it; run
 * from the TypeScript sources (tests through tsx) the bundle is not there and the command says so.
 */
function loadApart<T>(file: string): T {
	const bundled = [__dirname, file].join('/');
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		return require(bundled) as T;
	} catch (e) {
		throw new Error(
			`${file} could not be loaded (run \`npm run build\`): ${e instanceof Error ? e.message : String(e)}`,
			{ cause: e },
		);
	}
}

function usage(): string {
	const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`);
	return `usage: inference-meter <command> [options]\n\n${rows.join('\n')}\n\nRun \`inference-meter <command> --help\` for a command's options.\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
	const [name, ...rest] = argv;
	if (!name || name === '--help' || name === '-h' || name === 'help') {
		io.stdout(usage());
		return name ? 0 : 2;
	}
	if (name === '--version') {
		io.stdout(`${process.env.INFERENCE_METER_VERSION ?? '0.1.0'}\n`);
		return 0;
	}
	const command = commands[name];
	if (!command) {
		io.stderr(`inference-meter: unknown command "${name}"\n${usage()}`);
		return 2;
	}
	try {
		const mod = await command.load();
		return await mod.run(rest, io);
	} catch (e) {
		// By name too: a command in its own bundle (mcp.js) throws its own copy of the class.
		if (e instanceof UsageError || (e instanceof Error && e.name === 'UsageError')) {
			io.stderr(`inference-meter: ${e.message}\n`);
			return 2;
		}
		io.stderr(
			`inference-meter: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
		);
		return 3;
	}
}

/** Runs the CLI on this process's argv and sets the exit code (used by bin/ and `node dist/cli.js`). */
export function runCli(): void {
	// `inference-meter … | head` closes stdout early: that is the reader's choice, not an error.
	process.stdout.on('error', (e: NodeJS.ErrnoException) => {
		if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
		throw e;
	});
	const io: CliIO = {
		stdout: (t) => process.stdout.write(t),
		stderr: (t) => process.stderr.write(t),
		cwd: process.cwd(),
		env: process.env,
	};
	main(process.argv.slice(2), io).then(
		(code) => {
			process.exitCode = code;
		},
		(e: unknown) => {
			process.stderr.write(`inference-meter: ${String(e)}\n`);
			process.exitCode = 3;
		},
	);
}

if (require.main === module) runCli();
