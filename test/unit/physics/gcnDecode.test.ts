/**
 * llama.cpp on AMD GCN/Vega GPUs (issue #12): a wave64 compute unit (4 × SIMD16) issues half an SM's lanes per
 * clock, so llama.cpp's quantized mat-vec kernels stream CUs × a per-CU rate (one per kernel stack: HIP mmvq,
 * Vulkan mul_mat_vec), far below the HBM2/GDDR5 spec; float weights and non-GCN devices are untouched. Plus the
 * catalog facts the rule reads and the ledger loader naming a catalog device from a row's label.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import type { HardwareSpec } from '../../../server/src/analysis/catalog/types';
import { constant, withConstants } from '../../../server/src/analysis/physics/calibration';
import { gcnComputeUnitCap } from '../../../server/src/analysis/physics/llamaCppUnitCaps';
import { estimate } from '../../../server/src/analysis/physics/index';
import { loadLedger } from '../../../server/src/cli/accuracy/ledger';
import { hardwareFromLabel } from '../../../server/src/cli/accuracy/ledgerLabels';
import { ledgerRecord } from '../cli-estimate/ledgerRecord';
import { bf16, input, q4_0, q8_0 } from './specs';
import { catalogHardware } from './catalogInput';

const catalog = getCatalog();
const hw = catalogHardware;

const tps = (over: Parameters<typeof input>[0]): number =>
	estimate(input({ engine: 'llama.cpp', ...over })).decode.expectedTokensPerSecondPerUser;

test('catalog: GCN/Vega cards carry their CU count and ISA facts, with sources', () => {
	for (const [id, cus, arch, dot] of [
		['mi50-32gb', 60, 'gfx906', true],
		['mi60', 64, 'gfx906', true],
		['radeon-vii', 60, 'gfx906', true],
		['radeon-pro-vii', 60, 'gfx906', true],
		['rx-580-8gb', 36, 'gfx803', false],
		['rx-570', 32, 'gfx803', false],
		['rx-vega-64', 64, 'gfx900', false],
	] as const) {
		const h = hw(id);
		assert.equal(h.streamingMultiprocessors?.count, cus, id);
		assert.equal(h.gpuIsa?.arch, arch, id);
		assert.equal(h.gpuIsa?.wave64, true, id);
		assert.equal(h.gpuIsa?.intDot4, dot, id);
		assert.match(h.gpuIsa?.source ?? '', /common\.cuh/, id);
	}
	// Newer AMD parts (CDNA, RDNA) are not GCN-capped.
	assert.equal(hw('mi210').gpuIsa, undefined);
	assert.equal(hw('rx-7900-xtx').gpuIsa, undefined);
});

test('quantized llama.cpp decode on a GCN card is capped at CUs × the per-CU rate, on HIP and Vulkan', () => {
	const mi50 = hw('mi50-32gb');
	for (const backend of ['rocm', 'vulkan'] as const) {
		const cap = gcnComputeUnitCap(
			input({ engine: 'llama.cpp', hardware: mi50, weights: q4_0, backend }),
			backend,
		);
		assert.ok(cap, backend);
		const name = backend === 'rocm' ? 'llamaCppGBsPerCU.gcn-hip' : 'llamaCppGBsPerCU.gcn-vulkan';
		assert.equal(cap.bytesPerSecond, 60 * constant(name) * 1e9);
		assert.ok(cap.reason.includes(`60 CUs`) && cap.reason.includes(name), cap.reason);
	}
	// The cap is the binding term: the prediction scales with the per-CU rate, not with spec bandwidth.
	const at = (perCu: number) =>
		withConstants({ 'llamaCppGBsPerCU.gcn-hip': perCu }, () =>
			tps({ hardware: mi50, weights: q4_0, backend: 'rocm' }),
		);
	const slow = at(2);
	const fast = at(4);
	assert.ok(fast / slow > 1.5 && fast / slow < 2, `${slow} → ${fast}`);
	const reasons = estimate(input({ engine: 'llama.cpp', hardware: mi50, weights: q8_0, backend: 'vulkan' }))
		.decode.efficiency.reasons;
	assert.ok(
		reasons.some((r) => /gfx906 \(wave64 GCN\)/.test(r)),
		reasons.join('\n'),
	);
});

test('HIP and Vulkan read their own per-CU rate (different kernels)', () => {
	const mi50 = hw('mi50-32gb');
	const caps = withConstants({ 'llamaCppGBsPerCU.gcn-hip': 6, 'llamaCppGBsPerCU.gcn-vulkan': 3 }, () => ({
		hip: gcnComputeUnitCap(input({ engine: 'llama.cpp', hardware: mi50, weights: q4_0 }), 'rocm'),
		vk: gcnComputeUnitCap(input({ engine: 'llama.cpp', hardware: mi50, weights: q4_0 }), 'vulkan'),
	}));
	assert.equal(caps.hip?.bytesPerSecond, 60 * 6 * 1e9);
	assert.equal(caps.vk?.bytesPerSecond, 60 * 3 * 1e9);
});

test('the GCN cap leaves float weights, other engines and non-GCN devices alone', () => {
	const mi50 = hw('mi50-32gb');
	// F16/BF16 run other kernels (mul_mat_vec_f, hipBLAS) that the per-CU rate was not chosen on.
	assert.equal(
		gcnComputeUnitCap(input({ engine: 'llama.cpp', hardware: mi50, weights: bf16 }), 'rocm'),
		undefined,
	);
	// Other engines' kernels are not llama.cpp's mmvq.
	assert.equal(
		gcnComputeUnitCap(input({ engine: 'vllm', hardware: mi50, weights: q4_0 }), 'rocm'),
		undefined,
	);
	// The same CU count without the GCN ISA (CDNA/RDNA, NVIDIA) is not capped by it.
	const notGcn: HardwareSpec = { ...mi50, gpuIsa: undefined };
	assert.equal(
		gcnComputeUnitCap(input({ engine: 'llama.cpp', hardware: notGcn, weights: q4_0 }), 'rocm'),
		undefined,
	);
	assert.equal(
		gcnComputeUnitCap(input({ engine: 'llama.cpp', hardware: hw('rtx-4090'), weights: q4_0 }), 'cuda'),
		undefined,
	);
	// Only the ggml GPU stacks: a CPU backend is not a GCN kernel.
	assert.equal(
		gcnComputeUnitCap(input({ engine: 'llama.cpp', hardware: mi50, weights: q4_0 }), 'cpu'),
		undefined,
	);
});

test('with the cap, a GCN card decodes quantized weights well below its spec-bandwidth share', () => {
	const pro7 = hw('radeon-pro-vii');
	const capped = tps({ hardware: pro7, weights: q4_0, backend: 'vulkan' });
	const uncapped = tps({ hardware: { ...pro7, gpuIsa: undefined }, weights: q4_0, backend: 'vulkan' });
	assert.ok(capped < uncapped, `${capped} vs ${uncapped}`);
	// An RDNA card of similar bandwidth keeps the stack share (no per-CU cap on it).
	const xtx = tps({ hardware: hw('rx-7900-xtx'), weights: q4_0, backend: 'vulkan' });
	assert.ok(xtx > capped, `${xtx} vs ${capped}`);
});

test('ledger: a row without a hardware id resolves the catalog device its label names', () => {
	assert.equal(
		hardwareFromLabel('AMD Instinct MI50 32GB (gfx906, HBM2 4096-bit), 2 devices', catalog)?.id,
		'mi50-32gb',
	);
	assert.equal(hardwareFromLabel('AMD Radeon RX 570 (gfx803, GDDR5 256-bit)', catalog)?.id, 'rx-570');
	assert.equal(
		hardwareFromLabel('AMD Radeon Pro VII 16GB (Vulkan, AMD proprietary driver)', catalog)?.id,
		undefined,
	);
	assert.equal(hardwareFromLabel('AMD Radeon Pro VII', catalog)?.id, 'radeon-pro-vii');
	// No prefix guessing, no CPU parts, nothing for an unknown name.
	assert.equal(hardwareFromLabel('NVIDIA H100 (form factor not stated)', catalog), undefined);
	assert.equal(hardwareFromLabel('Some Unknown Accelerator 9000', catalog), undefined);
	assert.equal(hardwareFromLabel('', catalog), undefined);
	const { rows } = loadLedger([
		ledgerRecord('G1', {
			hardware_id: '',
			hardware_label: 'AMD Radeon RX 570 (gfx803, GDDR5 256-bit)',
			mem_bw_gbs: '224',
			backend: 'rocm',
			weight_format: 'q4_0',
		}),
	]);
	assert.equal(rows[0].input.hardware.id, 'rx-570');
	assert.ok(rows[0].notes.some((n) => /rx-570 named by the label/.test(n)));
});
