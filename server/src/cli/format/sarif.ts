/**
 * SARIF 2.1.0 for code-scanning upload: one run, the code table as `tool.driver.rules` (help links to
 * docs/diagnostics.md anchors), results with 1-based regions in UTF-16 columns and relative artifact
 * URIs, quick fixes as SARIF `fixes`, and suppressed findings as results with SARIF `suppressions`
 * (`inSource` for an inline comment, `external` for `severity: off` in the project config).
 */
import type { AnalyzeReport, DiagnosticReport, Range, SuppressedReport } from '../../analysis/reportTypes';
import { CODES, docsUrl } from '../../analysis/rules/codes';
import type { Severity } from '../../analysis/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
	error: 'error',
	warning: 'warning',
	information: 'note',
	hint: 'note',
};

function region(r: Range) {
	return {
		startLine: r.start.line + 1,
		startColumn: r.start.character + 1,
		endLine: r.end.line + 1,
		endColumn: r.end.character + 1,
	};
}

/** Encodes a relative path as a URI reference (spaces, #, % …), keeping the slashes. */
function uri(path: string): string {
	return path.split('/').map(encodeURIComponent).join('/');
}

export function formatSarif(report: AnalyzeReport): string {
	const index = new Map(CODES.map((c, i) => [c.code, i]));
	const rules = CODES.map((c) => ({
		id: c.code,
		name: c.code
			.split('-')
			.map((p) => p[0].toUpperCase() + p.slice(1))
			.join(''),
		shortDescription: { text: c.summary },
		helpUri: docsUrl(c.code),
		defaultConfiguration: { level: LEVEL[c.severity] },
	}));
	const results = report.files.flatMap((file) =>
		[...file.diagnostics, ...(file.suppressed ?? [])].map((d: DiagnosticReport | SuppressedReport) => {
			const artifactLocation = { uri: uri(file.path), uriBaseId: '%SRCROOT%' };
			const result: Record<string, unknown> = {
				ruleId: d.code,
				level: LEVEL[d.severity],
				message: { text: d.message },
				locations: [{ physicalLocation: { artifactLocation, region: region(d.range) } }],
			};
			const ruleIndex = index.get(d.code);
			if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
			if (d.data) result.properties = { data: d.data };
			// Code scanning shows a result with suppressions as suppressed (not as an open alert).
			if ('suppression' in d) {
				const { kind, justification, range } = d.suppression;
				result.suppressions = [
					{
						kind,
						justification,
						...(range ? { location: { physicalLocation: { artifactLocation, region: region(range) } } } : {}),
					},
				];
			}
			if (d.fixes?.length) {
				result.fixes = d.fixes.map((f) => ({
					description: { text: f.effect ? `${f.title}: ${f.effect}` : f.title },
					artifactChanges: [
						{
							artifactLocation,
							replacements: f.edits.map((e) => ({
								deletedRegion: region(e.range),
								insertedContent: { text: e.newText },
							})),
						},
					],
				}));
			}
			return result;
		}),
	);
	const sarif = {
		$schema: 'https://json.schemastore.org/sarif-2.1.0.json',
		version: '2.1.0',
		runs: [
			{
				tool: {
					driver: {
						name: report.tool.name,
						version: report.tool.version,
						informationUri: 'https://github.com/inference-meter/inference-meter',
						rules,
					},
				},
				columnKind: 'utf16CodeUnits',
				results,
			},
		],
	};
	return `${JSON.stringify(sarif, null, 2)}\n`;
}
