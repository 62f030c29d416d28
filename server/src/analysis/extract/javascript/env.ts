/**
 * transformers.js `env.*` settings (`env.backends.onnx.wasm.numThreads = 4`, `env.allowRemoteModels = false`):
 * file-wide, so they apply to every workload in the file. Names per the v3 `env` object (src/env.js) and
 * config-surface.md §3.
 */
import type * as TsMorph from 'ts-morph';
import type { Finding, FlagOccurrence, Setting, Unknown } from '../../types';
import { misspeltOf } from '../python/spelling';
import { exportedName, type Bindings } from './bindings';
import { evaluate } from './evaluate';
import type { TM } from './project';

export const ENV_KEYS: ReadonlySet<string> = new Set([
	'allowRemoteModels',
	'allowLocalModels',
	'localModelPath',
	'remoteHost',
	'remotePathTemplate',
	'useFS',
	'useFSCache',
	'useBrowserCache',
	'useWasmCache',
	'useCustomCache',
	'customCache',
	'cacheDir',
	'cacheKey',
	'backends.onnx.wasm.numThreads',
	'backends.onnx.wasm.simd',
	'backends.onnx.wasm.proxy',
	'backends.onnx.wasm.wasmPaths',
	'backends.onnx.wasm.initTimeout',
	'backends.onnx.logLevel',
	'backends.onnx.logSeverityLevel',
	'backends.onnx.webgpu.powerPreference',
	'backends.onnx.webgpu.profiling',
	'backends.onnx.webgpu.validateInputContent',
	'backends.onnx.debug',
]);

export interface EnvSettings {
	flags: FlagOccurrence[];
	threads?: Setting<number>;
	unknowns: Unknown[];
	findings: Finding[];
}

function span(n: TsMorph.Node): { offset: number; length: number } {
	return { offset: n.getStart(), length: n.getEnd() - n.getStart() };
}

/** `env.a.b.c` (with `env` bound to transformers.js) → `a.b.c` and the node of the last name. */
function envPath(n: TsMorph.Node, b: Bindings, tm: TM): { path: string; last: TsMorph.Node } | undefined {
	const parts: string[] = [];
	let e: TsMorph.Node = n;
	let last: TsMorph.Node | undefined;
	while (tm.Node.isPropertyAccessExpression(e)) {
		parts.unshift(e.getName());
		last ??= e.getNameNode();
		const inner = e.getExpression();
		if (exportedName(inner, b, tm) === 'env') return { path: parts.join('.'), last };
		e = inner;
	}
	return undefined;
}

export function readEnv(sf: TsMorph.SourceFile, b: Bindings, tm: TM): EnvSettings {
	const out: EnvSettings = { flags: [], findings: [], unknowns: [] };
	for (const bin of sf.getDescendantsOfKind(tm.SyntaxKind.BinaryExpression)) {
		try {
			readAssignment(bin, b, tm, out);
		} catch {
			// A malformed assignment (parser-patched tree) sets nothing we can read.
		}
	}
	return out;
}

function readAssignment(bin: TsMorph.BinaryExpression, b: Bindings, tm: TM, out: EnvSettings): void {
	if (bin.getOperatorToken().getKind() !== tm.SyntaxKind.EqualsToken) return;
	const target = envPath(bin.getLeft(), b, tm);
	if (!target) return;
	const right = bin.getRight();
	const name = `env.${target.path}`;
	const known = ENV_KEYS.has(target.path);
	out.flags.push({
		name,
		canonical: known ? name : undefined,
		span: span(bin.getLeft()),
		value: right.getText(),
		valueSpan: span(right),
		known,
	});
	if (target.path === 'backends.onnx.wasm.numThreads') {
		const v = evaluate(right, tm);
		if (v.ok && typeof v.value === 'number')
			out.threads = {
				value: v.value,
				source: 'file',
				span: span(right),
				key: name,
				keySpan: span(bin.getLeft()),
				...(v.notes.length ? { note: v.notes.join('; ') } : {}),
			};
		else
			out.unknowns.push({
				name: 'threads',
				reason: `env.backends.onnx.wasm.numThreads = ${v.ok ? `${right.getText()} is not a number` : v.reason}`,
				span: span(right),
			});
	}
	if (!known) {
		// Only the last name is renamed, so compare it with the known keys under the same parent.
		const segs = target.path.split('.');
		const parent = segs.slice(0, -1).join('.');
		const siblings = [...ENV_KEYS]
			.filter((k) => k.split('.').length === segs.length && k.startsWith(parent))
			.map((k) => k.split('.').pop()!);
		const newName = misspeltOf(segs[segs.length - 1], siblings);
		if (!newName) return;
		const fix = parent ? `${parent}.${newName}` : newName;
		out.findings.push({
			code: 'unknown-flag',
			severity: 'warning',
			message: `transformers.js \`env\` has no setting \`${target.path}\`; did you mean \`${fix}\`? Assigning it has no effect.`,
			span: span(target.last),
			data: { name, suggestion: `env.${fix}` },
			fixes: [
				{
					title: `Rename to \`${newName}\``,
					edits: [{ span: span(target.last), newText: newName }],
					isPreferred: true,
				},
			],
		});
	}
}
