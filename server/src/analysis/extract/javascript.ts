/**
 * transformers.js workloads in JavaScript/TypeScript, read through ts-morph (syntax only, no type
 * checking, one reused in-memory Project). Files that never mention the package are skipped before
 * ts-morph is even loaded.
 */
import type * as TsMorph from 'ts-morph';
import type { AnalysisHost, Finding, Span, Workload } from '../types';
import type { ExtractInput, ExtractResult } from './types';
import { collectBindings, exportedName, type Bindings } from './javascript/bindings';
import { readEnv } from './javascript/env';
import { clearDeclarationCache } from './javascript/evaluate';
import { withSourceFile, type TM } from './javascript/project';
import { runtimeOf } from './javascript/runtime';
import { MODEL_CLASS, readCall } from './javascript/transformersJs';

const PACKAGE_HINT = /@(?:huggingface|xenova)\/transformers/;

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
			return readFile(sf, tm, input.text, input.path, input.host);
		} finally {
			clearDeclarationCache();
		}
	});
}

function readFile(
	sf: TsMorph.SourceFile,
	tm: TM,
	text: string,
	docPath: string,
	host?: AnalysisHost,
): ExtractResult {
	const workloads: Workload[] = [];
	const findings: Finding[] = [];
	const b = collectBindings(sf, tm);
	if (b.names.size === 0 && b.namespaces.size === 0) return { workloads, findings };
	const environment = runtimeOf(b.specifiers, text, docPath, host);
	for (const call of sf.getDescendantsOfKind(tm.SyntaxKind.CallExpression)) {
		let r: ReturnType<typeof readCall>;
		try {
			const kind = callKind(call, b, tm);
			if (!kind) continue;
			r = readCall(call, kind, { tm, index: workloads.length, legacy: b.legacy, environment });
		} catch {
			// ts-morph throws on nodes the parser patched up; such a call is too broken to read.
			findings.push(brokenCall(call));
			continue;
		}
		if (!r) continue;
		workloads.push(r.workload);
		findings.push(...r.findings);
		const broken = syntaxErrorIn(sf, r.workload.span, workloads.length - 1);
		if (broken) findings.push(broken);
	}
	// env.* settings are file-wide: every workload gets them; a misspelt one is reported once.
	const env = readEnv(sf, b, tm);
	for (const w of workloads) {
		w.flags.push(...env.flags);
		if (env.threads) w.settings.threads ??= env.threads;
		else w.unknowns.push(...env.unknowns);
		if (b.version) w.engineVersion ??= b.version;
	}
	findings.push(...env.findings.map((f) => (workloads.length ? { ...f, workload: 0 } : f)));
	return { workloads, findings };
}

interface ParseDiagnostic {
	start?: number;
	length?: number;
}

/**
 * A syntax error inside a workload's call. TypeScript's parser keeps the errors it recovered from on the
 * source file (`parseDiagnostics`, not in the public typings), so no Program or type check is needed.
 */
function syntaxErrorIn(sf: TsMorph.SourceFile, call: Span, index: number): Finding | undefined {
	const diags =
		(sf.compilerNode as unknown as { parseDiagnostics?: ParseDiagnostic[] }).parseDiagnostics ?? [];
	const d = diags.find(
		(x) => x.start !== undefined && x.start >= call.offset && x.start < call.offset + call.length,
	);
	if (!d) return undefined;
	return {
		code: 'unparseable-config',
		severity: 'error',
		message: 'Syntax error in this call: the values before it are read, later ones may be missing.',
		span: { offset: d.start!, length: Math.max(1, d.length ?? 1) },
		workload: index,
		data: { language: 'typescript' },
	};
}

function brokenCall(call: TsMorph.CallExpression): Finding {
	const start = call.getStart();
	return {
		code: 'unparseable-config',
		severity: 'error',
		message: 'This call is too broken to read (syntax errors); fix the syntax to get an estimate.',
		span: { offset: start, length: Math.max(1, call.getEnd() - start) },
		data: { language: 'typescript' },
	};
}
