/**
 * Linter-style text output: `path:line:col  severity  message  [code]` per finding, then one estimate
 * line per workload, then a count. Lines and columns are 1-based, as editors and terminals expect.
 */
import type { AnalyzeReport } from '../../analysis/reportTypes';
import { estimateSummary } from './summary';

const LABEL = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' } as const;

export function formatText(report: AnalyzeReport, hardwareName: (id: string) => string): string {
	const lines: string[] = [];
	const count = { error: 0, warning: 0, information: 0, hint: 0 };
	for (const file of report.files) {
		for (const d of file.diagnostics) {
			count[d.severity]++;
			const pos = `${file.path}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
			lines.push(`${pos}  ${LABEL[d.severity]}  ${d.message}  [${d.code}]`);
			for (const fix of d.fixes ?? [])
				lines.push(`    fix: ${fix.title}${fix.effect ? ` — ${fix.effect}` : ''}`);
		}
		for (const w of file.workloads) {
			const pos = `${file.path}:${w.range.start.line + 1}:${w.range.start.character + 1}`;
			const model = w.resolvedModel ?? (w.model || '(no model)');
			const summary = w.estimate
				? estimateSummary(w.estimate, hardwareName(w.estimate.hardwareId))
				: 'no estimate (see the findings above)';
			lines.push(`${pos}  ${w.framework} ${model}: ${summary}`);
		}
	}
	const workloads = report.files.reduce((n, f) => n + f.workloads.length, 0);
	const files = report.files.length;
	const suppressed = report.files.reduce((n, f) => n + (f.suppressed?.length ?? 0), 0);
	lines.push(
		`${workloads} workload${workloads === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}: ` +
			`${count.error} error${count.error === 1 ? '' : 's'}, ${count.warning} warning${count.warning === 1 ? '' : 's'}, ` +
			`${count.information + count.hint} info` +
			(suppressed ? `, ${suppressed} suppressed` : ''),
	);
	return `${lines.join('\n')}\n`;
}
