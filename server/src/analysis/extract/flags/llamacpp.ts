/**
 * llama.cpp `llama-server` / `llama-cli` arguments. Every option common/arg.cpp registers for the server
 * and the CLI comes from the generated table (generated/llamaCpp.ts, scripts/flags), with its aliases and
 * LLAMA_ARG_* variable; the lines here are the hand-written overlay, one line per flag: the settings the
 * estimate reads, value parsers, and options older builds had (research/config-surface.md §2).
 */
import { BOOL, FLOAT, INT, LIST_COUNT, LOWER, STR, type ValueParser } from '../values';
import { LLAMACPP_GENERATED } from './generated/llamaCpp';
import { buildTable, flag as f, type FlagTable } from './types';

/**
 * `-ngl N`; newer builds also take `auto` and `all`. Stored as a number: `auto` → -1 and `all` → -2,
 * matching common.h ("-1 is auto, <= -2 is all"); 99/999 are the usual "all layers" spellings.
 */
export const GPU_LAYERS: ValueParser<number> = {
	expects: 'a layer count, auto or all',
	parse(t) {
		const s = t.trim().toLowerCase();
		if (s === 'auto') return { ok: true, value: -1 };
		if (s === 'all') return { ok: true, value: -2 };
		return INT.parse(t);
	},
};

const gone = (note: string, replacement?: string) => ({ deprecated: { note, replacement, removed: true } });

export const LLAMACPP_FLAGS: FlagTable = buildTable(
	'llama.cpp',
	[
		// --- settings the estimate reads ---
		f('-m --model', 'one', STR, 'model', { env: 'LLAMA_ARG_MODEL' }),
		f('-hf -hfr --hf-repo', 'one', STR, 'model', { env: 'LLAMA_ARG_HF_REPO' }),
		f('-c --ctx-size', 'one', INT, 'contextLength', { env: 'LLAMA_ARG_CTX_SIZE' }),
		f('-ngl --gpu-layers --n-gpu-layers', 'one', GPU_LAYERS, 'gpuLayers', { env: 'LLAMA_ARG_N_GPU_LAYERS' }),
		f('-np --parallel', 'one', INT, 'maxConcurrency', { env: 'LLAMA_ARG_N_PARALLEL' }),
		f('-t --threads', 'one', INT, 'threads', { env: 'LLAMA_ARG_THREADS' }),
		f('-b --batch-size', 'one', INT, 'batchTokens', { env: 'LLAMA_ARG_BATCH' }),
		f('-ctk --cache-type-k', 'one', LOWER, 'kvCacheDtype', { env: 'LLAMA_ARG_CACHE_TYPE_K' }),
		f('-ctv --cache-type-v', 'one', LOWER, undefined, { env: 'LLAMA_ARG_CACHE_TYPE_V' }),
		f('-ts --tensor-split', 'one', LIST_COUNT, 'deviceCount', { env: 'LLAMA_ARG_TENSOR_SPLIT' }),
		f('-dev --device', 'one', STR, 'device', { env: 'LLAMA_ARG_DEVICE' }),
		// --- model sources ---
		f('-hff --hf-file', 'one', STR, undefined, { env: 'LLAMA_ARG_HF_FILE' }),
		f('-mu --model-url', 'one', STR, undefined, { env: 'LLAMA_ARG_MODEL_URL' }),
		f('-mm --mmproj', 'one', STR, undefined, { env: 'LLAMA_ARG_MMPROJ' }),
		f('--no-mmproj', 'none', BOOL),
		f('--no-mmproj-offload', 'none', BOOL),
		f('--control-vector-layer-range', 'many', INT),
		// --- memory, offload, devices ---
		f('-ub --ubatch-size', 'one', INT, undefined, { env: 'LLAMA_ARG_UBATCH' }),
		f('-tb --threads-batch', 'one', INT, undefined, { env: 'LLAMA_ARG_THREADS_BATCH' }),
		f('-fa --flash-attn', 'optional', LOWER, undefined, { env: 'LLAMA_ARG_FLASH_ATTN' }),
		f('--mlock', 'none', BOOL, undefined, { env: 'LLAMA_ARG_MLOCK' }),
		f('--mmap', 'none', BOOL, undefined, { env: 'LLAMA_ARG_MMAP' }),
		f('--no-mmap', 'none', BOOL, undefined, { env: 'LLAMA_ARG_NO_MMAP', switchValue: false }),
		f('-dio --direct-io', 'none', BOOL),
		f('--numa', 'one', STR, undefined, { env: 'LLAMA_ARG_NUMA' }),
		f('-sm --split-mode', 'one', STR, undefined, { env: 'LLAMA_ARG_SPLIT_MODE' }),
		f('-mg --main-gpu', 'one', INT, undefined, { env: 'LLAMA_ARG_MAIN_GPU' }),
		f('-ncmoe --n-cpu-moe', 'one', INT),
		f('-kvo --kv-offload', 'none', BOOL),
		f('-nkvo --no-kv-offload', 'none', BOOL, undefined, {
			env: 'LLAMA_ARG_NO_KV_OFFLOAD',
			switchValue: false,
		}),
		f('-kvu --kv-unified', 'none', BOOL, undefined, { env: 'LLAMA_ARG_KV_UNIFIED' }),
		f('--repack', 'none', BOOL),
		f('-nr --no-repack', 'none', BOOL, undefined, { switchValue: false }),
		f('--no-op-offload', 'none', BOOL),
		f('-fit --fit', 'optional', LOWER),
		f('-fitc --fit-ctx', 'one', INT),
		f('-cram --cache-ram', 'one', INT),
		f('--cache-reuse', 'one', INT),
		f('--ctx-checkpoints --swa-checkpoints', 'one', INT),
		f('--context-shift', 'none', BOOL),
		f('--no-context-shift', 'none', BOOL, undefined, { switchValue: false }),
		f('--keep', 'one', INT),
		f('--cpu-strict', 'one', INT),
		f('--prio', 'one', INT),
		f('--poll', 'one', INT),
		f('--warmup', 'none', BOOL),
		f('--no-warmup', 'none', BOOL, undefined, { switchValue: false }),
		f('--perf', 'none', BOOL),
		f('--no-perf', 'none', BOOL, undefined, { switchValue: false }),
		// --- RoPE / context extension ---
		f('--rope-scale', 'one', FLOAT),
		f('--rope-freq-base', 'one', FLOAT),
		f('--rope-freq-scale', 'one', FLOAT),
		f('--yarn-orig-ctx', 'one', INT),
		f('--yarn-ext-factor', 'one', FLOAT),
		f('--yarn-attn-factor', 'one', FLOAT),
		f('--yarn-beta-slow', 'one', FLOAT),
		f('--yarn-beta-fast', 'one', FLOAT),
		f('-gan --grp-attn-n', 'one', INT),
		f('-gaw --grp-attn-w', 'one', INT),
		// --- server ---
		f('--host', 'one', STR, undefined, { env: 'LLAMA_ARG_HOST' }),
		f('--port', 'one', INT, undefined, { env: 'LLAMA_ARG_PORT' }),
		f('--no-webui', 'none', BOOL),
		f('--webui', 'none', BOOL),
		f('--ui', 'none', BOOL),
		f('--no-ui', 'none', BOOL, undefined, { switchValue: false }),
		f('--ui-config --webui-config', 'one', STR),
		f('--ui-config-file --webui-config-file', 'one', STR),
		f('--reuse-port', 'none', BOOL),
		f('--models-max', 'one', INT),
		f('--models-autoload', 'none', BOOL),
		f('--no-models-autoload', 'none', BOOL, undefined, { switchValue: false }),
		f('--tools', 'one', STR),
		f('-ag --agent', 'none', BOOL),
		f('-no-ag --no-agent', 'none', BOOL, undefined, { switchValue: false }),
		f('-a --alias', 'one', STR, undefined, { env: 'LLAMA_ARG_ALIAS' }),
		f('-cb --cont-batching', 'none', BOOL, undefined, { env: 'LLAMA_ARG_CONT_BATCHING' }),
		f('-nocb --no-cont-batching', 'none', BOOL, undefined, {
			env: 'LLAMA_ARG_NO_CONT_BATCHING',
			switchValue: false,
		}),
		f('--jinja', 'none', BOOL, undefined, { env: 'LLAMA_ARG_JINJA' }),
		f('--no-jinja', 'none', BOOL, undefined, { switchValue: false }),
		f('--chat-template', 'one', STR, undefined, { env: 'LLAMA_ARG_CHAT_TEMPLATE' }),
		f('--chat-template-file', 'one', STR, undefined, { env: 'LLAMA_ARG_CHAT_TEMPLATE_FILE' }),
		f('--reasoning-budget', 'one', INT),
		f('--api-key', 'one', STR, undefined, { env: 'LLAMA_API_KEY' }),
		f('-to --timeout', 'one', INT),
		f('--threads-http', 'one', INT),
		f('--metrics', 'none', BOOL, undefined, { env: 'LLAMA_ARG_ENDPOINT_METRICS' }),
		f('--slots', 'none', BOOL),
		f('--no-slots', 'none', BOOL, undefined, { switchValue: false }),
		f('-sps --slot-prompt-similarity', 'one', FLOAT),
		f('--embedding --embeddings', 'none', BOOL, undefined, { env: 'LLAMA_ARG_EMBEDDINGS' }),
		f('--n-probs', 'one', INT),
		// --- speculative decoding ---
		f('-md --model-draft', 'one', STR, 'draftModel'),
		f('--draft-max --draft --draft-n', 'one', INT, 'speculativeTokens'),
		f('--draft-min --draft-n-min', 'one', INT),
		f('--draft-p-min', 'one', FLOAT),
		f('-cd --ctx-size-draft', 'one', INT),
		f('-ngld --gpu-layers-draft --n-gpu-layers-draft', 'one', GPU_LAYERS),
		f('-ctkd --cache-type-k-draft', 'one', LOWER),
		f('-ctvd --cache-type-v-draft', 'one', LOWER),
		f('--spec-type', 'one', STR),
		f('--spec-draft-n-max', 'one', INT),
		// --- sampling (per-request defaults on the server) ---
		f('--temp --temperature', 'one', FLOAT),
		f('--top-k', 'one', INT),
		f('--top-p', 'one', FLOAT),
		f('--min-p', 'one', FLOAT),
		f('--top-nsigma', 'one', FLOAT),
		f('--typical', 'one', FLOAT),
		f('--repeat-penalty', 'one', FLOAT),
		f('--repeat-last-n', 'one', INT),
		f('--presence-penalty', 'one', FLOAT),
		f('--frequency-penalty', 'one', FLOAT),
		f('--mirostat', 'one', INT),
		f('--mirostat-lr', 'one', FLOAT),
		f('--mirostat-ent', 'one', FLOAT),
		f('--dynatemp-range', 'one', FLOAT),
		f('--dynatemp-exp', 'one', FLOAT),
		f('--dry-multiplier', 'one', FLOAT),
		f('--dry-base', 'one', FLOAT),
		f('--dry-allowed-length', 'one', INT),
		f('--dry-penalty-last-n', 'one', INT),
		f('--xtc-probability', 'one', FLOAT),
		f('--xtc-threshold', 'one', FLOAT),
		f('-s --seed', 'one', INT),
		// --- CLI / generation ---
		f('-n --predict --n-predict', 'one', INT, undefined, { env: 'LLAMA_ARG_N_PREDICT' }),
		f('-cnv --conversation', 'none', BOOL),
		f('-no-cnv --no-conversation', 'none', BOOL, undefined, { switchValue: false }),
		f('-e --escape', 'none', BOOL),
		f('--no-escape', 'none', BOOL, undefined, { switchValue: false }),
		f('--no-display-prompt', 'none', BOOL),
		f('--color', 'optional', LOWER),
		f('--embd-normalize', 'one', INT),
		// --- logging ---
		f('-lv --verbosity --log-verbosity', 'one', INT),
		f('--log-colors', 'optional', LOWER),
		// --- deprecated / removed (config-surface.md §2.3) ---
		f('-dt --defrag-thold', 'one', FLOAT, undefined, {
			deprecated: { note: 'a no-op that only prints a warning' },
		}),
		f('--tfs', 'one', FLOAT, undefined, gone('tail-free sampling was removed')),
		f('-ins --instruct', 'none', BOOL, undefined, gone('instruct mode is gone', '--conversation / --jinja')),
		f('--penalize-nl', 'none', BOOL, undefined, gone('the sampler no longer penalizes newlines')),
		f(
			'--memory-f32',
			'none',
			BOOL,
			undefined,
			gone('the KV cache type is set per cache now', '-ctk f32 -ctv f32'),
		),
		f('-gqa --gqa', 'one', INT, undefined, gone('read from the GGUF file since GGUF')),
		f('-eps --rms-norm-eps', 'one', FLOAT, undefined, gone('read from the GGUF file since GGUF')),
		f('--low-vram', 'none', BOOL, undefined, gone('removed with the old CUDA scratch buffers')),
		f('-nommq --no-mul-mat-q', 'none', BOOL, undefined, gone('MMQ is chosen automatically')),
		f('-mmq --mul-mat-q', 'none', BOOL, undefined, gone('MMQ is chosen automatically')),
	],
	{
		allowAbbrev: false,
		autoNegation: false,
		generated: LLAMACPP_GENERATED,
		programs: ['server', 'cli', 'completion'],
	},
);

/**
 * A LLAMA_ARG_* variable's flag: the table's explicit name, else the long flag the variable spells
 * (`LLAMA_ARG_UBATCH_SIZE` → `--ubatch-size`).
 */
export function llamaFlagForEnv(name: string) {
	const direct = LLAMACPP_FLAGS.byEnv.get(name);
	if (direct) return direct;
	if (!name.startsWith('LLAMA_ARG_')) return undefined;
	return LLAMACPP_FLAGS.bySpelling.get(
		'--' + name.slice('LLAMA_ARG_'.length).toLowerCase().replace(/_/g, '-'),
	);
}
