// A tiny GGUF writer for tests and samples: headers only (metadata + tensor infos), no tensor data, so a
// file describing an 8B model stays a few KB. Layout: ggml-org/ggml docs/gguf.md (v2/v3, little-endian).
// Usage: node scripts/make-sample-gguf.mjs [outDir]   (writes the samples/gguf/*.gguf files)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VT = {
	u8: 0,
	i8: 1,
	u16: 2,
	i16: 3,
	u32: 4,
	i32: 5,
	f32: 6,
	bool: 7,
	string: 8,
	array: 9,
	u64: 10,
	i64: 11,
	f64: 12,
};
export const GT = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8, Q4_K: 12, Q5_K: 13, Q6_K: 14, BF16: 30 };

class Writer {
	chunks = [];
	size = 0;
	push(buf) {
		this.chunks.push(buf);
		this.size += buf.length;
	}
	u32(v) {
		const b = Buffer.alloc(4);
		b.writeUInt32LE(v >>> 0);
		this.push(b);
	}
	u64(v) {
		const b = Buffer.alloc(8);
		b.writeBigUInt64LE(BigInt(v));
		this.push(b);
	}
	string(s) {
		const b = Buffer.from(s, 'utf8');
		this.u64(b.length);
		this.push(b);
	}
	scalar(type, v) {
		const sizes = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
		const b = Buffer.alloc(sizes[type] ?? 4); // unknown types (for broken-file tests) get 4 zero bytes
		if (type === VT.u8 || type === VT.bool) b.writeUInt8(Number(v));
		else if (type === VT.i8) b.writeInt8(v);
		else if (type === VT.u16) b.writeUInt16LE(v);
		else if (type === VT.i16) b.writeInt16LE(v);
		else if (type === VT.u32) b.writeUInt32LE(v);
		else if (type === VT.i32) b.writeInt32LE(v);
		else if (type === VT.f32) b.writeFloatLE(v);
		else if (type === VT.u64) b.writeBigUInt64LE(BigInt(v));
		else if (type === VT.i64) b.writeBigInt64LE(BigInt(v));
		else if (type === VT.f64) b.writeDoubleLE(v);
		this.push(b);
	}
	value(type, v) {
		if (type === VT.string) this.string(v);
		else if (type === VT.array) {
			// v = { itemType, items, length? }: `length` may lie (claim more items than written).
			this.u32(v.itemType);
			this.u64(v.length ?? v.items.length);
			for (const item of v.items) this.value(v.itemType, item);
		} else this.scalar(type, v);
	}
	bytes() {
		return new Uint8Array(Buffer.concat(this.chunks));
	}
}

/**
 * @param {object} o
 * @param {number} [o.version] 3 by default
 * @param {[string, number, unknown][]} [o.metadata] [key, VT type, value]
 * @param {{ name: string, dims: number[], type: number }[]} [o.tensors]
 * @param {bigint|number} [o.tensorCount] override the written tensor count (lying headers)
 * @param {bigint|number} [o.kvCount] override the written KV count
 * @returns {Uint8Array}
 */
export function writeGguf(o) {
	const w = new Writer();
	const metadata = o.metadata ?? [];
	const tensors = o.tensors ?? [];
	w.push(Buffer.from('GGUF', 'latin1'));
	w.u32(o.version ?? 3);
	w.u64(o.tensorCount ?? tensors.length);
	w.u64(o.kvCount ?? metadata.length);
	for (const [key, type, value] of metadata) {
		w.string(key);
		w.u32(type);
		w.value(type, value);
	}
	let offset = 0n;
	for (const t of tensors) {
		w.string(t.name);
		w.u32(t.dims.length);
		for (const d of t.dims) w.u64(d);
		w.u32(t.type);
		w.u64(offset);
		offset += 32n; // offsets are not checked by the reader; keep them aligned and increasing
	}
	return w.bytes();
}

/** Tensor infos of a llama-architecture model; `typeOf(name, layer)` picks each tensor's ggml type. */
export function llamaTensors({ layers, hidden, ffn, heads, kvHeads, vocab }, typeOf) {
	const headDim = hidden / heads;
	const t = [{ name: 'token_embd.weight', dims: [hidden, vocab], type: typeOf('token_embd', -1) }];
	for (let i = 0; i < layers; i++) {
		const p = `blk.${i}.`;
		t.push(
			{ name: `${p}attn_norm.weight`, dims: [hidden], type: GT.F32 },
			{ name: `${p}attn_q.weight`, dims: [hidden, hidden], type: typeOf('attn_q', i) },
			{ name: `${p}attn_k.weight`, dims: [hidden, kvHeads * headDim], type: typeOf('attn_k', i) },
			{ name: `${p}attn_v.weight`, dims: [hidden, kvHeads * headDim], type: typeOf('attn_v', i) },
			{ name: `${p}attn_output.weight`, dims: [hidden, hidden], type: typeOf('attn_output', i) },
			{ name: `${p}ffn_norm.weight`, dims: [hidden], type: GT.F32 },
			{ name: `${p}ffn_gate.weight`, dims: [hidden, ffn], type: typeOf('ffn_gate', i) },
			{ name: `${p}ffn_up.weight`, dims: [hidden, ffn], type: typeOf('ffn_up', i) },
			{ name: `${p}ffn_down.weight`, dims: [ffn, hidden], type: typeOf('ffn_down', i) },
		);
	}
	t.push({ name: 'output_norm.weight', dims: [hidden], type: GT.F32 });
	t.push({ name: 'output.weight', dims: [hidden, vocab], type: typeOf('output', -1) });
	return t;
}

/** Llama 3.1 8B shapes (config.json of meta-llama/Llama-3.1-8B) with a Q4_K_M-like type mix. */
export function llama31_8bQ4KM() {
	const shape = { layers: 32, hidden: 4096, ffn: 14336, heads: 32, kvHeads: 8, vocab: 128256 };
	// llama-quantize gives attn_v/ffn_down more bits in the first and last eighth and every third layer.
	const moreBits = (i, n) => i < n / 8 || i >= (7 * n) / 8 || (i - n / 8) % 3 === 2;
	const typeOf = (name, i) => {
		if (name === 'output') return GT.Q6_K;
		if ((name === 'attn_v' || name === 'ffn_down') && moreBits(i, 32)) return GT.Q6_K;
		return GT.Q4_K;
	};
	return writeGguf({
		metadata: [
			['general.architecture', VT.string, 'llama'],
			['general.name', VT.string, 'Meta Llama 3.1 8B Instruct'],
			['general.file_type', VT.u32, 15],
			['general.quantization_version', VT.u32, 2],
			['llama.block_count', VT.u32, 32],
			['llama.context_length', VT.u32, 131072],
			['llama.embedding_length', VT.u32, 4096],
			['llama.feed_forward_length', VT.u32, 14336],
			['llama.attention.head_count', VT.u32, 32],
			['llama.attention.head_count_kv', VT.u32, 8],
			['llama.rope.freq_base', VT.f32, 500000],
			['llama.attention.layer_norm_rms_epsilon', VT.f32, 1e-5],
			['llama.vocab_size', VT.u32, 128256],
			['tokenizer.ggml.model', VT.string, 'gpt2'],
			['tokenizer.ggml.bos_token_id', VT.u32, 128000],
		],
		tensors: llamaTensors(shape, typeOf),
	});
}

/** A small MoE in the qwen3moe layout: 4 layers, 8 experts, 2 used per token, Q8_0 everywhere. */
export function tinyMoeQ8() {
	const L = 4;
	const hidden = 256;
	const expFfn = 128;
	const experts = 8;
	const vocab = 1000;
	const tensors = [{ name: 'token_embd.weight', dims: [hidden, vocab], type: GT.Q8_0 }];
	for (let i = 0; i < L; i++) {
		const p = `blk.${i}.`;
		tensors.push(
			{ name: `${p}attn_norm.weight`, dims: [hidden], type: GT.F32 },
			{ name: `${p}attn_q.weight`, dims: [hidden, 256], type: GT.Q8_0 },
			{ name: `${p}attn_k.weight`, dims: [hidden, 64], type: GT.Q8_0 },
			{ name: `${p}attn_v.weight`, dims: [hidden, 64], type: GT.Q8_0 },
			{ name: `${p}attn_output.weight`, dims: [256, hidden], type: GT.Q8_0 },
			{ name: `${p}ffn_gate_inp.weight`, dims: [hidden, experts], type: GT.F32 },
			{ name: `${p}ffn_gate_exps.weight`, dims: [hidden, expFfn, experts], type: GT.Q8_0 },
			{ name: `${p}ffn_up_exps.weight`, dims: [hidden, expFfn, experts], type: GT.Q8_0 },
			{ name: `${p}ffn_down_exps.weight`, dims: [expFfn, hidden, experts], type: GT.Q8_0 },
		);
	}
	tensors.push({ name: 'output_norm.weight', dims: [hidden], type: GT.F32 });
	const tokens = Array.from({ length: vocab }, (_, i) => `t${i}`);
	return writeGguf({
		metadata: [
			['general.architecture', VT.string, 'qwen3moe'],
			['general.name', VT.string, 'Tiny MoE Test'],
			['general.file_type', VT.u32, 7],
			['qwen3moe.block_count', VT.u32, L],
			['qwen3moe.context_length', VT.u32, 4096],
			['qwen3moe.embedding_length', VT.u32, hidden],
			['qwen3moe.feed_forward_length', VT.u32, 512],
			['qwen3moe.expert_feed_forward_length', VT.u32, expFfn],
			['qwen3moe.attention.head_count', VT.u32, 4],
			['qwen3moe.attention.head_count_kv', VT.u32, 1],
			['qwen3moe.attention.key_length', VT.u32, 64],
			['qwen3moe.attention.value_length', VT.u32, 64],
			['qwen3moe.expert_count', VT.u32, experts],
			['qwen3moe.expert_used_count', VT.u32, 2],
			['tokenizer.ggml.tokens', VT.array, { itemType: VT.string, items: tokens }],
		],
		tensors,
	});
}

export function writeSamples(outDir) {
	mkdirSync(outDir, { recursive: true });
	const files = {
		'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf': llama31_8bQ4KM(),
		'tiny-moe-Q8_0.gguf': tinyMoeQ8(),
		// Claims 2^62 tensors: a reader that trusts counts would try to allocate exabytes.
		'lying-tensor-count.gguf': writeGguf({
			tensorCount: 2n ** 62n,
			metadata: [['general.architecture', VT.string, 'llama']],
		}),
		// Cut in the middle of the metadata.
		'truncated.gguf': llama31_8bQ4KM().subarray(0, 200),
		'empty.gguf': new Uint8Array(0),
	};
	for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(outDir, name), bytes);
	return Object.keys(files);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const out =
		process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'gguf');
	for (const f of writeSamples(out)) console.log(path.join(out, f));
}
