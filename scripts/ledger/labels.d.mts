// Types for scripts/ledger/labels.mjs, so TypeScript tests can import the helpers.
export interface CsvRecord {
	/** Raw field text as in the file, quotes included. */
	fields: string[];
	/** The record's line ending ('\n', '\r\n', '\r', or '' for a last line without one). */
	eol: string;
}
export declare function splitCsv(text: string): CsvRecord[];
export declare function unquote(raw: string): string;
export declare function hardwareCandidates(label: string): string[];
export declare function modelCandidates(label: string): string[];
