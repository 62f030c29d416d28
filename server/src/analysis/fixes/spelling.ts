/**
 * How each engine spells the settings a fix may add, per syntax. Only settings that fixes insert are
 * listed; replacing an existing value never needs a spelling (the fix edits the value in place).
 */
import type { Framework, Workload, WorkloadSettings } from '../types';

export type FixableSetting = keyof Pick<
	WorkloadSettings,
	| 'contextLength'
	| 'maxConcurrency'
	| 'kvCacheDtype'
	| 'tensorParallelSize'
	| 'gpuLayers'
	| 'weightFormat'
	| 'quantization'
	| 'pipelineParallelSize'
>;

interface Spelling {
	/** Flags in long form; llama.cpp's short forms in `short`. Several flags = one per entry (K and V). */
	cli?: string[];
	short?: string[];
	/** YAML key in kebab-case (the `--config` file); snake_case is derived when the file uses it. */
	yaml?: string;
	python?: string;
	typescript?: string;
	modelfile?: string;
	env?: string[];
}

const SPELLINGS: Partial<Record<Framework, Partial<Record<FixableSetting, Spelling>>>> = {
	vllm: {
		contextLength: { cli: ['--max-model-len'], yaml: 'max-model-len', python: 'max_model_len' },
		maxConcurrency: { cli: ['--max-num-seqs'], yaml: 'max-num-seqs', python: 'max_num_seqs' },
		kvCacheDtype: { cli: ['--kv-cache-dtype'], yaml: 'kv-cache-dtype', python: 'kv_cache_dtype' },
		tensorParallelSize: {
			cli: ['--tensor-parallel-size'],
			yaml: 'tensor-parallel-size',
			python: 'tensor_parallel_size',
		},
		quantization: { cli: ['--quantization'], yaml: 'quantization', python: 'quantization' },
		pipelineParallelSize: {
			cli: ['--pipeline-parallel-size'],
			yaml: 'pipeline-parallel-size',
			python: 'pipeline_parallel_size',
		},
	},
	'llama.cpp': {
		contextLength: { cli: ['--ctx-size'], short: ['-c'], python: 'n_ctx', env: ['LLAMA_ARG_CTX_SIZE'] },
		maxConcurrency: { cli: ['--parallel'], short: ['-np'], env: ['LLAMA_ARG_N_PARALLEL'] },
		gpuLayers: {
			cli: ['--n-gpu-layers'],
			short: ['-ngl'],
			python: 'n_gpu_layers',
			env: ['LLAMA_ARG_N_GPU_LAYERS'],
		},
		// llama-cpp-python takes type_k as a ggml enum integer, so it gets no inserted fix.
		kvCacheDtype: {
			cli: ['--cache-type-k', '--cache-type-v'],
			short: ['-ctk', '-ctv'],
			env: ['LLAMA_ARG_CACHE_TYPE_K', 'LLAMA_ARG_CACHE_TYPE_V'],
		},
	},
	ollama: {
		contextLength: { modelfile: 'num_ctx' },
		gpuLayers: { modelfile: 'num_gpu' },
	},
	'transformers.js': {
		weightFormat: { typescript: 'dtype' },
	},
	// SGLang server_args.py spellings (python -m sglang.launch_server / sglang serve).
	sglang: {
		contextLength: { cli: ['--context-length'] },
		maxConcurrency: { cli: ['--max-running-requests'] },
		kvCacheDtype: { cli: ['--kv-cache-dtype'] },
		tensorParallelSize: { cli: ['--tp-size'] },
	},
};

export function spellingFor(framework: Framework, setting: FixableSetting): Spelling | undefined {
	return SPELLINGS[framework]?.[setting];
}

/** True when the file writes its flags/keys with underscores (`--max_model_len`, `max_num_seqs:`). */
export function usesUnderscores(workload: Workload): boolean {
	const keys = [
		...workload.flags.map((f) => f.name),
		...Object.values(workload.settings).map((s) => s?.key ?? ''),
	].filter((k) => k.length > 0 && !/^[A-Z_]+$/.test(k));
	const under = keys.filter((k) => k.replace(/^-+/, '').includes('_')).length;
	const dash = keys.filter((k) => k.replace(/^-+/, '').includes('-')).length;
	return under > dash;
}

/** True when the command uses llama.cpp's short flags (`-c`, `-ngl`) more than long ones. */
export function usesShortFlags(workload: Workload): boolean {
	const short = workload.flags.filter((f) => /^-[^-]/.test(f.name)).length;
	const long = workload.flags.filter((f) => f.name.startsWith('--')).length;
	return short > long;
}
