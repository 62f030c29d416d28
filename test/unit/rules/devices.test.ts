import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserMemoryLimit } from '../../../server/src/analysis/rules/browserMemoryLimit';
import { partialOffload } from '../../../server/src/analysis/rules/partialOffload';
import { applyEdits, at, context, llama3b, workload } from './helpers';

test('partial-offload: -ngl 20 of 32 layers on an RTX 4090, fix offloads all', () => {
	const file = 'models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf';
	const text = `llama-server -m ${file} -c 8192 -ngl 20\n`;
	const w = workload(text, 'llama.cpp', 'cli', at(text, file, file, '-m'), {
		contextLength: at(text, '8192', 8192, '-c'),
		gpuLayers: at(text, '20', 20, '-ngl'),
	});
	const ctx = context(text, w, { hardwareId: 'rtx-4090', weights: 'q4_k_m', kv: 'f16' });
	const [f] = partialOffload.check(ctx);
	assert.equal(f.severity, 'warning');
	assert.equal(text.slice(f.span.offset, f.span.offset + f.span.length), '20');
	// Weights 8.03e9 × 4.5 / 8 = 4.517 GB; 12/32 of them = 1.694 GB stay on the host.
	// Step = (2.823 GB on GPU + 2,048 × 131,072 B KV = 0.268 GB) / 1,000 GB/s + 1.694 GB / 64 GB/s
	//      = 3.09 ms + 26.47 ms = 29.56 ms → 33.8 tok/s. All on GPU: 4.785 GB / 1,000 GB/s = 4.79 ms → 209 tok/s.
	assert.match(f.message, /-ngl 20 keeps 12 of 32 layers \(1\.69 GB\) in host memory/);
	assert.match(f.message, /≈ 33\.8 tok\/s per user vs ≈ 209 tok\/s with every layer on the RTX 4090/);
	const [fix] = f.fixes ?? [];
	assert.equal(applyEdits(text, fix.edits), `llama-server -m ${file} -c 8192 -ngl 999\n`);
	assert.equal(fix.effect, 'all 32 layers on the GPU: ≈ 209 tok/s per user');
});

test('partial-offload is quiet on a CPU target and when every layer is offloaded', () => {
	const text = `llama-server -m m.gguf -ngl 99\n`;
	const w = workload(text, 'llama.cpp', 'cli', at(text, 'm.gguf', 'm.gguf'), {
		gpuLayers: at(text, '99', 99, '-ngl'),
	});
	assert.deepEqual(partialOffload.check(context(text, w, { hardwareId: 'rtx-4090', weights: 'q4_k_m' })), []);
	const few = workload(text, 'llama.cpp', 'cli', at(text, 'm.gguf', 'm.gguf'), {
		gpuLayers: at(text, '99', 10),
	});
	assert.deepEqual(
		partialOffload.check(context(text, few, { hardwareId: 'browser-wasm', weights: 'q4_k_m' })),
		[],
	);
});

test('browser-memory-limit: a 3B model in fp16 on WASM; q8 still overflows, q4 fits', () => {
	const id = 'onnx-community/Llama-3.2-3B-Instruct';
	const text = `const g = await pipeline('text-generation', '${id}', { dtype: 'fp16', device: 'wasm' });\n`;
	const w = workload(text, 'transformers.js', 'typescript', at(text, id, id), {
		weightFormat: at(text, `'fp16'`, 'fp16', 'dtype'),
		device: at(text, `'wasm'`, 'wasm', 'device'),
		contextLength: { value: 2048, source: 'assumed' },
	});
	const [f] = browserMemoryLimit.check(
		context(text, w, { hardwareId: 'browser-wasm', weights: 'fp16', model: llama3b }),
	);
	assert.equal(f.severity, 'error');
	// 3.21e9 × 2 bytes = 6.42 GB > 4 GiB = 4.29 GB.
	assert.match(f.message, /weights of 6\.42 GB exceed the 4 GiB \(4\.29 GB\) WASM memory/);
	assert.equal(f.data?.backend, 'wasm');
	// q8: 3.21 GB + KV (2 × 28 × 8 × 128 × 2 B × 2,048 = 0.235 GB) + 2 GB runtime = 5.44 GB > 4.29 GB → rejected.
	// q4 (4.5 bits): 1.806 GB + 0.235 GB + 2 GB = 4.04 GB ≤ 4.29 GB → chosen.
	const [fix] = f.fixes ?? [];
	assert.equal(fix.title, "Load the model with dtype 'q4'");
	assert.equal(applyEdits(text, fix.edits), text.replace(`'fp16'`, `'q4'`));
	assert.equal(fix.effect, 'Weights 1.81 GB in q4 (now 6.42 GB)');
});

test('browser-memory-limit: fp32 weights over the WebGPU page budget', () => {
	const id = 'big/vocab-model';
	const text = `pipeline('text-generation', '${id}', { device: 'webgpu', dtype: 'fp32' })\n`;
	const w = workload(text, 'transformers.js', 'typescript', at(text, id, id), {
		weightFormat: at(text, `'fp32'`, 'fp32', 'dtype'),
		device: at(text, `'webgpu'`, 'webgpu', 'device'),
	});
	// 128,256 × 3,072 × 4 bytes = 1.576 GB < 2 GiB: no warning for the 3B model in fp32 on an 8 GB page budget…
	// …but its 12.84 GB of fp32 weights exceed the 8 GB WebGPU budget: error. fp16 (6.42 GB + 2 GB runtime
	// = 8.42 GB) still does not fit; q8 (3.21 GB + 2 GB = 5.21 GB) does.
	const [f] = browserMemoryLimit.check(
		context(text, w, { hardwareId: 'browser-webgpu', weights: 'fp32', model: llama3b }),
	);
	assert.equal(f.severity, 'error');
	assert.match(f.message, /weights of 12\.8 GB exceed the 8\.00 GB a WebGPU page can use/);
	assert.equal(applyEdits(text, f.fixes?.[0].edits ?? []), text.replace(`'fp32'`, `'q8'`));
});
