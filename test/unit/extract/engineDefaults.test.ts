import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEngineDefaults } from '../../../server/src/analysis/extract/engineDefaults';
import type { Workload } from '../../../server/src/analysis/types';

function workload(
	framework: Workload['framework'],
	settings: Workload['settings'] = {},
	version?: string,
): Workload {
	return {
		framework,
		model: { value: 'm', source: 'file' },
		settings,
		span: { offset: 0, length: 1 },
		syntax: 'cli',
		flags: [],
		unknowns: [],
		engineVersion: version ? { value: version, source: 'file' } : undefined,
	};
}

test('vLLM: defaults fill only what the file leaves out, each citing its source', () => {
	const w = workload('vllm', {
		maxConcurrency: { value: 64, source: 'file' },
		tensorParallelSize: { value: 2, source: 'file' },
	});
	const d = applyEngineDefaults(w, { modelMaxContext: 131072, deviceMemoryGiB: 80, hardwareId: 'h100-sxm' });
	assert.equal(d.settings.maxConcurrency!.value, 64);
	assert.equal(d.settings.maxConcurrency!.source, 'file');
	assert.equal(d.settings.gpuMemoryUtilization!.value, 0.9);
	assert.equal(d.settings.gpuMemoryUtilization!.source, 'engine-default');
	assert.match(d.settings.gpuMemoryUtilization!.note!, /config-surface\.md/);
	assert.equal(d.settings.kvCacheDtype!.value, 'auto');
	assert.equal(d.settings.contextLength!.value, 131072);
	assert.equal(d.settings.deviceCount!.value, 2); // TP 2 × PP 1
	assert.equal(w.settings.gpuMemoryUtilization, undefined, 'the input is not modified');
});

test('vLLM max-num-seqs default depends on the GPU: 1024 on >= 70 GiB (not A100), 256 otherwise', () => {
	const h100 = applyEngineDefaults(workload('vllm'), { deviceMemoryGiB: 80, hardwareId: 'h100-sxm' });
	const a100 = applyEngineDefaults(workload('vllm'), { deviceMemoryGiB: 80, hardwareId: 'a100-80gb-sxm' });
	const l4 = applyEngineDefaults(workload('vllm'), { deviceMemoryGiB: 24, hardwareId: 'l4' });
	const unknown = applyEngineDefaults(workload('vllm'));
	assert.equal(h100.settings.maxConcurrency!.value, 1024);
	assert.equal(a100.settings.maxConcurrency!.value, 256);
	assert.equal(l4.settings.maxConcurrency!.value, 256);
	// Without the GPU the default is left to the stage that knows it.
	assert.equal(unknown.settings.maxConcurrency, undefined);
	assert.equal(unknown.settings.contextLength, undefined, 'no model context known, nothing invented');
});

test('llama.cpp: 4096 context since PR #10136, model context before; -c 0 means the model context', () => {
	const now = applyEngineDefaults(workload('llama.cpp'), { modelMaxContext: 131072 });
	assert.equal(now.settings.contextLength!.value, 4096);
	assert.equal(now.settings.kvCacheDtype!.value, 'f16');
	assert.equal(now.settings.maxConcurrency!.value, 1);
	assert.equal(now.settings.gpuLayers!.value, -1);
	const old = applyEngineDefaults(workload('llama.cpp', {}, 'b3500'), { modelMaxContext: 131072 });
	assert.equal(old.settings.contextLength!.value, 131072);
	const zero = applyEngineDefaults(workload('llama.cpp', { contextLength: { value: 0, source: 'file' } }), {
		modelMaxContext: 32768,
	});
	assert.equal(zero.settings.contextLength!.value, 32768);
	assert.equal(zero.settings.contextLength!.source, 'file');
});

test('Ollama: num_ctx default by version, num_gpu auto', () => {
	assert.equal(applyEngineDefaults(workload('ollama', {}, '0.5.7')).settings.contextLength!.value, 2048);
	assert.equal(applyEngineDefaults(workload('ollama')).settings.contextLength!.value, 4096);
	assert.equal(applyEngineDefaults(workload('ollama')).settings.gpuLayers!.value, -1);
	// Frameworks without a table are returned unchanged.
	assert.deepEqual(applyEngineDefaults(workload('transformers')).settings, {});
});
