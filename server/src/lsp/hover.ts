/**
 * Hover on a model id, a flag or a config key: the numbers that value drives, each with its formula, and
 * where every input came from (file, engine default, user setting, catalog). Pure: analysis in, markdown out.
 */
import type { HardwareSpec, ModelSpec } from '../analysis/catalog/types';
import type { Estimate } from '../analysis/physics/types';
import type { AnalyzedWorkload, DocumentAnalysis, Setting, Span, WorkloadSettings } from '../analysis/types';
import * as fmt from './format';
import { rowsFor, type Row } from './hoverRows';

/** Catalog look-ups the hover needs; injected so the hover does not depend on how the catalog is loaded. */
export interface CatalogView {
	model(id: string): ModelSpec | undefined;
	hardware(id: string): HardwareSpec | undefined;
}

export interface HoverTarget {
	workload: AnalyzedWorkload;
	index: number;
	/** `model`, a WorkloadSettings key, or `flag`. */
	name: keyof WorkloadSettings | 'model' | 'flag';
	span: Span;
	setting?: Setting<unknown>;
	flag?: AnalyzedWorkload['workload']['flags'][number];
}

/**
 * A value from the user's file as inline code: the fence is longer than any backtick run inside it and
 * line breaks are flattened, so nothing in the value can close the code span and turn into markdown or
 * HTML (`<img src=x onerror=…>`, `[link](command:…)`). Long values are shortened.
 */
export function mdCode(value: string): string {
	const flat = (value.length > 200 ? `${value.slice(0, 200)}…` : value).replace(/[\r\n]+/g, ' ');
	let longest = 0;
	for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
	const fence = '`'.repeat(longest + 1);
	const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
	return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Prose that may quote the file (notes, assumptions): no HTML, no links, no escapes of our own. */
export function mdText(s: string): string {
	return s.replace(/[\\<>&[\]]/g, (c) => `\\${c}`);
}

const within = (span: Span | undefined, offset: number): span is Span =>
	!!span && offset >= span.offset && offset <= span.offset + span.length;

/** The value (or key) under the cursor, if any. Values win over keys; settings win over bare flags. */
export function findHoverTarget(analysis: DocumentAnalysis, offset: number): HoverTarget | undefined {
	for (const [index, workload] of analysis.workloads.entries()) {
		const w = workload.workload;
		// No check against the workload's own span: values often live elsewhere in the file (`MODEL=…`
		// at the top of a script, `ENV TP=2` in a Dockerfile) and are hoverable there.
		if (within(w.model.span, offset) || within(w.model.keySpan, offset)) {
			const span = within(w.model.span, offset) ? w.model.span : w.model.keySpan!;
			return { workload, index, name: 'model', span, setting: w.model };
		}
		for (const [name, setting] of Object.entries(w.settings) as [
			keyof WorkloadSettings,
			Setting<unknown>,
		][]) {
			if (!setting) continue;
			if (within(setting.span, offset)) return { workload, index, name, span: setting.span, setting };
			if (within(setting.keySpan, offset)) return { workload, index, name, span: setting.keySpan, setting };
		}
		for (const flag of w.flags) {
			if (within(flag.span, offset)) return { workload, index, name: 'flag', span: flag.span, flag };
			if (within(flag.valueSpan, offset))
				return { workload, index, name: 'flag', span: flag.valueSpan, flag };
		}
	}
	return undefined;
}

const SOURCE_LABEL: Record<string, string> = {
	file: 'written in this file',
	'engine-default': 'engine default',
	'user-setting': 'your setting',
	catalog: 'catalog',
	assumed: 'assumed',
	cli: 'command-line flag',
	config: 'project config',
	default: 'default',
};

function describeSetting(name: string, s: Setting<unknown>): string {
	const key = s.key ? mdCode(s.key) : name;
	const raw = s.raw !== undefined && s.raw !== String(s.value) ? ` (written ${mdCode(s.raw)})` : '';
	const note = s.note ? ` — ${mdText(s.note)}` : '';
	return `- ${key} = ${mdCode(String(s.value))}${raw}: ${SOURCE_LABEL[s.source] ?? s.source}${note}`;
}

function inputs(w: AnalyzedWorkload, catalog: CatalogView): string[] {
	const lines: string[] = ['**Inputs**'];
	const model = w.resolvedModel ? catalog.model(w.resolvedModel) : undefined;
	const modelSource = model?.sources?.length ? ` — source: ${mdText(model.sources.join('; '))}` : '';
	lines.push(
		w.resolvedModel
			? `- model ${mdCode(w.workload.model.value)} → catalog ${mdCode(w.resolvedModel)}${modelSource}`
			: `- model ${mdCode(w.workload.model.value)}: not in the catalog`,
	);
	for (const [name, s] of Object.entries(w.workload.settings)) if (s) lines.push(describeSetting(name, s));
	if (w.target) {
		const hw = catalog.hardware(w.target.hardwareId);
		const hwSource = hw?.sources?.length ? ` — source: ${mdText(hw.sources.join('; '))}` : '';
		lines.push(
			`- hardware ${mdCode(w.target.hardwareId)} × ${w.target.devices}: ${SOURCE_LABEL[w.target.source] ?? w.target.source}` +
				` (${mdText(w.target.note)})${hwSource}`,
		);
	}
	return lines;
}

function header(t: HoverTarget): string {
	if (t.name === 'flag' && t.flag) {
		const f = t.flag;
		const state = f.deprecated
			? `deprecated${f.deprecated.replacement ? `, use ${mdCode(f.deprecated.replacement)}` : ''}: ${mdText(f.deprecated.message)}`
			: f.known
				? `known flag${f.canonical && f.canonical !== f.name ? ` (${mdCode(f.canonical)})` : ''}`
				: 'not a flag this engine knows';
		return `**Inference Meter** · ${mdCode(f.name)}${f.value !== undefined ? ` = ${mdCode(f.value)}` : ''} — ${state}`;
	}
	const s = t.setting!;
	const label = t.name === 'model' ? 'model' : (s.key ?? t.name);
	return `**Inference Meter** · ${mdCode(label)} = ${mdCode(String(s.value))} (${SOURCE_LABEL[s.source] ?? s.source})`;
}

function rowLines(rows: Row[]): string[] {
	return rows.map((r) => `- **${r.label}**: ${r.value}${r.formula ? `  \n  \`${r.formula}\`` : ''}`);
}

function estimateLines(t: HoverTarget, e: Estimate, catalog: CatalogView): string[] {
	const hw = catalog.hardware(e.hardwareId);
	const model = catalog.model(e.modelId);
	const where = `${hw?.name ?? e.hardwareId}${e.devices > 1 ? ` × ${e.devices}` : ''}`;
	const lines = [
		`On **${mdText(where)}**, ${e.weightsFormat} weights, ${e.kvDtype} KV, batch ${e.batch}, context ${e.context} tokens:`,
		'',
		...rowLines(rowsFor(t.name, e, model, hw, t.workload.workload.settings.contextLength?.value)),
	];
	if (e.assumptions.length) lines.push('', `_Assumed:_ ${mdText(e.assumptions.join('; '))}`);
	return lines;
}

/** Serving at the configured concurrency, for the concurrency setting (`--max-num-seqs`, `-np` …). */
function servingLines(w: AnalyzedWorkload): string[] {
	const s = w.serving;
	if (!s) return [];
	const ttft = s.ttftSeconds === null ? '—' : fmt.seconds(s.ttftSeconds);
	return [
		'',
		`**Serving with all ${s.concurrency} slots busy** (${s.inputTokens} tokens in / ${s.outputTokens} out per request — default lengths; the file does not say):`,
		`- **Per user**: ≈ ${fmt.plain(s.outputTokensPerSecondPerUser)} tok/s (inter-token latency ${fmt.seconds(s.interTokenLatencySeconds)}), first token after ≈ ${ttft}`,
		`- **Total**: ≈ ${fmt.plain(s.outputTokensPerSecondTotal)} output tok/s, ${fmt.plain(s.requestsPerSecond)} requests/s; ${s.runningSequences} run together, limited by ${s.limitedBy}`,
	];
}

/** Markdown for the hovered value. */
export function hoverMarkdown(t: HoverTarget, catalog: CatalogView): string {
	const w = t.workload;
	const parts: string[] = [header(t), ''];
	if (w.estimate) parts.push(...estimateLines(t, w.estimate, catalog));
	if (t.name === 'maxConcurrency') parts.push(...servingLines(w));
	else if (!w.resolvedModel)
		parts.push(
			`No estimate: the model ${mdCode(w.workload.model.value)} is not in the catalog (see the diagnostic).`,
		);
	else parts.push('No estimate for this workload (see the diagnostics).');
	parts.push('', ...inputs(w, catalog));
	return parts.join('\n');
}
