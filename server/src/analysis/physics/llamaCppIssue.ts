/**
 * Issue-bound cap on llama.cpp's quantized mat-vec (mmvq) on CUDA/HIP GPUs (issue #12). The decode stream model
 * (weight bytes / bandwidth share) treats every GGUF type as bytes; but mmvq spends a fixed number of instructions
 * per weight on unpacking the quants, the dp4a and the per-sub-block scale/min handling, and a low-bit type packs
 * more weights into each byte. Below some bits per weight the kernel runs out of issue slots before it runs out of
 * bandwidth: its rate is weights/s, not bytes/s.
 *
 * The cap is lane-cycles/s (peakTflops.fp32 / 2: SMs × FP32 lanes × clock, FMA = 2 FLOPs; × 128 / fp32Lanes on
 * 64-lane SMs) × a calibrated rate in Q4_0-weights per lane-cycle (llamaCppIssueRate) ÷ the type's instruction
 * cost per weight relative to Q4_0, the latter derived below from the kernel source. It applies by mechanism, to
 * the mmvq path (llama.cpp/Ollama, quantized GGUF weights, CUDA or HIP), on any device of that stack.
 */
import { constant } from './calibration';
import { quantizedLlamaCppMatVec } from './llamaCppUnitCaps';
import type { FormatSpec } from '../catalog/types';
import type { EstimateInput } from './types';

/**
 * One thread's work in one call of ggml-cuda's vec_dot_<type>_q8_1 (ggml/src/ggml-cuda/vecdotq.cuh, read at
 * ggml-org/llama.cpp 027ef87), the body of mul_mat_vec_q's inner loop (mmvq.cu: `for (kbx …) tmp += vec_dot(…,
 * kbx, kqs)`). Counting rule, the same for every type:
 * - weights: quants one call covers = VDR ints × values per int (Q4_0 VDR 2 × 8 nibbles = 16; Q2_K VDR 1 × 16
 *   crumbs = 16; Q6_K VDR 1 × 8 = 8; the IQ2/IQ3 grids 4 iterations × 8 = 32);
 * - loads: each load instruction of x or y data (get_int_b4 = 1, get_int_b2 = 2 halves, a scale byte, a q8_1 `ds`
 *   half, a grid-table entry, uint2 grid = 1) counts 1;
 * - alu: each integer operator written in the source (shift, and, or, xor, add/sub, multiply, byte extract,
 *   get_int_b2's shift+or, the SIMD-in-word intrinsics __vsubss4/__vsub4/__vcmpne4, unpack_ksigns = popc, and,
 *   shift, xor, multiply = 5) counts 1; a shift by a constant 0 counts 0; two bitwise logic operators in a row
 *   (and then or, as in `v |= (h << s) & bit`) count 1, the 3-input LOP3.LUT of every SM since Maxwell (GCN/RDNA
 *   since GFX9: v_and_or_b32, v_or3_b32). Index arithmetic on `iqs` alone is not
 *   counted: kqs = vdr × (tid % (qi/vdr)) is fixed per thread, so the compiler hoists it out of the kbx loop;
 * - dp4a: each ggml_cuda_dp4a counts 1;
 * - fp: each half→float conversion, int→float conversion, float multiply, add or fused multiply-add counts 1;
 * - plus LOOP_OPS per call for mul_mat_vec_q's own loop (kby, row pointer, tmp += result, increment, compare,
 *   branch).
 * Every count here is one lane-instruction issued per thread; the cost per weight is their sum / weights. It is a
 * source-level count, not SASS: the compiler fuses some logic (LOP3) and splits some intrinsics, equally often in
 * every type, so only the ratios to Q4_0 are used.
 */
interface CallWork {
	weights: number;
	loads: number;
	alu: number;
	dp4a: number;
	fp: number;
}

/** Threads an NVIDIA SM issues per clock since Maxwell: 4 warp schedulers × 32 threads. */
export const ISSUE_THREADS_PER_SM = 128;

/** mul_mat_vec_q loop instructions per vec_dot call (mmvq.cu inner loop). */
export const LOOP_OPS = 6;

/**
 * Tallies per call, by ggml block type (the kernel that runs), from vecdotq.cuh. Worked examples:
 * Q4_0 (VDR 2): v = 2 × get_int_b2 (4 loads, 4 alu), u 4 loads, d4 and ds8 2 loads; per int: vi0 = v & mask (1),
 * vi1 = (v >> 4) & mask (2), 2 dp4a; tail: half→float ×3, int→float, mul, fma, mul (6 fp).
 * Q2_K (VDR 1, QR2_K 4): v 1 load, u 4, d8 4, scales 4 bytes, dm2 1 (14 loads); per sub-block i: vi = (v >> 2i) &
 * mask (2, 1 at i = 0), sc & 0xF, dp4a × sc (imul), m = sc >> 4, m |= m << 8, m |= m << 16 (5), 2 dp4a, 2
 * int→float, 2 fma: 9 alu + 2 dp4a + 4 fp → 35 alu + 8 dp4a + 16 fp, plus d8 half→float ×4, dm2 ×2, final
 * mul+fma.
 * Q3_K (VDR 1, QR3_K 4): vl, vh get_int_b2 (4 loads), u 4, d8 4, 2 scale bytes per sub-block (8), d 1 (21
 * loads); per sub-block: low and high scale nibble (shift, and; shift, and, shift), the or (one LOP3 with the
 * low and), −32, vil (2), vih (3), __vsubss4, imul: 13 alu (11 at i = 0), 1 dp4a, 2 fp (isc, its % and ÷
 * depend on iqs alone: hoisted).
 */
const CALL_WORK: Record<string, CallWork> = {
	q4_0: { weights: 16, loads: 10, alu: 10, dp4a: 4, fp: 6 },
	// get_int_b4 (no half-word assembly); dm4·ds8 as one half2 multiply, 2 conversions, fma, scaled add.
	q4_1: { weights: 16, loads: 8, alu: 6, dp4a: 4, fp: 6 },
	// Per int 8 fifth-bit merges (shift, then & bit and |= as one LOP3: 2 each) on top of the two nibble masks.
	q5_0: { weights: 16, loads: 12, alu: 46, dp4a: 4, fp: 6 },
	q5_1: { weights: 16, loads: 9, alu: 40, dp4a: 4, fp: 6 },
	// Two get_int_b2 (4 loads, 4 alu), 2 u loads, d8_0 and ds8 halves; 2 dp4a; 2 conversions, cvt, 2 mul.
	q8_0: { weights: 8, loads: 8, alu: 4, dp4a: 2, fp: 5 },
	q2_K: { weights: 16, loads: 14, alu: 35, dp4a: 8, fp: 24 },
	// 4 get_int_b2 alu + ~vh + (vh >> bq8_offset); 13 per sub-block (11 at i = 0): sc_low | sc_high is one LOP3.
	q3_K: { weights: 16, loads: 21, alu: 56, dp4a: 4, fp: 14 },
	// v 2, scales 2 (j < 2) or 3 u16 loads, u 4, d8 2, dm4 1; scale unpack (2 or 7 alu with LOP3, mean 4.5)
	// + 4 byte extracts; per half i: 2 nibble masks (shift+and), 4 dp4a (values and Σu), 2 imul; 4 fp per i + 6 more.
	q4_K: { weights: 16, loads: 11.5, alu: 18.5, dp4a: 8, fp: 14 },
	// as Q4_K plus vh (2 loads, 2 shifts) and per half i the fifth-bit shift, shl, and|or (one LOP3) on both
	// ints (6).
	q5_K: { weights: 16, loads: 13.5, alu: 30.5, dp4a: 8, fp: 14 },
	// VDR 1, QR6_K 2: vl, vh get_int_b2 (4 loads, 4 alu), u 2, d8 2, scales 2, d 1; per i: vil (2), vih and the
	// or (3, LOP3), __vsubss4, imul, plus vh >> shift; 2 dp4a; per i int→float + fma, 3 conversions, final mul.
	q6_K: { weights: 8, loads: 11, alu: 17, dp4a: 2, fp: 8 },
	// 4 grid pairs: byte index, unpack_ksigns (shift + 5), 2 × (and, __vcmpne4, xor, __vsub4); ls and sumi·ls/8.
	iq2_xxs: { weights: 32, loads: 18, alu: 70, dp4a: 8, fp: 5 },
	iq2_xs: { weights: 32, loads: 19, alu: 78, dp4a: 8, fp: 5 },
	// signs from bytes ((s & 3) << 7 | (s & 12) << 21: 5 + __vcmpne4) instead of unpack_ksigns; qh high
	// bits ((qh << s) & 0x300 | qs: shift + LOP3).
	iq2_s: { weights: 32, loads: 24, alu: 94, dp4a: 8, fp: 5 },
	iq3_xxs: { weights: 32, loads: 24, alu: 77, dp4a: 8, fp: 5 },
	iq3_s: { weights: 32, loads: 26, alu: 103, dp4a: 8, fp: 5 },
};

/** Lane-instructions one weight costs in mmvq, by ggml block type (source-level count above). */
export function instructionsPerWeight(blockType: string): number | undefined {
	const w = CALL_WORK[blockType];
	if (!w) return undefined;
	return (w.loads + w.alu + w.dp4a + w.fp + LOOP_OPS) / w.weights;
}

/**
 * The ggml block type whose kernel dominates a GGUF format's mat-vec: a preset (Q3_K_M, IQ3_M, …) is mostly its
 * base type, with a few tensors a notch up (attn_v, ffn_down, output), which this ignores.
 */
export function ggmlBlockType(format: FormatSpec): string | undefined {
	if (format.family !== 'gguf') return undefined;
	const id = format.id.toLowerCase();
	const k = /^q([2-6])_k/.exec(id);
	if (k) return `q${k[1]}_K`;
	if (id === 'iq2_m') return 'iq2_s';
	if (id === 'iq3_xs' || id === 'iq3_m') return 'iq3_s';
	return CALL_WORK[id] ? id : undefined;
}

/** A type's instruction cost per weight relative to Q4_0's (1 = Q4_0), or undefined when not derived. */
export function relativeIssueCost(format: FormatSpec): number | undefined {
	const t = ggmlBlockType(format);
	const own = t && instructionsPerWeight(t);
	const base = instructionsPerWeight('q4_0');
	return own && base ? own / base : undefined;
}

/**
 * Weights/s the mmvq kernels can issue on this GPU for this format, or undefined off the path (not llama.cpp or
 * Ollama, not a quantized GGUF type with a derived cost, not a CUDA/HIP stack, no FP32 peak in the catalog).
 */
export function mmvqIssueCap(
	input: EstimateInput,
	stack: string,
): { weightsPerSecond: number; reason: string } | undefined {
	if (!quantizedLlamaCppMatVec(input) || (stack !== 'cuda' && stack !== 'rocm')) return undefined;
	const rel = relativeIssueCost(input.weights);
	const fp32 = input.hardware.peakTflops?.fp32;
	if (rel === undefined || !fp32) return undefined;
	// Thread-instructions issued per second: FP32 lanes × clock (peak / 2, an FMA being 2 FLOPs), doubled where an
	// SM issues 128 threads per clock (4 warp schedulers × 32) over only 64 FP32 lanes (GV100, TU10x, GA100: the
	// other 64 are INT32 lanes, which mmvq's unpacking and dp4a use).
	const lanes = input.hardware.streamingMultiprocessors?.fp32Lanes;
	const laneCycles =
		((fp32 * 1e12) / 2) * (lanes && lanes < ISSUE_THREADS_PER_SM ? ISSUE_THREADS_PER_SM / lanes : 1);
	const rate = constant('llamaCppIssueRate');
	const weightsPerSecond = (laneCycles * rate) / rel;
	return {
		weightsPerSecond,
		reason: `llama.cpp mmvq issue-bound: ${fp32} TFLOPS fp32 → ${(laneCycles / 1e12).toPrecision(3)}×10¹² thread-instructions/s × ${Number(rate.toPrecision(3))} Q4_0-weights per lane-cycle (calibrated llamaCppIssueRate) ÷ ${rel.toFixed(2)} (${input.weights.id} instructions per weight relative to Q4_0, from vecdotq.cuh) = ${(weightsPerSecond / 1e9).toPrecision(3)}×10⁹ weights/s`,
	};
}
