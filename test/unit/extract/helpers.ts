import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Setting, Span, Workload } from '../../../server/src/analysis/types';
import { extractWorkloads } from '../../../server/src/analysis/extract';
import type { AnalysisHost } from '../../../server/src/analysis/types';

export const SAMPLES = path.join(__dirname, '..', '..', '..', 'samples');

export function slice(doc: string, span: Span | undefined): string | undefined {
	return span ? doc.slice(span.offset, span.offset + span.length) : undefined;
}

/** The setting has this value and its span covers exactly `written` in the document. */
export function assertSetting<T>(
	doc: string,
	s: Setting<T> | undefined,
	value: T,
	written: string,
	key?: string,
): void {
	assert.ok(s, `expected a setting with value ${String(value)}`);
	assert.equal(s.value, value);
	assert.equal(s.source, 'file');
	assert.equal(slice(doc, s.span), written);
	if (key !== undefined) {
		assert.equal(s.key, key);
		assert.equal(slice(doc, s.keySpan), key);
	}
}

/** A host that reads files from disk (the samples), like the CLI's. */
export const diskHost: AnalysisHost = {
	readFile(p: string, maxBytes: number) {
		try {
			return new Uint8Array(readFileSync(p)).slice(0, maxBytes);
		} catch {
			return undefined;
		}
	},
	fileExists(p: string) {
		try {
			readFileSync(p);
			return true;
		} catch {
			return false;
		}
	},
};

export async function extract(file: string, text: string, host?: AnalysisHost) {
	return extractWorkloads({ path: file, text, host });
}

export async function extractSample(rel: string) {
	const file = path.join(SAMPLES, rel);
	const text = readFileSync(file, 'utf8');
	return { text, ...(await extractWorkloads({ path: file, text, host: diskHost })) };
}

export function only(ws: Workload[]): Workload {
	assert.equal(ws.length, 1, `expected one workload, got ${ws.length}`);
	return ws[0]!;
}
