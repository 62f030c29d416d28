/**
 * The panel's controller in the webview: keeps the view state, recomputes the scenario on every change
 * (no round trip: the physics and catalog are bundled) and re-renders the sections.
 */
import type { HardwareSpec, SpectrumClass } from '../../server/src/analysis/catalog/types';
import type { Estimate } from '../../server/src/analysis/physics/types';
import * as P from '../../server/src/shared/webviewProtocol';
import type { MeasuredParams, UpdateParams, WhatIfChange } from '../../server/src/shared/webviewProtocol';
import { formatChoices, kvChoices } from './choices';
import { compareCatalog, filterRows, type Row, type SortKey } from './compare';
import { createControls } from './controls';
import { fill, h } from './dom';
import type { AnalysisEngine } from './engine';
import { measuredPoint, renderMeasured } from './measured';
import { renderRoofline } from './roofline';
import { baseScenario, effectiveChange, startupCheck, toInput, withChange, type Scenario } from './scenario';
import { computeSweep, renderSweep, type SweepLengths } from './servingSweep';
import { renderSpectrum } from './spectrum';
import { renderHeader, renderMetrics } from './summary';
import { renderTable, type TableView } from './table';
import type { HostApi } from './vscodeApi';

/** Persisted with setState; `v` guards against restoring state of an older shape. */
export interface ViewState {
	v: number;
	update?: UpdateParams;
	empty?: string;
	change: WhatIfChange;
	/** The file's values when the what-if was made: a what-if on a value the file has since changed is dropped. */
	changeBase?: Partial<Scenario>;
	changeKey?: string;
	/**
	 * A device chosen in the table, shown at once while the setting round-trips through the server; cleared
	 * when a report arrives that uses it.
	 */
	target?: string;
	table: TableView;
	overlay: boolean;
	/** The latest live measurement (Measure Running Server), shown until a newer one arrives. */
	measured?: MeasuredParams;
	/** Prompt/answer lengths of the concurrency sweep (undefined: the stated defaults). */
	sweep?: SweepLengths;
}

const DEFAULT_STATE: ViewState = {
	v: P.STATE_VERSION,
	change: {},
	table: { sort: { key: 'expected', desc: true }, filter: 'all', fitsOnly: false },
	overlay: false,
};

function restore(raw: unknown): ViewState {
	if (typeof raw === 'object' && raw !== null && (raw as ViewState).v === P.STATE_VERSION) {
		const s = raw as ViewState;
		return { ...DEFAULT_STATE, ...s, table: { ...DEFAULT_STATE.table, ...s.table } };
	}
	return structuredClone(DEFAULT_STATE);
}

const DESC_FIRST: SortKey[] = ['roofline', 'expected', 'total'];
/** The TTFT target when the settings give none (DEFAULT_LATENCY_TARGET in physics/coupling.ts). */
const DEFAULT_TTFT_SECONDS = 2;

export class App {
	private state: ViewState;
	private readonly controls = createControls({
		change: (c) => this.onWhatIf(c),
		reset: () => this.setChange({}),
		apply: () => this.apply(),
	});
	private status?: { text: string; kind: 'info' | 'error' };
	private readonly sections = {
		header: h('div', { class: 'slot' }),
		metrics: h('div', { class: 'slot' }),
		measured: h('div', { class: 'slot' }),
		charts: h('div', { class: 'slot charts' }),
		sweep: h('div', { class: 'slot' }),
		table: h('div', { class: 'slot' }),
		notes: h('div', { class: 'slot' }),
	};
	private readonly message = h('div', { class: 'empty', role: 'status' });

	constructor(
		private readonly root: HTMLElement,
		private readonly host: HostApi,
		private readonly engine: AnalysisEngine,
	) {
		this.state = restore(host.getState());
		const s = this.sections;
		root.replaceChildren(
			this.message,
			s.header,
			this.controls.el,
			s.metrics,
			s.measured,
			s.charts,
			s.sweep,
			s.table,
			s.notes,
		);
		window.addEventListener('message', (e) => this.onMessage(e.data));
		let resizeTimer: ReturnType<typeof setTimeout> | undefined;
		let lastWidth = window.innerWidth;
		window.addEventListener('resize', () => {
			clearTimeout(resizeTimer);
			resizeTimer = setTimeout(() => {
				if (Math.abs(window.innerWidth - lastWidth) < 24) return;
				lastWidth = window.innerWidth;
				this.render();
			}, 150);
		});
		this.render();
		host.postMessage(P.Ready.create({ version: P.PROTOCOL_VERSION }));
	}

	private onMessage(msg: unknown): void {
		try {
			if (P.Update.is(msg)) {
				this.state.empty = undefined;
				this.adoptUpdate(msg.params);
			} else if (P.Empty.is(msg)) {
				this.state.empty = msg.params.reason;
				this.state.update = undefined;
			} else if (P.Measured.is(msg)) {
				this.state.measured = msg.params;
			} else if (P.Theme.is(msg)) {
				document.body.dataset.theme = msg.params.kind;
				return;
			} else if (P.ApplyResult.is(msg)) {
				this.status = { text: msg.params.message, kind: msg.params.ok ? 'info' : 'error' };
				if (msg.params.ok && msg.params.skipped.length === 0) this.state.change = {};
			} else return;
			this.render();
		} catch (err) {
			this.reportError(err);
		}
	}

	/** New data for the same workload keeps the what-ifs whose file value did not change. */
	private adoptUpdate(u: UpdateParams): void {
		this.state.update = u;
		if (u.theme) document.body.dataset.theme = u.theme;
		const w = u.workloads[u.selected];
		const key = w ? `${u.uri}#${u.selected}#${w.model}` : undefined;
		const base = w ? baseScenario(w, u.targetHardware, this.engine) : undefined;
		if (key !== this.state.changeKey || !base || 'error' in base) {
			this.state.change = {};
			this.state.changeKey = key;
			this.state.target = undefined;
			return;
		}
		if (base.hardwareId === this.state.target) this.state.target = undefined;
		const prev = this.state.changeBase ?? {};
		const kept: WhatIfChange = {};
		for (const k of ['batch', 'context', 'weightFormat', 'kvDtype', 'devices'] as const)
			if (this.state.change[k] !== undefined && prev[k] === base[k])
				(kept as Record<string, unknown>)[k] = this.state.change[k];
		this.state.change = kept;
	}

	private onWhatIf(c: WhatIfChange): void {
		this.status = undefined;
		this.setChange({ ...this.state.change, ...c });
	}

	private setChange(change: WhatIfChange): void {
		this.state.change = change;
		const base = this.base();
		if (base && !('error' in base)) {
			this.state.changeBase = { ...base };
			this.state.change = effectiveChange(base, change);
		}
		this.render();
	}

	private base(): Scenario | { error: string } | undefined {
		const u = this.state.update;
		const w = u?.workloads[u.selected];
		if (!u || !w) return undefined;
		const base = baseScenario(w, u.targetHardware, this.engine);
		return 'error' in base || !this.state.target ? base : { ...base, hardwareId: this.state.target };
	}

	private apply(): void {
		const u = this.state.update;
		const base = this.base();
		if (!u || !base || 'error' in base) return;
		const change = effectiveChange(base, this.state.change);
		if (!Object.keys(change).length) return;
		this.status = { text: 'Applying…', kind: 'info' };
		this.host.postMessage(P.ApplyWhatIf.create({ uri: u.uri, workload: u.selected, change }));
		this.render();
	}

	/** The row's device becomes the target; if it needs more devices than the scenario has, so does the what-if. */
	private chooseTarget(id: string, devices?: number): void {
		this.state.target = id;
		this.status = undefined;
		this.host.postMessage(P.SetTarget.create({ hardwareId: id }));
		const base = this.base();
		const current = base && !('error' in base) ? withChange(base, this.state.change).devices : undefined;
		if (devices !== undefined && devices !== current) this.setChange({ ...this.state.change, devices });
		else this.render();
	}

	private reportError(err: unknown): void {
		const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
		this.host.postMessage(P.WebviewError.create({ message }));
	}

	private save(): void {
		this.host.setState(this.state);
	}

	render(): void {
		try {
			this.renderUnsafe();
		} catch (err) {
			this.reportError(err);
			fill(this.message, 'The panel could not render this workload; see the Inference Meter log.');
			this.message.hidden = false;
		}
		this.save();
	}

	private showMessage(text: string | undefined): void {
		this.message.hidden = !text;
		fill(this.message, text ?? '');
	}

	private renderUnsafe(): void {
		const u = this.state.update;
		const s = this.sections;
		const w = u?.workloads[u.selected];
		const hide = (hidden: boolean) => {
			for (const el of [s.header, this.controls.el, s.metrics, s.charts, s.sweep, s.table, s.notes])
				el.hidden = hidden;
		};
		const m = this.state.measured;
		if (!u || !w) {
			hide(true);
			// A measurement taken without a document still has a place to show.
			s.measured.hidden = !m;
			fill(s.measured, m ? renderMeasured(m, undefined) : null);
			this.showMessage(
				this.state.empty ??
					'Open a serving config (vLLM, llama.cpp, Ollama, transformers.js) to compare hardware for it.',
			);
			return;
		}
		hide(false);
		const base = this.base() ?? { error: 'No workload.' };
		const sc = 'error' in base ? undefined : withChange(base, this.state.change);
		const hwById = (id: string): HardwareSpec | undefined =>
			this.engine.catalog.hardware.find((x) => x.id === id);
		const hw = sc ? hwById(sc.hardwareId) : undefined;
		// Without a catalog model (user catalog, config.json) show the server's numbers, without what-ifs.
		let est: Estimate | undefined = w.estimate;
		let problem = 'error' in base ? base.error : undefined;
		if (sc) {
			const input = toInput(sc, this.engine, u.settings);
			if (!('error' in input)) est = this.engine.estimate(input, this.engine.catalog.hardware);
			else if (w.estimate)
				// A model or device from the user's catalog or a local config: the server knows it, the bundled
				// catalog does not. Show the server's numbers rather than nothing.
				problem = `${input.error} The numbers below are the language server's; what-ifs and the comparison need built-in catalog entries.`;
			else problem = input.error;
		}
		const startup = sc && !problem ? startupCheck(sc, this.engine, u.settings) : undefined;
		fill(
			s.header,
			renderHeader({
				fileName: u.fileName,
				workloads: u.workloads,
				selected: u.selected,
				sc,
				hw,
				est,
				chosenHere: this.state.target !== undefined,
				startup,
				onSelect: (i) => {
					this.adoptUpdate({ ...u, selected: i });
					this.render();
				},
				onReveal: () => this.host.postMessage(P.Reveal.create({ uri: u.uri, workload: u.selected })),
			}),
		);
		this.controls.el.hidden = !sc || !!problem;
		if (sc && !('error' in base))
			this.controls.update({
				base,
				current: sc,
				formats: formatChoices(this.engine.catalog.formats, w.framework, sc.weightFormat),
				kvDtypes: kvChoices(this.engine.catalog.kvDtypes, w.framework, sc.kvDtype),
				changed: Object.keys(effectiveChange(base, this.state.change)).length > 0,
				written: {
					batch: !!w.ranges.maxConcurrency,
					context: !!w.ranges.contextLength,
					weightFormat: !!w.ranges.weightFormat,
					kvDtype: !!w.ranges.kvCacheDtype,
					devices: !!(w.ranges.tensorParallelSize ?? w.ranges.deviceCount),
				},
				status: this.status,
			});
		this.showMessage(problem);
		s.measured.hidden = !m;
		fill(s.measured, m ? renderMeasured(m, hw?.id ?? est?.hardwareId) : null);
		if (!est) {
			for (const el of [s.metrics, s.charts, s.sweep, s.table, s.notes]) el.replaceChildren();
			return;
		}
		// The comparison needs the model in the bundled catalog; the target device need not be there.
		const rows =
			sc && this.engine.catalog.models.some((m) => m.id === sc.modelId)
				? compareCatalog(sc, this.engine, u.settings)
				: [];
		fill(s.metrics, renderMetrics(est, hw, startup));
		this.renderCharts(est, hw, rows, u, hwById);
		this.renderSweep(sc, u);
		fill(
			s.table,
			rows.length
				? renderTable(rows, this.state.table, {
						onSort: (key) => this.sortBy(key),
						onFilter: (f) => this.setTable({ filter: f }),
						onFitsOnly: (v) => this.setTable({ fitsOnly: v }),
						onChoose: (id, devices) => this.chooseTarget(id, devices),
					})
				: null,
		);
		this.renderNotes(est);
	}

	private renderCharts(
		est: Estimate,
		hw: HardwareSpec | undefined,
		rows: Row[],
		u: UpdateParams,
		hwById: (id: string) => HardwareSpec | undefined,
	): void {
		const s = this.sections;
		const fmt = this.engine.resolveFormat(est.weightsFormat);
		const overlayRows = this.state.overlay
			? filterRows(rows, this.state.table.filter, this.state.table.fitsOnly)
			: [];
		const overlayBox = h('vscode-checkbox', {
			label: 'Overlay the devices listed in the table',
			class: 'overlay-toggle',
			checked: this.state.overlay,
		});
		overlayBox.addEventListener('change', () => {
			this.state.overlay = (overlayBox as HTMLElement & { checked: boolean }).checked;
			this.render();
		});
		// The measured point belongs on this chart when it was measured on this device for this workload.
		const m = this.state.measured;
		const mine = m && (!m.uri || (m.uri === u.uri && m.workload === u.selected));
		const mp = hw && m && mine ? measuredPoint(m, hw) : undefined;
		const chart = hw
			? renderRoofline({
					hw,
					est,
					computeDtype: fmt?.computeDtype ?? 'bf16',
					overlay: overlayRows.map((r) => r.hw),
					width: this.chartWidth(),
					measured: mp,
				})
			: h('p', { class: 'muted' }, `No roofline: ${est.hardwareId} is not in the built-in catalog.`);
		const legend = h(
			'div',
			{ class: 'legend' },
			h(
				'span',
				{ class: 'key key-slope' },
				`${hw?.name ?? est.hardwareId}${hw ? ` · ${hw.bandwidthGBs.toLocaleString('en-US')} GB/s spec bandwidth` : ''}`,
			),
			h('span', { class: 'key key-decode' }, mp ? 'predicted decode' : 'decode'),
			mp ? h('span', { class: 'key key-measured' }, 'measured') : null,
			h('span', { class: 'key key-prefill' }, 'prefill'),
			h('span', { class: 'key key-ridge' }, 'ridge'),
		);
		const minTokS =
			u.settings?.latencyTarget?.tokensPerSecondPerUser ?? this.engine.defaultTokensPerSecondPerUser;
		fill(
			s.charts,
			h(
				'section',
				{ class: 'card roofline-card', 'aria-labelledby': 'roofline-h' },
				h(
					'h2',
					{ id: 'roofline-h' },
					'Roofline',
					h('span', { class: 'muted h-note' }, `${fmt?.computeDtype ?? ''} ceiling · log–log · per device`),
				),
				chart,
				legend,
				overlayBox,
			),
			renderSpectrum(
				hw,
				est.coupling,
				rows,
				minTokS,
				(id) => this.chooseTarget(id, rows.find((r) => r.hw.id === id)?.devices),
				(id) => hwById(id)?.name,
			),
		);
	}

	/** The concurrency sweep for the scenario (what-ifs included), with the settings' latency targets. */
	private renderSweep(sc: Scenario | undefined, u: UpdateParams): void {
		const input = sc ? toInput(sc, this.engine, u.settings) : undefined;
		if (!sc || !input || 'error' in input) {
			this.sections.sweep.replaceChildren();
			return;
		}
		const t = u.settings?.latencyTarget;
		const sw = computeSweep(
			input,
			this.state.sweep ?? {},
			{
				tokensPerSecondPerUser: t?.tokensPerSecondPerUser ?? this.engine.defaultTokensPerSecondPerUser ?? 20,
				ttftSeconds: t?.ttftSeconds ?? DEFAULT_TTFT_SECONDS,
			},
			sc.batchConfigured,
		);
		const width = this.sections.charts.clientWidth || Math.min(document.body.clientWidth, 1200);
		fill(
			this.sections.sweep,
			renderSweep(sw, width - 26, {
				setLengths: (l) => {
					this.state.sweep = { ...this.state.sweep, ...l };
					this.render();
				},
			}),
		);
	}

	/** The roofline card's inner width: 3/5 of the charts row when it is two columns (see styles.css). */
	private chartWidth(): number {
		const row = this.sections.charts.clientWidth || Math.min(document.body.clientWidth, 1200);
		const card = window.innerWidth > 860 ? (row - 12) * 0.6 : row;
		return card - 26;
	}

	private renderNotes(est: Estimate): void {
		const items = [...est.decode.efficiency.reasons, ...est.assumptions];
		const cost = est.cost ? [`Cost basis: ${est.cost.basis}`] : [];
		fill(
			this.sections.notes,
			h(
				'details',
				{ class: 'card notes' },
				h('summary', {}, `Assumptions (${items.length + cost.length})`),
				h('ul', {}, ...[...items, ...cost].map((t) => h('li', {}, t))),
				h(
					'p',
					{ class: 'muted' },
					'GB = 10⁹ bytes. FLOP/s are dense peaks from the catalog; tok/s are per user unless marked total.',
				),
			),
		);
	}

	private sortBy(key: SortKey): void {
		const cur = this.state.table.sort;
		const desc = cur.key === key ? !cur.desc : DESC_FIRST.includes(key);
		this.setTable({ sort: { key, desc } });
	}

	private setTable(t: Partial<TableView> & { filter?: SpectrumClass | 'all' }): void {
		this.state.table = { ...this.state.table, ...t };
		this.render();
	}
}
