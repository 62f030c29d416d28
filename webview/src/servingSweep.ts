/**
 * The concurrency sweep: the serving model (server/src/analysis/physics/serving.ts, bundled) at 1, 2, 4 …
 * concurrent requests for the scenario, drawn as two charts — output tok/s per user against total output
 * tok/s, and time to first token against concurrency — with the `inferenceMeter.latencyTarget` settings as
 * lines and the largest concurrency that meets both marked. Prompt and answer lengths are what-ifs of their
 * own (no config file holds them); they start at the stated defaults.
 */
import type { EstimateInput } from '../../server/src/analysis/physics/types';
import {
	DEFAULT_INPUT_TOKENS,
	DEFAULT_OUTPUT_TOKENS,
	estimateServing,
	type ServingEstimate,
} from '../../server/src/analysis/physics/serving';
import { h, s } from './dom';
import { seconds, tokens } from './format';

export interface SweepPoint {
	concurrency: number;
	perUser: number;
	total: number;
	ttft: number;
	meets: boolean;
	limitedBy: ServingEstimate['limitedBy'];
}

export interface Sweep {
	points: SweepPoint[];
	targetTokensPerSecondPerUser: number;
	targetTtftSeconds: number;
	/** Largest swept concurrency that meets both targets (refined between grid points); 0 when none does. */
	best: number;
	inputTokens: number;
	outputTokens: number;
	lengthsAreDefaults: boolean;
	/** The concurrency the file configures, drawn as its own point when it is above 1. */
	configured?: number;
	/** The serving estimate at `best` (computed, not interpolated), for the marker. */
	bestPoint?: SweepPoint;
}

export interface SweepLengths {
	input?: number;
	output?: number;
}

/** 1, 2, 4 … up to 1,024, and the configured concurrency. */
export function sweepGrid(configured?: number): number[] {
	const grid: number[] = [];
	for (let c = 1; c <= 1024; c *= 2) grid.push(c);
	if (configured && configured > 1 && !grid.includes(configured)) grid.push(configured);
	return grid.sort((a, b) => a - b);
}

export function computeSweep(
	input: EstimateInput,
	lengths: SweepLengths,
	target: { tokensPerSecondPerUser: number; ttftSeconds: number },
	configured?: number,
): Sweep {
	const inputTokens = lengths.input ?? DEFAULT_INPUT_TOKENS;
	const outputTokens = lengths.output ?? DEFAULT_OUTPUT_TOKENS;
	const at = (c: number): SweepPoint => {
		const e = estimateServing(input, { inputTokens, outputTokens, concurrency: c });
		const ttft = e.ttftSeconds ?? Infinity;
		return {
			concurrency: c,
			perUser: e.outputTokensPerSecondPerUser,
			total: e.outputTokensPerSecondTotal,
			ttft,
			meets: e.outputTokensPerSecondPerUser >= target.tokensPerSecondPerUser && ttft <= target.ttftSeconds,
			limitedBy: e.limitedBy,
		};
	};
	const points = sweepGrid(configured).map(at);
	// Refine between the last grid point that meets and the first that does not (per-user speed falls and
	// TTFT rises with concurrency, so the boundary is one crossing).
	let best = 0;
	const lastOk = [...points].reverse().find((p) => p.meets);
	if (lastOk) {
		best = lastOk.concurrency;
		const next = points.find((p) => p.concurrency > lastOk.concurrency && !p.meets);
		let lo = lastOk.concurrency;
		let hi = next?.concurrency ?? lo;
		while (hi - lo > 1) {
			const mid = Math.floor((lo + hi) / 2);
			if (at(mid).meets) lo = mid;
			else hi = mid;
		}
		best = lo;
	}
	const bestPoint = best > 0 ? (points.find((p) => p.concurrency === best) ?? at(best)) : undefined;
	return {
		bestPoint,
		points,
		targetTokensPerSecondPerUser: target.tokensPerSecondPerUser,
		targetTtftSeconds: target.ttftSeconds,
		best,
		inputTokens,
		outputTokens,
		lengthsAreDefaults: lengths.input === undefined && lengths.output === undefined,
		configured,
	};
}

const M = { left: 58, right: 16, top: 14, bottom: 42 };

interface Axis {
	min: number;
	max: number;
	log: boolean;
}

function scale(a: Axis, from: number, to: number): (v: number) => number {
	const f = (v: number) => (a.log ? Math.log10(Math.max(v, a.min)) : v);
	const lo = f(a.min);
	const hi = f(a.max);
	return (v: number) => from + ((f(Math.min(Math.max(v, a.min), a.max)) - lo) / (hi - lo || 1)) * (to - from);
}

interface ChartSpec {
	id: string;
	label: string;
	xLabel: string;
	yLabel: string;
	x: Axis;
	y: Axis;
	pts: { x: number; y: number; c: number; meets: boolean }[];
	/** Horizontal target line. */
	targetY: number;
	targetLabel: string;
	best?: { x: number; y: number; c: number };
	width: number;
}

function ticks(a: Axis): number[] {
	if (a.log) {
		const out: number[] = [];
		for (let e = Math.floor(Math.log10(a.min)); e <= Math.ceil(Math.log10(a.max)); e++) {
			const v = 10 ** e;
			if (v >= a.min && v <= a.max) out.push(v);
		}
		return out;
	}
	const step = 10 ** Math.floor(Math.log10((a.max - a.min) / 4 || 1));
	const n = Math.ceil((a.max - a.min) / step / 5) * step;
	const out: number[] = [];
	for (let v = Math.ceil(a.min / n) * n; v <= a.max; v += n) out.push(v);
	return out;
}

/** Axis labels without trailing zeros: 1, 10, 0.01, 2,000. */
function tick(v: number): string {
	return Number(v.toPrecision(3)).toLocaleString('en-US');
}

function chart(c: ChartSpec): SVGSVGElement {
	const W = Math.round(Math.max(300, Math.min(560, c.width)));
	const H = Math.round(W * 0.62);
	const px = scale(c.x, M.left, W - M.right);
	const py = scale(c.y, H - M.bottom, M.top);
	const svg = s('svg', {
		viewBox: `0 0 ${W} ${H}`,
		class: `sweep-chart ${c.id}`,
		role: 'img',
		'aria-label': c.label,
	});
	const grid = s('g', { class: 'sw-grid' });
	for (const t of ticks(c.x)) {
		grid.append(s('line', { x1: px(t), x2: px(t), y1: M.top, y2: H - M.bottom }));
		grid.append(
			s('text', { x: px(t), y: H - M.bottom + 14, 'text-anchor': 'middle', class: 'sw-tick' }, tick(t)),
		);
	}
	for (const t of ticks(c.y)) {
		grid.append(s('line', { x1: M.left, x2: W - M.right, y1: py(t), y2: py(t) }));
		grid.append(s('text', { x: M.left - 6, y: py(t) + 4, 'text-anchor': 'end', class: 'sw-tick' }, tick(t)));
	}
	svg.append(grid);
	svg.append(
		s(
			'text',
			{ x: (M.left + W - M.right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'sw-axis' },
			c.xLabel,
		),
	);
	svg.append(
		s(
			'text',
			{
				x: 12,
				y: (M.top + H - M.bottom) / 2,
				'text-anchor': 'middle',
				class: 'sw-axis',
				transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})`,
			},
			c.yLabel,
		),
	);
	if (c.targetY >= c.y.min && c.targetY <= c.y.max) {
		svg.append(
			s('line', { class: 'sw-target', x1: M.left, x2: W - M.right, y1: py(c.targetY), y2: py(c.targetY) }),
		);
		svg.append(
			s(
				'text',
				{ class: 'sw-target-label', x: M.left + 4, y: py(c.targetY) - 4, 'text-anchor': 'start' },
				c.targetLabel,
			),
		);
	}
	const path = c.pts.map((p, i) => `${i ? 'L' : 'M'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
	svg.append(s('path', { class: 'sw-line', d: path }));
	for (const p of c.pts) {
		const dot = s('circle', {
			class: `sw-point${p.meets ? ' meets' : ''}`,
			cx: px(p.x),
			cy: py(p.y),
			r: 3.5,
			'data-concurrency': p.c,
		});
		dot.append(s('title', {}, `concurrency ${p.c}`));
		svg.append(dot);
	}
	if (c.best) {
		svg.append(s('circle', { class: 'sw-best', cx: px(c.best.x), cy: py(c.best.y), r: 7 }));
		svg.append(
			s(
				'text',
				{
					class: 'sw-best-label',
					// Near the right edge the label goes left of the marker so it is not clipped.
					x: px(c.best.x) + (px(c.best.x) > W * 0.7 ? -10 : 10),
					y: py(c.best.y) - 10,
					'text-anchor': px(c.best.x) > W * 0.7 ? 'end' : 'start',
				},
				`C = ${c.best.c}`,
			),
		);
	}
	return svg;
}

/** A setting as the user typed it: 60 → "60", 12.5 → "12.5". */
function plain(n: number): string {
	return String(Number(n.toPrecision(3)));
}

export interface SweepHandlers {
	setLengths(l: SweepLengths): void;
}

function lengthField(id: string, label: string, value: number, onSet: (v: number) => void): HTMLElement {
	const field = h('vscode-textfield', {
		id,
		type: 'number',
		min: 1,
		max: 1_000_000,
		value: String(value),
		'aria-label': label,
	}) as HTMLElement & { value: string };
	// Committed on change (Enter/blur), so re-rendering the charts never steals focus mid-typing.
	field.addEventListener('change', () => {
		const v = Number(field.value);
		if (Number.isInteger(v) && v >= 1 && v <= 1_000_000) {
			field.classList.remove('invalid');
			onSet(v);
		} else field.classList.add('invalid');
	});
	return h('div', { class: 'control' }, h('label', { for: id }, label), field);
}

export function renderSweep(sw: Sweep, width: number, on: SweepHandlers): HTMLElement {
	const pts = sw.points.filter((p) => Number.isFinite(p.total) && p.total > 0);
	const chartW = width > 760 ? (width - 24) / 2 : width;
	const bestPoint = sw.bestPoint;
	const maxTotal = Math.max(1, ...pts.map((p) => p.total));
	const perUsers = pts.map((p) => p.perUser).filter((v) => v > 0);
	const ttfts = pts.map((p) => p.ttft).filter((v) => Number.isFinite(v) && v > 0);
	const a = chart({
		id: 'sweep-throughput',
		label: `Output tok/s per user against total output tok/s at concurrency ${pts[0]?.concurrency ?? 1} to ${pts[pts.length - 1]?.concurrency ?? 1}`,
		xLabel: 'total output tok/s',
		yLabel: 'tok/s per user',
		x: { min: 0, max: maxTotal * 1.08, log: false },
		y: { min: 0, max: Math.max(sw.targetTokensPerSecondPerUser, ...perUsers) * 1.1, log: false },
		pts: pts.map((p) => ({ x: p.total, y: p.perUser, c: p.concurrency, meets: p.meets })),
		targetY: sw.targetTokensPerSecondPerUser,
		targetLabel: `target ${plain(sw.targetTokensPerSecondPerUser)} tok/s per user`,
		best: bestPoint && { x: bestPoint.total, y: bestPoint.perUser, c: sw.best },
		width: chartW,
	});
	const tMin = Math.min(sw.targetTtftSeconds, ...ttfts);
	const tMax = Math.max(sw.targetTtftSeconds, ...ttfts);
	const b = chart({
		id: 'sweep-ttft',
		label: 'Time to first token against concurrency',
		xLabel: 'concurrent requests',
		yLabel: 'TTFT (s)',
		x: { min: 1, max: Math.max(2, ...pts.map((p) => p.concurrency)), log: true },
		y: {
			min: 10 ** Math.floor(Math.log10(tMin / 1.5)),
			max: 10 ** Math.ceil(Math.log10(tMax * 1.5)),
			log: true,
		},
		pts: pts
			.filter((p) => Number.isFinite(p.ttft))
			.map((p) => ({ x: p.concurrency, y: p.ttft, c: p.concurrency, meets: p.meets })),
		targetY: sw.targetTtftSeconds,
		targetLabel: `target ${seconds(sw.targetTtftSeconds)}`,
		best:
			bestPoint && Number.isFinite(bestPoint.ttft)
				? { x: sw.best, y: bestPoint.ttft, c: sw.best }
				: undefined,
		width: chartW,
	});
	const verdict =
		sw.best > 0
			? `Largest concurrency meeting both targets: ${tokens(sw.best)}`
			: 'No concurrency meets both targets on this device';
	const lengths = sw.lengthsAreDefaults
		? `${tokens(sw.inputTokens)} tokens in / ${tokens(sw.outputTokens)} out per request (defaults: the file does not say)`
		: `${tokens(sw.inputTokens)} tokens in / ${tokens(sw.outputTokens)} out per request`;
	return h(
		'section',
		{ class: 'card sweep-card', 'aria-labelledby': 'sweep-h' },
		h(
			'h2',
			{ id: 'sweep-h' },
			'Concurrency sweep',
			h('span', { class: 'muted h-note' }, 'serving model · steady state'),
		),
		h(
			'div',
			{ class: 'control-row sweep-lengths' },
			lengthField('sweep-input', 'Input tokens', sw.inputTokens, (v) => on.setLengths({ input: v })),
			lengthField('sweep-output', 'Output tokens', sw.outputTokens, (v) => on.setLengths({ output: v })),
		),
		h('p', { class: 'sweep-verdict', role: 'status' }, verdict),
		h('div', { class: 'sweep-charts' }, a, b),
		h(
			'p',
			{ class: 'muted' },
			`${lengths}. Targets from the inferenceMeter.latencyTarget settings: ≥ ${plain(sw.targetTokensPerSecondPerUser)} tok/s per user, first token within ${seconds(sw.targetTtftSeconds)}. Filled points meet both.`,
		),
	);
}
