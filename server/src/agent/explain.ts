/**
 * `explain`: what a diagnostic code means and how it is computed — the code table's summary and default
 * severity, and the code's section of docs/diagnostics.md (formula, example, fixes); the build copies the
 * file beside the bundles. Where it is missing anyway, the answer says so and links the section.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { editDistance } from '../analysis/catalog/names';
import { CODES, docsUrl } from '../analysis/rules/codes';
import { ToolInputError } from './inProcess';
import type { ToolResult } from './tools';

export interface ExplainJson {
	code: string;
	defaultSeverity: string;
	summary: string;
	stage: string;
	reference: string;
	url: string;
}

let docsText: string | null | undefined;

/** docs/diagnostics.md: copied into dist/ by the build; from the sources, the repository's docs/. */
function diagnosticsDoc(): string | null {
	if (docsText !== undefined) return docsText;
	const candidates = [
		path.join(__dirname, 'diagnostics.md'),
		path.join(__dirname, '..', 'docs', 'diagnostics.md'),
		path.join(__dirname, '..', '..', '..', 'docs', 'diagnostics.md'),
	];
	const found = candidates.find((p) => existsSync(p));
	docsText = found ? readFileSync(found, 'utf8') : null;
	return docsText;
}

/** The `## code` section up to the next `## ` heading. */
export function docSection(doc: string, code: string): string | undefined {
	const lines = doc.split('\n');
	const start = lines.findIndex((l) => l.trim() === `## ${code}`);
	if (start < 0) return undefined;
	let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
	if (end < 0) end = lines.length;
	return lines.slice(start, end).join('\n').trim();
}

export async function explainCode(input: { code: string }): Promise<ToolResult<ExplainJson>> {
	const code = input.code.trim().toLowerCase();
	const info = CODES.find((c) => c.code === code);
	if (!info) {
		const close = CODES.map((c) => c.code)
			.sort((a, b) => editDistance(code, a) - editDistance(code, b))
			.slice(0, 3);
		throw new ToolInputError(`unknown diagnostic code "${input.code}" (closest: ${close.join(', ')})`);
	}
	const doc = diagnosticsDoc();
	const section = doc ? docSection(doc, code) : undefined;
	const url = docsUrl(code);
	const reference =
		section ??
		`${info.summary}\n\nThe full reference is at ${url} (docs/diagnostics.md is not installed beside this program).`;
	const json: ExplainJson = {
		code,
		defaultSeverity: info.severity,
		summary: info.summary,
		stage: info.stage,
		reference,
		url,
	};
	return { text: `${code} (default ${info.severity}): ${info.summary}\n\n${reference}`, json };
}
