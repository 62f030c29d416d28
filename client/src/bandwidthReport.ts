/**
 * Markdown for the Estimate Decode Bandwidth command. Pure (no `vscode` import) so a unit test can check
 * the arithmetic that appears on screen.
 */
import type { DecodeBandwidthResult } from '../../server/src/shared/protocol';

function sig(v: number, digits = 3): string {
	if (!Number.isFinite(v)) return String(v);
	if (Math.abs(v) >= 10 ** digits) return Math.round(v).toLocaleString('en-US');
	return Number(v.toPrecision(digits)).toString();
}

/** `16.1 GB (15 GiB)`: decimal first, binary in parentheses. */
export function gbBoth(bytes: number): string {
	return `${sig(bytes / 1e9)} GB (${sig(bytes / 2 ** 30)} GiB)`;
}

export function bandwidthMarkdown(r: DecodeBandwidthResult): string {
	const basis = r.basis === 'workload' ? 'the workload under the cursor' : `the model \`${r.modelId}\``;
	const lines = [
		`# Decode bandwidth: ${r.modelId}`,
		'',
		`For ${basis}: ${r.weightsFormat} weights, ${r.kvDtype} KV cache, batch ${r.batch}, context ${r.context} tokens.`,
		'',
		`| Quantity | Value | Formula |`,
		`| --- | --- | --- |`,
		`| Weights | ${gbBoth(r.weightBytes)} | params × bits per weight ÷ 8 |`,
		`| KV cache per token | ${sig(r.kvBytesPerToken / 1e3)} kB (${sig(r.kvBytesPerToken / 1024)} KiB) | 2 × layers × KV heads × head dim × bytes per element |`,
		`| Bytes per decode step | ${gbBoth(r.bytesPerStep)} | active weights + KV of ${r.batch} × ${r.context} tokens |`,
		`| Bandwidth for ${sig(r.tokensPerSecondPerUser)} tok/s per user | ${sig(r.requiredBandwidthGBs)} GB/s | bytes per step × ${sig(r.tokensPerSecondPerUser)} /s |`,
		'',
		`## Roofline on each catalog device (one device, peak bandwidth)`,
		'',
		`| Device | Class | Bandwidth | Roofline tok/s per user | Fits memory | Meets ${sig(r.tokensPerSecondPerUser)} tok/s |`,
		`| --- | --- | ---: | ---: | :---: | :---: |`,
		...r.devices.map(
			(d) =>
				`| ${d.name} (\`${d.id}\`) | ${d.spectrum} | ${sig(d.bandwidthGBs)} GB/s | ${sig(d.rooflineTokensPerSecond)} | ` +
				`${d.fitsMemory ? 'yes' : 'no'} | ${d.meetsTarget ? 'yes' : 'no'} |`,
		),
		'',
		'Roofline = device bandwidth ÷ bytes per step (capped by compute). Decimal units: GB = 10⁹ bytes, GiB = 2³⁰ bytes.',
	];
	if (r.assumptions.length) lines.push('', `Assumptions: ${r.assumptions.join('; ')}.`);
	return lines.join('\n') + '\n';
}
