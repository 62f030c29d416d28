import { test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	deriveGgufFacts,
	ggmlBitsPerWeight,
	ggufFileTypeName,
	ggufFormatId,
	ggufModelSpec,
	ggufTypeName,
	isGgufError,
	readGgufHeader,
	readLocalGguf,
	type GgufHeader,
} from '../../../server/src/analysis/gguf';
import { GT, VT, llama31_8bQ4KM, tinyMoeQ8, writeGguf } from '../../../scripts/make-sample-gguf.mjs';

function ok(r: ReturnType<typeof readGgufHeader>): GgufHeader {
	if (isGgufError(r)) assert.fail(r.error);
	return r;
}

test('ggml type table: names and bits per weight from block layouts', () => {
	assert.equal(ggufTypeName(12), 'Q4_K');
	assert.equal(ggufTypeName(99), 'type 99');
	assert.equal(ggmlBitsPerWeight(12), 4.5); // 144 bytes · 8 / 256 weights
	assert.equal(ggmlBitsPerWeight(8), 8.5); // 34 · 8 / 32
	assert.equal(ggmlBitsPerWeight(14), 6.5625); // 210 · 8 / 256
	assert.equal(ggmlBitsPerWeight(39), 4.25); // MXFP4: 17 · 8 / 32
	assert.equal(ggufFileTypeName(15), 'Q4_K_M');
	assert.equal(ggufFileTypeName(15 | 1024), 'Q4_K_M'); // LLAMA_FTYPE_GUESSED bit
});

test('Llama 3.1 8B Q4_K_M header: hyper-parameters, params and effective bits', () => {
	const h = ok(readGgufHeader(llama31_8bQ4KM()));
	assert.equal(h.version, 3);
	// 1 token_embd + 32 layers × 9 + output_norm + output = 291
	assert.equal(h.tensorCount, 291);
	assert.equal(h.tensors.length, 291);
	assert.equal(h.tensorInfosComplete, true);
	const f = deriveGgufFacts(h);
	assert.equal(f.architecture, 'llama');
	assert.equal(f.name, 'Meta Llama 3.1 8B Instruct');
	assert.equal(f.blockCount, 32);
	assert.equal(f.embeddingLength, 4096);
	assert.equal(f.feedForwardLength, 14336);
	assert.equal(f.headCount, 32);
	assert.equal(f.headCountKv, 8);
	assert.equal(f.contextLength, 131072);
	assert.equal(f.fileType, 'Q4_K_M');
	assert.equal(f.vocabSize, 128256); // no tokens array: llama.vocab_size
	// Per layer: q 4096² + k,v 4096·1024 each + o 4096² + gate/up/down 4096·14336 each + 2 norms of 4096
	//   = 33,554,432 + 8,388,608 + 176,160,768 + 8,192 = 218,112,000; × 32 = 6,979,584,000
	// + token_embd and output 2 × 4096 · 128256 = 1,050,673,152 + output_norm 4096 = 8,030,261,248
	assert.equal(f.paramCount, 8_030_261_248);
	assert.equal(f.dominantType, 'Q4_K');
	assert.ok(f.bitsPerWeight! > 4.5 && f.bitsPerWeight! < 5.2, `bits/weight ${f.bitsPerWeight}`);
	assert.equal(ggufFormatId(f), 'q4_k_m');
	const spec = ggufModelSpec(f, 'x');
	assert.ok(!('missing' in spec));
	assert.equal(spec.headDim, 128); // 4096 / 32
	assert.equal(spec.tiedEmbeddings, false); // output.weight exists
	assert.equal(spec.origin, 'gguf');
});

test('MoE header: vocab from the tokens array, active params from expert tensors', () => {
	const f = deriveGgufFacts(ok(readGgufHeader(tinyMoeQ8())));
	assert.equal(f.vocabSize, 1000);
	assert.equal(f.expertCount, 8);
	assert.equal(f.expertUsedCount, 2);
	assert.equal(f.keyLength, 64);
	assert.equal(f.fileType, 'Q8_0');
	assert.equal(f.bitsPerWeight !== undefined, true);
	const spec = ggufModelSpec(f, 'tiny');
	assert.ok(!('missing' in spec));
	// experts per layer: 3 tensors × 256·128·8 = 786,432; × 4 layers = 3,145,728
	assert.equal(f.expertParams, 3_145_728);
	// active = total − experts × (1 − 2/8) = total − 2,359,296
	assert.equal(spec.paramsTotal - spec.paramsActive, 2_359_296);
	assert.equal(spec.moe?.expertIntermediate, 128);
	assert.equal(spec.tiedEmbeddings, true); // no output.weight
});

test('every metadata value type round-trips, arrays keep a bounded prefix', () => {
	const big = Array.from({ length: 5000 }, (_, i) => i);
	const bytes = writeGguf({
		metadata: [
			['a.u8', VT.u8, 255],
			['a.i8', VT.i8, -5],
			['a.u16', VT.u16, 65535],
			['a.i16', VT.i16, -300],
			['a.i32', VT.i32, -70000],
			['a.f32', VT.f32, 0.5],
			['a.bool', VT.bool, true],
			['a.u64', VT.u64, 2n ** 60n],
			['a.i64', VT.i64, -42n],
			['a.f64', VT.f64, 1.25],
			['a.str', VT.string, 'héllo'],
			['a.arr', VT.array, { itemType: VT.u32, items: big }],
			['a.nested', VT.array, { itemType: VT.array, items: [{ itemType: VT.u8, items: [1, 2] }] }],
		],
	});
	const md = ok(readGgufHeader(bytes)).metadata;
	assert.equal(md.get('a.u8'), 255);
	assert.equal(md.get('a.i8'), -5);
	assert.equal(md.get('a.u16'), 65535);
	assert.equal(md.get('a.i16'), -300);
	assert.equal(md.get('a.i32'), -70000);
	assert.equal(md.get('a.f32'), 0.5);
	assert.equal(md.get('a.bool'), true);
	assert.equal(md.get('a.u64'), 2n ** 60n); // above 2^53: stays a bigint
	assert.equal(md.get('a.i64'), -42);
	assert.equal(md.get('a.f64'), 1.25);
	assert.equal(md.get('a.str'), 'héllo');
	const arr = md.get('a.arr');
	assert.ok(arr && typeof arr === 'object' && arr.kind === 'array');
	assert.equal(arr.length, 5000);
	assert.equal(arr.values.length, 4096); // keepNumericItems
	assert.equal(arr.partial, true);
	const nested = md.get('a.nested');
	assert.ok(nested && typeof nested === 'object' && nested.kind === 'array');
	assert.deepEqual((nested.values[0] as { values: unknown[] }).values, [1, 2]);
});

test('lying and broken headers give clear errors, never throws or huge allocations', () => {
	const cases: [string, Uint8Array, RegExp][] = [
		['empty', new Uint8Array(0), /empty file/],
		['not gguf', new TextEncoder().encode('PK\u0003\u0004 zip file'), /not a GGUF file/],
		['v1', writeGguf({ version: 1 }), /v1/],
		['v9', writeGguf({ version: 9 }), /unsupported GGUF version 9/],
		['2^62 tensors', writeGguf({ tensorCount: 2n ** 62n }), /tensor count is 4611686018427387904, above/],
		['2^62 KVs', writeGguf({ kvCount: 2n ** 62n }), /KV count .* above/],
		['KV count beyond bytes', writeGguf({ kvCount: 1000 }), /truncated: 1000 metadata KV pairs/],
		['truncated', llama31_8bQ4KM().subarray(0, 200), /truncated/],
		[
			'array claims 2^24 items',
			writeGguf({ metadata: [['x', VT.array, { itemType: VT.u64, items: [1], length: 1 << 24 }]] }),
			/truncated: x \(16777216 items\)/,
		],
		[
			'array length 2^40',
			writeGguf({ metadata: [['x', VT.array, { itemType: VT.u8, items: [], length: 2 ** 40 }]] }),
			/array length is 1099511627776, above/,
		],
		['bad value type', writeGguf({ metadata: [['x', 77, 0]] }), /unknown value type 77/],
	];
	for (const [name, bytes, re] of cases) {
		const r = readGgufHeader(bytes);
		assert.ok(isGgufError(r), `${name}: expected an error`);
		assert.match(r.error, re, name);
	}
});

test('a prefix cut inside the tensor infos keeps the metadata and the tensors read so far', () => {
	const full = llama31_8bQ4KM();
	const r = ok(readGgufHeader(full.subarray(0, full.length - 500), { prefixOfLargerFile: true }));
	assert.equal(r.tensorInfosComplete, false);
	assert.ok(r.tensors.length > 250 && r.tensors.length < 291);
	assert.equal(deriveGgufFacts(r).blockCount, 32);
	// Without the prefix flag the same bytes are a truncated file.
	assert.ok(isGgufError(readGgufHeader(full.subarray(0, full.length - 500))));
});

test('tensor with too many dims is rejected', () => {
	const r = readGgufHeader(
		writeGguf({ tensors: [{ name: 't', dims: [1, 1, 1, 1, 1, 1, 1, 1, 1], type: GT.F32 }] }),
	);
	assert.ok(isGgufError(r));
	assert.match(r.error, /9 dims/);
});

test('readLocalGguf reads through the host with a bounded prefix', () => {
	const dir = path.join(__dirname, '..', '..', '..', 'samples', 'gguf');
	const asked: number[] = [];
	const host = {
		readFile(p: string, maxBytes: number) {
			asked.push(maxBytes);
			try {
				return new Uint8Array(readFileSync(path.join(dir, p))).subarray(0, maxBytes);
			} catch {
				return undefined;
			}
		},
	};
	const good = readLocalGguf(host, 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf');
	assert.equal(good.error, undefined);
	assert.equal(good.formatId, 'q4_k_m');
	assert.equal(good.model?.layers, 32);
	assert.match(good.summary, /arch llama, 32 layers, 32 heads \/ 8 KV/);
	assert.equal(asked[0], 16 * 1024 * 1024);
	assert.match(readLocalGguf(host, 'empty.gguf').error!, /empty file/);
	assert.match(readLocalGguf(host, 'truncated.gguf').error!, /truncated/);
	assert.match(readLocalGguf(host, 'lying-tensor-count.gguf').error!, /tensor count/);
	assert.match(readLocalGguf(host, 'missing.gguf').error!, /not found/);
	assert.match(readLocalGguf({}, 'x.gguf').error!, /no file access/);
	// A small prefix of a real-size file: metadata fits, tensors are partial but the model still resolves.
	const small = readLocalGguf(host, 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', 4000);
	assert.equal(small.model?.layers, 32);
});

test('readLocalGguf retries once with a larger bounded prefix when the metadata is longer than the first', () => {
	const tokens = Array.from({ length: 3000 }, (_, i) => `token-${i}`);
	const file = writeGguf({
		metadata: [
			['general.architecture', VT.string, 'llama'],
			['llama.block_count', VT.u32, 2],
			['llama.embedding_length', VT.u32, 64],
			['llama.attention.head_count', VT.u32, 4],
			['tokenizer.ggml.tokens', VT.array, { itemType: VT.string, items: tokens }],
		],
	});
	const asked: number[] = [];
	const host = {
		readFile(_p: string, maxBytes: number) {
			asked.push(maxBytes);
			return file.subarray(0, maxBytes);
		},
	};
	// A 1 KB first prefix cannot hold ~45 KB of tokens; the retry reads up to 64 MiB (the whole file here).
	const r = readLocalGguf(host, 'x.gguf', 1024);
	assert.deepEqual(asked, [1024, 64 * 1024 * 1024]);
	assert.equal(r.error, undefined);
	assert.equal(r.model?.vocab, 3000);
});

test('fuzz: truncated and corrupted headers never throw past the API', () => {
	const base = tinyMoeQ8();
	fc.assert(
		fc.property(
			fc.nat({ max: base.length }),
			fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), {
				maxLength: 8,
			}),
			(cut, flips) => {
				const bytes = base.slice(0, cut);
				for (const [i, v] of flips) if (i < bytes.length) bytes[i] = v;
				const r = readGgufHeader(bytes);
				// Either a header whose counts stay within the limits, or an error string.
				if (isGgufError(r)) assert.equal(typeof r.error, 'string');
				else assert.ok(r.tensors.length <= r.tensorCount && r.metadata.size <= r.kvCount);
			},
		),
		{ numRuns: 300 },
	);
});

test('sliding-window layers from the pattern or the architecture, and MLA dims', () => {
	const base = (arch: string, extra: [string, number, unknown][]) =>
		writeGguf({
			metadata: [
				['general.architecture', VT.string, arch],
				[`${arch}.block_count`, VT.u32, 26],
				[`${arch}.embedding_length`, VT.u32, 1152],
				[`${arch}.attention.head_count`, VT.u32, 4],
				[`${arch}.vocab_size`, VT.u32, 262144],
				...extra,
			],
		});
	// gemma3 without a pattern key: llama.cpp's pattern 6 → 26 − floor(26/6) = 26 − 4 = 22 sliding layers.
	const g3 = deriveGgufFacts(
		ok(readGgufHeader(base('gemma3', [['gemma3.attention.sliding_window', VT.u32, 512]]))),
	);
	assert.equal(g3.slidingWindowLayers, 22);
	const spec = ggufModelSpec(g3, 'g3');
	assert.ok(!('missing' in spec));
	assert.deepEqual(spec.slidingWindow, { window: 512, layers: 22 });
	// A bool-per-layer pattern counts its trues.
	const bools = Array.from({ length: 26 }, (_, i) => i % 2 === 0);
	const g2 = deriveGgufFacts(
		ok(
			readGgufHeader(
				base('llama4', [
					['llama4.attention.sliding_window', VT.u32, 8192],
					['llama4.attention.sliding_window_pattern', VT.array, { itemType: VT.bool, items: bools }],
				]),
			),
		),
	);
	assert.equal(g2.slidingWindowLayers, 13);
	// DeepSeek-style MLA: key_length_mla 192 = nope 128 + rope 64.
	const ds = deriveGgufFacts(
		ok(
			readGgufHeader(
				base('deepseek2', [
					['deepseek2.attention.kv_lora_rank', VT.u32, 512],
					['deepseek2.attention.q_lora_rank', VT.u32, 1536],
					['deepseek2.rope.dimension_count', VT.u32, 64],
					['deepseek2.attention.key_length_mla', VT.u32, 192],
					['deepseek2.attention.value_length_mla', VT.u32, 128],
					['deepseek2.attention.key_length', VT.u32, 576],
				]),
			),
		),
	);
	assert.deepEqual(ds.mla, {
		kvLoraRank: 512,
		qLoraRank: 1536,
		ropeHeadDim: 64,
		nopeHeadDim: 128,
		vHeadDim: 128,
	});
	const dsSpec = ggufModelSpec(ds, 'ds');
	assert.ok(!('missing' in dsSpec));
	assert.equal(dsSpec.headDim, 192);
});
