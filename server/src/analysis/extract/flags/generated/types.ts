/**
 * The shape of the tables scripts/flags/generate.mjs writes from each engine's own argument definitions.
 * Release ids are the labels of the reads listed in scripts/flags/releases.json, oldest first.
 */

/** switch: takes no value; bool: a switch with a negative spelling (`--no-X`); list: one or more values. */
export type GeneratedKind = 'switch' | 'bool' | 'value' | 'optional' | 'list' | 'two-values';

export interface GeneratedFlag {
	spellings: string[];
	/** llama.cpp's explicit negative spellings (`--no-mmap`). */
	negations?: string[];
	kind: GeneratedKind;
	/** The environment variable that sets it (llama.cpp `LLAMA_ARG_*`). */
	env?: string;
	/** llama.cpp programs it is registered for (`server`, `cli`, …); absent: every program. */
	examples?: string[];
	/** llama.cpp programs that reject it. */
	excludes?: string[];
	/** Releases read that declare it. */
	seenIn: string[];
	/** The newest complete read before its first appearance that lacks it: it appeared after that release. */
	absentBefore?: string;
	/** The oldest complete read after its last appearance that lacks it: it left by that release. */
	absentAfter?: string;
	/** Marked deprecated in the source (argparse `deprecated=True`, "[DEPRECATED]" help). */
	deprecated?: { since?: string; removedIn?: string };
}

export interface GeneratedRelease {
	id: string;
	/** The read's commit comes after this release: a flag it lacks was in no release up to this one. */
	after?: string;
	/** The read's commit comes before this release: a flag it lacks (after having it) is in none from this one on. */
	before?: string;
	/** Only part of the file was read: a flag missing from it says nothing. */
	partial?: boolean;
	note: string;
	files: string[];
}

export interface GeneratedFlagTable {
	engine: string;
	generatedBy: string;
	releasesRead: GeneratedRelease[];
	newestChecked: string;
	/** `before` of the newest read that has one: a pinned version at or past it is newer than the tables. */
	newestCheckedBefore?: string;
	flags: GeneratedFlag[];
}
