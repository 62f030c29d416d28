/**
 * The pipeline for one document: extract → resolve → estimate → rules. Pure apart from the injected
 * host; the CLI, the language server and the panel all call this.
 * Placeholder: extraction only, until resolution, estimation and rules land.
 */
import { extractWorkloads } from './extract';
import type { AnalysisOptions, DocumentAnalysis } from './types';

export interface DocumentInput {
	path: string;
	text: string;
	languageId?: string;
}

export async function analyzeDocument(
	doc: DocumentInput,
	options: AnalysisOptions = {},
): Promise<DocumentAnalysis> {
	const extracted = await extractWorkloads({ ...doc, host: options.host });
	return {
		path: doc.path,
		workloads: extracted.workloads.map((workload) => ({ workload, resolvedModel: null })),
		findings: extracted.findings,
	};
}
