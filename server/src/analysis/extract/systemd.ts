/**
 * systemd units: `ExecStart=` of the [Service] section (prefixes `-@+!`, `\` continuations, systemd's
 * own quoting and `$VAR`/`${VAR}` expansion from `Environment=`), and `Environment=` assignments —
 * LLAMA_ARG_* there configure llama-server the same as flags.
 */
import type { Span } from '../types';
import { matchCommand } from './commands';
import { workloadFromMatch, type Extracted, type FileContext } from './fromCommand';
import { innerCommandsFor } from './shell';
import { resolveWord, type EnvValue } from './tokens';
import type { ExtractInput, ExtractResult } from './types';
import { readEnvFileAt } from './envFile';
import { continuedLineEnd, lexCommands } from './words';

interface Directive {
	key: string;
	section: string;
	span: Span;
	valueStart: number;
	valueEnd: number;
	line: number;
}

function directives(doc: string): Directive[] {
	const out: Directive[] = [];
	let section = '';
	let pos = 0;
	let line = 0;
	while (pos < doc.length) {
		let eol = doc.indexOf('\n', pos);
		if (eol < 0) eol = doc.length;
		line++;
		const text = doc.slice(pos, eol);
		const sec = /^\s*\[([^\]]+)\]/.exec(text);
		const kv = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*/.exec(text);
		if (sec) section = sec[1]!;
		else if (kv && !/^\s*[#;]/.test(text)) {
			const start = pos;
			const startLine = line;
			const { end, lines } = continuedLineEnd(doc, pos, eol);
			line += lines;
			out.push({
				key: kv[1]!,
				section,
				span: { offset: start, length: end - start },
				valueStart: start + kv[0].length,
				valueEnd: end,
				line: startLine,
			});
			eol = end;
		}
		pos = eol + 1;
	}
	return out;
}

export function extractSystemd(input: ExtractInput): ExtractResult {
	const doc = input.text;
	const env = new Map<string, EnvValue>();
	const out: Extracted = { workloads: [], findings: [] };
	const ds = directives(doc).filter((d) => d.section === 'Service' || d.section === '');
	for (const d of ds) {
		if (d.key !== 'Environment') continue;
		for (const w of lexCommands(doc, d.valueStart, d.valueEnd).flat()) {
			const t = resolveWord(w, doc, env);
			const eq = t.text.indexOf('=');
			if (eq <= 0) continue;
			const off = t.offsets[eq + 1];
			env.set(t.text.slice(0, eq), {
				value: t.text.slice(eq + 1),
				span: off !== undefined && off >= 0 ? { offset: off, length: t.text.length - eq - 1 } : undefined,
				keySpan: { offset: t.offsets[0] ?? t.span.offset, length: eq },
				origin: `Environment= on line ${d.line}`,
				exported: true,
			});
		}
	}
	for (const d of ds) {
		if (d.key !== 'EnvironmentFile') continue;
		const raw = doc.slice(d.valueStart, d.valueEnd).trim();
		const rel = raw.replace(/^-/, '');
		const at = doc.indexOf(rel, d.valueStart);
		const read = readEnvFileAt(input.path, rel, input.host, { offset: at, length: rel.length });
		// systemd.exec: settings from EnvironmentFile= override those made with Environment=.
		for (const [k, v] of read ?? []) env.set(k, v);
	}
	const ctx: FileContext = { path: input.path, doc, syntax: 'cli', host: input.host, fileEnv: env };
	for (const d of ds) {
		if (d.key !== 'ExecStart') continue;
		let start = d.valueStart;
		while (/[-@+!:]/.test(doc[start] ?? '')) start++;
		for (const cmd of lexCommands(doc, start, d.valueEnd, { comments: false })) {
			const tokens = cmd.map((w) => resolveWord(w, doc, env));
			const m = matchCommand(tokens, innerCommandsFor(doc, env), new Map());
			if (!m) continue;
			const r = workloadFromMatch(m, d.span, ctx);
			out.workloads.push(...r.workloads);
			out.findings.push(...r.findings);
			break;
		}
	}
	return out;
}
