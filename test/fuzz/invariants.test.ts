/** The invariant checks the fuzz tests rely on do fail on the faults they look for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/analysis/types';
import { assertFindingValid, assertJsonRoundTrip, assertJsonSafe, assertSpanInside } from './invariants';

const finding = (over: Partial<Finding>): Finding => ({
	code: 'unknown-flag',
	severity: 'warning',
	message: 'm',
	span: { offset: 0, length: 1 },
	...over,
});

test('spans past the end, negative or fractional are caught', () => {
	assert.doesNotThrow(() => assertSpanInside({ offset: 3, length: 2 }, 5, 's'));
	assert.throws(() => assertSpanInside({ offset: 3, length: 3 }, 5, 's')); // ends at 6 > 5
	assert.throws(() => assertSpanInside({ offset: -1, length: 1 }, 5, 's'));
	assert.throws(() => assertSpanInside({ offset: 0.5, length: 1 }, 5, 's'));
});

test('overlapping fix edits are caught, adjacent ones are fine', () => {
	const edits = (a: [number, number], b: [number, number]) => [
		{ title: 't', edits: [a, b].map(([offset, length]) => ({ span: { offset, length }, newText: 'x' })) },
	];
	assert.doesNotThrow(() => assertFindingValid(finding({ fixes: edits([0, 2], [2, 2]) }), 10));
	assert.throws(() => assertFindingValid(finding({ fixes: edits([0, 3], [2, 2]) }), 10));
});

test('NaN, Infinity and bigint anywhere in the output are caught', () => {
	assert.doesNotThrow(() => assertJsonSafe({ a: [1, { b: 2.5 }], c: null, d: 'x' }));
	assert.throws(() => assertJsonSafe({ a: [1, { b: Number.NaN }] }), /\$\.a\.1\.b is NaN/);
	assert.throws(() => assertJsonSafe({ e: Infinity }));
	assert.throws(() => assertJsonSafe({ f: 1n }));
});

test('the JSON round trip catches NaN turned into null, and ignores undefined members', () => {
	assert.doesNotThrow(() => assertJsonRoundTrip({ a: 1, b: undefined, c: [1, 'x'] }));
	assert.throws(() => assertJsonRoundTrip({ a: Number.NaN }));
	assert.throws(() => assertJsonRoundTrip({ a: [Infinity] }));
});
