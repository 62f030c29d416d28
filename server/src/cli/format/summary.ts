/** One-line estimate summary per workload, shared by the text output (and usable by CodeLens). */
import type { Estimate } from '../../analysis/physics/types';
import { gb, tokS } from '../../analysis/rules/units';

/** `≈ 160 tok/s per user (roofline 208) · 16.1 GB per step · memory-bound · H100 SXM`. */
export function estimateSummary(e: Estimate, hardwareName: string): string {
	const d = e.decode;
	const devices = e.devices > 1 ? ` ×${e.devices}` : '';
	return [
		`≈ ${tokS(d.expectedTokensPerSecondPerUser)} per user (roofline ${Math.round(d.rooflineTokensPerSecondPerUser)})`,
		`${gb(d.bytesPerStep)} per step`,
		`${d.bound}-bound`,
		`${hardwareName}${devices}`,
		...(e.memory.fits ? [] : ['does not fit']),
	].join(' · ');
}
