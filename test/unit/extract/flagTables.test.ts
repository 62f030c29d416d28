import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VLLM_FLAGS } from '../../../server/src/analysis/extract/flags/vllm';
import { LLAMACPP_FLAGS, llamaFlagForEnv } from '../../../server/src/analysis/extract/flags/llamacpp';
import { lookupFlag } from '../../../server/src/analysis/extract/argv';
import { GPU_PRODUCT_LABELS, INSTANCE_TYPES } from '../../../server/src/analysis/extract/hardwareLabels';
import { getCatalog } from '../../../server/src/analysis/catalog';

test('no spelling belongs to two flags', () => {
	for (const t of [VLLM_FLAGS, LLAMACPP_FLAGS]) {
		const seen = new Map<string, string>();
		for (const s of t.specs)
			for (const sp of s.spellings) {
				assert.ok(!seen.has(sp), `${t.engine}: ${sp} in ${seen.get(sp)} and ${s.canonical}`);
				seen.set(sp, s.canonical);
			}
	}
});

test('every vLLM spelling named in config-surface.md §1 is known', () => {
	const names = [
		'--model',
		'--served-model-name',
		'--tensor-parallel-size',
		'-tp',
		'--pipeline-parallel-size',
		'-pp',
		'--max-model-len',
		'--max_model_len',
		'--max-num-seqs',
		'--gpu-memory-utilization',
		'--gpu_memory_utilization',
		'--kv-cache-dtype',
		'--dtype',
		'--quantization',
		'-q',
		'--max-num-batched-tokens',
		'--enable-prefix-caching',
		'--no-enable-prefix-caching',
		'--cpu-offload-gb',
		'--swap-space',
		'--enforce-eager',
		'--trust-remote-code',
		'--download-dir',
		'--host',
		'--port',
		'--config',
		'--enable-chunked-prefill',
		'--load-format',
		'--block-size',
		'-dcp',
		'-dp',
		'-dpn',
		'-dpr',
		'-dpl',
		'-dpa',
		'-dpp',
		'-dpb',
		'-O',
		'-O3',
		'--compilation-config.cudagraph_mode',
	];
	for (const n of names) assert.ok(lookupFlag(n, VLLM_FLAGS).spec, n);
	assert.equal(lookupFlag('--max-model-len', VLLM_FLAGS).spec!.setting, 'contextLength');
	assert.equal(lookupFlag('--no-enable-prefix-caching', VLLM_FLAGS).switchValue, false);
});

test('every llama.cpp alias in config-surface.md §2 is known, with its env variable', () => {
	const pairs: [string, string][] = [
		['-m', 'model'],
		['-c', 'ctx-size'],
		['--ctx_size', 'ctx-size'],
		['-ngl', 'gpu-layers'],
		['--n-gpu-layers', 'gpu-layers'],
		['--gpu-layers', 'gpu-layers'],
		['-np', 'parallel'],
		['-t', 'threads'],
		['-b', 'batch-size'],
		['-ub', 'ubatch-size'],
		['-fa', 'flash-attn'],
		['-ctk', 'cache-type-k'],
		['-ctv', 'cache-type-v'],
		['-hf', 'hf-repo'],
		['-hfr', 'hf-repo'],
		['-hff', 'hf-file'],
		['--mlock', 'mlock'],
		['--no-mmap', 'no-mmap'],
		['-ts', 'tensor-split'],
		['-sm', 'split-mode'],
		['-mg', 'main-gpu'],
		['-cb', 'cont-batching'],
		['-nocb', 'no-cont-batching'],
		['--swa-checkpoints', 'ctx-checkpoints'],
		['-cram', 'cache-ram'],
		['-kvu', 'kv-unified'],
		['-ncmoe', 'n-cpu-moe'],
		['-ot', 'override-tensor'],
		['--temp', 'temp'],
		['--mirostat-lr', 'mirostat-lr'],
	];
	for (const [spelling, canonical] of pairs)
		assert.equal(lookupFlag(spelling, LLAMACPP_FLAGS).spec?.canonical, canonical, spelling);
	// Short flags are matched exactly (no `_` rewriting, no prefixes).
	assert.equal(lookupFlag('-ng', LLAMACPP_FLAGS).spec, undefined);
	assert.equal(lookupFlag('--ctx', LLAMACPP_FLAGS).spec, undefined);
	assert.equal(llamaFlagForEnv('LLAMA_ARG_CTX_SIZE')?.canonical, 'ctx-size');
	assert.equal(llamaFlagForEnv('LLAMA_ARG_N_GPU_LAYERS')?.canonical, 'gpu-layers');
	assert.equal(llamaFlagForEnv('LLAMA_ARG_UBATCH')?.canonical, 'ubatch-size');
	assert.equal(llamaFlagForEnv('LLAMA_ARG_MLOCK')?.canonical, 'mlock');
	assert.equal(llamaFlagForEnv('LLAMA_ARG_NOPE'), undefined);
});

test('every hardware id the label tables produce exists in the catalog', () => {
	const ids = new Set(getCatalog().hardware.map((h) => h.id));
	for (const id of [
		...Object.values(GPU_PRODUCT_LABELS),
		...Object.values(INSTANCE_TYPES).map((x) => x.hardware),
	])
		assert.ok(ids.has(id), id);
});
