import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../../server/src/analysis/physics';
import { epyc9654, h100, h200, input, rtx4090 } from './specs';

test('the coupling recommendation is there when read, and JSON carries it', () => {
	const e = estimate(input(), [h100, h200, rtx4090, epyc9654]);
	const json = JSON.parse(JSON.stringify(e));
	assert.ok(e.coupling, 'coupling is computed on first read');
	assert.equal(json.coupling.current, 'gpu');
	assert.equal(json.coupling.recommendedClass, e.coupling.recommendedClass);
	// A spread (what the report serialiser does) sees the same value.
	assert.deepEqual({ ...e }.coupling, e.coupling);
});

test('without catalog hardware there is no recommendation', () => {
	assert.equal(estimate(input()).coupling, undefined);
});
