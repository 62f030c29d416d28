/**
 * Server CPUs (issue #12): the NUMA page placement decides how many nodes' channels the llama.cpp weight
 * stream reaches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCatalog } from '../../../server/src/analysis/catalog/index';
import { estimate } from '../../../server/src/analysis/physics/index';
import type { EstimateInput } from '../../../server/src/analysis/physics/types';
import { numaPagesOf } from '../../../server/src/cli/accuracy/ledgerLabels';
import { catalogLlamaCppInput } from './catalogInput';

function input(hardwareId: string, numaNodes?: number): EstimateInput {
	const base = getCatalog().hardware.find((h) => h.id === hardwareId);
	assert.ok(base?.cpu);
	const hardware = numaNodes ? { ...base, cpu: { ...base.cpu, numaNodes } } : base;
	return catalogLlamaCppInput('meta-llama/Llama-3.1-70B', hardware, 'f16');
}

test('two NUMA nodes: pages on one node halve the stream, pages spread by --numa distribute reach every node', () => {
	const oneNode = estimate(input('ryzen-9-7950x', 2)).decode;
	const spread = estimate({ ...input('ryzen-9-7950x', 2), numaPages: 'spread' }).decode;
	const single = estimate(input('ryzen-9-7950x')).decode;
	assert.ok(spread.expectedTokensPerSecondPerUser > oneNode.expectedTokensPerSecondPerUser * 1.3);
	assert.ok(spread.efficiency.reasons.some((r) => /pages spread/.test(r)));
	assert.ok(oneNode.efficiency.reasons.some((r) => /pages on one node/.test(r)));
	// Spread pages on two nodes stream like the same channels on one node: no penalty, no bonus.
	assert.ok(
		Math.abs(spread.expectedTokensPerSecondPerUser / single.expectedTokensPerSecondPerUser - 1) < 0.01,
	);
});

test('the ledger reads the page placement from a row note', () => {
	assert.equal(numaPagesOf('--numa distribute; pages spread across nodes after dropping caches'), 'spread');
	assert.equal(numaPagesOf('--numa distribute; model pages cached during prompt processing'), undefined);
	assert.equal(numaPagesOf(undefined), undefined);
});
