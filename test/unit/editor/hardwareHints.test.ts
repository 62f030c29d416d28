/**
 * Hardware the file implies without a catalog label: ROCm (HIP_VISIBLE_DEVICES, HSA_*, rocm images,
 * /dev/kfd), TPUs (google.com/tpu, TPU images), Instinct parts named in an image or node selector. The hint
 * is the file speaking: it wins over a hardware setting, and says what stood in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { hardwareHint } from '../../../server/src/analysis/resolve/hardwareHints';

async function target(path: string, options = {}) {
	const a = await analyzeDocument({ path: `/w/${path}`, text: readFileSync(path, 'utf8') }, options);
	return a.workloads[0]!.target!;
}

test('compose on ROCm: mi300x stands in, two devices from HIP_VISIBLE_DEVICES, from the file', async () => {
	const t = await target('samples/compose/vllm-rocm.yaml');
	assert.equal(t.hardwareId, 'mi300x');
	assert.equal(t.devices, 2);
	assert.equal(t.source, 'file');
	assert.match(t.note, /ROCm in the file \(HIP_VISIBLE_DEVICES=0,1\).*mi300x stands in/);
});

test('a named MI325X (node selector) beats the vendor guess from the rocm image', async () => {
	const t = await target('samples/kubernetes/vllm-mi325x.yaml');
	assert.equal(t.hardwareId, 'mi325x');
	assert.match(t.note, /MI325X named in the file/);
});

test('google.com/tpu: a TPU target with the chips the pod asks for, even with a GPU setting', async () => {
	const t = await target('samples/kubernetes/vllm-tpu.yaml', { hardwareId: 'h100-sxm' });
	assert.equal(t.hardwareId, 'tpu-v6e');
	assert.equal(t.devices, 4);
	assert.equal(t.source, 'file');
});

test('each ROCm / TPU spelling is read; plain CUDA files and local engines get no vendor guess', () => {
	const cases: [string, string | undefined][] = [
		['HSA_OVERRIDE_GFX_VERSION=11.0.0 vllm serve m', 'mi300x'],
		['docker run --device /dev/kfd --device /dev/dri vllm/vllm-openai-rocm:v0.9.0', 'mi300x'],
		['ROCR_VISIBLE_DEVICES=0 vllm serve m', 'mi300x'],
		['image: vllm/vllm-tpu:nightly', 'tpu-v6e'],
		['vllm serve m --device tpu', 'tpu-v6e'],
		['image: vllm/vllm-openai:v0.9.0\nCUDA_VISIBLE_DEVICES=0,1', undefined],
		['image: amd-mi300x-vllm:latest', 'mi300x'],
	];
	for (const [text, id] of cases) assert.equal(hardwareHint(text, 'vllm')?.id, id, text);
	assert.equal(
		hardwareHint('HSA_OVERRIDE_GFX_VERSION=11.0.0 llama-server -m m.gguf', 'llama.cpp'),
		undefined,
	);
	assert.equal(hardwareHint('HIP_VISIBLE_DEVICES=0,1,2 vllm serve m', 'vllm')?.devices, 3);
});
