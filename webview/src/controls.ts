/**
 * What-if controls. Built once and updated in place, so a field keeps focus and caret while the rest of the
 * panel re-renders on every keystroke.
 */
import type { WhatIfChange } from '../../server/src/shared/webviewProtocol';
import { h } from './dom';
import type { Scenario } from './scenario';

export interface Choice {
	id: string;
	label: string;
}

export interface ControlsModel {
	base: Scenario;
	current: Scenario;
	formats: Choice[];
	kvDtypes: Choice[];
	changed: boolean;
	status?: { text: string; kind: 'info' | 'error' };
	/** Which values the file writes (the others are engine defaults); labels the "was" note. */
	written: Partial<Record<keyof WhatIfChange, boolean>>;
}

export interface ControlsHandlers {
	change(c: WhatIfChange): void;
	reset(): void;
	apply(): void;
}

type Field = HTMLElement & { value: string };
type NumKey = 'batch' | 'context' | 'devices';

const LIMITS: Record<NumKey, { min: number; max: number; label: string; hint: string }> = {
	batch: { min: 1, max: 4096, label: 'Batch', hint: 'concurrent sequences' },
	context: { min: 1, max: 10_000_000, label: 'Context', hint: 'tokens per sequence' },
	devices: { min: 1, max: 1024, label: 'Devices', hint: 'tensor × pipeline parallel' },
};

export function createControls(on: ControlsHandlers): { el: HTMLElement; update(m: ControlsModel): void } {
	const nums = {} as Record<NumKey, { field: Field; note: HTMLElement }>;
	const group = (label: string, field: HTMLElement, note: HTMLElement, id: string) =>
		h('div', { class: 'control' }, h('label', { for: id }, label), field, note);
	const numField = (key: NumKey) => {
		const l = LIMITS[key];
		const field = h('vscode-textfield', {
			id: `whatif-${key}`,
			type: 'number',
			min: l.min,
			max: l.max,
			'data-whatif': key,
			'aria-label': `${l.label} (${l.hint})`,
		}) as Field;
		const note = h('span', { class: 'control-note' });
		field.addEventListener('input', () => {
			const v = Number(field.value);
			if (Number.isInteger(v) && v >= l.min && v <= l.max) {
				field.classList.remove('invalid');
				on.change({ [key]: v });
			} else field.classList.add('invalid');
		});
		nums[key] = { field, note };
		return group(l.label, field, note, `whatif-${key}`);
	};
	const select = (key: 'weightFormat' | 'kvDtype', label: string) => {
		const field = h('vscode-single-select', {
			id: `whatif-${key}`,
			'data-whatif': key,
			'aria-label': label,
		}) as Field;
		const note = h('span', { class: 'control-note' });
		field.addEventListener('change', () => on.change({ [key]: field.value }));
		return { field, note, el: group(label, field, note, `whatif-${key}`), ids: '' };
	};
	const fmt = select('weightFormat', 'Weights');
	const kv = select('kvDtype', 'KV cache');
	const reset = h(
		'vscode-button',
		{ secondary: true, id: 'whatif-reset', title: 'Back to the values in the file' },
		'Reset',
	);
	const apply = h(
		'vscode-button',
		{ id: 'whatif-apply', title: 'Write these values into the file' },
		'Apply to file',
	);
	const status = h('span', { class: 'control-status', role: 'status', 'aria-live': 'polite' });
	reset.addEventListener('click', () => on.reset());
	apply.addEventListener('click', () => on.apply());
	const el = h(
		'section',
		{ class: 'card controls', 'aria-labelledby': 'controls-h' },
		h('h2', { id: 'controls-h' }, 'What if'),
		h(
			'div',
			{ class: 'control-row' },
			numField('batch'),
			numField('context'),
			fmt.el,
			kv.el,
			numField('devices'),
		),
		h('div', { class: 'control-actions' }, apply, reset, status),
	);

	const setOptions = (sel: typeof fmt, choices: Choice[], value: string) => {
		const ids = choices.map((c) => c.id).join('|');
		if (ids !== sel.ids) {
			sel.field.replaceChildren(
				...choices.map((c) => h('vscode-option', { value: c.id, description: c.label }, c.id)),
			);
			sel.ids = ids;
		}
		if (sel.field.value !== value) sel.field.value = value;
	};
	let written: ControlsModel['written'] = {};
	const noteFor = (key: keyof WhatIfChange, note: HTMLElement, changed: boolean, was: string) => {
		note.textContent = changed ? `${written[key] ? 'file' : 'default'}: ${was}` : '';
	};

	return {
		el,
		update(m) {
			written = m.written;
			for (const key of ['batch', 'context', 'devices'] as const) {
				const { field, note } = nums[key];
				// Leave a half-typed or invalid value alone; otherwise mirror the scenario.
				if (Number(field.value) !== m.current[key] && !field.classList.contains('invalid'))
					field.value = String(m.current[key]);
				noteFor(key, note, m.current[key] !== m.base[key], String(m.base[key]));
			}
			setOptions(fmt, m.formats, m.current.weightFormat);
			setOptions(kv, m.kvDtypes, m.current.kvDtype);
			noteFor('weightFormat', fmt.note, m.current.weightFormat !== m.base.weightFormat, m.base.weightFormat);
			noteFor('kvDtype', kv.note, m.current.kvDtype !== m.base.kvDtype, m.base.kvDtype);
			el.classList.toggle('is-changed', m.changed);
			apply.toggleAttribute('disabled', !m.changed);
			reset.toggleAttribute('disabled', !m.changed);
			status.textContent = m.status?.text ?? (m.changed ? 'Numbers below show the what-if.' : '');
			status.classList.toggle('is-error', m.status?.kind === 'error');
		},
	};
}
