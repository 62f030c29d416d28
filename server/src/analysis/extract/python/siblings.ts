/**
 * Constants a script imports from its own folder or package: `import config` then `config.MODEL_PATH`,
 * `from config import MODEL`, `from . import settings`, `from .settings import MAX_LEN`. The module's
 * file (`config.py` or `config/__init__.py` next to the document) is read through the injected host —
 * the core does no I/O — parsed with the same grammar, and its module-level assignments (and
 * `os.getenv` defaults) evaluate as they would in the importing file. One level only: a sibling's own
 * imports are not followed, so cycles cannot happen. Nothing is executed.
 */
import type { SyntaxTree } from '../../parse/treeSitter';
import type { AnalysisHost } from '../../types';
import { buildScope, type PyScope } from './scope';

/** Bytes read from one sibling module (a settings file is far smaller). */
const MAX_MODULE_BYTES = 256 * 1024;
/** Modules followed per document. */
const MAX_MODULES = 8;

/** Standard and engine libraries: never a sibling file worth a read. */
const LIBRARIES = new Set(
	(
		'os sys re json math time typing pathlib argparse dataclasses logging asyncio subprocess functools ' +
		'collections itertools enum abc io shutil uuid random datetime vllm llama_cpp transformers torch ' +
		'huggingface_hub modal langchain langchain_community fastapi pydantic uvicorn ray numpy accelerate'
	).split(' '),
);

export interface SiblingModule {
	scope: PyScope;
	/** The file name as a note says it (`config.py`). */
	file: string;
}

/** `.settings` → `settings`; module key used for lookups. */
export function moduleKey(origin: string): string {
	return origin.replace(/^\.+/, '');
}

function dirOf(p: string): string {
	const k = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
	return k < 0 ? '.' : p.slice(0, k);
}

/** Module names the imports could name: `config`, and for `from pkg import x` both `pkg.x` and `pkg`. */
function candidates(scope: PyScope): string[] {
	const out = new Set<string>();
	for (const [local, origin] of scope.imports) {
		const mod = moduleKey(origin);
		if (!mod || LIBRARIES.has(mod.split('.')[0]!)) continue;
		// `import config` binds config → config; `from config import MODEL` binds MODEL → config.MODEL.
		if (local === origin || origin.startsWith('.')) out.add(mod);
		const dot = mod.lastIndexOf('.');
		if (dot > 0) out.add(mod.slice(0, dot));
	}
	return [...out];
}

/**
 * Reads, parses and scopes the sibling modules `scope` imports; returns the trees to delete after the
 * document's analysis. A module the host cannot read is simply absent (values from it stay unknown).
 */
export function loadSiblings(
	scope: PyScope,
	docPath: string,
	host: AnalysisHost | undefined,
	parser: { parse(text: string): SyntaxTree | null },
): SyntaxTree[] {
	const trees: SyntaxTree[] = [];
	if (!host?.readFile) return trees;
	const dir = dirOf(docPath);
	const siblings = new Map<string, SiblingModule>();
	for (const mod of candidates(scope).slice(0, MAX_MODULES)) {
		const rel = mod.replace(/\./g, '/');
		for (const file of [`${rel}.py`, `${rel}/__init__.py`]) {
			const bytes = host.readFile(`${dir}/${file}`, MAX_MODULE_BYTES);
			if (!bytes) continue;
			const text = new TextDecoder().decode(bytes);
			// A module with an over-long line is not a settings file; skip it rather than parse it.
			if (text.split('\n').some((l) => l.length > 10_000)) break;
			const tree = parser.parse(text);
			if (!tree) break;
			trees.push(tree);
			siblings.set(mod, { scope: buildScope(tree.rootNode), file });
			break;
		}
	}
	if (siblings.size) scope.siblings = siblings;
	return trees;
}
