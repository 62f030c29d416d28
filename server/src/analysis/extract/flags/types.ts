/**
 * The shape of an engine flag table. Adding a flag is one line: its spellings, how many values it takes,
 * the Workload setting it feeds (if any), and its deprecation history.
 */
import type { WorkloadSettings } from '../../types';
import type { ValueParser } from '../values';

export type SettingName = keyof WorkloadSettings | 'model';

/** How many values follow the flag: none (switch), one, an optional bool-like word, or a list. */
export type Arity = 'none' | 'one' | 'optional' | 'many';

export interface Deprecation {
	/** First version that warns about it, when known. */
	since?: string;
	/** First version that rejects or ignores it, when known. */
	removedIn?: string;
	/** What to write instead, as a flag spelling (used by the fix) or prose. */
	replacement?: string;
	/** True when `replacement` is a flag that takes the same value, so renaming is a safe fix. */
	renameSafe?: boolean;
	/** Extra explanation. */
	note?: string;
	/** Gone from current releases (not just deprecated), with the version unknown when `removedIn` is unset. */
	removed?: boolean;
}

export interface FlagSpec {
	/** Canonical long name without dashes, e.g. `max-model-len`. */
	canonical: string;
	/** Every accepted spelling with its dashes, e.g. `-c`, `--ctx-size`. */
	spellings: string[];
	arity: Arity;
	setting?: SettingName;
	parser?: ValueParser;
	/** llama.cpp environment variable that sets the same thing. */
	env?: string;
	deprecated?: Deprecation;
	/** For a switch: the value it sets (`--no-mmap` → false). */
	switchValue?: boolean;
}

export interface FlagExtras {
	env?: string;
	deprecated?: Deprecation;
	switchValue?: boolean;
}

/** One table line: `flag('-c --ctx-size', 'one', INT, 'contextLength', { env: 'LLAMA_ARG_CTX_SIZE' })`. */
export function flag(
	spellings: string,
	arity: Arity,
	parser?: ValueParser,
	setting?: SettingName,
	extras: FlagExtras = {},
): FlagSpec {
	const all = spellings.split(/\s+/).filter(Boolean);
	const longs = all.filter((s) => s.startsWith('--'));
	const canonical = (longs[0] ?? all[0]!).replace(/^-+/, '');
	return { canonical, spellings: all, arity, parser, setting, ...extras };
}

/** A table indexed by every spelling (and env var), built once per engine. */
export interface FlagTable {
	engine: string;
	specs: FlagSpec[];
	bySpelling: Map<string, FlagSpec>;
	byEnv: Map<string, FlagSpec>;
	/** Normalises a written flag before lookup (vLLM and llama.cpp turn `_` into `-` in long flags). */
	normalize(name: string): string;
	/** argparse-style unique-prefix matching (vLLM), off for llama.cpp. */
	allowAbbrev: boolean;
	/** `--no-X` negates any boolean `--X` (vLLM's BooleanOptionalAction). */
	autoNegation: boolean;
	/** Name used in messages when it differs from `engine` (e.g. `llama-cpp-python server`). */
	label?: string;
}

export function buildTable(
	engine: string,
	specs: FlagSpec[],
	o: { allowAbbrev: boolean; autoNegation: boolean; underscores?: 'to-dashes' | 'keep'; label?: string },
): FlagTable {
	const bySpelling = new Map<string, FlagSpec>();
	const byEnv = new Map<string, FlagSpec>();
	for (const s of specs) {
		for (const sp of s.spellings) bySpelling.set(sp, s);
		if (s.env) byEnv.set(s.env, s);
	}
	const normalize = (name: string) => {
		if (!name.startsWith('--') || o.underscores === 'keep') return name;
		const dot = name.indexOf('.');
		const head = dot < 0 ? name : name.slice(0, dot);
		return head.replace(/_/g, '-') + (dot < 0 ? '' : name.slice(dot));
	};
	return {
		engine,
		specs,
		bySpelling,
		byEnv,
		normalize,
		allowAbbrev: o.allowAbbrev,
		autoNegation: o.autoNegation,
		label: o.label,
	};
}
