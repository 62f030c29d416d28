/**
 * The memory–compute coupling spectrum: where the target sits and where this workload belongs, with the
 * physics' reasons. Loosest (cheapest per GB) coupling on the left, weights etched into silicon on the right.
 */
import type { HardwareSpec, SpectrumClass } from '../../server/src/analysis/catalog/types';
import { SPECTRUM_ORDER } from '../../server/src/analysis/catalog/types';
import type { CouplingEstimate } from '../../server/src/analysis/physics/types';
import { h } from './dom';
import { sig, usd } from './format';
import { hasPrice, type Row } from './compare';

export const SPECTRUM_LABEL: Record<SpectrumClass, string> = {
	cpu: 'CPU + DDR',
	gpu: 'GPU + HBM',
	dataflow: 'Dataflow',
	'in-memory-compute': 'In-memory compute',
	sram: 'SRAM wafer / LPU',
	hardwired: 'Hardwired',
};

export const SPECTRUM_SHORT: Record<SpectrumClass, string> = {
	cpu: 'CPU',
	gpu: 'GPU',
	dataflow: 'Dataflow',
	'in-memory-compute': 'In-memory',
	sram: 'SRAM/LPU',
	hardwired: 'Hardwired',
};

/** At most two sentences: the panel is a glance, the hover and docs carry the rest. */
function firstSentences(reasons: string[], n: number): string {
	return reasons
		.join(' ')
		.split(/(?<=[.!?])\s+/)
		.slice(0, n)
		.join(' ');
}

/** A sentence computed from the comparison rows: the cheapest device per token that holds the workload. */
export function cheapestSentence(rows: Row[], minTokS: number | undefined): string | undefined {
	const ok = rows.filter(
		(r) =>
			r.fits &&
			hasPrice(r) &&
			r.est?.cost &&
			Number.isFinite(r.est.cost.usdPerMillionTokens) &&
			(minTokS === undefined || r.est.decode.expectedTokensPerSecondPerUser >= minTokS),
	);
	if (!ok.length) return undefined;
	const best = ok.reduce((a, b) =>
		b.est!.cost!.usdPerMillionTokens < a.est!.cost!.usdPerMillionTokens ? b : a,
	);
	const e = best.est!;
	const target = rows.find((r) => r.isTarget);
	const tc = target?.fits ? target.est?.cost?.usdPerMillionTokens : undefined;
	const vs =
		tc !== undefined && best !== target && tc > 0
			? `, ${sig(tc / e.cost!.usdPerMillionTokens, 2)}× cheaper than the target`
			: '';
	const need = minTokS !== undefined ? ` among devices meeting ${sig(minTokS)} tok/s per user` : '';
	return `Cheapest per token${need}: ${best.devices > 1 ? `${best.devices}× ` : ''}${best.hw.name} at ${usd(e.cost!.usdPerMillionTokens)} per million tokens, ${sig(e.decode.expectedTokensPerSecondPerUser)} tok/s per user${vs}.`;
}

export function renderSpectrum(
	target: HardwareSpec | undefined,
	coupling: CouplingEstimate | undefined,
	rows: Row[],
	minTokS: number | undefined,
	onChoose: (id: string) => void,
	hardwareName: (id: string) => string | undefined,
): HTMLElement {
	const current = coupling?.current ?? target?.spectrum;
	const rec = coupling?.recommendedClass;
	const strip = h('div', { class: 'spectrum-strip', role: 'list' });
	SPECTRUM_ORDER.forEach((cls) => {
		const tags = [cls === rec ? 'recommended' : '', cls === current ? 'target' : ''].filter(Boolean);
		const seg = h(
			'div',
			{
				class: `spectrum-seg${cls === rec ? ' is-rec' : ''}${cls === current ? ' is-current' : ''}`,
				role: 'listitem',
				'data-class': cls,
				'aria-label': `${SPECTRUM_LABEL[cls]}${tags.length ? ` (${tags.join(', ')})` : ''}`,
			},
			h('span', { class: 'spectrum-name' }, SPECTRUM_LABEL[cls]),
			h('span', { class: 'spectrum-tags' }, ...tags.map((t) => h('span', { class: `tag tag-${t}` }, t))),
		);
		strip.append(seg);
	});
	// Loosest coupling first: memory apart from compute (cheap per GB) down to weights fused into the silicon.
	const ends = (text: string) => h('div', { class: 'spectrum-axis muted', 'aria-hidden': 'true' }, text);
	const reasons = h('div', { class: 'spectrum-reasons' });
	if (coupling && coupling.reasons.length) reasons.append(h('p', {}, firstSentences(coupling.reasons, 2)));
	const cheap = cheapestSentence(rows, minTokS);
	if (cheap) reasons.append(h('p', { class: 'muted' }, cheap));
	if (!reasons.childElementCount)
		reasons.append(h('p', { class: 'muted' }, 'No device in the catalog holds this workload.'));
	const recHw = coupling?.recommendedHardware;
	const recName = recHw ? hardwareName(recHw) : undefined;
	const action =
		recHw && recName && recHw !== target?.id
			? h(
					'vscode-button',
					{ secondary: true, class: 'spectrum-choose', 'data-hw': recHw },
					`Make ${recName} the target`,
				)
			: null;
	action?.addEventListener('click', () => onChoose(recHw!));
	return h(
		'section',
		{ class: 'card spectrum', 'aria-labelledby': 'spectrum-h' },
		h('h2', { id: 'spectrum-h' }, 'Coupling spectrum'),
		ends('memory apart from compute: cheapest per GB'),
		strip,
		ends('memory and compute fused: fastest per user'),
		reasons,
		action,
	);
}
