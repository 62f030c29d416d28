import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Span } from '../../../server/src/analysis/types';

/** The same check the config-file extractor tests use. */
export { assertSetting } from '../extract/helpers';

export const ROOT = path.join(__dirname, '..', '..', '..');

export function sample(rel: string): { path: string; text: string } {
	const p = path.join(ROOT, 'samples', rel);
	return { path: p, text: readFileSync(p, 'utf8') };
}

export function at(text: string, span: Span | undefined): string {
	assert.ok(span, 'expected a span');
	return text.slice(span.offset, span.offset + span.length);
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
