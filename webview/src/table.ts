/**
 * The hardware comparison table: every catalog device for this workload. Column headers sort, class chips
 * filter, clicking (or Enter on) a row makes that device the target.
 */
import type { SpectrumClass } from '../../server/src/analysis/catalog/types';
import { SPECTRUM_ORDER } from '../../server/src/analysis/catalog/types';
import { filterRows, hasPower, hasPrice, sortRows, type Row, type SortKey } from './compare';
import { h } from './dom';
import { gb, joules, seconds, sig, usd } from './format';
import { SPECTRUM_SHORT } from './spectrum';

export interface TableView {
	sort: { key: SortKey; desc: boolean };
	filter: SpectrumClass | 'all';
	fitsOnly: boolean;
}

export interface TableHandlers {
	onSort(key: SortKey): void;
	onFilter(filter: SpectrumClass | 'all'): void;
	onFitsOnly(v: boolean): void;
	onChoose(hardwareId: string, devices: number): void;
}

interface Column {
	key: SortKey;
	label: string;
	/** Unit line under the label. */
	unit?: string;
	title: string;
	numeric: boolean;
	cell(r: Row): string;
}

/** The target is shown at the user's count; other devices were tried up to `devices`. */
const fitsNo = (r: Row) =>
	r.isTarget || r.devices === 1 ? `no on ${r.devices}` : `no, even on ${r.devices}`;

/** Why a row fits or not, in bytes per device (hover on the Fits cell). */
function fitTip(r: Row): string | undefined {
	const m = r.est?.memory;
	if (!m) return r.detail ?? r.note;
	const used = `${gb(m.totalBytesPerDevice)} needed of ${gb(m.budgetBytesPerDevice)} usable per device`;
	if (r.fits) return `${used} (${r.devices} device${r.devices > 1 ? 's' : ''})`;
	return m.weightsFit
		? `Weights fit but the KV cache does not: ${used}`
		: `Weights alone exceed the device: ${used}`;
}

const n = (r: Row, f: (r: Row) => number | undefined, fmt: (v: number) => string) => {
	if (!r.fits || !r.est) return '—';
	const v = f(r);
	return v === undefined || !Number.isFinite(v) ? '—' : fmt(v);
};

const COLUMNS: Column[] = [
	{ key: 'name', label: 'Device', title: 'Catalog device', numeric: false, cell: (r) => r.hw.name },
	{
		key: 'class',
		label: 'Class',
		title: 'Position on the coupling spectrum',
		numeric: false,
		cell: (r) => SPECTRUM_SHORT[r.hw.spectrum],
	},
	{
		key: 'fits',
		label: 'Fits',
		title: 'Whether weights + KV cache fit, and on how many devices',
		numeric: true,
		cell: (r) => (r.note ? r.note : r.fits ? (r.devices > 1 ? `on ${r.devices}` : 'yes') : fitsNo(r)),
	},
	{
		key: 'roofline',
		unit: 'tok/s/user',
		label: 'Roofline',
		title: 'Roofline tok/s per user: bandwidth ÷ bytes per step',
		numeric: true,
		cell: (r) => n(r, (x) => x.est?.decode.rooflineTokensPerSecondPerUser, sig),
	},
	{
		key: 'expected',
		unit: 'tok/s/user',
		label: 'Expected',
		title: 'Expected tok/s per user after the efficiency model',
		numeric: true,
		cell: (r) => n(r, (x) => x.est?.decode.expectedTokensPerSecondPerUser, sig),
	},
	{
		key: 'total',
		unit: 'tok/s',
		label: 'Total',
		title: 'Total tok/s at the batch (all users)',
		numeric: true,
		cell: (r) => n(r, (x) => x.est?.decode.tokensPerSecondTotal, sig),
	},
	{
		key: 'ttft',
		label: 'TTFT',
		title: 'Time to first token for the prompt',
		numeric: true,
		cell: (r) => n(r, (x) => x.est?.prefill.ttftSeconds, seconds),
	},
	{
		key: 'cost',
		unit: 'USD',
		label: '$/M tok',
		title: 'USD per million output tokens (amortized price + power)',
		numeric: true,
		// Energy-only costs are lower bounds (no purchase price in the catalog): marked ≥ and sorted last.
		cell: (r) =>
			n(
				r,
				(x) => x.est?.cost?.usdPerMillionTokens,
				(v) => (hasPrice(r) ? usd(v) : `≥ ${usd(v)}`),
			),
	},
	{
		key: 'energy',
		unit: 'per token',
		label: 'J/tok',
		title: 'Energy per output token',
		numeric: true,
		cell: (r) => n(r, (x) => (hasPower(r) ? x.est?.cost?.joulesPerToken : undefined), joules),
	},
];

function filterBar(rows: Row[], view: TableView, on: TableHandlers): HTMLElement {
	const counts = new Map<string, number>();
	for (const r of rows) counts.set(r.hw.spectrum, (counts.get(r.hw.spectrum) ?? 0) + 1);
	const chip = (value: SpectrumClass | 'all', label: string, count: number) => {
		const b = h(
			'button',
			{
				class: `chip${view.filter === value ? ' is-on' : ''}`,
				'aria-pressed': String(view.filter === value),
				'data-filter': value,
			},
			label,
			h('span', { class: 'chip-count' }, count),
		);
		b.addEventListener('click', () => on.onFilter(value));
		return b;
	};
	const fitsBox = h('vscode-checkbox', {
		label: 'Only devices that fit',
		class: 'fits-only',
		checked: view.fitsOnly,
	});
	fitsBox.addEventListener('change', () =>
		on.onFitsOnly((fitsBox as HTMLElement & { checked: boolean }).checked),
	);
	return h(
		'div',
		{ class: 'filter-bar', role: 'toolbar', 'aria-label': 'Filter by spectrum class' },
		chip('all', 'All', rows.length),
		...SPECTRUM_ORDER.filter((c) => counts.has(c)).map((c) => chip(c, SPECTRUM_SHORT[c], counts.get(c)!)),
		h('span', { class: 'spacer' }),
		fitsBox,
	);
}

export function renderTable(rows: Row[], view: TableView, on: TableHandlers): HTMLElement {
	const shown = sortRows(filterRows(rows, view.filter, view.fitsOnly), view.sort.key, view.sort.desc);
	const head = h(
		'tr',
		{},
		...COLUMNS.map((c) => {
			const active = view.sort.key === c.key;
			const btn = h(
				'button',
				{ class: 'sort', title: c.title, 'data-sort': c.key },
				c.label,
				h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (view.sort.desc ? '▼' : '▲') : ''),
				c.unit ? h('span', { class: 'unit' }, c.unit) : null,
			);
			btn.addEventListener('click', () => on.onSort(c.key));
			return h(
				'th',
				{
					class: c.numeric ? 'num' : '',
					'aria-sort': active ? (view.sort.desc ? 'descending' : 'ascending') : 'none',
					scope: 'col',
				},
				btn,
			);
		}),
	);
	const body = h('tbody');
	for (const r of shown) {
		const tr = h(
			'tr',
			{
				class: `${r.isTarget ? 'is-target' : ''}${r.fits ? '' : ' no-fit'}`,
				tabindex: 0,
				'data-hw': r.hw.id,
				'aria-selected': String(r.isTarget),
				title: r.isTarget ? `${r.hw.name} is the target` : `Make ${r.hw.name} the target`,
			},
			...COLUMNS.map((c, i) =>
				h(
					'td',
					{
						class: `${c.numeric ? 'num' : ''} col-${c.key}`,
						title:
							c.key === 'fits' ? fitTip(r) : c.key === 'cost' && r.est?.cost ? r.est.cost.basis : undefined,
					},
					c.cell(r),
					i === 0 && r.isTarget ? h('span', { class: 'badge' }, 'target') : null,
				),
			),
		);
		const choose = () => {
			if (!r.isTarget) on.onChoose(r.hw.id, r.devices);
		};
		tr.addEventListener('click', choose);
		tr.addEventListener('keydown', (e) => {
			if (e.key === 'Enter' || e.key === ' ') {
				e.preventDefault();
				choose();
			}
		});
		body.append(tr);
	}
	const table = h('table', { class: 'compare' }, h('thead', {}, head), body);
	const empty = shown.length ? null : h('p', { class: 'muted' }, 'No device matches the filter.');
	return h(
		'section',
		{ class: 'card table-card', 'aria-labelledby': 'table-h' },
		h(
			'h2',
			{ id: 'table-h' },
			'Hardware comparison',
			h(
				'span',
				{ class: 'muted h-note' },
				`${shown.length} of ${rows.length} devices · each on the fewest that hold the workload · click a row to make it the target`,
			),
		),
		filterBar(rows, view, on),
		h('div', { class: 'table-wrap' }, table),
		empty,
	);
}
