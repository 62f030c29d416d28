/** Shared pieces of the Python framework readers: settings/flags/unknowns accumulation and findings. */
import { spanOf, type SyntaxNode } from '../../parse/treeSitter';
import type { Finding, FlagOccurrence, Setting, Unknown, Workload, WorkloadSettings } from '../../types';
import { settingOf, toStr, type CallArgs, type Convert, type KwArg } from './args';
import type { PyScope } from './scope';
import { misspeltOf } from './spelling';

export class WorkloadParts {
	settings: WorkloadSettings = {};
	flags: FlagOccurrence[] = [];
	unknowns: Unknown[] = [];
	findings: Finding[] = [];

	constructor(
		readonly scope: PyScope,
		readonly workloadIndex: number,
	) {}

	/** Reads `arg` into settings[name]; an unreadable value becomes an Unknown. */
	take<K extends keyof WorkloadSettings>(
		name: K,
		arg: KwArg | undefined,
		conv: Convert<NonNullable<WorkloadSettings[K]>['value']>,
		note?: string,
	): Setting<unknown> | undefined {
		if (!arg) return undefined;
		const r = settingOf(arg, this.scope, name, conv, note);
		if (r.unknown) this.unknowns.push(r.unknown);
		if (r.setting) (this.settings as Record<string, Setting<unknown>>)[name] = r.setting;
		return r.setting;
	}

	/**
	 * The model id at `arg`. One that is not a constant (a parameter, `self.model`, `config.MODEL_PATH`) is
	 * set at run time: no model to look up (an information finding, not an unknown id), the expression kept
	 * as `raw` with the span, and an Unknown saying why.
	 */
	model(arg: KwArg): Setting<string> {
		const r = settingOf(arg, this.scope, 'model', toStr);
		if (r.setting) return r.setting;
		this.unknowns.push(r.unknown!);
		return {
			value: '',
			source: 'file',
			span: spanOf(arg.value),
			raw: arg.value.text,
			key: arg.name,
			keySpan: arg.keySpan,
			note: `set at run time: ${r.unknown!.reason}`,
		};
	}

	/** The call's Workload from everything read into these parts, with the findings about it. */
	result(
		framework: Workload['framework'],
		model: Setting<string>,
		call: SyntaxNode,
		localModelInfo?: Workload['localModelInfo'],
	): { workload: Workload; findings: Finding[] } {
		const workload: Workload = {
			framework,
			model,
			settings: this.settings,
			span: spanOf(call),
			syntax: 'python',
			flags: this.flags,
			unknowns: this.unknowns,
		};
		if (localModelInfo) workload.localModelInfo = localModelInfo;
		return { workload, findings: this.findings };
	}

	flag(arg: KwArg, canonical: string, deprecated?: FlagOccurrence['deprecated']): void {
		const f: FlagOccurrence = {
			name: arg.name,
			canonical,
			span: arg.keySpan,
			value: arg.value.text,
			valueSpan: spanOf(arg.value),
			known: true,
		};
		if (deprecated) f.deprecated = deprecated;
		this.flags.push(f);
	}

	/**
	 * Records every known keyword as a flag, and clearly misspelt ones as unknown flags with a rename fix.
	 * Other unknown keywords are left alone: these APIs pass **kwargs on.
	 */
	checkKeywords(
		args: CallArgs,
		known: ReadonlySet<string>,
		/** `vLLM LLM()`, and what happens to an unknown keyword there. */
		engine: { label: string; consequence: string },
		canonical: (name: string) => string = (n) => n,
		deprecations: Record<string, FlagOccurrence['deprecated']> = {},
	): void {
		for (const a of args.keywords) {
			if (known.has(a.name)) {
				this.flag(a, canonical(a.name), deprecations[a.name]);
				continue;
			}
			const fix = misspeltOf(a.name, known);
			if (!fix) continue;
			this.flags.push({
				name: a.name,
				span: a.keySpan,
				value: a.value.text,
				valueSpan: spanOf(a.value),
				known: false,
			});
			this.findings.push({
				code: 'unknown-flag',
				severity: 'warning',
				message: `${engine.label} has no argument \`${a.name}\`; did you mean \`${fix}\`? ${engine.consequence}`,
				span: a.keySpan,
				workload: this.workloadIndex,
				data: { name: a.name, suggestion: fix },
				fixes: [
					{ title: `Rename to \`${fix}\``, edits: [{ span: a.keySpan, newText: fix }], isPreferred: true },
				],
			});
		}
	}
}

export function joinNotes(...notes: (string | undefined)[]): string {
	return notes.filter(Boolean).join('; ');
}
