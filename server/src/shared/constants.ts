/**
 * Constants the extension, the language server and the manifest agree on. Free of imports, so the
 * extension's activation path can use them without loading the LSP libraries.
 */

/** The one place the repository address is written; docs links are built from it. */
export const REPOSITORY_URL = 'https://github.com/inference-meter/inference-meter';

/** Link to a diagnostic code's section in docs/diagnostics.md (GitHub anchors are the heading, lower-cased). */
export function diagnosticsDocUrl(code?: string): string {
	const base = `${REPOSITORY_URL}/blob/main/docs/diagnostics.md`;
	return code ? `${base}#${code.toLowerCase()}` : base;
}

/** `source` of every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'inference-meter';

/**
 * The documents the server analyzes. VS Code language ids where they exist; file patterns for kinds that
 * have none (Modelfile, systemd units, .env files, compose/k8s YAML under other language ids).
 */
export const DOCUMENT_SELECTOR: readonly ({ language: string } | { pattern: string })[] = [
	{ language: 'yaml' },
	{ language: 'dockercompose' },
	{ language: 'shellscript' },
	{ language: 'dockerfile' },
	{ language: 'python' },
	{ language: 'javascript' },
	{ language: 'javascriptreact' },
	{ language: 'typescript' },
	{ language: 'typescriptreact' },
	{ language: 'dotenv' },
	{ language: 'systemd-unit-file' },
	{ pattern: '**/{Modelfile,*.Modelfile,*.modelfile,Modelfile.*}' },
	{ pattern: '**/*.service' },
	{ pattern: '**/{.env,.env.*,*.env}' },
	{ language: 'bat' },
	{ pattern: '**/*.{bat,cmd}' },
	// A notebook opened as text (its JSON); notebook cells arrive as Python documents (client/src/selector.ts).
	{ pattern: '**/*.ipynb' },
	// The project config (checked for bad keys; .json has no language id of ours).
	{ pattern: '**/.inference-meter.{yaml,yml,json}' },
];

/** Command ids contributed by the extension (package.json `contributes.commands`). */
export const Commands = {
	estimateDecodeBandwidth: 'inferenceMeter.estimateDecodeBandwidth',
	showHardwareComparison: 'inferenceMeter.showHardwareComparison',
	selectTargetHardware: 'inferenceMeter.selectTargetHardware',
	openDiagnosticsReference: 'inferenceMeter.openDiagnosticsReference',
	showLog: 'inferenceMeter.showLog',
	measureRunningServer: 'inferenceMeter.measureRunningServer',
	stopMeasuring: 'inferenceMeter.stopMeasuring',
	showAgentTools: 'inferenceMeter.showAgentTools',
} as const;
