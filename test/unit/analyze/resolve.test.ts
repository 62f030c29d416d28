import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	getCatalog,
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
} from '../../../server/src/analysis/catalog';
import type { ModelSpec } from '../../../server/src/analysis/catalog/types';
import { pickKv, pickWeights } from '../../../server/src/analysis/resolve/formats';
import { joinPath } from '../../../server/src/analysis/resolve/model';
import { chooseTarget } from '../../../server/src/analysis/resolve/target';
import type { Framework, Setting, Workload, WorkloadSettings } from '../../../server/src/analysis/types';

const catalog = getCatalog();
const lookups = {
	format: (n: string) => resolveFormat(n, catalog),
	kv: (n: string) => resolveKvDtype(n, catalog),
};
const hw = (id: string) => {
	const r = resolveHardware(id, catalog);
	return r.ok ? r : { ok: false as const, suggestions: r.suggestions, message: r.message };
};

function model(id: string): ModelSpec {
	const r = resolveModel(id, catalog);
	assert.ok(r.ok, id);
	return r.model;
}

const file = <T>(value: T, key: string): Setting<T> => ({
	value,
	source: 'file',
	key,
	span: { offset: 0, length: 1 },
});

function wl(framework: Framework, settings: WorkloadSettings, modelId = 'm'): Workload {
	return {
		framework,
		model: { value: modelId, source: 'file' },
		settings,
		span: { offset: 0, length: 1 },
		syntax: 'cli',
		flags: [],
		unknowns: [],
	};
}

test('weights: an AWQ name wins over --dtype half (the activation dtype); explicit quantization wins over all', () => {
	const qwen = model('Qwen/Qwen2.5-32B-Instruct');
	assert.equal(
		pickWeights(wl('vllm', { weightFormat: file('half', '--dtype') }), qwen, 'awq', lookups).spec?.id,
		'awq',
	);
	assert.equal(
		pickWeights(wl('vllm', { quantization: file('fp8', '-q') }), qwen, undefined, lookups).spec?.id,
		'fp8',
	);
	assert.equal(
		pickWeights(wl('vllm', { quantization: file('awq_marlin', '-q') }), qwen, undefined, lookups).spec?.id,
		'awq',
	);
	assert.equal(
		pickWeights(wl('vllm', { weightFormat: file('float16', '--dtype') }), qwen, undefined, lookups).spec?.id,
		'fp16',
	);
	// auto / nothing: the model's native dtype (bf16 for Qwen2.5).
	assert.equal(
		pickWeights(wl('vllm', { weightFormat: file('auto', '--dtype') }), qwen, undefined, lookups).spec?.id,
		'bf16',
	);
	// transformers.js dtype is the weight format itself.
	assert.equal(
		pickWeights(wl('transformers.js', { weightFormat: file('q4', 'dtype') }), qwen, undefined, lookups).spec
			?.id,
		'q4',
	);
	const bad = pickWeights(wl('vllm', { quantization: file('nvfp4x', '-q') }), qwen, undefined, lookups);
	assert.equal(bad.unknown, 'nvfp4x');
	assert.equal(bad.spec?.id, 'bf16');
});

test('KV dtype: auto follows the weights; engines differ in their defaults', () => {
	const m = model('meta-llama/Llama-3.1-8B-Instruct');
	const bf16 = lookups.format('bf16');
	const awq = lookups.format('awq');
	assert.equal(
		pickKv(wl('vllm', { kvCacheDtype: file('auto', '--kv-cache-dtype') }), bf16, m, lookups).spec?.id,
		'bf16',
	);
	assert.equal(
		pickKv(wl('vllm', { kvCacheDtype: file('fp8', '--kv-cache-dtype') }), bf16, m, lookups).spec?.id,
		'fp8',
	);
	// AWQ weights with --dtype half: the KV cache is in the activation dtype, fp16 (catalog id f16).
	assert.equal(
		pickKv(wl('vllm', { weightFormat: file('half', '--dtype') }), awq, m, lookups).spec?.id,
		'f16',
	);
	assert.equal(pickKv(wl('llama.cpp', {}), lookups.format('q4_k_m'), m, lookups).spec?.id, 'f16');
	assert.equal(pickKv(wl('transformers.js', {}), lookups.format('fp16'), m, lookups).spec?.id, 'f16');
	assert.equal(pickKv(wl('transformers.js', {}), lookups.format('q4'), m, lookups).spec?.id, 'f32');
});

test('target: the file, then the setting, then the engine default; unknown ids are reported', () => {
	const fromFile = chooseTarget(
		wl('vllm', { hardware: file('l4', 'nodeSelector') }),
		{ hardwareId: 'h200' },
		hw,
	);
	assert.deepEqual([fromFile.target.hardwareId, fromFile.target.source], ['l4', 'file']);
	const fromSetting = chooseTarget(wl('vllm', {}), { hardwareId: 'h200' }, hw);
	assert.deepEqual([fromSetting.target.hardwareId, fromSetting.target.source], ['h200', 'user-setting']);
	const dflt = chooseTarget(wl('vllm', { tensorParallelSize: file(2, '-tp') }), {}, hw);
	assert.deepEqual(
		[dflt.target.hardwareId, dflt.target.source, dflt.target.devices],
		['h100-sxm', 'default', 2],
	);
	const unknown = chooseTarget(wl('vllm', {}), { hardwareId: 'h1OO-x' }, hw);
	assert.equal(unknown.target.hardwareId, 'h100-sxm');
	assert.equal(unknown.problem?.query, 'h1OO-x');
	assert.equal(unknown.problem?.source, 'user-setting');
});

test('target defaults: local machine for llama.cpp, a GPU stand-in when -ngl offloads, the browser for transformers.js', () => {
	assert.equal(chooseTarget(wl('llama.cpp', {}), {}, hw).target.hardwareId, 'ryzen-9-7950x');
	assert.equal(
		chooseTarget(wl('ollama', {}), { localHardwareId: 'apple-m4-max' }, hw).target.hardwareId,
		'apple-m4-max',
	);
	const ngl = chooseTarget(wl('llama.cpp', { gpuLayers: file(20, '-ngl') }), {}, hw);
	assert.equal(ngl.target.hardwareId, 'rtx-4090');
	assert.match(ngl.target.note, /-ngl 20 offloads to a GPU/);
	const webgpu = chooseTarget(wl('transformers.js', { device: file('webgpu', 'device') }), {}, hw);
	assert.deepEqual([webgpu.target.hardwareId, webgpu.target.source], ['browser-webgpu', 'file']);
	assert.equal(chooseTarget(wl('transformers.js', {}), {}, hw).target.hardwareId, 'browser-wasm');
	// In Node (device cpu from the extractor's Node guess) onnxruntime-node runs on this machine.
	const node = chooseTarget(
		wl('transformers.js', { device: { value: 'cpu', source: 'engine-default' } }),
		{},
		hw,
	);
	assert.equal(node.target.hardwareId, 'ryzen-9-7950x');
});

test('joinPath resolves a model path against the document folder', () => {
	assert.equal(joinPath('/repo/deploy/serve.sh', './models/m.gguf'), '/repo/deploy/models/m.gguf');
	assert.equal(joinPath('/repo/deploy/serve.sh', '../m.gguf'), '/repo/m.gguf');
	assert.equal(joinPath('deploy/serve.sh', 'm.gguf'), 'deploy/m.gguf');
	assert.equal(joinPath('/repo/serve.sh', '/abs/m.gguf'), '/abs/m.gguf');
});
