/**
 * Types shared by the pipeline stages (detect → extract → resolve → estimate → rules).
 * Positions are UTF-16 offsets into the document text; LSP ranges and line/character pairs are made
 * only at the edges (CLI output, language server).
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from './catalog/types';
import type { Estimate } from './physics/types';
import type { ProjectSettings } from './config/forFile';
import type { SuppressedFinding } from './suppress/apply';
import type { ServingEstimate } from './physics/serving/types';

/** A stretch of the document, in UTF-16 code units (what JavaScript string indices are). */
export interface Span {
	offset: number;
	length: number;
}

/** `config`: the project config file (.inference-meter.yaml), between the file's own hints and user settings. */
export type SettingSource =
	'file' | 'engine-default' | 'user-setting' | 'catalog' | 'assumed' | 'cli' | 'config';

/** One value and where it came from, so a hover can explain it and a fix can edit it. */
export interface Setting<T> {
	value: T;
	source: SettingSource;
	/** Where the value is written in the document (source 'file'). */
	span?: Span;
	/** The text as written, when it differs from `value` (e.g. `32k`, `${MAX_LEN:-8192}`). */
	raw?: string;
	/** The spelling of the flag/key that set it (`--max-model-len`, `max_model_len`, `-c`). */
	key?: string;
	/** Where the key is written, for fixes that rename or remove it. */
	keySpan?: Span;
	note?: string;
}

export type Framework = 'vllm' | 'llama.cpp' | 'ollama' | 'transformers.js' | 'transformers' | 'sglang';

/** The settings names of the JSON contract in issue 3. */
export interface WorkloadSettings {
	weightFormat?: Setting<string>;
	kvCacheDtype?: Setting<string>;
	tensorParallelSize?: Setting<number>;
	pipelineParallelSize?: Setting<number>;
	contextLength?: Setting<number>;
	maxConcurrency?: Setting<number>;
	gpuMemoryUtilization?: Setting<number>;
	gpuLayers?: Setting<number>;
	threads?: Setting<number>;
	/** `cuda`, `cpu`, `webgpu`, `wasm`, `mps`, `auto`… as written. */
	device?: Setting<string>;
	deviceCount?: Setting<number>;
	/** A catalog hardware id the file itself implies (node selector, GPU product label). */
	hardware?: Setting<string>;
	/** Batch size for llama.cpp (-b/-ub) or max-num-batched-tokens for vLLM. */
	batchTokens?: Setting<number>;
	quantization?: Setting<string>;
	// --- serving under load (issue 13): speculative decoding and parallel layouts ---
	/** vLLM `--speculative-config` JSON as written (method, num_speculative_tokens, model). */
	speculativeConfig?: Setting<string>;
	/** Speculative method as written (SGLang `--speculative-algorithm`: EAGLE, EAGLE3, NEXTN, NGRAM …). */
	speculativeMethod?: Setting<string>;
	/** Draft tokens per step (llama.cpp `--draft-max`, SGLang `--speculative-num-steps`). */
	speculativeTokens?: Setting<number>;
	/** Draft model (llama.cpp `-md/--model-draft`, SGLang `--speculative-draft-model-path`). */
	draftModel?: Setting<string>;
	/** vLLM `--enable-expert-parallel` (EP over TP × DP ranks). */
	expertParallel?: Setting<boolean>;
	/** SGLang `--ep-size`. */
	expertParallelSize?: Setting<number>;
	/** vLLM `--data-parallel-size`, SGLang `--dp-size`. */
	dataParallelSize?: Setting<number>;
	/** SGLang `--enable-dp-attention`. */
	dataParallelAttention?: Setting<boolean>;
	/** transformers: `torch.compile` with a static KV cache in the file (engine `pytorch-compiled`). */
	compiledDecode?: Setting<boolean>;
}

/** A flag or key as written, for unknown/deprecated-flag rules and hovers. */
export interface FlagOccurrence {
	/** As written, e.g. `--max_model_len`. */
	name: string;
	/** Canonical name after normalisation, e.g. `max-model-len`; undefined when unknown. */
	canonical?: string;
	span: Span;
	value?: string;
	valueSpan?: Span;
	known: boolean;
	/** Why it is deprecated/removed and what replaces it. */
	deprecated?: { message: string; replacement?: string; removedIn?: string };
}

export interface Unknown {
	/** Setting name (e.g. `contextLength`) or flag. */
	name: string;
	reason: string;
	span?: Span;
}

export interface Workload {
	framework: Framework;
	/** The model as written (HF id, path, GGUF file, Ollama tag). */
	model: Setting<string>;
	settings: WorkloadSettings;
	/** The whole command / call / document section the workload was read from. */
	span: Span;
	/** The syntax the file uses for this workload; fixes edit in that syntax. */
	syntax: 'cli' | 'yaml' | 'python' | 'typescript' | 'modelfile' | 'env' | 'json';
	flags: FlagOccurrence[];
	unknowns: Unknown[];
	/** Engine version pinned in the file or workspace (image tag, requirements). */
	engineVersion?: Setting<string>;
	/** Facts read from a local GGUF header or config.json the workload points at. */
	localModelInfo?: {
		path: string;
		kind: 'gguf' | 'config.json';
		summary: string;
		/** The model as the local file describes it (GGUF header), for the resolver to use when the catalog lacks it. */
		model?: ModelSpec;
		/** Weight format id read from the file (GGUF file type or dominant tensor type, e.g. `q4_k_m`). */
		formatId?: string;
	};
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
	span: Span;
	newText: string;
}

export interface Fix {
	title: string;
	edits: TextEdit[];
	/** What the fix changes in numbers, e.g. "KV budget fits 14 sequences instead of 3". */
	effect?: string;
	isPreferred?: boolean;
}

export interface Finding {
	/** Stable kebab-case code documented in docs/diagnostics.md. */
	code: string;
	severity: Severity;
	message: string;
	span: Span;
	/** Index into DocumentAnalysis.workloads, when the finding belongs to one. */
	workload?: number;
	/** Structured facts code actions read back (never parse `message`). */
	data?: Record<string, unknown>;
	fixes?: Fix[];
}

/** Where the target hardware came from: every finding says which it used. */
export interface TargetChoice {
	hardwareId: string;
	devices: number;
	source: 'file' | 'config' | 'user-setting' | 'default';
	note: string;
}

export interface AnalyzedWorkload {
	workload: Workload;
	/** Catalog id, or null when the model could not be resolved. */
	resolvedModel: string | null;
	target?: TargetChoice;
	/** One user (batch 1) at the decode context: the per-user latency figures. */
	estimate?: Estimate;
	/** The configured concurrency (capped at what the KV budget holds), when above 1. */
	concurrencyEstimate?: Estimate;
	/**
	 * Serving under load at the concurrency the file configures (every slot busy, default 1,000 / 1,000
	 * token lengths): the same numbers concurrency-misses-latency-target, the hover and the lens show.
	 */
	serving?: ServingEstimate;
}

export interface DocumentAnalysis {
	path: string;
	workloads: AnalyzedWorkload[];
	findings: Finding[];
	/** Findings an inline comment or the project config's `off` kept out of `findings` (SARIF `suppressions`). */
	suppressed?: SuppressedFinding[];
}

/** What the caller injects: no I/O happens in the core except through these. */
export interface AnalysisHost {
	/** Reads a file the document refers to (GGUF header, config.json), or undefined. Bounded by the host. */
	readFile?(path: string, maxBytes: number): Uint8Array | undefined;
	/** Lists sibling files (requirements.txt, pyproject) for engine version pins. */
	fileExists?(path: string): boolean;
	/**
	 * Engine versions the project config pins (set by the pipeline from `AnalysisOptions.project`), used where
	 * neither the file nor a requirements file beside it pins one.
	 */
	projectPins?: Partial<Record<Framework, Setting<string>>>;
}

export interface AnalysisOptions {
	/** Target hardware id when the file does not say (setting or CLI flag). */
	hardwareId?: string;
	/**
	 * The machine class the CLI/LSP runs on (e.g. `apple-m4-max`), the default target for local engines
	 * (llama.cpp, Ollama) when neither the file nor `hardwareId` names one.
	 */
	localHardwareId?: string;
	devices?: number;
	latencyTarget?: { tokensPerSecondPerUser?: number; ttftSeconds?: number };
	electricityUsdPerKwh?: number;
	amortizationYears?: number;
	/** Per-code severity overrides; 'off' drops the finding. */
	severities?: Record<string, Severity | 'off'>;
	/** Analysis gives up (with a diagnostic) past this many bytes. */
	maxFileBytes?: number;
	/**
	 * Time budget for one document in ms: checked between stages and workloads; past it the analysis
	 * stops with an `analysis-time-budget` finding. Unset: no budget.
	 */
	timeBudgetMs?: number;
	host?: AnalysisHost;
	/**
	 * The project config (.inference-meter.yaml) narrowed to this document. Its values rank below the
	 * file's own hints and above `hardwareId`, `devices`, `severities` and the other user settings.
	 */
	project?: ProjectSettings;
	/** Catalog to resolve against (the built-in one merged with a user catalog); default: built-in. */
	catalog?: {
		hardware: HardwareSpec[];
		models: ModelSpec[];
		formats: FormatSpec[];
		kvDtypes: KvDtypeSpec[];
	};
}
