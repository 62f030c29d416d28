/**
 * `inference-meter models [--search TEXT] [--json] [--catalog FILE]`: the model catalog with the
 * dimensions that decide decode cost.
 */
import type { ModelSpec } from '../analysis/catalog/types';
import { formatHelp, parseArgs } from './args';
import type { FlagSpec } from './args';
import { num, renderTable } from './catalogTable';
import { catalogFromFlag } from './userCatalog';
import type { CliIO } from './io';
import { UsageError } from './io';

const FLAGS: Record<string, FlagSpec> = {
	search: { kind: 'string', help: 'only models whose id, alias or architecture contains TEXT (any case)' },
	json: { kind: 'boolean', help: 'print the entries as JSON (all fields, with sources)' },
	catalog: { kind: 'string', help: 'user catalog JSON file merged over the built-in one' },
	help: { kind: 'boolean', help: 'show this help', alias: 'h' },
};

const USAGE = 'usage: inference-meter models [--search TEXT] [--json] [--catalog FILE]';

const LEGEND =
	'Params in billions (1e9), derived from the config dimensions; active = read per token (MoE: routed top-k + shared + dense parts, ' +
	'embedding and lm_head included). kind: dense, MoE (mixture of experts), MLA (latent KV cache). window = sliding/chunked ' +
	'attention window x layers using it.';

export function modelKind(m: ModelSpec): string {
	const parts = [m.moe ? 'MoE' : 'dense'];
	if (m.mla) parts.push('MLA');
	return parts.join('+');
}

function billions(n: number): string {
	return num(n / 1e9, 4);
}

function row(m: ModelSpec): string[] {
	return [
		m.id,
		m.paramsActive === m.paramsTotal
			? billions(m.paramsTotal)
			: `${billions(m.paramsTotal)} / ${billions(m.paramsActive)}`,
		String(m.layers),
		`${m.heads}/${m.kvHeads}`,
		String(m.headDim),
		num(m.maxContext, 8),
		modelKind(m),
		m.slidingWindow ? `${m.slidingWindow.window} x${m.slidingWindow.layers}` : '-',
	];
}

function matches(m: ModelSpec, text: string): boolean {
	const t = text.toLowerCase();
	return [m.id, m.architecture, ...(m.aliases ?? [])].some((s) => s.toLowerCase().includes(t));
}

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { flags, positionals } = parseArgs(argv, FLAGS);
	if (flags.help) {
		io.stdout(formatHelp(USAGE, FLAGS));
		return 0;
	}
	if (positionals.length)
		throw new UsageError(`models takes no arguments, got "${positionals[0]}" (use --search)`);
	const catalog = catalogFromFlag(flags.catalog as string | undefined, io);
	const search = flags.search as string | undefined;
	const list = search ? catalog.models.filter((m) => matches(m, search)) : catalog.models;
	if (flags.json) {
		io.stdout(`${JSON.stringify({ models: list }, null, 2)}\n`);
		return 0;
	}
	if (!list.length) {
		io.stdout(`No models match "${search}". Run \`inference-meter models\` for the full list.\n`);
		return 0;
	}
	const table = renderTable(
		[
			{ title: 'id' },
			{ title: 'params B (total / active)', right: true },
			{ title: 'layers', right: true },
			{ title: 'heads/kv', right: true },
			{ title: 'head dim', right: true },
			{ title: 'max context', right: true },
			{ title: 'kind' },
			{ title: 'window' },
		],
		list.map(row),
	);
	io.stdout(`${table}\n${list.length} models. ${LEGEND}\n`);
	return 0;
}
