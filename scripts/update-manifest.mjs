// Writes the extension's keys of package.json (main, activationEvents, contributes, capabilities, icon,
// galleryBanner, repository) from the tables in server/src/shared/{settings,protocol}.ts, leaving every
// other key as it is. Run after adding a setting or a command:
//   flock /tmp/npm.lock node --import tsx scripts/update-manifest.mjs
// test/unit/manifest.test.ts fails when package.json and the tables disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { SETTING_DESCRIPTORS, SECTION } from '../server/src/shared/settings.ts';
import {
	Commands,
	DOCUMENT_SELECTOR,
	REPOSITORY_URL,
	diagnosticsDocUrl,
} from '../server/src/shared/constants.ts';
import { CODES } from '../server/src/analysis/rules/codes.ts';
import { z } from 'zod';
import { compareInput, estimateInput } from '../server/src/agent/schemas.ts';
import { ANALYZE_FILE_LM_INPUT, LM_TOOLS } from '../server/src/shared/lmTools.ts';

/** The JSON Schema VS Code shows the model for a tool's input, from the same zod schema the MCP server uses. */
function lmInputSchema(runs) {
	if (runs === 'analyze') return ANALYZE_FILE_LM_INPUT;
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { $schema, ...schema } = z.toJSONSchema(runs === 'estimate' ? estimateInput : compareInput);
	return schema;
}

const COMMAND_TITLES = {
	[Commands.estimateDecodeBandwidth]: 'Estimate Decode Bandwidth',
	[Commands.showHardwareComparison]: 'Show Hardware Comparison',
	[Commands.selectTargetHardware]: 'Select Target Hardware',
	[Commands.openDiagnosticsReference]: 'Open Diagnostics Reference',
	[Commands.showLog]: 'Show Log',
	[Commands.measureRunningServer]: 'Measure Running Server',
	[Commands.stopMeasuring]: 'Stop Measuring',
	[Commands.showAgentTools]: 'Show Agent Tools',
};

// Config files whose presence means the workspace serves LLMs even before one is opened.
const WORKSPACE_GLOBS = [
	'**/Modelfile',
	'**/*.Modelfile',
	'**/{docker-compose,compose}*.{yml,yaml}',
	'**/*.service',
	'**/{values,*-values,*deployment*,*vllm*,*llama*}.{yml,yaml}',
];

export function manifestKeys() {
	const languages = DOCUMENT_SELECTOR.filter((f) => 'language' in f).map((f) => f.language);
	const properties = {};
	for (const d of SETTING_DESCRIPTORS) {
		const { key, ...schema } = d;
		properties[`${SECTION}.${key}`] = Object.fromEntries(
			Object.entries(schema)
				.filter(([, v]) => v !== undefined)
				.map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]),
		);
		if (schema.additionalProperties) {
			properties[`${SECTION}.${key}`].additionalProperties = {
				type: 'string',
				enum: [...schema.additionalProperties.enum],
			};
			// One entry per known code, so settings.json completes the codes and shows what each means.
			properties[`${SECTION}.${key}`].properties = Object.fromEntries(
				CODES.map((c) => [
					c.code,
					{
						type: 'string',
						enum: [...schema.additionalProperties.enum],
						markdownDescription: `${c.summary} Default: \`${c.severity}\`. [Reference](${diagnosticsDocUrl(c.code)})`,
					},
				]),
			);
		}
	}
	return {
		main: './dist/extension.js',
		activationEvents: [
			...languages.map((l) => `onLanguage:${l}`),
			...WORKSPACE_GLOBS.map((g) => `workspaceContains:${g}`),
			// Jupyter notebooks: their Python cells are analyzed like .py files.
			'onNotebook:jupyter-notebook',
			'onWebviewPanel:inferenceMeter.panel',
		],
		contributes: {
			commands: Object.entries(COMMAND_TITLES).map(([command, title]) => ({
				command,
				title,
				category: 'Inference Meter',
			})),
			configuration: { title: 'Inference Meter', properties },
			languageModelTools: LM_TOOLS.map((t) => ({
				name: t.name,
				toolReferenceName: t.toolReferenceName,
				displayName: t.displayName,
				userDescription: t.userDescription,
				modelDescription: t.modelDescription,
				canBeReferencedInPrompt: true,
				icon: '$(pulse)',
				tags: ['llm', 'inference', 'gpu'],
				inputSchema: lmInputSchema(t.runs),
			})),
			// VS Code 1.101+ lists `inference-meter mcp` among its MCP servers (client/src/mcpProvider.ts).
			mcpServerDefinitionProviders: [{ id: 'inferenceMeter.mcp', label: 'Inference Meter' }],
			// Stop Measuring only appears in the palette while a measurement runs (client/src/measure.ts).
			menus: {
				commandPalette: [{ command: Commands.stopMeasuring, when: 'inferenceMeter.measuring' }],
			},
		},
		capabilities: {
			untrustedWorkspaces: { supported: true },
			virtualWorkspaces: {
				supported: 'limited',
				description:
					'In virtual workspaces Inference Meter analyzes the open text only; local GGUF headers and config.json files are not read.',
			},
		},
		icon: 'images/icon.png',
		galleryBanner: { color: '#14213d', theme: 'dark' },
		repository: { type: 'git', url: `${REPOSITORY_URL}.git` },
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const text = readFileSync('package.json', 'utf8');
	const pkg = JSON.parse(text);
	Object.assign(pkg, manifestKeys());
	// Keep whatever indentation the file has (npm rewrites it with its own), so the diff shows only our keys.
	const indent = /^\{\r?\n(\s+)"/.exec(text)?.[1] ?? '\t';
	writeFileSync('package.json', JSON.stringify(pkg, null, indent) + '\n');
	console.log('package.json: extension keys updated');
}
