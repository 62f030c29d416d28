/**
 * The roofline chart: log–log SVG drawn with DOM APIs. x = arithmetic intensity (FLOP/byte), y = attainable
 * TFLOP/s per device. The target's bandwidth slope meets one ceiling per dtype it supports; the decode point
 * (at the scenario's batch) and the prefill point sit under it, and the ridge of the workload's dtype is marked.
 */
import type { ComputeDtype, HardwareSpec } from '../../server/src/analysis/catalog/types';
import type { Estimate } from '../../server/src/analysis/physics/types';
import { s } from './dom';
import { sig, tokens } from './format';
import type { MeasuredPoint } from './measured';

const M = { left: 62, right: 74, top: 14, bottom: 46 };
/** Drawn at the size it is shown, so 11 px labels stay 11 px in a narrow panel. */
const MIN_W = 340;
const MAX_W = 900;

export interface RooflineInput {
	hw: HardwareSpec;
	est: Estimate;
	computeDtype: ComputeDtype;
	/** Other devices to draw faintly (the table's filtered rows). */
	overlay: HardwareSpec[];
	/** Width available in CSS pixels; the chart keeps a 16:9-ish aspect ratio. */
	width?: number;
	/** A live measurement on this device: drawn next to the decode point, which is then labelled "predicted". */
	measured?: MeasuredPoint;
}

function peakFor(hw: HardwareSpec, dtype: ComputeDtype): number | undefined {
	return hw.peakTflops[dtype] ?? hw.peakTflops.bf16 ?? hw.peakTflops.fp16 ?? hw.peakTflops.fp32;
}

function decadeLabel(exp: number): string {
	const v = 10 ** exp;
	if (v >= 1e6) return `${v / 1e6}M`;
	if (v >= 1e3) return `${v / 1e3}k`;
	return String(v);
}

export function renderRoofline(inp: RooflineInput): SVGSVGElement {
	const { hw, est, computeDtype } = inp;
	const W = Math.round(Math.min(MAX_W, Math.max(MIN_W, inp.width ?? 640)));
	const H = Math.round(Math.min(420, Math.max(260, W * 0.53)));
	const bwTBs = hw.bandwidthGBs / 1000; // TB/s × FLOP/byte = TFLOP/s
	const devices = Math.max(1, est.devices);
	const decodeX = est.decode.arithmeticIntensity;
	const decodeY = est.decode.flopsPerStep / est.decode.stepSeconds / devices / 1e12;
	const prefillX = est.prefill.bytes > 0 ? est.prefill.flops / est.prefill.bytes : NaN;
	const prefillY = est.prefill.flops / est.prefill.seconds / devices / 1e12;
	const peaks = Object.entries(hw.peakTflops).filter(([, v]) => typeof v === 'number' && v > 0) as [
		ComputeDtype,
		number,
	][];
	const mainPeak = peakFor(hw, computeDtype) ?? 1;
	const ridge = est.decode.ridgeFlopsPerByte > 0 ? est.decode.ridgeFlopsPerByte : mainPeak / bwTBs;
	const maxPeak = Math.max(mainPeak, ...peaks.map(([, v]) => v));

	// Domain: decades around everything drawn, so points never sit on the frame.
	const mp = inp.measured;
	const xs = [decodeX, prefillX, ridge, 0.5, mp?.x ?? NaN].filter((v) => Number.isFinite(v) && v > 0);
	const ys = [decodeY, prefillY, maxPeak, bwTBs * Math.min(...xs), mp?.y ?? NaN].filter(
		(v) => Number.isFinite(v) && v > 0,
	);
	const x0 = Math.floor(Math.log10(Math.min(...xs) / 1.5));
	const x1 = Math.ceil(Math.log10(Math.max(...xs) * 3));
	const y0 = Math.floor(Math.log10(Math.min(...ys) / 1.5));
	const y1 = Math.ceil(Math.log10(maxPeak * 2));
	const px = (x: number) => M.left + ((Math.log10(x) - x0) / (x1 - x0)) * (W - M.left - M.right);
	const py = (y: number) => H - M.bottom - ((Math.log10(y) - y0) / (y1 - y0)) * (H - M.top - M.bottom);
	const xMin = 10 ** x0;
	const xMax = 10 ** x1;
	const clampY = (y: number) => Math.min(Math.max(y, 10 ** y0), 10 ** y1);

	const svg = s('svg', {
		viewBox: `0 0 ${W} ${H}`,
		class: 'roofline',
		role: 'img',
		'aria-label': `Roofline of ${hw.name}: decode at ${sig(decodeX)} FLOP per byte, ridge at ${sig(ridge)}`,
	});
	const grid = s('g', { class: 'rf-grid' });
	const axes = s('g', { class: 'rf-axis' });
	for (let e = x0; e <= x1; e++) {
		grid.append(s('line', { x1: px(10 ** e), x2: px(10 ** e), y1: M.top, y2: H - M.bottom }));
		axes.append(s('text', { x: px(10 ** e), y: H - M.bottom + 16, 'text-anchor': 'middle' }, decadeLabel(e)));
	}
	for (let e = y0; e <= y1; e++) {
		grid.append(s('line', { x1: M.left, x2: W - M.right, y1: py(10 ** e), y2: py(10 ** e) }));
		axes.append(s('text', { x: M.left - 6, y: py(10 ** e) + 4, 'text-anchor': 'end' }, decadeLabel(e)));
	}
	axes.append(
		s(
			'text',
			{ x: (M.left + W - M.right) / 2, y: H - 8, 'text-anchor': 'middle', class: 'rf-title' },
			'Arithmetic intensity (FLOP/byte)',
		),
		s(
			'text',
			{
				x: 14,
				y: (M.top + H - M.bottom) / 2,
				'text-anchor': 'middle',
				class: 'rf-title',
				transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})`,
			},
			'Attainable TFLOP/s per device',
		),
	);
	svg.append(
		grid,
		s('rect', {
			class: 'rf-frame',
			x: M.left,
			y: M.top,
			width: W - M.left - M.right,
			height: H - M.top - M.bottom,
		}),
		axes,
	);

	const roof = (dev: HardwareSpec, peak: number, cls: string) => {
		const bw = dev.bandwidthGBs / 1000;
		const r = peak / bw;
		const startX = Math.max(xMin, 10 ** y0 / bw);
		return s('polyline', {
			class: cls,
			points: `${px(startX)},${py(clampY(bw * startX))} ${px(Math.min(r, xMax))},${py(clampY(Math.min(peak, bw * xMax)))} ${px(xMax)},${py(clampY(peak))}`,
		});
	};

	if (inp.overlay.length) {
		const g = s('g', { class: 'rf-overlay' });
		for (const o of inp.overlay) {
			const p = peakFor(o, computeDtype);
			if (!p || o.id === hw.id || !(o.bandwidthGBs > 0)) continue;
			g.append(
				s(
					'g',
					{},
					s('title', {}, `${o.name}: ${sig(o.bandwidthGBs)} GB/s, ${sig(p)} TFLOP/s`),
					roof(o, p, 'rf-overlay-line'),
				),
			);
		}
		svg.append(g);
	}

	// One ceiling per dtype; the workload's dtype is drawn strong, the others thin and dashed.
	const ceilings = s('g', { class: 'rf-ceilings' });
	const labelled: number[] = [];
	for (const [dtype, peak] of peaks.sort((a, b) => b[1] - a[1])) {
		const main = dtype === computeDtype;
		const r = peak / bwTBs;
		ceilings.append(
			s('line', {
				class: main ? 'rf-ceiling rf-main' : 'rf-ceiling',
				x1: px(Math.max(r, xMin)),
				x2: px(xMax),
				y1: py(clampY(peak)),
				y2: py(clampY(peak)),
			}),
		);
		// Skip labels that would overlap a previous one (fp16 = bf16 on most parts).
		const y = py(clampY(peak));
		const same = labelled.find((l) => Math.abs(l - y) < 11);
		if (same === undefined) {
			labelled.push(y);
			ceilings.append(
				s(
					'text',
					{ x: W - M.right + 4, y: y + 4, class: main ? 'rf-label rf-main' : 'rf-label' },
					`${dtype} ${sig(peak)}`,
				),
			);
		}
	}
	svg.append(ceilings);
	svg.append(
		s('g', {}, s('title', {}, `${hw.name}: ${sig(hw.bandwidthGBs)} GB/s`), roof(hw, mainPeak, 'rf-slope')),
	);

	// Ridge point of the workload's dtype.
	const rx = px(Math.min(ridge, xMax));
	const ry = py(clampY(mainPeak));
	svg.append(
		s('line', { class: 'rf-ridge-line', x1: rx, x2: rx, y1: ry, y2: H - M.bottom }),
		s(
			'circle',
			{ class: 'rf-ridge', cx: rx, cy: ry, r: 4 },
			s('title', {}, `Ridge point: ${sig(ridge)} FLOP/byte`),
		),
		s('text', { class: 'rf-annot', x: rx + 6, y: H - M.bottom - 6 }, `ridge ${sig(ridge)}`),
	);

	const point = (x: number, y: number, cls: string, label: string, tip: string) => {
		if (!(x > 0 && y > 0 && Number.isFinite(x) && Number.isFinite(y))) return null;
		const cx = px(Math.min(Math.max(x, xMin), xMax));
		const cy = py(clampY(y));
		const right = cx < W - M.right - 150;
		return s(
			'g',
			{ class: cls },
			s('title', {}, tip),
			s('circle', { cx, cy, r: 6 }),
			s(
				'text',
				{
					x: right ? cx + 10 : cx - 10,
					y: cy - 8,
					'text-anchor': right ? 'start' : 'end',
					class: 'rf-point-label',
				},
				label,
			),
		);
	};
	svg.append(
		point(
			prefillX,
			prefillY,
			'rf-prefill',
			`prefill (${tokens(est.prompt)}-token prompt)`,
			`Prefill: ${sig(prefillX)} FLOP/byte, ${sig(prefillY)} TFLOP/s per device, ${est.prefill.bound}-bound`,
		) ?? '',
		point(
			decodeX,
			decodeY,
			'rf-decode',
			`${mp ? 'predicted' : 'decode'} (batch ${est.batch})`,
			`Decode: ${sig(decodeX)} FLOP/byte, ${sig(decodeY)} TFLOP/s per device (${sig(est.decode.computeUtilization * 100, 2)} % of peak), ${est.decode.bound}-bound`,
		) ?? '',
		(mp && point(mp.x, mp.y, 'rf-measured', mp.label, mp.tip)) ?? '',
	);
	return svg;
}
