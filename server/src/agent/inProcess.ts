/**
 * Runs a CLI command inside this process and captures what it prints. The agent tools (MCP server and the
 * editor's language-model tools) are faces over the same commands, so an agent gets exactly the numbers
 * and words `inference-meter estimate --json` / `analyze --format json` print for the same input: there is
 * no second code path that could drift.
 */
import { main } from '../cli/main';

export interface CommandOutput {
	/** The command's exit code (0 ok, 1 error-level findings for analyze, 2 usage error, 3 internal error). */
	code: number;
	stdout: string;
	stderr: string;
}

/** Thrown when a command exits 2 or 3: the message is the CLI's own one-line explanation. */
export class ToolInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ToolInputError';
	}
}

export async function runCommand(argv: string[], cwd: string): Promise<CommandOutput> {
	let stdout = '';
	let stderr = '';
	const code = await main(argv, {
		stdout: (t) => {
			stdout += t;
		},
		stderr: (t) => {
			stderr += t;
		},
		cwd,
		// Commands read no environment the agent could not also see; pass none so a tool call is reproducible.
		env: {},
	});
	return { code, stdout, stderr };
}

/** Runs a command that prints JSON and returns it parsed; exit 2/3 become a ToolInputError with the CLI's words. */
export async function runJson<T>(
	argv: string[],
	cwd: string,
): Promise<{ json: T; stderr: string; code: number }> {
	const out = await runCommand(argv, cwd);
	if (out.code >= 2)
		throw new ToolInputError(cliMessage(out.stderr) || `${argv[0]} failed (exit ${out.code})`);
	try {
		return { json: JSON.parse(out.stdout) as T, stderr: out.stderr, code: out.code };
	} catch {
		throw new ToolInputError(
			`${argv[0]} printed no JSON: ${cliMessage(out.stderr) || out.stdout.slice(0, 200)}`,
		);
	}
}

/** `inference-meter: --weights: unknown format "x"` → `--weights: unknown format "x"` (first line only). */
export function cliMessage(stderr: string): string {
	const line = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
	return line.replace(/^inference-meter:\s*/, '').trim();
}
