/**
 * The decode mechanisms of issue #12, each checked on its own: vendor claims reproduced from the constants
 * derived from them, native kernels on unified-memory SoCs, CPU threads/NUMA, link kinds for TP, compiled
 * PyTorch, and the Python detection of compiled decode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compiledDecodeIn } from '../../../server/src/analysis/extract/python/compiledDecode';
import { backendFor, estimate, linkKind } from '../../../server/src/analysis/physics/index';
import { bf16, epyc9654, fp8, input, llama31_70b, llama31_8b, mixtral8x7b, q4_0, rtx4090 } from './specs';
import { catalogHardware } from './catalogInput';

const hw = catalogHardware;

function tps(over: Parameters<typeof input>[0]): number {
	return estimate(input(over)).decode.expectedTokensPerSecondPerUser;
}

test('vendor accelerators reproduce the claims their per-layer latency comes from', () => {
	// Groq: Llama 3.1 8B 751 tok/s and 70B 250 tok/s (8-bit); Cerebras 8B 1,800 and 70B 450; SambaNova 8B 1,042 on
	// one 16-socket node.
	const close = (x: number, want: number, what: string) =>
		assert.ok(Math.abs(x / want - 1) < 0.01, `${what}: ${x} vs ${want}`);
	close(tps({ hardware: hw('groq-lpu'), weights: fp8 }), 751, 'Groq 8B');
	close(tps({ hardware: hw('groq-lpu'), weights: fp8, model: llama31_70b }), 250, 'Groq 70B');
	close(tps({ hardware: hw('cerebras-cs3') }), 1800, 'Cerebras 8B');
	close(tps({ hardware: hw('cerebras-cs3'), model: llama31_70b }), 450, 'Cerebras 70B');
	close(tps({ hardware: hw('sambanova-sn40l'), devices: 16 }), 1042, 'SambaNova 8B');
	// The layer latency is the layer time: no PCIe all-reduce is added across chips.
	const groq = estimate(input({ hardware: hw('groq-lpu'), weights: fp8, devices: 8 }));
	assert.equal(groq.decode.allReduceSecondsPerStep, 0);
	assert.equal(groq.devices, 8);
	assert.ok(
		groq.assumptions.some((a) => /layers across 8 chips/.test(a)),
		groq.assumptions.join('\n'),
	);
});

test('unified-memory SoCs run native kernels; only transformers.js runs browser kernels', () => {
	assert.equal(backendFor('llama.cpp', 'unified-gpu', 'NVIDIA'), 'cuda');
	assert.equal(backendFor('llama.cpp', 'unified-gpu', 'AMD'), 'rocm');
	assert.equal(backendFor('transformers.js', 'unified-gpu', 'AMD'), 'webgpu');
	assert.equal(backendFor('vllm', 'gpu', 'AMD'), 'rocm');
	const strix = hw('strix-halo');
	const native = tps({ hardware: strix, engine: 'llama.cpp', weights: q4_0 });
	const browser = tps({ hardware: strix, engine: 'transformers.js', weights: q4_0 });
	assert.ok(native > 1.4 * browser, `native ${native} vs browser ${browser}`);
});

test('CPU: llama.cpp default threads are the physical cores; a second NUMA node without --numa halves the stream', () => {
	const catalogEpyc = hw('epyc-9654');
	const e = estimate(input({ hardware: catalogEpyc, engine: 'llama.cpp', weights: q4_0 }));
	assert.ok(
		e.assumptions.some((a) => /default -t = 96 physical cores/.test(a)),
		e.assumptions.join('\n'),
	);
	// A device without CPU facts says it could not know.
	const bare = estimate(input({ hardware: epyc9654, engine: 'llama.cpp', weights: q4_0 }));
	assert.ok(
		bare.assumptions.some((a) => /CPU threads unknown/.test(a)),
		bare.assumptions.join('\n'),
	);
	assert.equal(catalogEpyc.cpu?.cores, 96);
	const one = tps({ hardware: catalogEpyc, engine: 'llama.cpp', weights: bf16, model: llama31_70b });
	const cpu = catalogEpyc.cpu;
	assert.ok(cpu);
	const two = tps({
		hardware: { ...catalogEpyc, cpu: { ...cpu, numaNodes: 2 } },
		engine: 'llama.cpp',
		weights: bf16,
		model: llama31_70b,
	});
	assert.ok(two < 0.6 * one, `NUMA 2: ${two} vs ${one}`);
	// SMT siblings add nothing: 192 threads on 96 cores decode no faster than 96 where dequant binds.
	const smt = tps({ hardware: catalogEpyc, engine: 'llama.cpp', weights: q4_0, threads: 192 });
	const phys = tps({ hardware: catalogEpyc, engine: 'llama.cpp', weights: q4_0, threads: 96 });
	assert.ok(smt <= phys * 1.0001, `${smt} vs ${phys}`);
});

test('TP all-reduce: PCIe links (consumer cards) and fabrics (NVLink) are told apart', () => {
	assert.equal(linkKind(rtx4090), 'pcie');
	assert.equal(linkKind(hw('rtx-4090')), 'pcie');
	assert.equal(linkKind(hw('h100-sxm')), 'fabric');
	assert.equal(linkKind({ ...rtx4090, interconnect: undefined }), 'pcie');
	const e = estimate(input({ hardware: hw('rtx-4090'), devices: 2, tensorParallel: 2, weights: q4_0 }));
	assert.ok(e.decode.allReduceSecondsPerStep > 0);
});

test('compiled PyTorch decodes several times faster than eager PyTorch on the same GPU', () => {
	const compiled = tps({ hardware: hw('a100-80gb-sxm'), engine: 'pytorch-compiled', model: llama31_8b });
	const eager = tps({ hardware: hw('a100-80gb-sxm'), engine: 'pytorch', model: llama31_8b });
	assert.ok(compiled > 2 * eager, `compiled ${compiled} vs eager ${eager}`);
	assert.ok(
		compiled < estimate(input({ hardware: hw('a100-80gb-sxm') })).decode.rooflineTokensPerSecondPerUser,
	);
});

test('Python: torch.compile with a static KV cache is compiled decode; either alone, or commented out, is not', () => {
	const both = `model.generation_config.cache_implementation = "static"\nmodel.forward = torch.compile(model.forward, mode="reduce-overhead")\n`;
	const s = compiledDecodeIn(both);
	assert.equal(s?.value, true);
	assert.equal(both.slice(s.span?.offset, (s.span?.offset ?? 0) + (s.span?.length ?? 0)), 'torch.compile');
	assert.equal(compiledDecodeIn('model = torch.compile(model)\n'), undefined);
	assert.equal(compiledDecodeIn('out = model.generate(**x, cache_implementation="static")\n'), undefined);
	assert.equal(
		compiledDecodeIn(
			'# model = torch.compile(model)\nout = model.generate(**x, cache_implementation="static")\n',
		),
		undefined,
	);
	assert.equal(
		compiledDecodeIn('cache = StaticCache(config=cfg)\nstep = torch.compile(decode_one_token)\n')?.value,
		true,
	);
});

test("identical sequences (llama-batched-bench) read one token's experts; independent ones read the union", () => {
	const one = estimate(input({ model: mixtral8x7b, batch: 1 })).decode.weightBytesPerStep;
	const union = estimate(input({ model: mixtral8x7b, batch: 16 })).decode;
	const same = estimate(input({ model: mixtral8x7b, batch: 16, identicalSequences: true })).decode;
	assert.ok(union.weightBytesPerStep > 2 * one, `${union.weightBytesPerStep} vs ${one}`);
	assert.equal(same.weightBytesPerStep, one);
	assert.equal(same.flopsPerStep, union.flopsPerStep);
	assert.ok(same.expectedTokensPerSecondPerUser > union.expectedTokensPerSecondPerUser);
});
