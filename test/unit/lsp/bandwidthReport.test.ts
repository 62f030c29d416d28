// The Estimate Decode Bandwidth report: the numbers on screen with their units and formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandwidthMarkdown, gbBoth } from '../../../client/src/bandwidthReport';
import type { DecodeBandwidthResult } from '../../../server/src/shared/protocol';

const result: DecodeBandwidthResult = {
	basis: 'model',
	modelId: 'meta-llama/Llama-3.1-8B',
	weightsFormat: 'bf16',
	kvDtype: 'bf16',
	batch: 1,
	context: 4096,
	bytesPerStep: 15.55e9,
	weightBytes: 16.06e9,
	kvBytesPerToken: 131072,
	tokensPerSecondPerUser: 20,
	requiredBandwidthGBs: 311, // 15.55 GB × 20 /s
	devices: [
		{
			id: 'h100-sxm',
			name: 'H100 SXM',
			spectrum: 'gpu',
			bandwidthGBs: 3350,
			rooflineTokensPerSecond: 215.4,
			fitsMemory: true,
			meetsTarget: true,
		},
		{
			id: 'epyc-9654',
			name: 'EPYC 9654',
			spectrum: 'cpu',
			bandwidthGBs: 460.8,
			rooflineTokensPerSecond: 29.6,
			fitsMemory: true,
			meetsTarget: true,
		},
	],
	assumptions: ['one user, 4096 tokens of context'],
};

test('gbBoth: decimal and binary', () => {
	assert.equal(gbBoth(16.06e9), '16.1 GB (15 GiB)'); // 16.06e9 / 2^30 = 14.96
});

test('the report states the quantities, the bandwidth for the target and each device row', () => {
	const md = bandwidthMarkdown(result);
	assert.match(md, /^# Decode bandwidth: meta-llama\/Llama-3\.1-8B/);
	assert.match(md, /\| Bytes per decode step \| 15\.6 GB \(14\.5 GiB\) \|/); // 15.55e9 / 2^30 = 14.48
	assert.match(md, /\| KV cache per token \| 131 kB \(128 KiB\) \|/);
	assert.match(md, /\| Bandwidth for 20 tok\/s per user \| 311 GB\/s \|/);
	assert.match(md, /\| H100 SXM \(`h100-sxm`\) \| gpu \| 3,350 GB\/s \| 215 \| yes \| yes \|/);
	assert.match(md, /Assumptions: one user, 4096 tokens of context\./);
});
