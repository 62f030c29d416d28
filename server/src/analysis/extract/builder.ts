/**
 * Assembles one Workload from flag/key occurrences, whatever the syntax they came from (CLI tokens,
 * YAML keys, env variables, Modelfile PARAMETERs). Duplicate settings follow the engines: last wins.
 */
import type { Finding, FlagOccurrence, Framework, Setting, Span, Workload, WorkloadSettings } from '../types';
import type { FlagSpec, SettingName } from './flags/types';
import { invalidValueFinding } from './findings';
import { ggufQuant } from './gguf';

/** A value as written: its text after quoting/expansion, exact span, and how it was obtained. */
export interface ValueRef {
	text: string;
	span: Span;
	/** As written, when it differs from `text` (`${LEN:-8192}`, `"8192"`). */
	raw?: string;
	note?: string;
	/** Why the value cannot be known statically. */
	unknown?: string;
}

export interface KeyRef {
	name: string;
	span: Span;
}

const ENGINE_LABEL: Record<Framework, string> = {
	vllm: 'vLLM',
	'llama.cpp': 'llama.cpp',
	ollama: 'Ollama',
	'transformers.js': 'transformers.js',
	transformers: 'transformers',
	sglang: 'SGLang',
};

export class WorkloadBuilder {
	model?: Setting<string>;
	readonly settings: WorkloadSettings = {};
	readonly flags: FlagOccurrence[] = [];
	readonly unknowns: Workload['unknowns'] = [];
	readonly findings: Finding[] = [];
	engineVersion?: Setting<string>;
	/** Raw flag values the post-processing needs (llama.cpp V cache type, -hf file). */
	readonly extra = new Map<string, Setting<string>>();

	constructor(
		readonly framework: Framework,
		readonly syntax: Workload['syntax'],
		public span: Span,
	) {}

	get label(): string {
		return ENGINE_LABEL[this.framework];
	}

	set(name: SettingName, s: Setting<unknown>): void {
		if (name === 'model') this.model = s as Setting<string>;
		else (this.settings as Record<string, Setting<unknown>>)[name] = s;
	}

	unknown(name: string, reason: string, span?: Span): void {
		this.unknowns.push({ name, reason, span });
	}

	/** Records `key value` for a known flag: parses the value and sets the Workload setting it feeds. */
	apply(spec: FlagSpec, key: KeyRef, value: ValueRef | undefined, switchValue?: boolean): void {
		const target = spec.setting;
		if (!value && spec.arity === 'none' && target) {
			// A bare switch (`--enable-expert-parallel`) sets its setting to the value the switch stands for.
			const v = switchValue ?? spec.switchValue ?? true;
			this.set(target, { value: v, source: 'file', span: key.span, key: key.name, keySpan: key.span });
			return;
		}
		if (!value) {
			if (spec.arity !== 'none' && spec.arity !== 'optional' && target)
				this.unknown(target, `${key.name} has no value`, key.span);
			return;
		}
		if (value.unknown) {
			this.unknown(target ?? spec.canonical, `${key.name}: ${value.unknown}`, value.span);
			return;
		}
		if (!spec.parser || spec.arity === 'none') {
			if (switchValue === undefined && target) this.setFrom(target, value.text, key, value);
			return;
		}
		const parsed = spec.parser.parse(value.text);
		if (!parsed.ok) {
			this.findings.push(invalidValueFinding(key.name, parsed.reason, value.span, this.label));
			if (target) this.unknown(target, `${key.name}: ${parsed.reason}`, value.span);
			return;
		}
		if (target) this.setFrom(target, parsed.value, key, value);
		else if (spec.canonical === 'cache-type-v' || spec.canonical === 'hf-file')
			this.extra.set(spec.canonical, this.setting(String(parsed.value), key, value));
	}

	private setting<T>(v: T, key: KeyRef, value: ValueRef): Setting<T> {
		const s: Setting<T> = { value: v, source: 'file', span: value.span, key: key.name, keySpan: key.span };
		const raw = value.raw ?? value.text;
		if (raw !== String(v)) s.raw = raw;
		if (value.note) s.note = value.note;
		return s;
	}

	private setFrom(target: SettingName, v: unknown, key: KeyRef, value: ValueRef): void {
		this.set(target, this.setting(v, key, value));
	}

	/** The finished workload, or undefined when nothing identifies one (no model and no settings). */
	build(): Workload | undefined {
		if (this.framework === 'llama.cpp') this.finishLlama();
		// vLLM also loads a single .gguf file (quantization=gguf); its name says the quant.
		const gguf = this.framework === 'vllm' && /\.gguf$/i.test(this.model?.value ?? '');
		if (this.framework === 'llama.cpp' || this.framework === 'ollama' || gguf) this.quantFromModelName();
		let model = this.model;
		if (!model) {
			// An engine command whose values are all variables (`llama-server -m "$MODEL" -c "$CTX"`) is still
			// a workload, with unknowns; one with nothing at all (`--help`) is not.
			if (Object.keys(this.settings).length === 0 && this.unknowns.length === 0) return undefined;
			model = { value: '', source: 'assumed', note: 'no model is named here' };
			if (!this.unknowns.some((u) => u.name === 'model'))
				this.unknown('model', 'the model is not named in this command or file');
		}
		return {
			framework: this.framework,
			model,
			settings: this.settings,
			span: this.span,
			syntax: this.syntax,
			flags: this.flags,
			unknowns: this.unknowns,
			engineVersion: this.engineVersion,
		};
	}

	/** llama.cpp: a lone `-ctv` still says what the cache holds; `-hff` names the file inside `-hf`. */
	private finishLlama(): void {
		const v = this.extra.get('cache-type-v');
		const k = this.settings.kvCacheDtype;
		if (v && !k) this.settings.kvCacheDtype = { ...v, note: 'from the V cache type (K stays f16)' };
		else if (v && k && v.value !== k.value)
			k.note = `K cache ${k.value}, V cache ${v.value}: the estimate uses the K type for both`;
		const file = this.extra.get('hf-file');
		if (file && this.model && !ggufQuant(this.model.value)) this.quantFrom(file);
		if (
			this.model?.key &&
			/^-hfr?$|^--hf-repo$|^LLAMA_ARG_HF_REPO$/.test(this.model.key) &&
			!ggufQuant(this.model.value) &&
			!file
		)
			this.settings.weightFormat ??= {
				value: 'q4_k_m',
				source: 'engine-default',
				note: '-hf without a :QUANT suffix downloads the Q4_K_M file (config-surface.md §2.1)',
			};
	}

	private quantFromModelName(): void {
		if (this.model && !this.settings.weightFormat) this.quantFrom(this.model);
	}

	private quantFrom(s: Setting<string>): void {
		const q = ggufQuant(s.value);
		if (!q) return;
		const exact = s.span && s.span.length === s.value.length;
		this.settings.weightFormat = {
			value: q.quant,
			source: 'file',
			span: exact ? { offset: s.span!.offset + q.start, length: q.end - q.start } : s.span,
			raw: s.value.slice(q.start, q.end),
			key: s.key,
			keySpan: s.keySpan,
			note: `quantization read from the model name \`${s.value}\``,
		};
	}
}
