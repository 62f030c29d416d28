/**
 * A small declarative flag parser shared by every subcommand: `--name value`, `--name=value`,
 * boolean flags, repeated positionals. Unknown flags and bad values are UsageErrors that name the flag.
 */
import { UsageError } from './io';

export type FlagKind = 'string' | 'number' | 'integer' | 'boolean';

export interface FlagSpec {
	kind: FlagKind;
	/** One-line help text. */
	help: string;
	/** For string flags: the accepted values. */
	choices?: readonly string[];
	/** Smallest accepted number (inclusive). */
	min?: number;
	max?: number;
	alias?: string;
}

export type FlagValues = Record<string, string | number | boolean | undefined>;

export interface ParsedArgs {
	flags: FlagValues;
	positionals: string[];
}

export function parseArgs(argv: string[], specs: Record<string, FlagSpec>): ParsedArgs {
	const flags: FlagValues = {};
	const positionals: string[] = [];
	const byAlias = new Map<string, string>();
	for (const [name, spec] of Object.entries(specs)) if (spec.alias) byAlias.set(spec.alias, name);

	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--') {
			positionals.push(...argv.slice(i + 1));
			break;
		}
		if (!arg.startsWith('-') || arg === '-') {
			positionals.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		const rawName = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
		const name = specs[rawName] ? rawName : byAlias.get(rawName);
		if (!name) {
			const known = Object.keys(specs)
				.map((n) => `--${n}`)
				.join(', ');
			throw new UsageError(`unknown flag ${arg.split('=')[0]} (known: ${known})`);
		}
		const spec = specs[name];
		if (spec.kind === 'boolean') {
			if (eq >= 0) {
				const v = arg.slice(eq + 1).toLowerCase();
				if (!['true', 'false', '1', '0'].includes(v))
					throw new UsageError(`--${name} takes no value or true/false, got "${v}"`);
				flags[name] = v === 'true' || v === '1';
			} else flags[name] = true;
			continue;
		}
		let value: string | undefined;
		if (eq >= 0) value = arg.slice(eq + 1);
		else {
			value = argv[i + 1];
			if (value === undefined || (value.startsWith('--') && value.length > 2))
				throw new UsageError(`--${name} needs a value`);
			i++;
		}
		flags[name] = coerce(name, spec, value);
	}
	return { flags, positionals };
}

function coerce(name: string, spec: FlagSpec, value: string): string | number {
	if (spec.kind === 'string') {
		if (spec.choices && !spec.choices.includes(value)) {
			throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got "${value}"`);
		}
		return value;
	}
	const n = Number(value);
	if (value.trim() === '' || !Number.isFinite(n))
		throw new UsageError(`--${name} needs a number, got "${value}"`);
	if (spec.kind === 'integer' && !Number.isInteger(n))
		throw new UsageError(`--${name} needs a whole number, got "${value}"`);
	if (spec.min !== undefined && n < spec.min)
		throw new UsageError(`--${name} must be at least ${spec.min}, got ${value}`);
	if (spec.max !== undefined && n > spec.max)
		throw new UsageError(`--${name} must be at most ${spec.max}, got ${value}`);
	return n;
}

/** Renders the flag table for --help. */
export function formatHelp(usage: string, specs: Record<string, FlagSpec>): string {
	const rows = Object.entries(specs).map(([name, s]) => {
		const left = `  --${name}${s.alias ? `, -${s.alias}` : ''}${s.kind === 'boolean' ? '' : ` <${s.choices ? s.choices.join('|') : s.kind}>`}`;
		return `${left.padEnd(34)} ${s.help}`;
	});
	return `${usage}\n\n${rows.join('\n')}\n`;
}
