/**
 * The real language-server wiring (startServer) over stdio with a stand-in analysis whose behaviour the
 * test text controls, to test what belongs to the server rather than the rules: debouncing, caching by
 * version, whole-analysis failures and time-outs, settings refresh and quick-fix plumbing.
 * Run: node --import tsx test/protocol/fakeServer.ts --stdio
 *
 * Text protocol: `max-model-len N` is a workload whose finding `kv-cache-does-not-fit` appears when N is
 * above the target's limit (100000 tokens; 200000 on `h200`), with a fix that writes the limit. A text
 * containing `THROW` makes the analysis throw; `SLOW` makes it never finish; `LATE` makes it take 1.5 s.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { AnalysisOptions, DocumentAnalysis, Finding } from '../../server/src/analysis/types';
import { startServer } from '../../server/src/lsp/server';

const connection = createConnection(ProposedFeatures.all);

async function fakeAnalyze(
	doc: { path: string; text: string },
	options: AnalysisOptions,
): Promise<DocumentAnalysis> {
	if (doc.text.includes('THROW')) throw new Error('rule engine exploded');
	if (doc.text.includes('SLOW')) await new Promise(() => {});
	if (doc.text.includes('LATE')) await new Promise((r) => setTimeout(r, 1500));
	const limit = options.hardwareId === 'h200' ? 200_000 : 100_000;
	const analysis: DocumentAnalysis = { path: doc.path, workloads: [], findings: [] };
	for (const m of doc.text.matchAll(/max-model-len (\d+)/g)) {
		const valueOffset = m.index! + 'max-model-len '.length;
		const span = { offset: valueOffset, length: m[1].length };
		const index = analysis.workloads.length;
		analysis.workloads.push({
			resolvedModel: null,
			workload: {
				framework: 'vllm',
				model: { value: 'fake/model', source: 'assumed' },
				settings: { contextLength: { value: Number(m[1]), source: 'file', span, key: '--max-model-len' } },
				span: { offset: m.index!, length: m[0].length },
				syntax: 'cli',
				flags: [],
				unknowns: [],
			},
		});
		if (Number(m[1]) <= limit || options.severities?.['kv-cache-does-not-fit'] === 'off') continue;
		const finding: Finding = {
			code: 'kv-cache-does-not-fit',
			severity: options.severities?.['kv-cache-does-not-fit'] === 'hint' ? 'hint' : 'error',
			message: `context ${m[1]} does not fit on ${options.hardwareId}`,
			span,
			workload: index,
			data: { limit },
			fixes: [
				{
					title: `Set --max-model-len ${limit}`,
					edits: [{ span, newText: String(limit) }],
					effect: `fits ${limit} tokens`,
					isPreferred: true,
				},
			],
		};
		analysis.findings.push(finding);
	}
	return analysis;
}

startServer(connection, {
	analyze: fakeAnalyze,
	mayHoldWorkload: (text) =>
		text.includes('max-model-len') || text.includes('THROW') || text.includes('SLOW'),
	debounceMs: 150,
});
