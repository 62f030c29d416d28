/**
 * The "Measured" section: a live measurement of a running server (Measure Running Server) next to what the
 * physics predicts — achieved tok/s, MBU against spec bandwidth, the verdict — and the point it puts on the
 * roofline. User data (the URL, the basis) goes in as text nodes.
 */
import type { HardwareSpec } from '../../server/src/analysis/catalog/types';
import type { MeasuredParams } from '../../server/src/shared/webviewProtocol';
import { h } from './dom';
import { gb, pct, sig, tokens } from './format';
import { metric } from './summary';

/** 5 → "5", 3.25 → "3.25", 4.016 → "4.02": no trailing zeros for counts and intervals. */
const short = (n: number): string => String(Number(n.toPrecision(3)));

export interface MeasuredPoint {
	/** FLOP per byte the measured steps did: FLOPs per step ÷ bytes per step. */
	x: number;
	/** Achieved TFLOP/s per device. */
	y: number;
	label: string;
	tip: string;
}

/**
 * Where the measurement sits on the roofline of `hw`: only when it was measured against that device, since
 * another device's roofline would put the point under the wrong ceiling.
 */
export function measuredPoint(m: MeasuredParams, hw: HardwareSpec): MeasuredPoint | undefined {
	if (m.hardware !== hw.id || !m.achievedTflops || !m.achievedBandwidthGBs) return undefined;
	// TFLOP/s ÷ GB/s = 10³ FLOP/byte.
	const x = (m.achievedTflops * 1e3) / m.achievedBandwidthGBs;
	const y = m.achievedTflops / Math.max(1, m.devices);
	if (!(x > 0 && y > 0)) return undefined;
	return {
		x,
		y,
		label: `measured (batch ${short(m.batch)})`,
		tip:
			`Measured: ${tokens(m.generationTokensPerSecond)} tok/s at ${short(m.batch)} sequences per step, ` +
			`${sig(x)} FLOP/byte, ${sig(y)} TFLOP/s per device` +
			(m.mbu !== null ? `, MBU ${pct(m.mbu)}` : ''),
	};
}

const VERDICT_CLASS: Record<string, string> = {
	'bandwidth-bound': 'ok',
	'compute-bound': 'ok',
	'bandwidth-underused': 'warn',
	inconsistent: 'bad',
	idle: '',
	unknown: '',
};

function clock(ms: number): string {
	const d = new Date(ms);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `chartHardware`: the device the roofline shows, to say why the point is missing when it differs. */
export function renderMeasured(m: MeasuredParams, chartHardware: string | undefined): HTMLElement {
	const state = m.watching ? `watching every ${short(m.intervalSeconds)} s` : 'stopped';
	const predicted = m.expectedTokensPerSecond;
	const ratio = predicted && predicted > 0 ? m.generationTokensPerSecond / predicted : null;
	const mbuDetail =
		m.achievedBandwidthGBs !== null && m.peakBandwidthGBs !== null
			? `${sig(m.achievedBandwidthGBs)} of ${sig(m.peakBandwidthGBs)} GB/s spec bandwidth`
			: 'needs the model and the hardware';
	const pointNote =
		m.hardware && chartHardware && m.hardware !== chartHardware
			? `Measured against ${m.hardware}; the roofline shows ${chartHardware}, so the measured point is not drawn.`
			: undefined;
	return h(
		'section',
		{ class: 'card measured', 'aria-labelledby': 'measured-h' },
		h(
			'h2',
			{ id: 'measured-h' },
			'Measured',
			h('span', { class: 'muted h-note' }, `live /metrics · ${clock(m.at)} · ${state}`),
		),
		h('p', { class: 'measured-url muted' }, `${m.server} at ${m.url}`),
		h(
			'div',
			{ class: 'metrics' },
			metric(
				'Achieved',
				`${sig(m.generationTokensPerSecond)} tok/s`,
				`all sequences · ${tokens(m.runningRequests)} running · ${short(m.batch)} per step`,
			),
			metric(
				'Per sequence',
				m.perSequenceTokensPerSecond !== null ? `${sig(m.perSequenceTokensPerSecond)} tok/s` : '—',
				m.stepsPerSecond !== null ? `${sig(m.stepsPerSecond)} decode steps/s` : 'no step rate in the metrics',
			),
			metric('MBU', m.mbu !== null ? pct(m.mbu) : '—', mbuDetail, m.mbu !== null && m.mbu > 1.1 ? 'bad' : ''),
			metric(
				'Predicted',
				predicted !== null ? `${sig(predicted)} tok/s` : '—',
				`physics at batch ${short(m.batch)}${ratio !== null ? ` · measured ${sig(ratio, 2)}× predicted` : ''}`,
			),
			metric(
				'Bytes per step',
				m.bytesPerStep !== null ? gb(m.bytesPerStep) : '—',
				`KV at ${tokens(m.context)} tokens per sequence`,
			),
		),
		h(
			'p',
			{ class: `verdict ${VERDICT_CLASS[m.verdict] ?? ''}` },
			h('strong', {}, m.verdict),
			` — ${m.verdictText}`,
		),
		h('p', { class: 'muted' }, `Set against ${m.basis}. Context: ${m.contextSource}.`),
		pointNote ? h('p', { class: 'muted' }, pointNote) : null,
		m.lastError ? h('p', { class: 'verdict bad' }, `Last measurement failed: ${m.lastError}`) : null,
	);
}
