/** What a CLI command may touch: injected so tests can run commands in-process. */
export interface CliIO {
	stdout(text: string): void;
	stderr(text: string): void;
	cwd: string;
	env: Record<string, string | undefined>;
}

/** A usage error: the CLI prints `inference-meter: <message>` and exits 2. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;
