/**
 * A readable, unit-carrying text table of an Estimate (CLI `estimate`, reusable by hovers). Pure: no I/O.
 */
import type { FormatSpec, HardwareSpec, KvDtypeSpec, ModelSpec } from '../catalog/types';
import {
	formatBytes,
	formatBytesBoth,
	formatFlops,
	formatGBs,
	formatJoules,
	formatParams,
	formatPercent,
	formatRate,
	formatSeconds,
	formatTflops,
	formatTokens,
	formatUsd,
	sig,
} from '../units';
import { PREFILL_MFU } from './efficiency';
import type { Estimate } from './types';

export interface SummaryContext {
	model: ModelSpec;
	hardware: HardwareSpec;
	weights: FormatSpec;
	kvDtype: KvDtypeSpec;
}

function row(label: string, value: string): string {
	return `  ${label.padEnd(22)} ${value}`;
}

function provenance(hw: HardwareSpec): string {
	if (hw.origin === 'ad-hoc') return 'given by flags';
	if (hw.origin === 'user') return 'user catalog';
	if (hw.origin === 'measured') return 'measured';
	return hw.unverified?.includes('bandwidthGBs') ? 'spec, unverified' : 'spec';
}

export function renderEstimate(e: Estimate, c: SummaryContext): string {
	const m = e.memory;
	const d = e.decode;
	const p = e.prefill;
	const hw = c.hardware;
	const out: string[] = [];
	const devs =
		e.devices > 1 ? ` × ${e.devices} (TP ${m.tensorParallel ?? 1} × PP ${m.pipelineParallel ?? 1})` : '';
	out.push(`${c.model.id} · ${c.weights.id} weights · ${c.kvDtype.id} KV · ${e.engine} on ${hw.name}${devs}`);
	out.push(`batch ${e.batch} · context ${formatTokens(e.context)} · prompt ${formatTokens(e.prompt)}`);
	out.push('');
	out.push('Model');
	const active =
		c.model.paramsActive !== c.model.paramsTotal
			? `, ${formatParams(c.model.paramsActive)} active per token`
			: '';
	out.push(row('parameters', `${formatParams(c.model.paramsTotal)} total${active}`));
	out.push(
		row(
			'weight format',
			`${c.weights.label} (${sig(c.weights.bitsPerWeight)} bits/weight, matmuls in ${c.weights.computeDtype})`,
		),
	);
	out.push('Hardware');
	const bwNote =
		d.weightsResidence === 'sram'
			? ` — decode reads on-chip SRAM at ${formatGBs(d.bandwidthGBsUsed ?? hw.bandwidthGBs)}`
			: d.weightsResidence === 'capacity'
				? ` — weights exceed it: decode reads the ${hw.capacityMemory?.type ?? 'capacity'} tier at ${formatGBs(d.bandwidthGBsUsed ?? hw.bandwidthGBs)}`
				: '';
	out.push(row('bandwidth', `${formatGBs(hw.bandwidthGBs)} per device (${provenance(hw)})${bwNote}`));
	out.push(
		row(
			'peak',
			d.peakTflopsUsed
				? `${formatTflops(d.peakTflopsUsed)} dense ${d.computeDtypeUsed} peak`
				: 'unknown (no TFLOPS given)',
		),
	);
	out.push(row('capacity', `${formatBytesBoth(m.capacityBytesPerDevice)} ${hw.memoryType} per device`));
	out.push(row('ridge point', d.ridgeFlopsPerByte > 0 ? `${sig(d.ridgeFlopsPerByte)} FLOP/byte` : 'unknown'));
	out.push('');
	out.push('Memory (per device)');
	out.push(
		row(
			'weights',
			formatBytesBoth(m.weightsBytesPerDevice) +
				(e.devices > 1 ? ` (of ${formatBytes(m.weightsBytes)} total)` : ''),
		),
	);
	if (m.hostBytes) out.push(row('weights in host RAM', formatBytesBoth(m.hostBytes)));
	out.push(row('KV per token', `${formatBytes(m.kvBytesPerToken)} (all layers, ${c.kvDtype.id})`));
	out.push(
		row('KV cache', `${formatBytesBoth(m.kvBytesPerDevice)} for ${e.batch} × ${formatTokens(e.context)}`),
	);
	out.push(
		row(
			'runtime overhead',
			`${formatBytes(m.runtimeOverheadBytesPerDevice)}${m.overheadBreakdown?.length ? ` (${m.overheadBreakdown.join(', ')})` : ''}`,
		),
	);
	const verdict = m.fits ? 'fits' : m.weightsFit ? 'KV does not fit' : 'weights do not fit';
	out.push(
		row(
			'total',
			`${formatBytesBoth(m.totalBytesPerDevice)} of a ${formatBytes(m.budgetBytesPerDevice)} budget → ${verdict}`,
		),
	);
	out.push(row('budget rule', m.budgetRule ?? ''));
	out.push(
		row(
			`max context @ batch ${e.batch}`,
			m.weightsFit ? formatTokens(m.maxContextAtBatch) : '— (weights do not fit)',
		),
	);
	const mb =
		m.maxBatchAtContext >= Number.MAX_SAFE_INTEGER
			? 'unbounded by KV'
			: `${m.maxBatchAtContext.toLocaleString('en-US')} sequences`;
	out.push(row(`max batch @ ${e.context.toLocaleString('en-US')} tok`, m.weightsFit ? mb : '—'));
	if (m.plan) {
		// The engine's start-up plan in its own log wording: the same lines as the hover and the panel.
		out.push('');
		const v = m.plan.engine === 'vllm' ? ` ${m.plan.generation.toUpperCase()}` : '';
		out.push(`Start-up plan (${m.plan.engine}${v}, per device, as the engine logs it)`);
		for (const l of m.plan.lines) out.push(`  ${l.text}${l.source ? `   [${l.source}]` : ''}`);
		for (const n of m.plan.notes) out.push(`  note: ${n}`);
	}
	out.push('');
	out.push('Decode step (whole batch)');
	out.push(
		row(
			'bytes moved',
			`${formatBytes(d.bytesPerStep)} (weights ${formatBytes(d.weightBytesPerStep)} + KV ${formatBytes(d.kvBytesPerStep)} + activations ${formatBytes(d.activationBytesPerStep)})`,
		),
	);
	if (d.expertsTouchedPerLayer !== undefined)
		out.push(
			row('experts touched', `${sig(d.expertsTouchedPerLayer)} per MoE layer (expected, uniform routing)`),
		);
	out.push(row('FLOPs', formatFlops(d.flopsPerStep)));
	out.push(
		row(
			'intensity',
			`${sig(d.arithmeticIntensity)} FLOP/byte vs ridge ${sig(d.ridgeFlopsPerByte)} → ${d.bound}-bound`,
		),
	);
	out.push(row('roofline', `${formatRate(d.rooflineTokensPerSecondPerUser)} per user`));
	out.push(
		row(
			'expected',
			`${formatRate(d.expectedTokensPerSecondPerUser)} per user (${formatPercent(d.efficiency.factor)} of roofline), ${formatRate(d.tokensPerSecondTotal)} total`,
		),
	);
	out.push(
		row(
			'step time',
			`${formatSeconds(d.stepSeconds)} (fixed ${formatSeconds(d.fixedSecondsPerStep ?? 0)}${d.allReduceSecondsPerStep > 0 ? `, all-reduce ${formatSeconds(d.allReduceSecondsPerStep)}` : ''})`,
		),
	);
	out.push(
		row(
			'compute used',
			d.peakTflopsUsed
				? `${formatPercent(d.computeUtilization)} of dense ${d.computeDtypeUsed} peak`
				: 'unknown',
		),
	);
	for (const r of d.efficiency.reasons) out.push(row('', `· ${r}`));
	out.push('');
	out.push('Prefill');
	out.push(row('FLOPs', `${formatFlops(p.flops)} for ${formatTokens(e.prompt)}`));
	out.push(
		row(
			'time',
			`${formatSeconds(p.seconds)} (${p.bound}-bound; matmuls at ${Math.round(PREFILL_MFU[hw.deviceClass] * 100)} % MFU), ${formatRate(p.tokensPerSecond)}`,
		),
	);
	out.push(row('TTFT', `${formatSeconds(p.ttftSeconds)} (prefill + first decode step)`));
	out.push('');
	out.push('Cost');
	if (e.cost) {
		out.push(row('$ per 1M output tok', formatUsd(e.cost.usdPerMillionTokens)));
		out.push(row('energy', formatJoules(e.cost.joulesPerToken)));
		out.push(row('basis', e.cost.basis));
	} else out.push(row('', 'no price or TDP for this hardware'));
	if (e.coupling) {
		const cp = e.coupling;
		out.push('');
		out.push('Coupling spectrum');
		const rec = cp.recommendedHardware ? ` (${cp.recommendedHardware} × ${cp.recommendedDevices ?? 1})` : '';
		out.push(row('current → recommended', `${cp.current} → ${cp.recommendedClass}${rec}`));
		for (const r of cp.reasons) out.push(row('', `· ${r}`));
	}
	out.push('');
	out.push('Assumptions');
	for (const a of e.assumptions) out.push(`  - ${a}`);
	return `${out.join('\n')}\n`;
}
