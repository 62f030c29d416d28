/**
 * vLLM engine and OpenAI-server arguments. Every flag vLLM declares comes from the table generated from
 * vllm/engine/arg_utils.py and entrypoints/openai/cli_args.py (generated/vllm.ts, scripts/flags); the
 * lines here are the hand-written overlay, one line per flag: the settings the estimate reads, value
 * parsers for flags whose values are checked, flags newer than the releases read, and flags that
 * releases dropped (with `deprecated`, so old files get a clear message, not "unknown";
 * research/config-surface.md §1).
 */
import { BOOL, FLOAT, FRACTION, HUMAN_INT, INT, LOWER, POS_INT, STR, TORCH_DTYPE } from '../values';
import { VLLM_GENERATED } from './generated/vllm';
import { buildTable, flag as f, type FlagTable } from './types';

const removed = (note?: string, replacement?: string) => ({
	deprecated: { note, replacement, removed: true },
});

export const VLLM_FLAGS: FlagTable = buildTable(
	'vllm',
	[
		// --- settings the estimate reads ---
		f('--model', 'one', STR, 'model'),
		f('--tensor-parallel-size -tp', 'one', POS_INT, 'tensorParallelSize'),
		f('--pipeline-parallel-size -pp', 'one', POS_INT, 'pipelineParallelSize'),
		f('--max-model-len', 'one', HUMAN_INT, 'contextLength'),
		f('--max-num-seqs', 'one', POS_INT, 'maxConcurrency'),
		f('--gpu-memory-utilization', 'one', FRACTION, 'gpuMemoryUtilization'),
		f('--kv-cache-dtype', 'one', LOWER, 'kvCacheDtype'),
		f('--dtype', 'one', TORCH_DTYPE, 'weightFormat'),
		f('--quantization -q', 'one', LOWER, 'quantization'),
		f('--max-num-batched-tokens', 'one', HUMAN_INT, 'batchTokens'),
		f('--device', 'one', LOWER, 'device'),
		// --- model ---
		f('--seed', 'one', INT),
		f('--rope-theta', 'one', FLOAT),
		f('--max-logprobs', 'one', INT),
		f(
			'--max-seq-len-to-capture',
			'one',
			INT,
			undefined,
			removed('CUDA graphs are now sized by --cudagraph-capture-sizes'),
		),
		f('--disable-async-output-proc', 'none', BOOL),
		f('--override-neuron-config', 'one', STR),
		f('--quantization-param-path', 'one', STR, undefined, removed()),
		// --- cache ---
		f('--block-size', 'one', INT),
		f('--swap-space', 'one', FLOAT),
		f('--cpu-offload-gb', 'one', FLOAT),
		f('--kv-cache-memory', 'one', HUMAN_INT),
		f('--num-gpu-blocks-override', 'one', INT),
		f('--kv-offloading-size', 'one', FLOAT),
		f('--kv-offloading-backend', 'one', STR),
		// --- parallelism ---
		f('--decode-context-parallel-size -dcp', 'one', INT),
		f('--data-parallel-size -dp', 'one', INT, 'dataParallelSize'),
		f('--data-parallel-rank -dpn', 'one', INT),
		f('--data-parallel-start-rank -dpr', 'one', INT),
		f('--data-parallel-size-local -dpl', 'one', INT),
		f('--data-parallel-rpc-port -dpp', 'one', INT),
		f('--data-parallel-backend -dpb', 'one', STR),
		f('--data-parallel-hybrid-lb', 'none', BOOL),
		f('--enable-expert-parallel', 'none', BOOL, 'expertParallel'),
		f('--enable-eplb', 'none', BOOL),
		f('--eplb-config', 'one', STR),
		f('--expert-placement-strategy', 'one', STR),
		f('--max-parallel-loading-workers', 'one', INT),
		f('--headless', 'none', BOOL),
		f('--api-server-count -asc', 'one', INT),
		// --- scheduler ---
		f('--enable-chunked-prefill', 'optional', BOOL),
		f('--max-num-partial-prefills', 'one', INT),
		f('--max-long-partial-prefills', 'one', INT),
		f('--long-prefill-token-threshold', 'one', INT),
		f('--num-lookahead-slots', 'one', INT),
		f('--scheduler-delay-factor', 'one', FLOAT),
		f('--preemption-mode', 'one', STR),
		f('--cudagraph-capture-sizes', 'many', INT),
		// --- multimodal, LoRA ---
		f('--mm-processor-cache-gb', 'one', FLOAT),
		f('--enable-lora-bias', 'none', BOOL),
		f('--max-loras', 'one', INT),
		f('--max-lora-rank', 'one', INT),
		f('--lora-extra-vocab-size', 'one', INT),
		f('--max-cpu-loras', 'one', INT),
		// --- JSON configs, compilation, speculative ---
		f('--speculative-config', 'one', STR, 'speculativeConfig'),
		f('--kv-transfer-config', 'one', STR),
		f('--kv-events-config', 'one', STR),
		f('--compilation-config -O', 'one', STR),
		f('--optimization-level', 'one', INT),
		// --- logging, observability ---
		f('--enable-log-requests', 'none', BOOL),
		f('--max-log-len', 'one', INT),
		f('--collect-detailed-traces', 'one', STR),
		// --- OpenAI server (cli_args.py) ---
		f('--port', 'one', INT),
		f('--config', 'one', STR),
		f('--api-key', 'one', STR),
		f('--allowed-origins', 'one', STR),
		f('--allowed-methods', 'one', STR),
		f('--allowed-headers', 'one', STR),
		f('--ssl-cert-reqs', 'one', INT),
		f('--disable-frontend-multiprocessing', 'none', BOOL),
		f('--h11-max-incomplete-event-size', 'one', INT),
		f('--h11-max-header-count', 'one', INT),
		// --- newer than the arg_utils.py the generated table read (0.11 series) ---
		// Multi-node without Ray (ParallelConfig nnodes / node_rank / master_addr / master_port) and
		// KernelConfig.enable_flashinfer_autotune (a bool, so `--no-enable-flashinfer-autotune` too), from
		// vllm/config/kernel.py on main; kept by hand until a newer arg_utils.py is generated from.
		f('--nnodes', 'one', POS_INT),
		f('--node-rank', 'one', INT),
		f('--master-addr', 'one', STR),
		f('--master-port', 'one', INT),
		f('--enable-flashinfer-autotune', 'none', BOOL),
		f('--kernel-config', 'one', STR),
		// --- deprecated (config-surface.md §1.3) ---
		f('--disable-log-requests', 'none', BOOL, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--no-enable-log-requests', renameSafe: true },
		}),
		f('--task', 'one', STR, undefined, { deprecated: { replacement: '--runner / --convert' } }),
		f('--guided-decoding-backend', 'one', STR, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--structured-outputs-config' },
		}),
		f('--guided-decoding-disable-fallback', 'none', BOOL, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--structured-outputs-config' },
		}),
		f('--guided-decoding-disable-any-whitespace', 'none', BOOL, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--structured-outputs-config' },
		}),
		f('--guided-decoding-disable-additional-properties', 'none', BOOL, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--structured-outputs-config' },
		}),
		f('--cuda-graph-sizes', 'many', INT, undefined, {
			deprecated: { removedIn: '0.13', replacement: '--cudagraph-capture-sizes', renameSafe: true },
		}),
		f('--disable-mm-preprocessor-cache', 'none', BOOL, undefined, {
			deprecated: { replacement: '--mm-processor-cache-gb 0' },
		}),
		f('--enable-multimodal-encoder-data-parallel', 'none', BOOL, undefined, {
			deprecated: { replacement: '--mm-encoder-tp-mode data' },
		}),
		f('--override-pooler-config', 'one', STR, undefined, {
			deprecated: { replacement: '--pooler-config', renameSafe: true },
		}),
		f('--num-redundant-experts', 'one', INT, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--eplb-config' },
		}),
		f('--eplb-window-size', 'one', INT, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--eplb-config' },
		}),
		f('--eplb-step-interval', 'one', INT, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--eplb-config' },
		}),
		f('--eplb-log-balancedness', 'none', BOOL, undefined, {
			deprecated: { removedIn: '0.12', replacement: '--eplb-config' },
		}),
		f('--num-scheduler-steps', 'one', INT, undefined, removed('multi-step scheduling has been removed')),
		f(
			'--multi-step-stream-outputs',
			'optional',
			BOOL,
			undefined,
			removed('multi-step scheduling has been removed'),
		),
		f('--use-v2-block-manager', 'none', BOOL, undefined, removed('the v2 block manager became the only one')),
		f('--engine-use-ray', 'none', BOOL, undefined, removed()),
		f('--worker-use-ray', 'none', BOOL, undefined, removed(undefined, '--distributed-executor-backend ray')),
		f('--speculative-model', 'one', STR, undefined, removed(undefined, "--speculative-config '{...}'")),
		f('--num-speculative-tokens', 'one', INT, undefined, removed(undefined, "--speculative-config '{...}'")),
		f(
			'--speculative-draft-tensor-parallel-size -spec-draft-tp',
			'one',
			INT,
			undefined,
			removed(undefined, '--speculative-config'),
		),
		f('--ngram-prompt-lookup-max', 'one', INT, undefined, removed(undefined, '--speculative-config')),
		f('--ngram-prompt-lookup-min', 'one', INT, undefined, removed(undefined, '--speculative-config')),
		f('--tokenizer-pool-size', 'one', INT, undefined, removed()),
		f('--tokenizer-pool-type', 'one', STR, undefined, removed()),
		f('--tokenizer-pool-extra-config', 'one', STR, undefined, removed()),
		f('--image-input-type', 'one', STR, undefined, removed('multimodal inputs are configured per model now')),
		f('--image-token-id', 'one', INT, undefined, removed('multimodal inputs are configured per model now')),
		f(
			'--image-input-shape',
			'one',
			STR,
			undefined,
			removed('multimodal inputs are configured per model now'),
		),
		f(
			'--image-feature-size',
			'one',
			INT,
			undefined,
			removed('multimodal inputs are configured per model now'),
		),
		f('--max-context-len-to-capture', 'one', INT, undefined, removed(undefined, '--max-seq-len-to-capture')),
		f('--disable-logprobs-during-spec-decoding', 'optional', BOOL, undefined, removed()),
		f('--spec-decoding-acceptance-method', 'one', STR, undefined, removed()),
		f('--prompt-adapters', 'many', STR, undefined, removed()),
		f('--enable-prompt-adapter', 'none', BOOL, undefined, removed()),
		f('--max-prompt-adapters', 'one', INT, undefined, removed()),
		f('--max-prompt-adapter-token', 'one', INT, undefined, removed()),
		f('--qlora-adapter-name-or-path', 'one', STR, undefined, removed()),
		f('--long-lora-scaling-factors', 'one', STR, undefined, removed()),
		f('--speculative-model-quantization', 'one', STR, undefined, removed(undefined, '--speculative-config')),
		f(
			'--speculative-disable-mqa-scorer',
			'none',
			BOOL,
			undefined,
			removed(undefined, '--speculative-config'),
		),
		f('--speculative-max-model-len', 'one', INT, undefined, removed(undefined, '--speculative-config')),
		f(
			'--speculative-disable-by-batch-size',
			'one',
			INT,
			undefined,
			removed(undefined, '--speculative-config'),
		),
		f('--typical-acceptance-sampler-posterior-threshold', 'one', FLOAT, undefined, removed()),
		f('--typical-acceptance-sampler-posterior-alpha', 'one', FLOAT, undefined, removed()),
		f(
			'--enable-reasoning',
			'none',
			BOOL,
			undefined,
			removed('--reasoning-parser alone enables it', '--reasoning-parser'),
		),
	],
	{ allowAbbrev: true, autoNegation: true, generated: VLLM_GENERATED },
);

/** `vllm serve --model X` is deprecated in favour of the positional model (config-surface.md §1.1 #7). */
export const VLLM_SERVE_MODEL_FLAG_DEPRECATION = {
	replacement: 'the positional model: `vllm serve MODEL`',
	note: '`vllm serve` moves `--model` to the front and warns that it is deprecated (the warning named v0.13 for its removal; later releases still accept it)',
};
