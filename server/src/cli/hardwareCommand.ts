// Placeholder until this command lands; it says so and exits 2 rather than pretending to work.
import type { CliIO } from './io';

export async function run(_argv: string[], io: CliIO): Promise<number> {
	io.stderr('inference-meter: the "hardware" command is not built yet\n');
	return 2;
}
