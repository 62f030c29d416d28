/**
 * The workload header (what the file says, as written) and the headline numbers for the scenario.
 * Everything that came from the user's file goes in as text nodes.
 */
import type { HardwareSpec } from '../../server/src/analysis/catalog/types';
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import type { Estimate } from '../../server/src/analysis/physics/types';
import { h } from './dom';
import { gb, joules, pct, seconds, sig, tokens, usd } from './format';
import type { Scenario } from './scenario';
import { contextSettingName, type StartupFit } from '../../server/src/analysis/startupFit';

export interface HeaderInput {
	fileName: string;
	workloads: WorkloadReport[];
	selected: number;
	sc?: Scenario;
	hw?: HardwareSpec;
	/** The scenario's estimate, for the decode context and prompt it used. */
	est?: Estimate;
	/** Set while a device chosen in the panel waits for the server's next report. */
	chosenHere?: boolean;
	/** The engine's start-up check for the scenario (undefined when it does not apply). */
	startup?: StartupFit;
	onSelect(i: number): void;
	onReveal(): void;
}

function targetSource(
	source: 'file' | 'config' | 'user-setting' | 'default' | undefined,
	chosenHere?: boolean,
) {
	// A file that names its hardware wins over the setting, so a choice here only changes this view.
	if (chosenHere)
		return source === 'file'
			? 'chosen here · the file names its own hardware'
			: 'chosen here · setting updated';
	if (!source) return undefined;
	if (source === 'config') return 'from the project config (.inference-meter.yaml)';
	return `from ${source === 'file' ? 'the file' : source === 'user-setting' ? 'settings' : 'the engine default'}`;
}

function fact(label: string, value: string, extra?: string): HTMLElement {
	return h(
		'div',
		{ class: 'fact' },
		h('span', { class: 'fact-label' }, label),
		h('span', { class: 'fact-value' }, value),
		extra ? h('span', { class: 'fact-extra' }, extra) : null,
	);
}

export function renderHeader(inp: HeaderInput): HTMLElement {
	const w = inp.workloads[inp.selected];
	const title = h('div', { class: 'title-row' });
	const model = h('h1', { class: 'model', title: w.model }, w.model);
	title.append(model, h('span', { class: 'badge framework' }, w.framework));
	if (w.resolvedModel && w.resolvedModel !== w.model)
		title.append(h('span', { class: 'muted resolved' }, `→ ${w.resolvedModel}`));
	const where = h('a', { href: '#', class: 'file-link', title: 'Show in the editor' }, inp.fileName);
	where.addEventListener('click', (e) => {
		e.preventDefault();
		inp.onReveal();
	});
	const sub = h('div', { class: 'sub-row muted' }, where);
	if (inp.workloads.length > 1) {
		const pick = h('vscode-single-select', {
			class: 'workload-pick',
			'aria-label': 'Workload in this file',
		}) as HTMLElement & { value: string };
		pick.append(
			...inp.workloads.map((x, i) =>
				h('vscode-option', { value: String(i) }, `${i + 1}. ${x.model} (${x.framework})`),
			),
		);
		pick.value = String(inp.selected);
		pick.addEventListener('change', () => inp.onSelect(Number(pick.value)));
		sub.append(h('span', {}, ` · workload ${inp.selected + 1} of ${inp.workloads.length}`), pick);
	}
	const sc = inp.sc;
	const facts = h('div', { class: 'facts' });
	if (sc) {
		const target = w.target;
		facts.append(
			fact('Format', sc.weightFormat, `KV ${sc.kvDtype}`),
			fact(
				'Batch',
				tokens(sc.batch),
				inp.startup && !inp.startup.fits
					? `${tokens(sc.batchConfigured)} configured · the engine does not start at this context`
					: sc.batchConfigured > sc.batch
						? `${tokens(sc.batchConfigured)} configured · KV holds ${tokens(sc.batch)}`
						: 'concurrent sequences',
			),
			fact(
				'Context',
				tokens(sc.context),
				inp.est ? `decode at ${tokens(inp.est.context)} · prompt ${tokens(inp.est.prompt)}` : undefined,
			),
			fact(
				'Target',
				`${sc.devices > 1 ? `${sc.devices}× ` : ''}${inp.hw?.name ?? sc.hardwareId}`,
				targetSource(target?.source, inp.chosenHere),
			),
		);
	}
	return h('header', { class: 'workload' }, title, sub, facts);
}

/** One tile of the summary strip (the measured view shows its numbers in the same tiles). */
export function metric(label: string, value: string, detail: string, cls = ''): HTMLElement {
	return h(
		'div',
		{ class: `metric ${cls}` },
		h('div', { class: 'metric-label' }, label),
		h('div', { class: 'metric-value' }, value),
		h('div', { class: 'metric-detail' }, detail),
	);
}

/**
 * The memory card. When the engine's start-up check fails (one sequence of the configured context does not
 * fit), that is what it shows — with the memory that one sequence needs — as the server's diagnostic does.
 */
function memoryCard(est: Estimate, startup: StartupFit | undefined): HTMLElement {
	const card = memoryMetric(est, startup);
	// The engine's start-up plan line by line in its own log wording (same lines as the hover and the CLI).
	const plan = startup?.plan ?? est.memory.plan;
	if (plan)
		card.append(
			h(
				'ol',
				{ class: 'plan-lines', 'aria-label': 'Start-up memory plan' },
				...plan.lines.map((l) => h('li', { title: l.source ?? '' }, l.text)),
				...plan.notes.map((n) => h('li', { class: 'plan-note' }, n)),
			),
		);
	return card;
}

function memoryMetric(est: Estimate, startup: StartupFit | undefined): HTMLElement {
	if (startup && !startup.fits && startup.weightsFit) {
		const s = startup.estimate.memory;
		return metric(
			'Memory per device',
			`${sig(s.totalBytesPerDevice / 1e9)} / ${gb(s.budgetBytesPerDevice)}`,
			`does not fit at ${contextSettingName(est.engine)} ${tokens(startup.context)}: at most ${tokens(startup.maxContextThatFits)} tokens`,
			'bad',
		);
	}
	const m = est.memory;
	const fitDetail = m.fits
		? `max batch ${tokens(m.maxBatchAtContext)} at this context`
		: m.weightsFit
			? `KV does not fit: max context ${tokens(m.maxContextAtBatch)} at this batch`
			: 'weights alone exceed the device';
	return metric(
		'Memory per device',
		`${sig(m.totalBytesPerDevice / 1e9)} / ${gb(m.budgetBytesPerDevice)}`,
		`${m.fits ? 'fits' : 'does not fit'} · ${fitDetail}`,
		m.fits ? 'ok' : 'bad',
	);
}

export function renderMetrics(
	est: Estimate,
	hw: HardwareSpec | undefined,
	startup?: StartupFit,
): HTMLElement {
	const d = est.decode;
	return h(
		'section',
		{ class: 'metrics', 'aria-label': 'Estimate for the scenario' },
		memoryCard(est, startup),
		metric(
			'Per user',
			`${sig(d.expectedTokensPerSecondPerUser)} tok/s`,
			`roofline ${sig(d.rooflineTokensPerSecondPerUser)} · ${pct(d.efficiency.factor)} efficiency`,
		),
		metric('Total', `${sig(d.tokensPerSecondTotal)} tok/s`, `at batch ${tokens(est.batch)}`),
		metric(
			'Bound',
			d.bound === 'memory' ? 'memory' : 'compute',
			`${sig(d.arithmeticIntensity)} vs ridge ${sig(d.ridgeFlopsPerByte)} FLOP/B · ${pct(d.computeUtilization)} of peak${hw ? '' : ''}`,
		),
		metric(
			'Bytes per step',
			gb(d.bytesPerStep),
			`weights ${gb(d.weightBytesPerStep)} · KV ${gb(d.kvBytesPerStep)}`,
		),
		metric(
			'TTFT',
			seconds(est.prefill.ttftSeconds),
			`${tokens(est.prompt)}-token prompt · ${est.prefill.bound}-bound`,
		),
		est.cost
			? metric(
					'Cost',
					`${usd(est.cost.usdPerMillionTokens)} / M tok`,
					`${joules(est.cost.joulesPerToken)} per token`,
				)
			: null,
	);
}
