/**
 * ggml tensor types and llama.cpp file types (the numbers stored in GGUF files), with their block
 * layouts, so anyone can turn a tensor's element count into bytes.
 *
 * Type ids: ggml-org/llama.cpp ggml/include/ggml.h `enum ggml_type` (ids are append-only; 4, 5, 31–33 and
 * 36–38 were removed from GGUF files). Block sizes and bytes per block: ggml/src/ggml-common.h block_*
 * structs @01243c5 (via ../shared/data/quant-formats.csv). File types: include/llama.h `enum llama_ftype`.
 */

export interface GgmlTypeInfo {
	id: number;
	/** Upper-case name as ggml prints it (`Q4_K`). */
	name: string;
	/** Elements per block. */
	blockSize: number;
	/** Bytes per block, scales included. */
	typeSize: number;
}

// [id, name, elements per block, bytes per block]
const TABLE: [number, string, number, number][] = [
	[0, 'F32', 1, 4],
	[1, 'F16', 1, 2],
	[2, 'Q4_0', 32, 18],
	[3, 'Q4_1', 32, 20],
	[6, 'Q5_0', 32, 22],
	[7, 'Q5_1', 32, 24],
	[8, 'Q8_0', 32, 34],
	[9, 'Q8_1', 32, 36],
	[10, 'Q2_K', 256, 84],
	[11, 'Q3_K', 256, 110],
	[12, 'Q4_K', 256, 144],
	[13, 'Q5_K', 256, 176],
	[14, 'Q6_K', 256, 210],
	[15, 'Q8_K', 256, 292],
	[16, 'IQ2_XXS', 256, 66],
	[17, 'IQ2_XS', 256, 74],
	[18, 'IQ3_XXS', 256, 98],
	[19, 'IQ1_S', 256, 50],
	[20, 'IQ4_NL', 32, 18],
	[21, 'IQ3_S', 256, 110],
	[22, 'IQ2_S', 256, 82],
	[23, 'IQ4_XS', 256, 136],
	[24, 'I8', 1, 1],
	[25, 'I16', 1, 2],
	[26, 'I32', 1, 4],
	[27, 'I64', 1, 8],
	[28, 'F64', 1, 8],
	[29, 'IQ1_M', 256, 56],
	[30, 'BF16', 1, 2],
	[34, 'TQ1_0', 256, 54],
	[35, 'TQ2_0', 256, 66],
	[39, 'MXFP4', 32, 17],
	[40, 'NVFP4', 64, 36],
	[41, 'Q1_0', 128, 18],
	[42, 'Q2_0', 64, 18],
];

const BY_ID = new Map<number, GgmlTypeInfo>(
	TABLE.map(([id, name, blockSize, typeSize]) => [id, { id, name, blockSize, typeSize }]),
);

/** `Q4_K` for 12; `type 99` for ids this table does not know (newer llama.cpp). */
export function ggufTypeName(type: number): string {
	return BY_ID.get(type)?.name ?? `type ${type}`;
}

/** Bits per weight including block scales (Q4_K = 144·8/256 = 4.5); undefined for unknown ids. */
export function ggmlBitsPerWeight(type: number): number | undefined {
	const t = BY_ID.get(type);
	return t ? (t.typeSize * 8) / t.blockSize : undefined;
}

/** The ggml type id for a name like `q8_0` or `Q4_K` (case-insensitive). */
export function ggmlTypeByName(name: string): GgmlTypeInfo | undefined {
	const upper = name.toUpperCase();
	for (const t of BY_ID.values()) if (t.name === upper) return t;
	return undefined;
}

/** Bytes a tensor of `elements` elements takes in `type`; undefined for unknown types. */
export function ggmlTensorBytes(type: number, elements: number): number | undefined {
	const t = BY_ID.get(type);
	return t ? Math.ceil(elements / t.blockSize) * t.typeSize : undefined;
}

// llama_ftype (general.file_type): the llama-quantize preset that mixed the tensor types.
const FILE_TYPES: Record<number, string> = {
	0: 'F32',
	1: 'F16',
	2: 'Q4_0',
	3: 'Q4_1',
	7: 'Q8_0',
	8: 'Q5_0',
	9: 'Q5_1',
	10: 'Q2_K',
	11: 'Q3_K_S',
	12: 'Q3_K_M',
	13: 'Q3_K_L',
	14: 'Q4_K_S',
	15: 'Q4_K_M',
	16: 'Q5_K_S',
	17: 'Q5_K_M',
	18: 'Q6_K',
	19: 'IQ2_XXS',
	20: 'IQ2_XS',
	21: 'Q2_K_S',
	22: 'IQ3_XS',
	23: 'IQ3_XXS',
	24: 'IQ1_S',
	25: 'IQ4_NL',
	26: 'IQ3_S',
	27: 'IQ3_M',
	28: 'IQ2_S',
	29: 'IQ2_M',
	30: 'IQ4_XS',
	31: 'IQ1_M',
	32: 'BF16',
	36: 'TQ1_0',
	37: 'TQ2_0',
	38: 'MXFP4_MOE',
};

/** `Q4_K_M` for file type 15; undefined for ids not in the table. */
export function ggufFileTypeName(fileType: number): string | undefined {
	return FILE_TYPES[fileType & ~1024]; // 1024 = LLAMA_FTYPE_GUESSED flag
}
