// Types for the flag generator's modules, so tests written in TypeScript can import them.
export interface Declaration {
	spellings: string[];
	negations?: string[];
	kind: 'switch' | 'bool' | 'value' | 'optional' | 'list' | 'two-values';
	env?: string;
	examples?: string[];
	excludes?: string[];
	deprecated?: { removedIn?: string };
}
export interface ReleaseRead {
	id: string;
	version?: string;
	scope: 'engine' | 'frontend' | 'all';
	partial?: boolean;
}
