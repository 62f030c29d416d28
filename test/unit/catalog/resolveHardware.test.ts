import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adHocHardware, getCatalog, resolveHardware } from '../../../server/src/analysis/catalog';

function ok(q: string, id: string) {
	const r = resolveHardware(q);
	assert.ok(r.ok, `${q}: ${r.ok ? '' : r.message}`);
	assert.equal(r.hardware.id, id, q);
}

test('ids, case, names and nvidia-smi spellings', () => {
	ok('h100-sxm', 'h100-sxm');
	ok('H100-SXM', 'h100-sxm');
	ok('H100 SXM', 'h100-sxm');
	ok('NVIDIA-H100-80GB-HBM3', 'h100-sxm');
	ok('NVIDIA H100 80GB HBM3', 'h100-sxm');
	ok('A100-SXM4-80GB', 'a100-80gb-sxm');
	ok('NVIDIA A100-SXM4-40GB', 'a100-40gb-sxm');
	ok('rtx4090', 'rtx-4090');
	ok('NVIDIA GeForce RTX 4090', 'rtx-4090');
	ok('AMD Instinct MI300X', 'mi300x');
	ok('M4 Max', 'apple-m4-max');
	ok('Apple M2 Ultra', 'apple-m2-ultra');
	ok('TPU v5e', 'tpu-v5e');
	ok('Cerebras CS-3', 'cerebras-cs3');
	ok('Gaudi3', 'gaudi3');
});

test('ambiguous or unknown hardware fails with suggestions', () => {
	const h100 = resolveHardware('H100');
	assert.equal(h100.ok, false);
	if (!h100.ok) {
		assert.deepEqual([...h100.suggestions].sort(), ['h100-nvl', 'h100-pcie', 'h100-sxm']);
		assert.match(h100.message, /ambiguous/);
	}
	// L40 (no S) is a different card: no prefix guessing.
	const l40 = resolveHardware('L40');
	assert.equal(l40.ok, false);
	if (!l40.ok) assert.ok(l40.suggestions.includes('l40s'));
	const x = resolveHardware('quantum-9000');
	assert.equal(x.ok, false);
	if (!x.ok) {
		assert.equal(x.suggestions.length, 3);
		assert.match(x.message, /--bandwidth-gbs/);
		assert.match(x.message, /user catalog/);
	}
});

test('ad-hoc hardware from flags', () => {
	const h = adHocHardware({ bandwidthGBs: 250, tflops: 30, memoryGB: 24, deviceClass: 'unified-gpu' });
	assert.equal(h.origin, 'ad-hoc');
	assert.equal(h.spectrum, 'gpu');
	assert.equal(h.peakTflops.bf16, 30);
	assert.equal(h.memoryGB, 24);
	assert.match(h.name, /250 GB\/s/);
	const cpu = adHocHardware({ bandwidthGBs: 90, deviceClass: 'cpu' });
	assert.equal(cpu.spectrum, 'cpu');
	assert.deepEqual(cpu.peakTflops, {});
	assert.ok(cpu.unverified?.includes('memoryGB'));
	assert.equal(adHocHardware({ bandwidthGBs: 1 }).deviceClass, 'gpu');
});

test('every device resolves by its id, name and each alias', () => {
	for (const h of getCatalog().hardware) {
		for (const n of [h.id, h.name, ...(h.aliases ?? [])]) {
			const r = resolveHardware(n);
			assert.ok(r.ok && r.hardware.id === h.id, `${n} → ${r.ok ? r.hardware.id : r.message}`);
		}
	}
});
