/**
 * What must hold for any analysis or extraction result, whatever the input: the shape is valid, every
 * span lies inside the document, every fix's edits lie inside it and do not overlap, and nothing that
 * reaches JSON output is NaN, Infinity or a bigint (JSON.stringify would turn NaN into null, or throw).
 */
import assert from 'node:assert/strict';
import type { DocumentAnalysis, Finding, Span, Workload } from '../../server/src/analysis/types';

export function assertSpanInside(span: Span | undefined, textLength: number, what: string): void {
	if (span === undefined) return;
	assert.ok(
		Number.isInteger(span.offset) && Number.isInteger(span.length),
		`${what}: non-integer span ${JSON.stringify(span)}`,
	);
	assert.ok(span.offset >= 0 && span.length >= 0, `${what}: negative span ${JSON.stringify(span)}`);
	assert.ok(
		span.offset + span.length <= textLength,
		`${what}: span ${JSON.stringify(span)} past the end (${textLength})`,
	);
}

export function assertFindingValid(f: Finding, textLength: number): void {
	assert.equal(typeof f.code, 'string');
	assert.match(f.code, /^[a-z0-9]+(-[a-z0-9]+)*$/, `code ${f.code} is kebab-case`);
	assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity), `severity ${f.severity}`);
	assert.equal(typeof f.message, 'string');
	assert.ok(f.message.length > 0, `${f.code}: empty message`);
	assertSpanInside(f.span, textLength, `finding ${f.code}`);
	for (const fix of f.fixes ?? []) {
		const edits = [...fix.edits].sort((a, b) => a.span.offset - b.span.offset);
		for (const e of edits) {
			assertSpanInside(e.span, textLength, `fix "${fix.title}" of ${f.code}`);
			assert.equal(typeof e.newText, 'string');
		}
		for (let i = 1; i < edits.length; i++) {
			const prev = edits[i - 1]!.span;
			assert.ok(
				prev.offset + prev.length <= edits[i]!.span.offset,
				`fix "${fix.title}" of ${f.code}: overlapping edits ${JSON.stringify(edits.map((e) => e.span))}`,
			);
		}
	}
}

export function assertWorkloadSpans(w: Workload, textLength: number): void {
	assertSpanInside(w.span, textLength, 'workload');
	assertSpanInside(w.model.span, textLength, 'model');
	for (const [k, s] of Object.entries(w.settings)) {
		assertSpanInside(s?.span, textLength, `setting ${k}`);
		assertSpanInside(s?.keySpan, textLength, `setting ${k} key`);
	}
	for (const fl of w.flags) {
		assertSpanInside(fl.span, textLength, `flag ${fl.name}`);
		assertSpanInside(fl.valueSpan, textLength, `flag ${fl.name} value`);
	}
	for (const u of w.unknowns) assertSpanInside(u.span, textLength, `unknown ${u.name}`);
}

/** Every number finite, no bigint, no function: what JSON output can carry without changing it. */
export function assertJsonSafe(value: unknown, path = '$', seen = new Set<unknown>()): void {
	if (typeof value === 'number') {
		assert.ok(Number.isFinite(value), `${path} is ${value}`);
		return;
	}
	assert.notEqual(typeof value, 'bigint', `${path} is a bigint`);
	assert.notEqual(typeof value, 'function', `${path} is a function`);
	if (value === null || typeof value !== 'object' || seen.has(value)) return;
	seen.add(value);
	if (value instanceof Map || value instanceof Set) return;
	for (const [k, v] of Object.entries(value)) assertJsonSafe(v, `${path}.${k}`, seen);
}

/** `value` as JSON would keep it if every number were finite: undefined members dropped, -0 as 0. */
function jsonShape(value: unknown): unknown {
	if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
	if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : jsonShape(v)));
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonShape(v);
	return out;
}

/** JSON.stringify round trip changes nothing (NaN and Infinity would come back as null). */
export function assertJsonRoundTrip(value: unknown): void {
	assert.deepStrictEqual(JSON.parse(JSON.stringify(value)), jsonShape(value));
}

export function assertAnalysisValid(a: DocumentAnalysis, textLength: number): void {
	assert.ok(Array.isArray(a.workloads) && Array.isArray(a.findings));
	for (const w of a.workloads) {
		assertWorkloadSpans(w.workload, textLength);
		assert.ok(w.resolvedModel === null || typeof w.resolvedModel === 'string');
	}
	for (const f of a.findings) assertFindingValid(f, textLength);
	assertJsonSafe(a);
}
