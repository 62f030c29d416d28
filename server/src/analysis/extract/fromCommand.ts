/**
 * Builds a Workload from a recognised command plus the environment it runs with: engine version from
 * the image tag or the workspace pin, LLAMA_ARG_* / OLLAMA_* variables (applied before the CLI, which
 * overrides them as the engines do), GPU counts, then the arguments.
 */
import type { AnalysisHost, Finding, Setting, Span, Workload } from '../types';
import { interpretArgs } from './argv';
import { WorkloadBuilder } from './builder';
import type { CommandMatch } from './commands';
import { unknownFlagFinding } from './findings';
import { LLAMACPP_FLAGS, llamaFlagForEnv } from './flags/llamacpp';
import { OLLAMA_ENV } from './flags/ollama';
import { SGLANG_FLAGS } from './flags/sglang';
import { VLLM_FLAGS } from './flags/vllm';
import { LLAMA_CPP_PYTHON_SERVER_FLAGS } from './flags/llamaCppPython';
import type { EnvValue } from './tokens';
import { pinnedSglangVersion, pinnedVllmVersion } from './versions';
import { applyVllmConfigFile, type InlineFile } from './vllmConfigFile';

export interface FileContext {
	path: string;
	doc: string;
	syntax: Workload['syntax'];
	host?: AnalysisHost;
	/** Exported variables the whole file sets (shell `export`, Dockerfile ENV, compose environment). */
	fileEnv?: ReadonlyMap<string, EnvValue>;
	/** Arguments come from YAML or JSON lists (see CommandMatch.structured). */
	structured?: boolean;
	/** Files the document writes itself (shell heredocs), by resolved path: read instead of the disk. */
	inlineFiles?: ReadonlyMap<string, InlineFile>;
	/** Cached workspace pin lookup (one host read per file). */
	pinned?: { value?: Setting<string> };
	/** Cache of the `sglang==` pin, like `pinned` for vLLM. */
	sglangPinned?: { value?: Setting<string> };
}

export interface Extracted {
	workloads: Workload[];
	findings: Finding[];
}

export function vllmPin(ctx: FileContext): Setting<string> | undefined {
	ctx.pinned ??= { value: pinnedVllmVersion(ctx.path, ctx.host) };
	return ctx.pinned.value;
}

/** Applies engine env variables (LLAMA_ARG_*, OLLAMA_*) as flag occurrences keyed by the variable name. */
export function applyEngineEnv(b: WorkloadBuilder, env: Iterable<[string, EnvValue]>): void {
	for (const [name, v] of env) {
		if (v.exported === false) continue;
		if (b.framework === 'llama.cpp' && name.startsWith('LLAMA_ARG_')) {
			const spec = llamaFlagForEnv(name);
			const keySpan = v.keySpan ?? v.span ?? b.span;
			if (!spec) {
				b.flags.push({ name, span: keySpan, known: false, value: v.value, valueSpan: v.span });
				b.findings.push(
					unknownFlagFinding(name, keySpan, LLAMACPP_FLAGS, 'llama.cpp', b.engineVersion, true),
				);
				continue;
			}
			b.flags.push({
				name,
				canonical: spec.canonical,
				span: keySpan,
				known: true,
				value: v.value,
				valueSpan: v.span,
			});
			const valueSpan = v.span ?? keySpan;
			b.apply(spec, { name, span: keySpan }, { text: v.value, span: valueSpan, note: `from ${v.origin}` });
		} else if (b.framework === 'ollama') {
			const setting = OLLAMA_ENV[name];
			if (!setting) continue;
			const keySpan = v.keySpan ?? v.span ?? b.span;
			b.flags.push({ name, canonical: name, span: keySpan, known: true, value: v.value, valueSpan: v.span });
			b.apply(
				setting,
				{ name, span: keySpan },
				{ text: v.value, span: v.span ?? keySpan, note: `from ${v.origin}` },
			);
		}
	}
}

/** `CUDA_VISIBLE_DEVICES=0,1` → 2 devices. */
function visibleDevices(env: ReadonlyMap<string, EnvValue>): Setting<number> | undefined {
	const v = env.get('CUDA_VISIBLE_DEVICES') ?? env.get('NVIDIA_VISIBLE_DEVICES');
	if (!v || !/^\s*\d+(\s*,\s*\d+)*\s*$/.test(v.value)) return undefined;
	return {
		value: v.value.split(',').length,
		source: 'file',
		span: v.span,
		raw: v.value,
		key: env.has('CUDA_VISIBLE_DEVICES') ? 'CUDA_VISIBLE_DEVICES' : 'NVIDIA_VISIBLE_DEVICES',
		keySpan: v.keySpan,
	};
}

/**
 * llama-cpp-python's server has its own defaults (settings.py), unlike llama-server's: fill them here so
 * the later engine-defaults step does not apply llama-server's.
 */
function llamaCppPythonServerDefaults(b: WorkloadBuilder): void {
	const note = (what: string) => `llama-cpp-python server default ${what} (llama_cpp/server/settings.py)`;
	b.settings.contextLength ??= { value: 2048, source: 'engine-default', note: note('n_ctx 2048') };
	b.settings.gpuLayers ??= { value: 0, source: 'engine-default', note: note('n_gpu_layers 0: CPU only') };
	b.settings.batchTokens ??= { value: 512, source: 'engine-default', note: note('n_batch 512') };
}

export function workloadFromMatch(m: CommandMatch, span: Span, ctx: FileContext): Extracted {
	const b = new WorkloadBuilder(m.framework, ctx.syntax, span);
	if (m.image?.info.version && m.image.info.engine === m.framework) {
		const tok = m.image.token;
		const start = m.image.info.tagStart ?? 0;
		const off = tok.offsets[start];
		b.engineVersion = {
			value: m.image.info.version,
			source: 'file',
			span: off !== undefined && off >= 0 ? { offset: off, length: tok.text.length - start } : tok.span,
			raw: m.image.info.tag,
			note: `image tag of ${tok.text}`,
		};
	} else if (m.framework === 'vllm') b.engineVersion = vllmPin(ctx);
	else if (m.framework === 'sglang') {
		ctx.sglangPinned ??= { value: pinnedSglangVersion(ctx.path, ctx.host) };
		b.engineVersion = ctx.sglangPinned.value;
	}
	const env = new Map<string, EnvValue>();
	for (const [k, v] of ctx.fileEnv ?? []) if (v.exported !== false) env.set(k, v);
	for (const [k, v] of m.env) env.set(k, { ...v, exported: true });
	if (m.model) b.set('model', m.model);
	if (m.framework === 'ollama' && !m.model) {
		const tok = m.args[0]!;
		b.set('model', {
			value: tok.text,
			source: 'file',
			span: tok.unknown ? tok.span : { offset: tok.offsets[0] ?? tok.span.offset, length: tok.text.length },
		});
		if (tok.unknown) b.unknown('model', tok.unknown, tok.span);
		applyEngineEnv(b, env);
	} else if (m.framework === 'ollama') applyEngineEnv(b, env);
	else {
		applyEngineEnv(b, env);
		interpretArgs(b, m.args, {
			table:
				m.framework === 'vllm'
					? VLLM_FLAGS
					: m.framework === 'sglang'
						? SGLANG_FLAGS
						: m.mode === 'llama-python'
							? LLAMA_CPP_PYTHON_SERVER_FLAGS
							: LLAMACPP_FLAGS,
			mode: m.mode ?? 'llama',
			positionalAt: m.positionalAt,
			structured: m.structured || ctx.structured,
		});
		if (m.framework === 'vllm') applyVllmConfigFile(b, ctx.path, ctx.host, ctx.inlineFiles);
		if (m.mode === 'llama-python') llamaCppPythonServerDefaults(b);
	}
	const devices = m.deviceCount ?? visibleDevices(env);
	if (devices && !b.settings.deviceCount) b.settings.deviceCount = devices;
	if (m.deviceNote && !b.settings.deviceCount) b.unknown('deviceCount', m.deviceNote, m.image?.token.span);
	const workload = b.build();
	return { workloads: workload ? [workload] : [], findings: [...m.findings, ...b.findings] };
}
