/**
 * llama.cpp's quantized mat-vec (mmvq) on CUDA/HIP is issue-bound for low-bit GGUF types (issue #12): the cap is
 * thread-instructions/s × the calibrated llamaCppIssueRate ÷ the type's instruction cost per weight relative to
 * Q4_0 (counted from vecdotq.cuh). It binds Q2_K/Q3_K on a Tesla P40 and an RTX 3090, not Q4_0 or Q8_0, and leaves
 * other engines, stacks, float weights and CPUs alone; 64-FP32-lane SMs (A100) issue twice their FP32 lanes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import type { FormatSpec, HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { withConstants } from '../../../server/src/analysis/physics/calibration';
import {
	ggmlBlockType,
	instructionsPerWeight,
	mmvqIssueCap,
	relativeIssueCost,
} from '../../../server/src/analysis/physics/llamaCppIssue';
import { estimate } from '../../../server/src/analysis/physics/index';
import { assertClose, bf16, input, llama2_7b } from './specs';
import { catalogHardware } from './catalogInput';

const catalog = getCatalog();
const hw = catalogHardware;
const fmt = (id: string): FormatSpec => {
	const f = catalog.formats.find((x) => x.id === id);
	assert.ok(f, id);
	return f;
};

const decode = (hardware: HardwareSpec, weights: FormatSpec, over: Parameters<typeof input>[0] = {}) =>
	estimate(
		input({ engine: 'llama.cpp', model: llama2_7b, hardware, weights, context: 128, prompt: 0, ...over }),
	).decode;

test('instruction cost per weight, counted from vecdotq.cuh: low-bit K-quants cost most, Q4_0 is the unit', () => {
	assert.equal(relativeIssueCost(fmt('q4_0')), 1);
	const per = (t: string) => {
		const v = instructionsPerWeight(t);
		assert.ok(v !== undefined && v > 0, t);
		return v;
	};
	// Q4_0: 36 lane-instructions per 16 weights (10 loads, 10 alu, 4 dp4a, 6 fp, 6 loop).
	assertClose(per('q4_0'), 36 / 16);
	// Per-sub-block scale/min handling and one dp4a per 4 weights: Q2_K and Q3_K cost over twice Q4_0's.
	assert.ok(per('q2_K') / per('q4_0') > 2, `${per('q2_K')}`);
	assert.ok(per('q3_K') > per('q2_K'));
	// Q4_K amortizes its scales over 8 weights per dp4a pair: between Q4_0 and Q2_K.
	assert.ok(per('q4_K') > per('q4_0') && per('q4_K') < per('q2_K'));
	// The IQ2/IQ3 grids decode 8 weights per lookup: cheaper per weight than Q2_K.
	for (const t of ['iq2_xxs', 'iq2_xs', 'iq2_s', 'iq3_xxs', 'iq3_s']) assert.ok(per(t) < per('q2_K'), t);
	// Presets run their base block type's kernel.
	assert.equal(ggmlBlockType(fmt('q3_k_s')), 'q3_K');
	assert.equal(ggmlBlockType(fmt('q4_k_m')), 'q4_K');
	assert.equal(ggmlBlockType(fmt('iq3_m')), 'iq3_s');
	assert.equal(ggmlBlockType(fmt('f16')), undefined);
});

test('the cap is thread-instructions/s × llamaCppIssueRate ÷ relative cost; 64-FP32-lane SMs issue 128 threads', () => {
	const q2 = fmt('q2_k');
	const p40 = hw('tesla-p40');
	const at = (h: HardwareSpec, rate: number) =>
		withConstants({ llamaCppIssueRate: rate }, () =>
			mmvqIssueCap(input({ engine: 'llama.cpp', hardware: h, weights: q2 }), 'cuda'),
		);
	const cap = at(p40, 0.1);
	assert.ok(cap);
	const rel = relativeIssueCost(q2) ?? NaN;
	assertClose(cap.weightsPerSecond, ((12e12 / 2) * 0.1) / rel);
	assert.match(cap.reason, /llamaCppIssueRate/);
	// A100: 64 FP32 lanes per SM (GA100 whitepaper) but 4 schedulers × 32 threads issued per clock.
	const a100 = hw('a100-80gb-sxm');
	assert.equal(a100.streamingMultiprocessors?.fp32Lanes, 64);
	assertClose(at(a100, 0.1)?.weightsPerSecond ?? NaN, ((19.5e12 / 2) * 2 * 0.1) / rel);
	// Linear in the rate.
	assertClose((at(p40, 0.2)?.weightsPerSecond ?? 0) / cap.weightsPerSecond, 2);
});

test('Q2_K and Q3_K on a P40 and an RTX 3090 are issue-bound: slower than Q4_0, as measured', () => {
	for (const id of ['tesla-p40', 'rtx-3090']) {
		const h = hw(id);
		const q2 = decode(h, fmt('q2_k'));
		const q3 = decode(h, fmt('q3_k_s'));
		const q4 = decode(h, fmt('q4_0'));
		assert.ok(
			q2.efficiency.reasons.some((r) => r.includes('llamaCppIssueRate')),
			q2.efficiency.reasons.join('\n'),
		);
		assert.ok(q3.efficiency.reasons.some((r) => r.includes('llamaCppIssueRate')));
		// Fewer bytes, yet slower: the weights/s, not the bytes/s, set the pace.
		assert.ok(q2.weightBytesPerStep < q4.weightBytesPerStep);
		assert.ok(q2.expectedTokensPerSecondPerUser < q4.expectedTokensPerSecondPerUser, id);
		assert.ok(q3.expectedTokensPerSecondPerUser < q4.expectedTokensPerSecondPerUser, id);
		// Q4_0 stays on its byte stream.
		assert.ok(!q4.efficiency.reasons.some((r) => r.includes('llamaCppIssueRate')), id);
	}
	// A faster issue rate lifts the issue-bound Q2_K estimate.
	const p40 = hw('tesla-p40');
	const slow = withConstants({ llamaCppIssueRate: 0.05 }, () => decode(p40, fmt('q2_k')));
	const fast = withConstants({ llamaCppIssueRate: 0.1 }, () => decode(p40, fmt('q2_k')));
	assert.ok(fast.expectedTokensPerSecondPerUser > slow.expectedTokensPerSecondPerUser * 1.3);
});

test('the issue cap leaves other engines, stacks, float weights and CPUs alone', () => {
	const q2 = fmt('q2_k');
	const rtx = hw('rtx-3090');
	const none = (over: Parameters<typeof input>[0], stack: string) =>
		assert.equal(
			mmvqIssueCap(input({ engine: 'llama.cpp', hardware: rtx, weights: q2, ...over }), stack),
			undefined,
		);
	none({ engine: 'vllm' }, 'cuda');
	none({ weights: bf16 }, 'cuda');
	none({ weights: fmt('f16') }, 'cuda');
	none({}, 'vulkan');
	none({}, 'metal');
	none({}, 'cpu');
	// Ollama runs the same ggml-cuda kernels.
	assert.ok(mmvqIssueCap(input({ engine: 'ollama', hardware: rtx, weights: q2 }), 'cuda'));
	// A CPU decode with a low-bit type keeps its CPU terms.
	const cpu = catalog.hardware.find((h) => h.deviceClass === 'cpu' && h.cpu);
	assert.ok(cpu);
	const reasons = decode(cpu, q2).efficiency.reasons;
	assert.ok(!reasons.some((r) => r.includes('llamaCppIssueRate')), reasons.join('\n'));
});

test('GCN and Arc keep their per-unit caps; the issue cap only ever lowers the stream', () => {
	const q2 = fmt('q2_k');
	const mi50 = hw('mi50-32gb');
	const withIssue = decode(mi50, q2, { backend: 'rocm' });
	assert.ok(withIssue.efficiency.reasons.some((r) => /wave64 GCN/.test(r)));
	const noIssue = withConstants({ llamaCppIssueRate: 0.44 }, () => decode(mi50, q2, { backend: 'rocm' }));
	assert.ok(withIssue.expectedTokensPerSecondPerUser <= noIssue.expectedTokensPerSecondPerUser * (1 + 1e-9));
	// Intel Arc on Vulkan/SYCL runs other kernels: the Xe-core rule only.
	const arc = catalog.hardware.find((h) => h.gpuIsa?.arch === 'xe-hpg');
	assert.ok(arc);
	const reasons = decode(arc, q2, { backend: 'vulkan' }).efficiency.reasons;
	assert.ok(reasons.some((r) => /Xe-cores/.test(r)));
	assert.ok(!reasons.some((r) => r.includes('llamaCppIssueRate')));
});
