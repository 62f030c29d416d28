/**
 * `.env` files: `KEY=value` lines (optionally `export`, quotes, `#` comments). A file that sets
 * LLAMA_ARG_* describes a llama.cpp server (compose `env_file:` or systemd `EnvironmentFile=` pass it);
 * OLLAMA_* variables configure an Ollama server (no model is named, so they only matter when a model
 * is); vLLM settings written as variables are kept for the compose file that interpolates them.
 */
import type { AnalysisHost, Span } from '../types';
import { WorkloadBuilder } from './builder';
import { applyEngineEnv } from './fromCommand';
import type { EnvValue } from './tokens';
import type { ExtractInput, ExtractResult } from './types';

/** Every assignment with the spans of its name and value. */
export function parseEnvText(doc: string, origin: string): Map<string, EnvValue> {
	const env = new Map<string, EnvValue>();
	const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$/gm;
	// Line numbers counted incrementally: slicing the document up to each match was quadratic.
	let line = 1;
	let counted = 0;
	for (const m of doc.matchAll(re)) {
		for (let i = doc.indexOf('\n', counted); i >= 0 && i < m.index; i = doc.indexOf('\n', i + 1)) line++;
		counted = m.index;
		const name = m[1]!;
		let value = m[2]!;
		let at = m.index + m[0].length - value.length;
		const q = value[0];
		if ((q === '"' || q === "'") && value.indexOf(q, 1) > 0) {
			value = value.slice(1, value.indexOf(q, 1));
			at += 1;
		} else {
			const hash = value.search(/\s#/);
			if (hash >= 0) value = value.slice(0, hash);
			value = value.trimEnd();
		}
		const keyAt = m.index + m[0].indexOf(name);
		env.set(name, {
			value,
			span: { offset: at, length: value.length },
			keySpan: { offset: keyAt, length: name.length },
			origin: `${origin} line ${line}`,
			exported: true,
		});
	}
	return env;
}

function dirOf(p: string): string {
	const k = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
	return k < 0 ? '.' : p.slice(0, k);
}

/** The `.env` next to a compose file, as interpolation values (their spans belong to the other file). */
export function readDotEnv(composePath: string, host?: AnalysisHost): Map<string, EnvValue> {
	const file = `${dirOf(composePath)}/.env`;
	if (!host?.readFile || (host.fileExists && !host.fileExists(file))) return new Map();
	const bytes = host.readFile(file, 64 * 1024);
	if (!bytes) return new Map();
	const env = parseEnvText(new TextDecoder().decode(bytes), '.env');
	for (const v of env.values()) {
		v.span = undefined;
		v.keySpan = undefined;
	}
	return env;
}

/**
 * An env file another file names (compose `env_file:`, systemd `EnvironmentFile=`), read through the host.
 * Its values get `anchor` (where this document names the file) as their span, so hovers and the
 * `from …` note lead to it; undefined when the host cannot read it.
 */
export function readEnvFileAt(
	docPath: string,
	rel: string,
	host: AnalysisHost | undefined,
	anchor: Span,
): Map<string, EnvValue> | undefined {
	const file = rel.startsWith('/') ? rel : `${dirOf(docPath)}/${rel.replace(/^\.\//, '')}`;
	const bytes = host?.readFile?.(file, 64 * 1024);
	if (!bytes) return undefined;
	const env = parseEnvText(new TextDecoder().decode(bytes), rel);
	for (const v of env.values()) {
		v.span = anchor;
		v.keySpan = anchor;
	}
	return env;
}

export function extractEnvFile(input: ExtractInput): ExtractResult {
	const env = parseEnvText(input.text, 'this file,');
	const whole: Span = { offset: 0, length: input.text.length };
	const llama = [...env].filter(([k]) => k.startsWith('LLAMA_ARG_'));
	if (!llama.length) return { workloads: [], findings: [] };
	const b = new WorkloadBuilder('llama.cpp', 'env', whole);
	applyEngineEnv(b, llama);
	const w = b.build();
	return { workloads: w ? [w] : [], findings: b.findings };
}
