/**
 * One lens above each workload: the decode numbers in one line; clicking opens the hardware comparison
 * panel for that document and workload.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedWorkload, DocumentAnalysis } from '../analysis/types';
import { Commands } from '../shared/protocol';
import { rangeOf } from './diagnostics';
import * as fmt from './format';
import type { CatalogView } from './hover';

/** `≈ 160 tok/s per user (roofline 208) · 16.1 GB per step · memory-bound · H100 SXM`. */
export function lensTitle(w: AnalyzedWorkload, catalog: CatalogView): string {
	const e = w.estimate;
	if (!e) {
		return w.resolvedModel
			? `Inference Meter: no estimate for ${w.resolvedModel}`
			: `Inference Meter: unknown model ${w.workload.model.value}`;
	}
	const d = e.decode;
	const hw = catalog.hardware(e.hardwareId)?.name ?? e.hardwareId;
	const parts = [
		`≈ ${fmt.plain(d.expectedTokensPerSecondPerUser)} tok/s per user (roofline ${fmt.plain(d.rooflineTokensPerSecondPerUser)})`,
		`${fmt.bytesDecimal(d.bytesPerStep)} per step`,
		`${d.bound}-bound`,
		e.devices > 1 ? `${e.devices} × ${hw}` : hw,
	];
	if (!e.memory.fits) parts.push(e.memory.weightsFit ? 'KV does not fit' : 'does not fit');
	const s = w.serving;
	if (s && s.runningSequences > 0)
		parts.push(
			`${s.concurrency} busy: ≈ ${fmt.plain(s.outputTokensPerSecondPerUser)} tok/s per user${s.ttftSeconds !== null ? `, TTFT ${fmt.seconds(s.ttftSeconds)}` : ''}`,
		);
	return parts.join(' · ');
}

export function codeLenses(doc: TextDocument, analysis: DocumentAnalysis, catalog: CatalogView): CodeLens[] {
	return analysis.workloads.map((w, index) => {
		const range = rangeOf(doc, w.workload.span);
		// A lens spans one line; anchor it on the workload's first line.
		return {
			range: { start: range.start, end: range.start },
			command: {
				title: lensTitle(w, catalog),
				command: Commands.showHardwareComparison,
				arguments: [doc.uri, index],
			},
		};
	});
}
