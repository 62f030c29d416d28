import type { AnalysisHost, Finding, Workload } from '../types';

/** Syntactic kind of a document, decided from its path, language id and (cheaply) its text. */
export type FileKind =
	| 'shell'
	| 'dockerfile'
	| 'yaml'
	| 'python'
	| 'javascript'
	| 'modelfile'
	| 'systemd'
	| 'env'
	| 'batch'
	| 'notebook'
	| 'unknown';

export interface ExtractInput {
	path: string;
	text: string;
	languageId?: string;
	host?: AnalysisHost;
}

/** Workloads found in one document, plus findings about the syntax itself (unknown flags, parse errors). */
export interface ExtractResult {
	workloads: Workload[];
	findings: Finding[];
}

export type Extractor = (input: ExtractInput) => ExtractResult | Promise<ExtractResult>;
