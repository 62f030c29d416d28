// Types for generate.mjs, so the unit tests (TypeScript) can import the input generators.
export const EXTENSIONS: Record<'yaml' | 'python' | 'typescript', string>;
export function generate(
	kind: 'yaml' | 'python' | 'typescript',
	lines: number,
): { text: string; lines: number; blocks: number };
