/**
 * Bounds-checked reader of GGUF v2/v3 headers (metadata key/values and tensor infos) from a byte
 * prefix. The layout is the one in ggml-org/ggml docs/gguf.md: magic "GGUF", u32 version, u64 tensor
 * count, u64 KV count, KV pairs (u64-length string key, u32 value type, value), tensor infos (name,
 * u32 n_dims, u64 dims, u32 ggml type, u64 offset). Little-endian only.
 *
 * Files come from the user's disk and may lie: every count and length is checked against a hard limit
 * and against the bytes left before anything is allocated, so a count of 2^62 is an error message, not
 * an out-of-memory crash. Nothing here throws past `readGgufHeader`.
 */

export type GgufScalar = number | bigint | boolean | string;

/** An array value; only the first few items are kept (tokenizer arrays hold ~10^5 strings). */
export interface GgufArray {
	kind: 'array';
	itemType: number;
	length: number;
	values: GgufValue[];
	/** True when `values` holds fewer than `length` items. */
	partial: boolean;
}

export type GgufValue = GgufScalar | GgufArray;

export interface GgufTensorInfo {
	name: string;
	dims: number[];
	/** ggml type id (see ggmlTypes.ts). */
	type: number;
	/** Offset of the data from the start of the tensor data section. */
	offset: number;
	/** Product of dims. */
	elements: number;
}

export interface GgufHeader {
	version: number;
	tensorCount: number;
	kvCount: number;
	metadata: Map<string, GgufValue>;
	tensors: GgufTensorInfo[];
	/** False when the prefix ended inside the tensor infos (only with `prefixOfLargerFile`). */
	tensorInfosComplete: boolean;
	bytesRead: number;
	warnings: string[];
}

export interface GgufLimits {
	maxStringBytes: number;
	maxArrayLength: number;
	maxKvCount: number;
	maxTensorCount: number;
	maxDims: number;
	maxArrayDepth: number;
	/** Array items kept in `values` (numbers / strings); the rest are skipped over. */
	keepNumericItems: number;
	keepStringItems: number;
	/** Bytes looked at, at most; a longer buffer is treated as a prefix of this size. */
	maxBytes: number;
}

export const DEFAULT_GGUF_LIMITS: GgufLimits = {
	maxStringBytes: 16 * 1024 * 1024,
	maxArrayLength: 1 << 24,
	maxKvCount: 1 << 16,
	maxTensorCount: 1 << 20,
	maxDims: 8,
	maxArrayDepth: 4,
	keepNumericItems: 4096,
	keepStringItems: 64,
	maxBytes: 256 * 1024 * 1024,
};

export interface ReadOptions {
	limits?: Partial<GgufLimits>;
	/** The bytes are only the start of the file: running out inside the tensor infos is not an error. */
	prefixOfLargerFile?: boolean;
}

const GGUF_MAGIC = 0x46554747; // "GGUF" read as little-endian u32

const T = {
	U8: 0,
	I8: 1,
	U16: 2,
	I16: 3,
	U32: 4,
	I32: 5,
	F32: 6,
	BOOL: 7,
	STRING: 8,
	ARRAY: 9,
	U64: 10,
	I64: 11,
	F64: 12,
} as const;

/** Fixed sizes of scalar value types; strings and arrays are variable. */
const SCALAR_SIZE: Record<number, number> = {
	0: 1,
	1: 1,
	2: 2,
	3: 2,
	4: 4,
	5: 4,
	6: 4,
	7: 1,
	10: 8,
	11: 8,
	12: 8,
};

class GgufError extends Error {
	constructor(
		message: string,
		readonly truncated = false,
	) {
		super(message);
	}
}

class Cursor {
	pos = 0;
	private readonly view: DataView;
	private readonly decoder = new TextDecoder('utf-8');
	constructor(
		readonly bytes: Uint8Array,
		readonly limits: GgufLimits,
	) {
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}
	get remaining(): number {
		return this.bytes.byteLength - this.pos;
	}
	need(n: number, what: string): void {
		if (n > this.remaining)
			throw new GgufError(
				`truncated: ${what} needs ${n} bytes at offset ${this.pos}, ${this.remaining} left`,
				true,
			);
	}
	u32(what: string): number {
		this.need(4, what);
		const v = this.view.getUint32(this.pos, true);
		this.pos += 4;
		return v;
	}
	u64(what: string): bigint {
		this.need(8, what);
		const v = this.view.getBigUint64(this.pos, true);
		this.pos += 8;
		return v;
	}
	/** A u64 count, checked against `max` before it becomes a JS number. */
	count(what: string, max: number): number {
		const v = this.u64(what);
		if (v > BigInt(max)) throw new GgufError(`${what} is ${v}, above the limit of ${max}`);
		return Number(v);
	}
	string(what: string, keep = true): string {
		const len = this.count(`${what} length`, this.limits.maxStringBytes);
		this.need(len, what);
		const s = keep ? this.decoder.decode(this.bytes.subarray(this.pos, this.pos + len)) : '';
		this.pos += len;
		return s;
	}
	scalar(type: number, what: string): GgufScalar {
		const size = SCALAR_SIZE[type];
		this.need(size, what);
		const p = this.pos;
		this.pos += size;
		const v = this.view;
		switch (type) {
			case T.U8:
				return v.getUint8(p);
			case T.I8:
				return v.getInt8(p);
			case T.U16:
				return v.getUint16(p, true);
			case T.I16:
				return v.getInt16(p, true);
			case T.U32:
				return v.getUint32(p, true);
			case T.I32:
				return v.getInt32(p, true);
			case T.F32:
				return v.getFloat32(p, true);
			case T.BOOL:
				return v.getUint8(p) !== 0;
			case T.F64:
				return v.getFloat64(p, true);
			case T.U64:
				return safeNumber(v.getBigUint64(p, true));
			default:
				return safeNumber(v.getBigInt64(p, true));
		}
	}
}

/** 64-bit integers become numbers when exact, else stay bigint. */
function safeNumber(v: bigint): number | bigint {
	return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

function readValue(c: Cursor, type: number, what: string, depth: number, keep: boolean): GgufValue {
	if (type === T.STRING) return c.string(what, keep);
	if (type === T.ARRAY) return readArray(c, what, depth);
	if (SCALAR_SIZE[type] === undefined) throw new GgufError(`${what}: unknown value type ${type}`);
	return c.scalar(type, what);
}

function readArray(c: Cursor, what: string, depth: number): GgufArray {
	if (depth >= c.limits.maxArrayDepth) throw new GgufError(`${what}: arrays nested deeper than ${depth}`);
	const itemType = c.u32(`${what} item type`);
	const length = c.count(`${what} array length`, c.limits.maxArrayLength);
	const scalarSize = SCALAR_SIZE[itemType];
	if (itemType !== T.STRING && itemType !== T.ARRAY && scalarSize === undefined)
		throw new GgufError(`${what}: unknown array item type ${itemType}`);
	// Every item takes at least this many bytes: a lying length fails here, before any loop.
	const minItem = scalarSize ?? (itemType === T.STRING ? 8 : 12);
	c.need(length * minItem, `${what} (${length} items)`);
	const keepMax =
		itemType === T.STRING || itemType === T.ARRAY ? c.limits.keepStringItems : c.limits.keepNumericItems;
	const values: GgufValue[] = [];
	if (scalarSize !== undefined && length > keepMax) {
		for (let i = 0; i < keepMax; i++) values.push(c.scalar(itemType, what));
		c.pos += (length - keepMax) * scalarSize; // checked by need() above
	} else {
		for (let i = 0; i < length; i++) {
			const v = readValue(c, itemType, `${what}[${i}]`, depth + 1, i < keepMax);
			if (i < keepMax) values.push(v);
		}
	}
	return { kind: 'array', itemType, length, values, partial: values.length < length };
}

function readTensorInfo(c: Cursor): GgufTensorInfo {
	const name = c.string('tensor name');
	const nDims = c.u32(`tensor ${name} n_dims`);
	if (nDims > c.limits.maxDims)
		throw new GgufError(`tensor ${name} has ${nDims} dims, above ${c.limits.maxDims}`);
	const dims: number[] = [];
	let elements = 1;
	for (let i = 0; i < nDims; i++) {
		const d = c.u64(`tensor ${name} dim ${i}`);
		if (d > BigInt(Number.MAX_SAFE_INTEGER))
			throw new GgufError(`tensor ${name} dim ${i} is ${d}: not plausible`);
		dims.push(Number(d));
		elements *= Number(d);
	}
	if (!Number.isSafeInteger(elements)) throw new GgufError(`tensor ${name} has an implausible element count`);
	const type = c.u32(`tensor ${name} type`);
	const offset = c.u64(`tensor ${name} offset`);
	if (offset > BigInt(Number.MAX_SAFE_INTEGER))
		throw new GgufError(`tensor ${name} offset ${offset}: not plausible`);
	return { name, dims, type, offset: Number(offset), elements };
}

function readHeaderOrThrow(bytes: Uint8Array, opts: ReadOptions): GgufHeader {
	const limits = { ...DEFAULT_GGUF_LIMITS, ...opts.limits };
	const view = bytes.byteLength > limits.maxBytes ? bytes.subarray(0, limits.maxBytes) : bytes;
	const prefix = opts.prefixOfLargerFile === true || view !== bytes;
	const c = new Cursor(view, limits);
	if (view.byteLength === 0) throw new GgufError('empty file: no GGUF header', true);
	if (view.byteLength < 4 || c.u32('magic') !== GGUF_MAGIC)
		throw new GgufError('not a GGUF file (magic is not "GGUF")');
	const version = c.u32('version');
	if (version === 1)
		throw new GgufError('GGUF v1 (2023 pre-release format) is not supported; re-convert the model');
	if (version >= 0x01000000)
		throw new GgufError(`big-endian GGUF (version field reads ${version}) is not supported`);
	if (version !== 2 && version !== 3)
		throw new GgufError(`unsupported GGUF version ${version} (2 and 3 are read)`);
	const tensorCount = c.count('tensor count', limits.maxTensorCount);
	const kvCount = c.count('metadata KV count', limits.maxKvCount);
	// A KV pair takes at least 8 (key length) + 4 (type) + 1 (smallest value) bytes.
	if (!prefix) c.need(kvCount * 13, `${kvCount} metadata KV pairs`);
	const metadata = new Map<string, GgufValue>();
	for (let i = 0; i < kvCount; i++) {
		const key = c.string(`metadata key #${i}`);
		const type = c.u32(`metadata ${key} type`);
		metadata.set(key, readValue(c, type, key, 0, true));
	}
	const warnings: string[] = [];
	const tensors: GgufTensorInfo[] = [];
	let complete = true;
	if (!prefix) c.need(tensorCount * 24, `${tensorCount} tensor infos`);
	for (let i = 0; i < tensorCount; i++) {
		const start = c.pos;
		try {
			tensors.push(readTensorInfo(c));
		} catch (e) {
			if (!(e instanceof GgufError && e.truncated && prefix)) throw e;
			c.pos = start;
			complete = false;
			warnings.push(
				`read ${i} of ${tensorCount} tensor infos: the rest lie past the ${view.byteLength} bytes read`,
			);
			break;
		}
	}
	return {
		version,
		tensorCount,
		kvCount,
		metadata,
		tensors,
		tensorInfosComplete: complete,
		bytesRead: c.pos,
		warnings,
	};
}

/** Reads a GGUF header from the start of a file. Never throws: bad input gives `{ error }`. */
export function readGgufHeader(bytes: Uint8Array, opts: ReadOptions = {}): GgufHeader | { error: string } {
	try {
		return readHeaderOrThrow(bytes, opts);
	} catch (e) {
		if (e instanceof GgufError) {
			const hint =
				e.truncated && opts.prefixOfLargerFile ? ' (the metadata is larger than the prefix read)' : '';
			return { error: `GGUF: ${e.message}${hint}` };
		}
		return { error: `GGUF: unreadable header (${e instanceof Error ? e.message : String(e)})` };
	}
}

export function isGgufError(r: GgufHeader | { error: string }): r is { error: string } {
	return 'error' in r;
}
