/**
 * The shape of an engine flag table. Adding a flag is one line: its spellings, how many values it takes,
 * the Workload setting it feeds (if any), and its deprecation history.
 */
import type { WorkloadSettings } from '../../types';
import type { ValueParser } from '../values';
import type { GeneratedFlag, GeneratedFlagTable, GeneratedKind } from './generated/types';
import type { FlagHistory } from './history';

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
	/** Where the generated table saw it (releases read, appearance, removal); absent for hand-only lines. */
	history?: FlagHistory;
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
	/** The generated table this one was merged with: which releases were read. */
	generated?: GeneratedFlagTable;
	/**
	 * `partial`: the tables hold only part of the engine's arguments, so an unknown flag is reported at
	 * information level, never as a warning.
	 */
	coverage: 'complete' | 'partial';
}

export function buildTable(
	engine: string,
	specs: FlagSpec[],
	o: {
		allowAbbrev: boolean;
		autoNegation: boolean;
		underscores?: 'to-dashes' | 'keep';
		label?: string;
		/** Adds every flag of the generated table the hand lines lack, and their history to the hand lines. */
		generated?: GeneratedFlagTable;
		/** Only for llama.cpp: which programs' flags to take from the generated table. */
		programs?: string[];
		coverage?: 'complete' | 'partial';
	},
): FlagTable {
	const bySpelling = new Map<string, FlagSpec>();
	const byEnv = new Map<string, FlagSpec>();
	const all = [...specs];
	for (const s of specs) {
		for (const sp of s.spellings) bySpelling.set(sp, s);
		if (s.env) byEnv.set(s.env, s);
	}
	if (o.generated) {
		for (const g of o.generated.flags) {
			if (o.programs && !forPrograms(g, o.programs)) continue;
			const history: FlagHistory = { flag: g, table: o.generated };
			const hand = g.spellings.map((sp) => bySpelling.get(sp)).find(Boolean);
			if (hand) {
				// The hand line decides setting and parser; the generated one adds history and aliases.
				hand.history ??= history;
				for (const sp of g.spellings)
					if (!bySpelling.has(sp)) {
						hand.spellings.push(sp);
						bySpelling.set(sp, hand);
					}
				if (g.env && !hand.env && !byEnv.has(g.env)) byEnv.set((hand.env = g.env), hand);
			} else {
				const spec: FlagSpec = { ...flag(g.spellings.join(' '), arityOf(g.kind)), history, env: g.env };
				if (g.deprecated)
					spec.deprecated = {
						removedIn: trimPatch(g.deprecated.removedIn),
						note: `marked deprecated in ${o.generated.engine}'s own argument definitions (${g.deprecated.since})`,
					};
				all.push(spec);
				for (const sp of g.spellings) bySpelling.set(sp, spec);
				if (g.env && !byEnv.has(g.env)) byEnv.set(g.env, spec);
			}
			const negs = (g.negations ?? []).filter((sp) => !bySpelling.has(sp));
			if (negs.length) {
				const neg: FlagSpec = { ...flag(negs.join(' '), 'none'), history, switchValue: false };
				all.push(neg);
				for (const sp of negs) bySpelling.set(sp, neg);
			}
		}
	}
	const normalize = (name: string) => {
		if (!name.startsWith('--') || o.underscores === 'keep') return name;
		const dot = name.indexOf('.');
		const head = dot < 0 ? name : name.slice(0, dot);
		return head.replace(/_/g, '-') + (dot < 0 ? '' : name.slice(dot));
	};
	return {
		engine,
		specs: all,
		bySpelling,
		byEnv,
		normalize,
		allowAbbrev: o.allowAbbrev,
		autoNegation: o.autoNegation,
		label: o.label,
		generated: o.generated,
		coverage: o.coverage ?? 'complete',
	};
}

function arityOf(kind: GeneratedKind): Arity {
	if (kind === 'switch' || kind === 'bool') return 'none';
	if (kind === 'optional') return 'optional';
	if (kind === 'list' || kind === 'two-values') return 'many';
	return 'one';
}

/** `0.12.0` → `0.12`, the form the hand deprecation lines use. */
function trimPatch(v?: string): string | undefined {
	return v?.replace(/^(\d+\.\d+)\.0$/, '$1');
}

/** llama.cpp registers a flag only for the programs in `set_examples` (none listed: every program). */
function forPrograms(g: GeneratedFlag, programs: string[]): boolean {
	// `set_excludes` is ignored on purpose: one table serves llama-server and llama-cli, and a flag
	// only one of them takes must not be called unknown in the other.
	return (
		!g.examples || g.examples.some((p) => p === 'common' || p === 'mmproj_examples' || programs.includes(p))
	);
}
