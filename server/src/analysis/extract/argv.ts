/**
 * Reads an engine's argument list (tokens after the program name) into a WorkloadBuilder: flag lookup
 * through the engine table with its parsing rules (`_`→`-`, `--flag=value`, vLLM prefixes and `--no-X`),
 * values for each arity, positional model for `vllm serve`, and findings for unknown or deprecated flags.
 */
import type { Finding, FlagOccurrence, Span } from '../types';
import type { ValueRef, WorkloadBuilder } from './builder';
import { deprecatedFlagFinding, flagNotInVersionFinding, unknownFlagFinding } from './findings';
import { versionVerdict } from './flags/history';
import type { FlagSpec, FlagTable } from './flags/types';
import { VLLM_SERVE_MODEL_FLAG_DEPRECATION } from './flags/vllm';
import { subSpan, tokenSpan, type Token } from './tokens';
import { isBoolWord } from './values';

/**
 * How the program treats positionals: `vllm serve MODEL` (positional model; `--model` deprecated), an
 * image whose entrypoint adds the program (positional model allowed, `--model` fine), the legacy module
 * entry point (no positional), llama.cpp (positionals are errors).
 */
export type ArgMode = 'vllm-serve' | 'vllm-image' | 'vllm-module' | 'llama' | 'llama-python' | 'sglang';

export interface ArgOptions {
	table: FlagTable;
	mode: ArgMode;
	/** Where a positional model would go (right after `serve`), for the `--model` fix. */
	positionalAt?: number;
	/**
	 * The arguments are list items (YAML, JSON exec form): fixes that insert text between arguments
	 * would land inside one item, so only rename fixes are offered.
	 */
	structured?: boolean;
}

interface Lookup {
	spec?: FlagSpec;
	/** For `--no-X` on a vLLM boolean. */
	switchValue?: boolean;
}

export function lookupFlag(name: string, table: FlagTable): Lookup {
	const norm = table.normalize(name);
	const head = norm.includes('.') && norm.startsWith('--') ? norm.slice(0, norm.indexOf('.')) : norm;
	const direct = table.bySpelling.get(head);
	if (direct) return { spec: direct, switchValue: direct.switchValue };
	if (table.autoNegation && head.startsWith('--no-')) {
		const pos = table.bySpelling.get('--' + head.slice(5));
		// argparse's store_true switches have no `--no-X` form; only BooleanOptionalAction flags do.
		const storeTrue = pos?.history?.flag.kind === 'switch';
		if (pos && !storeTrue && (pos.arity === 'none' || pos.arity === 'optional'))
			return { spec: pos, switchValue: false };
	}
	if (table.engine === 'vllm' && /^-O(\d|=|\.|$)/.test(name)) return { spec: table.bySpelling.get('-O') };
	if (table.allowAbbrev && head.startsWith('--') && head.length > 4) {
		const hits = [...table.bySpelling.keys()].filter((s) => s.startsWith(head));
		if (hits.length === 1) return { spec: table.bySpelling.get(hits[0]!) };
	}
	return {};
}

const looksLikeFlag = (t: Token) => t.text.startsWith('-') && t.text.length > 1 && !/^-\d/.test(t.text);

function valueOf(tok: Token, start = 0): ValueRef {
	// A value only known at run time has no characters of its own: point at the word as written.
	const span = tok.unknown ? tok.span : start === 0 ? tokenSpan(tok) : subSpan(tok, start, tok.text.length);
	const text = tok.text.slice(start);
	const written = tok.raw.includes('$')
		? start === 0
			? tok.raw
			: tok.raw.slice(tok.raw.indexOf('=') + 1)
		: undefined;
	return { text, span, raw: written, note: tok.note, unknown: tok.unknown };
}

export function interpretArgs(b: WorkloadBuilder, tokens: Token[], o: ArgOptions): void {
	const { table } = o;
	let positionalModelSeen = false;
	for (let i = 0; i < tokens.length; i++) {
		const tok = tokens[i]!;
		const isModelSlot = o.mode === 'vllm-serve' || (o.mode === 'vllm-image' && i === 0);
		if (!looksLikeFlag(tok) && isModelSlot && !positionalModelSeen) {
			positionalModelSeen = true;
			b.set('model', modelSetting(valueOf(tok), b));
			continue;
		}
		if (tok.unknown && tok.text === '') {
			b.unknown('arguments', `\`${tok.raw}\`: ${tok.unknown}; its flags cannot be read`, tok.span);
			continue;
		}
		if (!looksLikeFlag(tok)) {
			b.findings.push(strayPositional(tok, table.label ?? b.label, o.mode));
			continue;
		}
		const eq = tok.text.startsWith('--') || table.engine === 'vllm' ? tok.text.indexOf('=') : -1;
		const name = eq > 0 ? tok.text.slice(0, eq) : tok.text;
		const keySpan = subSpan(tok, 0, name.length);
		const { spec, switchValue } = lookupFlag(name, table);
		let value: ValueRef | undefined = eq > 0 ? valueOf(tok, eq + 1) : undefined;
		if (eq > 0 && table.engine === 'llama.cpp')
			b.findings.push(llamaEqualsFinding(tok, name, keySpan, eq, o.structured));
		if (!spec) {
			// Guess that an unknown flag takes the next word, unless that word is still the serve model.
			const next = tokens[i + 1];
			const modelPending = o.mode === 'vllm-serve' && !positionalModelSeen;
			if (!value && next && !looksLikeFlag(next) && !modelPending) value = valueOf(tokens[++i]!);
			b.flags.push(occurrence(name, undefined, keySpan, value, false));
			b.findings.push(unknownFlagFinding(name, keySpan, table, table.label ?? b.label, b.engineVersion));
			continue;
		}
		if (!value) [value, i] = takeValue(spec, tok, name, tokens, i);
		else if (spec.arity === 'many') i = skipList(tokens, i);
		const occ = occurrence(name, spec.canonical, keySpan, value, true);
		b.flags.push(occ);
		const verdict = versionVerdict(spec.history, b.engineVersion);
		if (verdict && b.engineVersion)
			b.findings.push(
				flagNotInVersionFinding(
					name,
					keySpan,
					verdict,
					table.label ?? b.label,
					b.engineVersion,
					spec.deprecated,
				),
			);
		// A release known to reject the flag says more than its deprecation: report only that.
		if (!verdict) reportDeprecation(b, spec, name, keySpan, occ, value, o);
		if (!value && table.engine === 'llama.cpp' && spec.canonical === 'flash-attn')
			b.findings.push(bareFlashAttn(name, keySpan, o.structured));
		b.apply(spec, { name, span: keySpan }, value, switchValue);
	}
}

/** The value(s) after a flag, by its arity; returns the value and the index of the last word consumed. */
function takeValue(
	spec: FlagSpec,
	tok: Token,
	name: string,
	tokens: Token[],
	i: number,
): [ValueRef | undefined, number] {
	const next = tokens[i + 1];
	// vLLM's `-O3` / `-O.level` carry their value in the same word.
	if (spec.canonical === 'compilation-config' && /^-O[^=]/.test(name))
		return [valueOf(tok, /^-O\./.test(name) ? 3 : 2), i];
	if (!next || looksLikeFlag(next)) return [undefined, i];
	if (spec.arity === 'one') return [valueOf(next), i + 1];
	if (spec.arity === 'optional') return isBoolWord(next.text) ? [valueOf(next), i + 1] : [undefined, i];
	// nargs='+': the first value is recorded, the rest are consumed.
	if (spec.arity === 'many') return [valueOf(next), skipList(tokens, i + 1)];
	return [undefined, i];
}

function skipList(tokens: Token[], i: number): number {
	while (tokens[i + 1] && !looksLikeFlag(tokens[i + 1]!)) i++;
	return i;
}

function occurrence(
	name: string,
	canonical: string | undefined,
	span: Span,
	v: ValueRef | undefined,
	known: boolean,
) {
	const o: FlagOccurrence = { name, canonical, span, known };
	if (v) {
		o.value = v.text;
		o.valueSpan = v.span;
	}
	return o;
}

function modelSetting(v: ValueRef, b: WorkloadBuilder) {
	if (v.unknown) b.unknown('model', v.unknown, v.span);
	const s = {
		value: v.unknown ? '' : v.text,
		source: 'file' as const,
		span: v.span,
		raw: v.raw,
		note: v.note,
	};
	if (!s.raw) delete s.raw;
	if (!s.note) delete s.note;
	return s;
}

function reportDeprecation(
	b: WorkloadBuilder,
	spec: FlagSpec,
	name: string,
	keySpan: Span,
	occ: FlagOccurrence,
	value: ValueRef | undefined,
	o: ArgOptions,
): void {
	let dep = spec.deprecated;
	let extraFix: Finding['fixes'];
	if (spec.canonical === 'model' && o.mode === 'vllm-serve' && b.framework === 'vllm') {
		dep = VLLM_SERVE_MODEL_FLAG_DEPRECATION;
		if (value && o.positionalAt !== undefined && !o.structured && !value.unknown) {
			const end = value.span.offset + value.span.length;
			extraFix = [
				{
					title: 'Make the model positional',
					edits: [
						{ span: { offset: o.positionalAt, length: 0 }, newText: ` ${value.raw ?? value.text}` },
						{ span: { offset: keySpan.offset, length: end - keySpan.offset }, newText: '' },
					],
					isPreferred: true,
				},
			];
		}
	}
	if (!dep) return;
	occ.deprecated = {
		message: dep.note ?? `deprecated${dep.replacement ? `; use ${dep.replacement}` : ''}`,
		replacement: dep.replacement,
		removedIn: dep.removedIn,
	};
	const f = deprecatedFlagFinding(name, keySpan, dep, b.label, b.engineVersion, extraFix);
	if (f) b.findings.push(f);
}

function strayPositional(tok: Token, label: string, mode: ArgMode): Finding {
	if (mode === 'sglang')
		// Only part of SGLang's arguments is known, so a stray word is not judged.
		return {
			code: 'unknown-flag',
			severity: 'information',
			message: `\`${tok.raw}\` is not read as an SGLang argument (the model goes in --model-path).`,
			span: tok.span,
			data: { flag: tok.text },
		};
	const why =
		mode === 'llama'
			? 'llama.cpp takes no positional arguments and stops with "invalid argument"'
			: mode === 'vllm-module'
				? 'the module entry point takes no positional arguments; pass the model with --model'
				: `${label} does not expect another positional argument here`;
	return {
		code: 'unknown-flag',
		severity: 'warning',
		message: `Unexpected argument \`${tok.raw}\`: ${why}.`,
		span: tok.span,
		data: { flag: tok.text },
	};
}

/** llama.cpp compares the whole token, so `--ctx-size=4096` is "invalid argument" (arg.cpp). */
function llamaEqualsFinding(
	tok: Token,
	name: string,
	keySpan: Span,
	eq: number,
	structured?: boolean,
): Finding {
	const eqSpan = subSpan(tok, eq, eq + 1);
	return {
		code: 'unknown-flag',
		severity: 'warning',
		message: `llama.cpp does not split \`${name}=…\`: it reads the whole token as a flag name and stops with "invalid argument". Write \`${name} value\`.`,
		span: keySpan,
		data: { flag: tok.text },
		fixes: structured
			? undefined
			: [
					{
						title: `Write ${name} and its value as two arguments`,
						edits: [{ span: eqSpan, newText: ' ' }],
						isPreferred: true,
					},
				],
	};
}

/** `-fa` with no value: the old boolean form; current builds take on/off/auto (config-surface.md §2.1 #5). */
function bareFlashAttn(name: string, span: Span, structured?: boolean): Finding {
	return {
		code: 'deprecated-flag',
		severity: 'warning',
		message: `Bare \`${name}\` is the old boolean form: current llama.cpp builds expect \`${name} on|off|auto\` and take the next argument as its value.`,
		span,
		data: { flag: name, replacement: `${name} on` },
		fixes: structured
			? undefined
			: [
					{
						title: `Write ${name} on`,
						edits: [{ span: { offset: span.offset + span.length, length: 0 }, newText: ' on' }],
						isPreferred: true,
					},
				],
	};
}
