/**
 * Issue #12: vLLM's V0 engine spends host time per running sequence on every decode step (scheduler, input
 * tensors built from per-sequence lists, one output object per sequence); V1 does not. The step grows by
 * batch × seqUs.vllm-v0 on V0 only, and ledger rows say which engine they ran from their version or date.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withConstants } from '../../../server/src/analysis/physics/calibration';
import { estimate } from '../../../server/src/analysis/physics/index';
import { estimateServing } from '../../../server/src/analysis/physics/serving';
import { vllmEngineOf, vllmV0HostSeconds } from '../../../server/src/analysis/physics/vllmV0Host';
import { vllmEngineOfRow } from '../../../server/src/cli/accuracy/ledgerLabels';
import { catalogHardware } from './catalogInput';
import { input } from './specs';

const step = (over: Parameters<typeof input>[0]) => estimate(input(over)).decode.stepSeconds;

test('the engine follows the stated generation, else the pinned version; unknown is V1', () => {
	assert.equal(vllmEngineOf({ engine: 'vllm', engineVersion: '0.6.3' }), 'v0');
	assert.equal(vllmEngineOf({ engine: 'vllm', engineVersion: 'v0.10.1' }), 'v1');
	assert.equal(vllmEngineOf({ engine: 'vllm' }), 'v1');
	assert.equal(vllmEngineOf({ engine: 'vllm', engineVersion: '0.10.1', vllmEngine: 'v0' }), 'v0');
	assert.equal(vllmEngineOf({ engine: 'sglang', engineVersion: '0.4.0' }), undefined);
	// The memory plan's rule: 0.8–0.10 fall back to V0 below compute capability 8.0; V0 is gone from 0.11.
	const t4 = catalogHardware('t4');
	assert.equal(vllmEngineOf({ engine: 'vllm', engineVersion: '0.9.2', hardware: t4 }), 'v0');
	assert.equal(vllmEngineOf({ engine: 'vllm', engineVersion: '0.11.0', hardware: t4 }), 'v1');
	assert.equal(vllmEngineOf({ engine: 'vllm', engineVersion: '0.11.0', vllmEngine: 'v0' }), 'v1');
});

test('a V0 step adds batch × seqUs.vllm-v0 of host time; V1 and other engines add none', () => {
	withConstants({ 'seqUs.vllm-v0': 100 }, () => {
		assert.equal(vllmV0HostSeconds({ engine: 'vllm', engineVersion: '0.5.3' }, 64).seconds, 64e-4);
		assert.equal(vllmV0HostSeconds({ engine: 'vllm', engineVersion: '0.11.0' }, 64).seconds, 0);
		const v0 = step({ batch: 64, engineVersion: '0.5.3' });
		const v1 = step({ batch: 64, engineVersion: '0.11.0' });
		assert.ok(Math.abs(v0 - v1 - 64e-4) < 1e-9, `${v0} − ${v1}`);
		assert.equal(
			step({ batch: 64, engine: 'sglang', engineVersion: '0.5.3' }),
			step({ batch: 64, engine: 'sglang' }),
		);
	});
	const reasons = estimate(input({ batch: 8, engineVersion: '0.7.3' })).decode.efficiency.reasons.join(' | ');
	assert.match(reasons, /vLLM V0 engine: 8 sequences × [\d.]+ µs .*seqUs\.vllm-v0/);
});

test('ledger rows: a named engine or release decides, else the source date (V1 default from March 2025)', () => {
	assert.equal(vllmEngineOfRow('vllm', 'v0.23.0 (V1 engine)', '2026'), 'v1');
	assert.equal(vllmEngineOfRow('vllm', 'vLLM 0.7.3 (ROCm fork)', '2025-03-05'), 'v0');
	assert.equal(vllmEngineOfRow('vllm', 'v0.5.3.post1', '2024-07-30'), 'v0');
	assert.equal(vllmEngineOfRow('vllm', 'vLLM main + PR #3692 (Mar 2024)', '2024-03-28'), 'v0');
	assert.equal(vllmEngineOfRow('vllm', 'not stated (2024 ROCm vLLM)', '2024'), 'v0');
	assert.equal(vllmEngineOfRow('vllm', 'vLLM (Spark cluster container, late 2025)', '2025'), undefined);
	assert.equal(vllmEngineOfRow('sglang', '0.3.0', '2024'), undefined);
});

test('serving under load on V0 pays the per-sequence cost every step: lower throughput than V1 at the same load', () => {
	const load = { inputTokens: 128, outputTokens: 128, concurrency: 64, scheduler: {} };
	const tput = (vllmEngine: 'v0' | 'v1') =>
		estimateServing(input({ vllmEngine }), load).outputTokensPerSecondTotal;
	assert.ok(tput('v0') < tput('v1'), `${tput('v0')} vs ${tput('v1')}`);
});
