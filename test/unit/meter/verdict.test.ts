import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveRates } from '../../../server/src/meter/live';
import type { MeterRun } from '../../../server/src/meter/types';
import { verdictFor } from '../../../server/src/meter/verdict';

function rates(over: Partial<LiveRates> = {}): LiveRates {
	return {
		server: 'vllm',
		models: ['m'],
		intervalSeconds: 5,
		generatedTokens: 5000,
		generationTokensPerSecond: 1000,
		promptTokensPerSecond: 100,
		runningRequests: 16,
		runningRequestsNow: 16,
		waitingRequests: 0,
		kvCacheUsage: 0.3,
		kvCacheTokens: null,
		stepsPerSecond: 62.5,
		stepsCounted: 312.5,
		stepsSource: 'x',
		perSequenceTokensPerSecond: 62.5,
		meanTokenLatencySeconds: 0.016,
		notes: [],
		...over,
	};
}

function run(over: Partial<MeterRun> = {}): MeterRun {
	return {
		source: 'live',
		test: 'live',
		kind: 'serve',
		model: 'm',
		weights: 'bf16',
		kvDtype: 'bf16',
		hardware: 'h100-sxm',
		devices: 1,
		peakBandwidthGBs: 3350,
		peakBandwidthOrigin: 'spec',
		peakTflops: 989,
		peakTflopsDtype: 'bf16',
		tokensPerSecond: 1000,
		stepsPerSecond: 62.5,
		batch: 16,
		context: 1000,
		bytesPerStep: 40e9,
		weightBytesPerStep: 16e9,
		kvBytesPerStep: 24e9,
		bytesPerStepSource: 'x',
		achievedBandwidthGBs: 2500,
		achievedTflops: 10,
		mbu: 0.75,
		mfu: 0.01,
		bound: 'memory',
		expectedTokensPerSecond: 1100,
		rooflineTokensPerSecond: 1300,
		measuredOverExpected: 0.9,
		notes: [],
		errors: [],
		...over,
	};
}

test('no tokens in the interval is idle, whatever the rest says', () => {
	const v = verdictFor(run(), rates({ generatedTokens: 0, generationTokensPerSecond: 0 }));
	assert.equal(v.verdict, 'idle');
	assert.match(v.summary, /no tokens generated in 5\.0 s/);
});

test('MBU at or above 0.6 is bandwidth-bound and well used', () => {
	assert.equal(verdictFor(run({ mbu: 0.75 }), rates()).verdict, 'bandwidth-bound');
	assert.equal(verdictFor(run({ mbu: 0.6 }), rates()).verdict, 'bandwidth-bound');
	assert.match(verdictFor(run({ mbu: 0.75 }), rates()).summary, /MBU 75% of spec bandwidth/);
});

test('a batch past the ridge, or MFU ≥ 0.5, is compute-bound', () => {
	assert.equal(verdictFor(run({ bound: 'compute', mbu: 0.3 }), rates()).verdict, 'compute-bound');
	assert.equal(verdictFor(run({ mfu: 0.55, mbu: 0.3 }), rates()).verdict, 'compute-bound');
});

test('under 0.6 with few sequences per step: small batches named as the cause', () => {
	const v = verdictFor(run({ mbu: 0.2, batch: 1, stepsPerSecond: 10 }), rates({ runningRequestsNow: 1 }));
	assert.equal(v.verdict, 'bandwidth-underused');
	assert.deepEqual(
		v.causes.map((c) => c.code),
		['small-batch'],
	);
});

test('waiting requests with a nearly full KV cache: queueing on KV room', () => {
	const v = verdictFor(run({ mbu: 0.4 }), rates({ waitingRequests: 12, kvCacheUsage: 0.97 }));
	assert.equal(v.causes[0].code, 'queueing');
	assert.match(v.causes[0].message, /12 request\(s\) wait while 16 run: the KV cache is 97% full/);
});

test('prompt tokens outpacing generation: prefill interference', () => {
	const v = verdictFor(run({ mbu: 0.4 }), rates({ promptTokensPerSecond: 5000 }));
	assert.ok(v.causes.some((c) => c.code === 'prefill-interference'));
});

test('short steps that take far longer than their bytes need: per-step overhead, with the arithmetic', () => {
	// 16 GB at 3350 GB/s = 4.776 ms of memory time; 100 steps/s = 10 ms per step → 5.22 ms overhead.
	const v = verdictFor(
		run({ mbu: 0.48, batch: 8, bytesPerStep: 16e9, stepsPerSecond: 100 }),
		rates({ promptTokensPerSecond: 0 }),
	);
	const c = v.causes.find((x) => x.code === 'step-overhead');
	assert.ok(c, JSON.stringify(v.causes));
	assert.match(c.message, /each step takes 10\.00 ms but its 16\.00 GB need only 4\.78 ms/);
	assert.match(c.message, /~5\.22 ms per step/);
	assert.match(c.message, /CUDA graphs/);
});

test('without MBU (no hardware), the verdict says what to pass', () => {
	const v = verdictFor(run({ mbu: null }), rates());
	assert.equal(v.verdict, 'unknown');
	assert.match(v.summary, /--hardware or --bandwidth-gbs/);
	const noModel = verdictFor(run({ mbu: null, model: null }), rates());
	assert.match(noModel.summary, /--model/);
});

test('MBU above 110 % cannot be right: the verdict says which assumptions to check', () => {
	const v = verdictFor(run({ mbu: 3.57 }), rates());
	assert.equal(v.verdict, 'inconsistent');
	assert.match(v.summary, /MBU 357% is more than the memory can deliver/);
	assert.match(v.summary, /--hardware, --devices/);
});
