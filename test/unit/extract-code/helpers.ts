import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Setting, Span } from '../../../server/src/analysis/types';

export const ROOT = path.join(__dirname, '..', '..', '..');

export function sample(rel: string): { path: string; text: string } {
	const p = path.join(ROOT, 'samples', rel);
	return { path: p, text: readFileSync(p, 'utf8') };
}

export function at(text: string, span: Span | undefined): string {
	assert.ok(span, 'expected a span');
	return text.slice(span.offset, span.offset + span.length);
}

/** Asserts a file setting's value and the exact text its span covers. */
export function assertSetting<T>(
	text: string,
	s: Setting<T> | undefined,
	value: T,
	written: string,
	key?: string,
): void {
	assert.ok(s, `expected a setting with value ${String(value)}`);
	assert.equal(s.value, value);
	assert.equal(s.source, 'file');
	assert.equal(at(text, s.span), written);
	if (key !== undefined) {
		assert.equal(s.key, key);
		assert.equal(at(text, s.keySpan), key);
	}
}

/** A host that reads real files from disk, bounded like the real one. */
export const diskHost = {
	readFile(p: string, maxBytes: number): Uint8Array | undefined {
		try {
			return new Uint8Array(readFileSync(p)).subarray(0, maxBytes);
		} catch {
			return undefined;
		}
	},
};
