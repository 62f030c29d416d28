/**
 * fast-check arbitraries for the fuzz tests: the real samples of each file kind, and structured mutations
 * of them (insert, delete, duplicate a slice, flip a character, splice in hostile fragments), plus fully
 * arbitrary strings. Mutations keep most of the sample, so they reach deep into each extractor.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { detectFileKind } from '../../server/src/analysis/extract';
import type { FileKind } from '../../server/src/analysis/extract';

export interface Sample {
	path: string;
	text: string;
	kind: FileKind;
}

/** Every text sample under samples/, with the kind detection gives it. */
export function samplesByKind(): Map<FileKind, Sample[]> {
	const out = new Map<FileKind, Sample[]>();
	const walk = (dir: string): void => {
		for (const name of readdirSync(dir).sort()) {
			const p = path.join(dir, name);
			if (statSync(p).isDirectory()) walk(p);
			else if (!name.endsWith('.gguf') && !name.endsWith('.md')) {
				const text = readFileSync(p, 'utf8');
				const kind = detectFileKind(p, text);
				if (kind === 'unknown') continue;
				out.set(kind, [...(out.get(kind) ?? []), { path: p, text, kind }]);
			}
		}
	};
	walk('samples');
	return out;
}

/** Fragments that have broken parsers before: quotes, brackets, continuations, odd numbers, surrogates. */
const FRAGMENTS = [
	'"',
	"'",
	'`',
	'(',
	')',
	'[',
	']',
	'{',
	'}',
	'\\\n',
	'\n',
	'\r\n',
	'\t',
	'${',
	'${X:-',
	'$(',
	'#',
	'--',
	'=',
	': ',
	'- ',
	'&a ',
	'*a',
	'<<: *a',
	'nan',
	'1e309',
	'-5',
	'0',
	'99999999999999999999',
	'\uD800',
	'\uDFFF',
	'\uFFFD',
	'\u0000',
	'--max-model-len',
	'--tensor-parallel-size',
	'-ngl',
	'PARAMETER num_ctx',
	'FROM ',
	'dtype:',
	'LLM(',
	'pipeline(',
	'llama-server',
	'vllm serve',
];

type Op =
	| { kind: 'insert'; at: number; text: string }
	| { kind: 'delete'; at: number; len: number }
	| { kind: 'duplicate'; at: number; len: number; to: number }
	| { kind: 'flip'; at: number; code: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
	fc.record({
		kind: fc.constant('insert' as const),
		at: fc.nat(),
		text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 12 })),
	}),
	fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
	fc.record({
		kind: fc.constant('duplicate' as const),
		at: fc.nat(),
		len: fc.nat({ max: 80 }),
		to: fc.nat(),
	}),
	fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), code: fc.nat({ max: 0xffff }) }),
);

function apply(text: string, op: Op): string {
	const n = text.length;
	const at = n === 0 ? 0 : op.at % (n + 1);
	switch (op.kind) {
		case 'insert':
			return text.slice(0, at) + op.text + text.slice(at);
		case 'delete':
			return text.slice(0, at) + text.slice(at + op.len);
		case 'duplicate': {
			const piece = text.slice(at, at + op.len);
			const to = op.to % (n + 1);
			return text.slice(0, to) + piece + text.slice(to);
		}
		case 'flip':
			return at >= n ? text : text.slice(0, at) + String.fromCharCode(op.code) + text.slice(at + 1);
	}
}

/** A sample of the kind with 1–8 mutations applied, or an arbitrary string under the sample's name. */
export function mutatedSample(samples: Sample[]): fc.Arbitrary<{ path: string; text: string }> {
	const mutated = fc
		.record({ i: fc.nat({ max: samples.length - 1 }), ops: fc.array(opArb, { minLength: 1, maxLength: 8 }) })
		.map(({ i, ops }) => ({ path: samples[i]!.path, text: ops.reduce(apply, samples[i]!.text) }));
	const arbitrary = fc
		.record({
			i: fc.nat({ max: samples.length - 1 }),
			// A keyword first, so the keyword pre-filter lets the text through to the parser.
			head: fc.constantFrom('vllm serve ', 'llama-server ', 'from vllm import LLM\n', 'FROM ', ''),
			body: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 })),
		})
		.map(({ i, head, body }) => ({ path: samples[i]!.path, text: head + body }));
	return fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary });
}

/**
 * A sample with one slice repeated hundreds to thousands of times (inputs of up to ~100 KB): what finds
 * quadratic time (a line number counted by re-slicing the document, a key looked up linearly per key).
 */
export function amplifiedSample(samples: Sample[]): fc.Arbitrary<{ path: string; text: string }> {
	return fc
		.record({
			i: fc.nat({ max: samples.length - 1 }),
			at: fc.nat(),
			len: fc.integer({ min: 1, max: 60 }),
			times: fc.integer({ min: 200, max: 2000 }),
		})
		.map(({ i, at, len, times }) => {
			const t = samples[i]!.text;
			const start = t.length ? at % t.length : 0;
			const piece = t.slice(start, start + len) || 'x';
			return { path: samples[i]!.path, text: t.slice(0, start) + piece.repeat(times) + t.slice(start) };
		});
}
