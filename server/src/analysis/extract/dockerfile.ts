/**
 * Dockerfiles and Containerfiles: the final stage's ENTRYPOINT + CMD (shell or JSON-array form, line
 * continuations), ENV values they use, and the base image: `FROM vllm/vllm-openai:v0.8.5` makes a CMD
 * that holds only arguments into vLLM arguments and pins the engine version.
 */
import type { Setting, Span } from '../types';
import { imageMatch, llamaEnvMatch, matchCommand, type CommandMatch } from './commands';
import { workloadFromMatch, type FileContext } from './fromCommand';
import { jsonStringArray } from './jsonArray';
import { innerCommandsFor } from './shell';
import { resolveWord, type EnvValue, type Token } from './tokens';
import type { ExtractInput, ExtractResult } from './types';
import { imageInfo } from './versions';
import { continuedLineEnd, lexCommands } from './words';

interface Instruction {
	keyword: string;
	/** The instruction, continuation lines included. */
	span: Span;
	/** Where the arguments start and end. */
	argStart: number;
	argEnd: number;
	line: number;
}

/** Splits the file into instructions, joining `\` continuations and skipping comment lines. */
export function dockerInstructions(doc: string): Instruction[] {
	const out: Instruction[] = [];
	let pos = 0;
	let line = 0;
	while (pos < doc.length) {
		let eol = doc.indexOf('\n', pos);
		if (eol < 0) eol = doc.length;
		const lineText = doc.slice(pos, eol);
		line++;
		const m = /^\s*([A-Za-z]+)(\s+|$)/.exec(lineText);
		if (!m || /^\s*#/.test(lineText)) {
			pos = eol + 1;
			continue;
		}
		const start = pos;
		const argStart = pos + m[0].length;
		// A line ending in `\` continues; comment lines inside a continued instruction are skipped by Docker.
		const { end, lines } = continuedLineEnd(doc, pos, eol);
		line += lines;
		out.push({
			keyword: m[1]!.toUpperCase(),
			span: { offset: start, length: end - start },
			argStart,
			argEnd: end,
			line,
		});
		pos = end + 1;
	}
	return out;
}

interface Stage {
	name?: string;
	image?: Token;
	env: Map<string, EnvValue>;
	entrypoint?: { tokens: Token[]; exec: boolean; ins: Instruction };
	cmd?: { tokens: Token[]; exec: boolean; ins: Instruction };
}

function commandTokens(doc: string, ins: Instruction, env: Map<string, EnvValue>) {
	const json = jsonStringArray(doc, ins.argStart, ins.argEnd);
	if (json) return { tokens: json, exec: true, ins };
	const words = lexCommands(doc, ins.argStart, ins.argEnd).flat();
	return { tokens: words.map((w) => resolveWord(w, doc, env)), exec: false, ins };
}

/** `ENV A=1 B="x y"` and the legacy `ENV A 1`. */
function readEnv(doc: string, ins: Instruction, env: Map<string, EnvValue>, exported: boolean): void {
	const words = lexCommands(doc, ins.argStart, ins.argEnd).flat();
	const origin = `${exported ? 'ENV' : 'ARG'} on line ${ins.line}`;
	const first = words[0] ? resolveWord(words[0], doc, env) : undefined;
	if (first && !first.text.includes('=') && exported) {
		const rest = words.slice(1).map((w) => resolveWord(w, doc, env));
		if (!rest.length) return;
		const a = rest[0]!.span.offset;
		const last = rest[rest.length - 1]!;
		env.set(first.text, {
			value: rest.map((t) => t.text).join(' '),
			span:
				rest.length === 1
					? spanOfText(rest[0]!)
					: { offset: a, length: last.span.offset + last.span.length - a },
			origin,
			exported,
			keySpan: first.span,
		});
		return;
	}
	for (const w of words) {
		const t = resolveWord(w, doc, env);
		const eq = t.text.indexOf('=');
		if (eq <= 0) {
			if (!exported && t.text) env.set(t.text, { value: '', origin, exported: false });
			continue;
		}
		const value = t.text.slice(eq + 1);
		const off = t.offsets[eq + 1];
		const exact =
			value.length > 0 && off !== undefined && t.offsets[t.text.length - 1] === off + value.length - 1;
		env.set(t.text.slice(0, eq), {
			value,
			span: exact ? { offset: off, length: value.length } : undefined,
			origin,
			exported,
			keySpan: { offset: t.offsets[0] ?? t.span.offset, length: eq },
		});
	}
}

function spanOfText(t: Token): Span {
	const first = t.offsets[0];
	return first !== undefined && first >= 0 ? { offset: first, length: t.text.length } : t.span;
}

function readFrom(doc: string, ins: Instruction, stages: Stage[]): Stage {
	const words = lexCommands(doc, ins.argStart, ins.argEnd)
		.flat()
		.map((w) => resolveWord(w, doc));
	const args = words.filter((t) => !t.text.startsWith('--'));
	const image = args[0];
	const asIdx = args.findIndex((t) => t.text.toLowerCase() === 'as');
	const name = asIdx >= 0 ? args[asIdx + 1]?.text : undefined;
	const parent = stages.find((s) => s.name && s.name === image?.text);
	if (parent) return { ...parent, name, env: new Map(parent.env) };
	return { name, image, env: new Map() };
}

export function extractDockerfile(input: ExtractInput): ExtractResult {
	const doc = input.text;
	const stages: Stage[] = [];
	let stage: Stage = { env: new Map() };
	for (const ins of dockerInstructions(doc)) {
		if (ins.keyword === 'FROM') {
			stage = readFrom(doc, ins, stages);
			stages.push(stage);
		} else if (ins.keyword === 'ENV') readEnv(doc, ins, stage.env, true);
		else if (ins.keyword === 'ARG') readEnv(doc, ins, stage.env, false);
		else if (ins.keyword === 'ENTRYPOINT') {
			stage.entrypoint = commandTokens(doc, ins, stage.env);
			stage.cmd = undefined; // Docker resets CMD when ENTRYPOINT is set in the same image.
		} else if (ins.keyword === 'CMD') stage.cmd = commandTokens(doc, ins, stage.env);
	}
	const final = stages[stages.length - 1] ?? stage;
	const ctx: FileContext = { path: input.path, doc, syntax: 'cli', host: input.host, fileEnv: final.env };
	const pin = pipPin(doc);
	if (pin) ctx.pinned = { value: pin };
	const m = finalCommand(doc, final);
	if (!m) {
		// No engine command, but ENV LLAMA_ARG_MODEL / LLAMA_ARG_HF_REPO: llama-server configured by env.
		const byEnv = llamaEnvMatch(final.env, final.entrypoint ? [] : final.cmd?.tokens);
		return byEnv ? workloadFromMatch(byEnv.match, byEnv.span, ctx) : { workloads: [], findings: [] };
	}
	const anchor = final.cmd?.ins ?? final.entrypoint!.ins;
	return workloadFromMatch(m.match, anchor.span, ctx);
}

/** `RUN pip install vllm==0.9.2` pins the engine version the image runs. */
function pipPin(doc: string): Setting<string> | undefined {
	for (const ins of dockerInstructions(doc)) {
		if (ins.keyword !== 'RUN') continue;
		const text = doc.slice(ins.argStart, ins.argEnd);
		const m = /\bvllm(?:\[[^\]]*\])?==v?(\d[0-9a-z.+-]*)/.exec(text);
		if (!m) continue;
		const at = ins.argStart + m.index + m[0].length - m[1]!.length;
		return {
			value: m[1]!,
			source: 'file',
			span: { offset: at, length: m[1]!.length },
			raw: m[0],
			note: `installed by RUN on line ${ins.line}`,
		};
	}
	return undefined;
}

function finalCommand(doc: string, s: Stage): { match: CommandMatch } | undefined {
	const ep = s.entrypoint;
	const cmd = s.cmd;
	// A shell-form ENTRYPOINT ignores CMD; an exec-form one receives CMD as arguments.
	const tokens = ep ? (ep.exec ? [...ep.tokens, ...(cmd?.tokens ?? [])] : ep.tokens) : (cmd?.tokens ?? []);
	if (!tokens.length) return undefined;
	// Exec form is JSON: `sh -c` gets the decoded string (`\"$@\"` is `"$@"`), unexpanded.
	const inner = innerCommandsFor(doc, s.env, undefined, ep ? ep.exec : !!cmd?.exec);
	const env = new Map<string, EnvValue>();
	let match = matchCommand(tokens, inner, env);
	const info = s.image ? imageInfo(s.image.text) : undefined;
	// The image's own entrypoint starts the engine; CMD holds only its arguments.
	if (!match && !ep && cmd) match = imageMatch(info, cmd.tokens, cmd.ins.span);
	if (!match) return undefined;
	if (ep?.exec || cmd?.exec) match.structured = true;
	if (s.image && info && !match.image) match.image = { token: s.image, info };
	return { match };
}
