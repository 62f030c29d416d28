/**
 * LLM workloads in Python source, read with the tree-sitter Python grammar: vLLM `LLM(...)` /
 * `EngineArgs(...)` / `AsyncEngineArgs(...)`, llama-cpp-python `Llama(...)` / `Llama.from_pretrained(...)`,
 * LangChain `LlamaCpp(...)`, and Hugging Face transformers `*.from_pretrained(...)` / `pipeline(...)`. Imports decide which names mean
 * what; a file importing none of these libraries is skipped before parsing. Nothing is executed.
 */
import { getParser, spanOf, type SyntaxNode, type SyntaxTree } from '../parse/treeSitter';
import type { Finding, Setting, Workload } from '../types';
import { hasEngineKeyword } from './keywords';
import { swallowedCommandFindings } from './swallowed';
import { pinnedVllmVersion } from './versions';
import type { ExtractInput, ExtractResult } from './types';
import { isLlamaCppCall, readLlamaCppCall } from './python/llamaCpp';
import { modalHardware } from './python/modal';
import { buildScope, qualify } from './python/scope';
import { loadSiblings } from './python/siblings';
import { compiledDecodeIn } from './python/compiledDecode';
import { isTransformersCall, readTransformersCall } from './python/transformers';
import { isVllmEngineCall, readVllmCall } from './python/vllm';

/** Cheap pre-filter: one of the libraries' names somewhere in the text (imports decide the rest). */
const IMPORT_HINT = /\b(?:vllm|llama_cpp|transformers|LlamaCpp)\b/;

export async function extractPython(input: ExtractInput): Promise<ExtractResult> {
	const workloads: Workload[] = [];
	const findings: Finding[] = [];
	if (!IMPORT_HINT.test(input.text)) return { workloads, findings };
	const parser = await getParser('python');
	const tree = parser.parse(input.text);
	if (!tree) return { workloads, findings };
	let siblingTrees: SyntaxTree[] = [];
	try {
		const root = tree.rootNode;
		const scope = buildScope(root);
		siblingTrees = loadSiblings(scope, input.path, input.host, parser);
		for (const call of root.descendantsOfType('call')) {
			if (!call) continue;
			const q = qualify(call.childForFieldName('function'), scope);
			if (!q) continue;
			const index = workloads.length;
			let r: { workload: Workload; findings: Finding[] } | undefined;
			if (isVllmEngineCall(q))
				r = readVllmCall(call, scope, index, { docPath: input.path, host: input.host });
			else if (isLlamaCppCall(q))
				r = readLlamaCppCall(call, isLlamaCppCall(q)!, scope, index, {
					docPath: input.path,
					host: input.host,
				});
			else if (isTransformersCall(q)) r = readTransformersCall(call, isTransformersCall(q)!, scope, index);
			if (!r) continue;
			const hw = modalHardware(call, scope);
			if (hw.hardware) r.workload.settings.hardware ??= hw.hardware;
			if (hw.deviceCount) r.workload.settings.deviceCount ??= hw.deviceCount;
			workloads.push(r.workload);
			findings.push(...r.findings);
			const broken = syntaxErrorIn(call, index);
			if (broken) findings.push(broken);
		}
		if (hasEngineKeyword(input.text))
			findings.push(...swallowedCommandFindings(root, input.text, workloads, findings, 'python'));
		const compiled = workloads.some((w) => w.framework === 'transformers')
			? compiledDecodeIn(input.text)
			: undefined;
		if (compiled)
			for (const w of workloads) if (w.framework === 'transformers') w.settings.compiledDecode ??= compiled;
		// vLLM version: a pin written in this file (Modal/`pip install` strings), else requirements/pyproject.
		if (workloads.some((w) => w.framework === 'vllm')) {
			const pin = vllmPinInFile(root) ?? pinnedVllmVersion(input.path, input.host);
			if (pin) for (const w of workloads) if (w.framework === 'vllm') w.engineVersion ??= pin;
		}
	} finally {
		for (const t of siblingTrees) t.delete();
		tree.delete();
		parser.delete();
	}
	return { workloads, findings };
}

/** `"vllm==0.10.1"` in any string literal (Modal `pip_install`, subprocess pip calls). */
function vllmPinInFile(root: SyntaxNode): Setting<string> | undefined {
	for (const str of root.descendantsOfType('string_content')) {
		if (!str) continue;
		const m = /(^|\s)vllm(?:\[[^\]]*\])?\s*==\s*v?([0-9][0-9a-z.+-]*)/i.exec(str.text);
		if (!m) continue;
		const at = str.text.indexOf(m[2], m.index);
		return {
			value: m[2],
			source: 'file',
			span: { offset: str.startIndex + at, length: m[2].length },
			raw: m[0].trim(),
			note: `pinned in this file (line ${str.startPosition.row + 1})`,
		};
	}
	return undefined;
}

/**
 * A syntax error inside a workload's call: tree-sitter recovered, so the values before it are read,
 * but what follows may be missing and Python would not run the file.
 */
function syntaxErrorIn(call: SyntaxNode, index: number): Finding | undefined {
	if (!call.hasError) return undefined;
	const bad = call.descendantsOfType('ERROR')[0] ?? findMissing(call);
	const span = bad ? spanOf(bad) : spanOf(call);
	return {
		code: 'unparseable-config',
		severity: 'error',
		message:
			'Python syntax error in this call: the values before it are read, later ones may be missing (Python itself would refuse to run the file).',
		span: span.length ? span : { offset: span.offset, length: 1 },
		workload: index,
		data: { language: 'python' },
	};
}

function findMissing(node: SyntaxNode): SyntaxNode | undefined {
	if (node.isMissing) return node;
	for (const c of node.children) {
		const m = c ? findMissing(c) : undefined;
		if (m) return m;
	}
	return undefined;
}
