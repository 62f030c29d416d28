/**
 * Arm and Apple CPU cores by name: the dot-product ISA llama.cpp's NEON kernels get on them and the per-core
 * DRAM stream class (types.ts CpuIsa, CpuCoreClass). Used where a CPU is named by text (a ledger label, an
 * ad-hoc device) rather than by a catalog entry with its own `cpu` facts.
 *
 * Sources:
 * - Armv8.0-A cores without the dot-product instructions: Arm Cortex-A53, A57, A72 and A73 Technical Reference
 *   Manuals (each implements Armv8.0-A; SDOT/UDOT arrived with Armv8.2-A's optional dot-product extension).
 *   Raspberry Pi's BCM2711 (Pi 4, Pi 400, CM4) is 4× Cortex-A72, BCM2837 (Pi 3) 4× Cortex-A53
 *   (raspberrypi.com documentation, "Processors"); cpufetch on a Pi 4 lists "Features: NEON,CRC32" (sbc-bench
 *   issue #136). Qualcomm Kryo 2xx cores are Cortex-A73/A53 derivatives.
 * - Dot-product cores: Cortex-A55, A75, A76, A77, A78 (and A78C), X1 (and X1C) TRMs list the Armv8.2 dot-product
 *   instructions; the Armv9 cores (A510, A710, X2, A715, X3, A520, A720, X4, A725, X925) add i8mm. BCM2712 (Pi 5,
 *   Pi 500) is 4× Cortex-A76; Kryo 4xx/5xx/6xx are Cortex-A7x/X1/A55 derivatives (Kryo 670: A78 + A55).
 * - llama.cpp without dotprod: ggml-cpu-impl.h defines ggml_vdotq_s32 as vmull_s8 ×2 + vpaddlq_s16 ×2 + vaddq
 *   when __ARM_FEATURE_DOTPROD is undefined (one SDOT otherwise).
 * - Apple performance cores: one M1 Max P-core streams ~100 GB/s (AnandTech, "Apple's M1 Pro, M1 Max SoCs
 *   Investigated", 2021-10-25, memory bandwidth page); dotprod on every M-series core, i8mm from M2.
 */
import type { CpuCoreClass, CpuIsa } from './types';

export interface CpuCoreFacts {
	/** The core as named ("Cortex-A72", "Apple P-core"). */
	core: string;
	isa: CpuIsa;
	coreClass?: CpuCoreClass;
}

interface CoreRule extends CpuCoreFacts {
	match: RegExp;
}

/** Armv8.0 Cortex-A cores (no SDOT/UDOT). */
const NO_DOTPROD = new Set([35, 53, 57, 72, 73]);

/** Whole SoCs and boards named without their cores, first match wins (checked before the Cortex-A numbers). */
const BOARD_RULES: CoreRule[] = [
	{
		match: /\bbcm2711\b|raspberry pi 4|\bpi 400\b|\bcm4\b/i,
		core: 'Cortex-A72',
		isa: 'neon-nodot',
		coreClass: 'mobile',
	},
	{ match: /\bbcm2837\b|raspberry pi 3/i, core: 'Cortex-A53', isa: 'neon-nodot', coreClass: 'mobile' },
	{
		match: /\bbcm2712\b|raspberry pi 5|\bpi 500\b|\bcm5\b/i,
		core: 'Cortex-A76',
		isa: 'neon',
		coreClass: 'mobile',
	},
	{
		match: /\brk3588|\brk3576|\brk356\d|\brk3399/i,
		core: 'Cortex-A7x/A5x (Rockchip)',
		isa: 'neon',
		coreClass: 'mobile',
	},
	{ match: /\bkryo\s*2\d\d\b/i, core: 'Kryo 2xx (Cortex-A73/A53)', isa: 'neon-nodot', coreClass: 'mobile' },
	{
		match: /\bkryo\s*[4-7]\d\d\b/i,
		core: 'Kryo 4xx–7xx (Cortex-A7x/X/A5x)',
		isa: 'neon',
		coreClass: 'mobile',
	},
];

/**
 * Core facts named in a CPU description, or undefined when it names no known Arm/Apple core. A text naming
 * several Cortex-A cores (big.LITTLE) takes the lowest ISA among them: llama.cpp is built for one target.
 */
export function cpuCoreFromText(text: string): CpuCoreFacts | undefined {
	const t = text.toLowerCase();
	if (/\bapple\b|\bm[1-5]\s*(pro|max|ultra)?\s*cpu\b/.test(t))
		return { core: 'Apple P-core', isa: 'neon', coreClass: 'apple' };
	// Cortex-A72 before the board rules: an explicit core wins over a board's default.
	const numbers = [...t.matchAll(/\bcortex-a(\d{2,3})\b|(?:\+|\/|\bx\s*)\s*a(\d{2,3})c?\b/g)].map((m) =>
		Number(m[1] ?? m[2]),
	);
	if (numbers.length) {
		const nodot = numbers.some((n) => NO_DOTPROD.has(n));
		return { core: `Cortex-A${numbers.join('/A')}`, isa: nodot ? 'neon-nodot' : 'neon', coreClass: 'mobile' };
	}
	if (/\bcortex-x\d/.test(t)) return { core: 'Cortex-X', isa: 'neon', coreClass: 'mobile' };
	const board = BOARD_RULES.find((r) => r.match.test(t));
	if (board) return { core: board.core, isa: board.isa, coreClass: board.coreClass };
	return undefined;
}
