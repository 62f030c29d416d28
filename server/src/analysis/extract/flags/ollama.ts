/**
 * Ollama Modelfile PARAMETERs and server environment variables that change memory or concurrency
 * (research/config-surface.md §3). One line each.
 */
import { BOOL, FLOAT, INT, LOWER, STR } from '../values';
import { buildTable, flag as f, type FlagSpec, type FlagTable } from './types';

/** PARAMETER names, matched case-insensitively (Ollama lowercases them). */
export const OLLAMA_PARAMETERS: FlagTable = buildTable(
	'ollama',
	[
		f('num_ctx', 'one', INT, 'contextLength'),
		f('num_gpu', 'one', INT, 'gpuLayers'),
		f('num_thread', 'one', INT, 'threads'),
		f('num_batch', 'one', INT, 'batchTokens'),
		f('num_predict', 'one', INT),
		f('num_keep', 'one', INT),
		f('temperature', 'one', FLOAT),
		f('top_k', 'one', INT),
		f('top_p', 'one', FLOAT),
		f('min_p', 'one', FLOAT),
		f('typical_p', 'one', FLOAT),
		f('repeat_last_n', 'one', INT),
		f('repeat_penalty', 'one', FLOAT),
		f('presence_penalty', 'one', FLOAT),
		f('frequency_penalty', 'one', FLOAT),
		f('seed', 'one', INT),
		f('stop', 'one', STR),
		f('mirostat', 'one', INT),
		f('mirostat_eta', 'one', FLOAT),
		f('mirostat_tau', 'one', FLOAT),
		f('use_mmap', 'one', BOOL),
		f('use_mlock', 'one', BOOL),
		f('numa', 'one', BOOL),
		f('main_gpu', 'one', INT),
		f('low_vram', 'one', BOOL),
		f('penalize_newline', 'one', BOOL, undefined, { deprecated: { note: 'ignored by current Ollama' } }),
		f('tfs_z', 'one', FLOAT, undefined, {
			deprecated: { note: 'tail-free sampling was removed from llama.cpp' },
		}),
	],
	{ allowAbbrev: false, autoNegation: false },
);

/** Server environment variables (compose `environment:`, systemd `Environment=`, `.env`). */
export const OLLAMA_ENV: Record<string, FlagSpec> = {
	OLLAMA_CONTEXT_LENGTH: f('OLLAMA_CONTEXT_LENGTH', 'one', INT, 'contextLength'),
	OLLAMA_NUM_PARALLEL: f('OLLAMA_NUM_PARALLEL', 'one', INT, 'maxConcurrency'),
	OLLAMA_KV_CACHE_TYPE: f('OLLAMA_KV_CACHE_TYPE', 'one', LOWER, 'kvCacheDtype'),
	OLLAMA_FLASH_ATTENTION: f('OLLAMA_FLASH_ATTENTION', 'one', BOOL),
	OLLAMA_NUM_THREADS: f('OLLAMA_NUM_THREADS', 'one', INT, 'threads'),
};
