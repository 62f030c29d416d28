/**
 * transformers.js workloads in JavaScript/TypeScript, read through ts-morph (syntax only, no type
 * checking, one reused in-memory Project). Files that never mention the package are skipped before
 * ts-morph is even loaded.
 */
import type * as TsMorph from 'ts-morph';
import type { Finding, Workload } from '../types';
import type { ExtractInput, ExtractResult } from './types';
import { collectBindings, exportedName, type Bindings } from './javascript/bindings';
import { readEnv } from './javascript/env';
import { clearDeclarationCache } from './javascript/evaluate';
import { withSourceFile, type TM } from './javascript/project';
import { MODEL_CLASS, readCall, type CallContext } from './javascript/transformersJs';

const PACKAGE_HINT = /@(?:huggingface|xenova)\/transformers/;

const NODE_MODULES =
	/^(node:|fs$|path$|os$|http$|https$|child_process$|worker_threads$|express$|fastify$|koa$)/;
const BROWSER_HINT =
	/\b(self\.(addEventListener|onmessage|postMessage)|window\.|document\.|navigator\.gpu|postMessage\()/;

/** Browser or Node, for the default device; a guess from imports and globals, stated in the note. */
function environmentOf(b: Bindings, text: string): CallContext['environment'] {
	const nodeSpec = b.specifiers.find((s) => NODE_MODULES.test(s));
	if (nodeSpec && !BROWSER_HINT.test(text))
		return { kind: 'node', why: `Node assumed (imports '${nodeSpec}')` };
	return {
		kind: 'browser',
		why: BROWSER_HINT.test(text) ? 'browser assumed (uses browser/worker globals)' : 'browser assumed',
	};
}

function callKind(
	call: TsMorph.CallExpression,
	b: Bindings,
	tm: TM,
): 'pipeline' | 'from_pretrained' | undefined {
	const callee = call.getExpression();
	if (exportedName(callee, b, tm) === 'pipeline') return 'pipeline';
	if (tm.Node.isPropertyAccessExpression(callee) && callee.getName() === 'from_pretrained') {
		const cls = exportedName(callee.getExpression(), b, tm);
		if (cls && MODEL_CLASS.test(cls)) return 'from_pretrained';
	}
	return undefined;
}

export async function extractJavaScript(input: ExtractInput): Promise<ExtractResult> {
	if (!PACKAGE_HINT.test(input.text)) return { workloads: [], findings: [] };
	return withSourceFile(input.path, input.text, (sf, tm) => {
		clearDeclarationCache();
		try {
			return readFile(sf, tm, input.text);
		} finally {
			clearDeclarationCache();
		}
	});
}

function readFile(sf: TsMorph.SourceFile, tm: TM, text: string): ExtractResult {
	const workloads: Workload[] = [];
	const findings: Finding[] = [];
	const b = collectBindings(sf, tm);
	if (b.names.size === 0 && b.namespaces.size === 0) return { workloads, findings };
	const environment = environmentOf(b, text);
	for (const call of sf.getDescendantsOfKind(tm.SyntaxKind.CallExpression)) {
		const kind = callKind(call, b, tm);
		if (!kind) continue;
		const r = readCall(call, kind, { tm, index: workloads.length, legacy: b.legacy, environment });
		if (!r) continue;
		workloads.push(r.workload);
		findings.push(...r.findings);
	}
	// env.* settings are file-wide: every workload gets them; a misspelt one is reported once.
	const env = readEnv(sf, b, tm);
	for (const w of workloads) {
		w.flags.push(...env.flags);
		if (env.threads) w.settings.threads ??= env.threads;
		if (b.version) w.engineVersion ??= b.version;
	}
	findings.push(...env.findings.map((f) => (workloads.length ? { ...f, workload: 0 } : f)));
	return { workloads, findings };
}
