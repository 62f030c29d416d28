// Types for scripts/make-sample-gguf.mjs, so TypeScript tests can import the writer.
export declare const VT: Record<
	'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'bool' | 'string' | 'array' | 'u64' | 'i64' | 'f64',
	number
>;
export declare const GT: Record<'F32' | 'F16' | 'Q4_0' | 'Q8_0' | 'Q4_K' | 'Q5_K' | 'Q6_K' | 'BF16', number>;
export interface SampleTensor {
	name: string;
	dims: number[];
	type: number;
}
export declare function writeGguf(o: {
	version?: number;
	metadata?: [string, number, unknown][];
	tensors?: SampleTensor[];
	tensorCount?: bigint | number;
	kvCount?: bigint | number;
}): Uint8Array;
export declare function llamaTensors(
	shape: { layers: number; hidden: number; ffn: number; heads: number; kvHeads: number; vocab: number },
	typeOf: (name: string, layer: number) => number,
): SampleTensor[];
export declare function llama31_8bQ4KM(): Uint8Array;
export declare function tinyMoeQ8(): Uint8Array;
export declare function writeSamples(outDir: string): string[];
