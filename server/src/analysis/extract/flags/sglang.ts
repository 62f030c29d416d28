/**
 * SGLang `python -m sglang.launch_server` / `sglang serve` arguments. The hand lines below are the
 * settings the estimate reads (one line per flag); every other flag comes from the table generated from
 * python/sglang/srt/server_args.py (scripts/flags). Only part of the newest server_args.py was read, so the
 * table is `partial`: an unknown SGLang flag is information, never a warning. SGLang uses argparse with
 * prefix matching, so `--tp` reaches `--tp-size`.
 */
import { BOOL, FRACTION, HUMAN_INT, INT, LOWER, POS_INT, STR, TORCH_DTYPE } from '../values';
import { SGLANG_GENERATED } from './generated/sglang';
import { buildTable, flag as f, type FlagTable } from './types';

export const SGLANG_FLAGS: FlagTable = buildTable(
	'sglang',
	[
		// --- settings the estimate reads ---
		f('--model-path --model', 'one', STR, 'model'),
		// `--tp` / `--dp` are argparse prefixes of --tp-size / --dp-size (unique among the flags read).
		f('--tp-size --tensor-parallel-size --tp', 'one', POS_INT, 'tensorParallelSize'),
		f('--pp-size --pipeline-parallel-size', 'one', POS_INT, 'pipelineParallelSize'),
		f('--mem-fraction-static', 'one', FRACTION, 'gpuMemoryUtilization'),
		f('--context-length', 'one', HUMAN_INT, 'contextLength'),
		f('--max-running-requests', 'one', POS_INT, 'maxConcurrency'),
		f('--kv-cache-dtype', 'one', LOWER, 'kvCacheDtype'),
		f('--quantization', 'one', LOWER, 'quantization'),
		f('--dtype', 'one', TORCH_DTYPE, 'weightFormat'),
		f('--chunked-prefill-size', 'one', INT, 'batchTokens'),
		f('--device', 'one', LOWER, 'device'),
		// --- parallel layouts and speculative decoding: the serving estimate reads these ---
		f('--dp-size --data-parallel-size --dp', 'one', POS_INT, 'dataParallelSize'),
		f('--enable-dp-attention', 'none', BOOL, 'dataParallelAttention'),
		f('--ep-size --expert-parallel-size', 'one', POS_INT, 'expertParallelSize'),
		// EAGLE / EAGLE3 / NEXTN (MTP) / STANDALONE; speculativeMethodOf reads SGLang's spellings.
		f('--speculative-algorithm', 'one', STR, 'speculativeMethod'),
		f('--speculative-draft-model-path', 'one', STR, 'draftModel'),
		// Draft depth: tokens proposed per verify step along the chosen path.
		f('--speculative-num-steps', 'one', INT, 'speculativeTokens'),
		// --- read by name only ---
		f('--speculative-eagle-topk', 'one', INT),
		f('--speculative-num-draft-tokens', 'one', INT),
		f('--max-total-tokens', 'one', HUMAN_INT),
		f('--nnodes', 'one', POS_INT),
		f('--node-rank', 'one', INT),
		f('--dist-init-addr --nccl-init-addr', 'one', STR),
		f('--served-model-name', 'one', STR),
		f('--attention-backend', 'one', STR),
		f('--cuda-graph-max-bs', 'one', INT),
		f('--disable-cuda-graph', 'none', BOOL),
		f('--enable-torch-compile', 'none', BOOL),
		f('--page-size', 'one', INT),
	],
	{
		allowAbbrev: true,
		autoNegation: false,
		generated: SGLANG_GENERATED,
		coverage: 'partial',
		label: 'SGLang',
	},
);
