/**
 * Loads tree-sitter (WebAssembly) and its Python and Bash grammars once per process.
 *
 * The grammars ship in `@vscode/tree-sitter-wasm`; the build copies them to `dist/wasm/`. In the bundle
 * they are found next to the running script, in tests and tsx runs in node_modules. Loading is async
 * (WebAssembly compile), so callers `await getParser('python')` once and then parse synchronously.
 *
 * Offsets: this build of web-tree-sitter parses JavaScript strings as UTF-16 and reports
 * `node.startIndex`/`endIndex` in UTF-16 code units — the same unit as our Spans (checked by a test with
 * non-ASCII text before the node).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Span } from '../types';
import * as TreeSitter from '@vscode/tree-sitter-wasm';

export type Grammar = 'python' | 'bash';
export type SyntaxNode = TreeSitter.Node;
export type SyntaxTree = TreeSitter.Tree;

let initPromise: Promise<typeof TreeSitter> | undefined;
const languages = new Map<Grammar, Promise<TreeSitter.Language>>();

/** Directories that may hold the .wasm files, in order of preference. */
function wasmDirs(): string[] {
	const dirs = [path.join(__dirname, 'wasm'), path.join(__dirname, '..', 'dist', 'wasm')];
	try {
		dirs.push(path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm'));
	} catch {
		// Bundled without node_modules: dist/wasm is the only place.
	}
	return dirs;
}

function locate(file: string): string {
	for (const dir of wasmDirs()) {
		const p = path.join(dir, file);
		if (existsSync(p)) return p;
	}
	throw new Error(`tree-sitter: cannot find ${file} (looked in ${wasmDirs().join(', ')})`);
}

function init(): Promise<typeof TreeSitter> {
	initPromise ??= TreeSitter.Parser.init({ locateFile: (file: string) => locate(file) }).then(
		() => TreeSitter,
	);
	return initPromise;
}

/** A parser for one grammar. Parsers are cheap; languages are cached. */
export async function getParser(grammar: Grammar): Promise<TreeSitter.Parser> {
	const ts = await init();
	let lang = languages.get(grammar);
	if (!lang) {
		lang = ts.Language.load(locate(`tree-sitter-${grammar}.wasm`));
		languages.set(grammar, lang);
	}
	const parser = new ts.Parser();
	parser.setLanguage(await lang);
	return parser;
}

/** The UTF-16 span of a node (see the note at the top on index units). */
export function spanOf(node: SyntaxNode): Span {
	return { offset: node.startIndex, length: node.endIndex - node.startIndex };
}
