// package.json's extension keys against the tables the code reads (server/src/shared/settings.ts and
// protocol.ts), so a setting, command or file kind cannot exist on one side only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
	DEFAULT_SETTINGS,
	SECTION,
	SETTING_DESCRIPTORS,
	settingsFrom,
	toAnalysisOptions,
} from '../../server/src/shared/settings';
import {
	Commands,
	DOCUMENT_SELECTOR,
	REPOSITORY_URL,
	diagnosticsDocUrl,
} from '../../server/src/shared/protocol';
import { CODES } from '../../server/src/analysis/rules/codes';
import { LM_TOOLS } from '../../server/src/shared/lmTools';
import { LM_TOOL_NAMES } from '../../server/src/shared/lmToolNames';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const properties: Record<string, { type: string; default: unknown; enum?: string[]; scope?: string }> =
	pkg.contributes.configuration.properties;

function valueAt(obj: unknown, dotted: string): unknown {
	return dotted.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);
}

test('every setting the code reads is declared with the same type and default, and nothing else is', () => {
	const declared = Object.keys(properties).sort();
	const read = SETTING_DESCRIPTORS.map((d) => `${SECTION}.${d.key}`).sort();
	assert.deepEqual(declared, read, 'regenerate the manifest: node --import tsx scripts/update-manifest.mjs');
	for (const d of SETTING_DESCRIPTORS) {
		const p = properties[`${SECTION}.${d.key}`];
		assert.equal(p.type, d.type, d.key);
		assert.deepEqual(p.default, d.default, d.key);
		assert.ok(p.scope, `${d.key} has a scope`);
		// The descriptor default must be what settingsFrom falls back to, or the Settings UI lies.
		assert.deepEqual(valueAt(DEFAULT_SETTINGS, d.key), d.default, d.key);
	}
});

test('enums in the manifest match the code', () => {
	assert.deepEqual(properties['inferenceMeter.trace.server'].enum, ['off', 'messages', 'verbose']);
	const sev = (
		properties['inferenceMeter.severities'] as unknown as { additionalProperties: { enum: string[] } }
	).additionalProperties.enum;
	assert.deepEqual(sev, ['error', 'warning', 'information', 'hint', 'off']);
});

test('the severities setting lists every diagnostic code, so settings.json completes them', () => {
	const listed = (
		properties['inferenceMeter.severities'] as unknown as { properties: Record<string, unknown> }
	).properties;
	assert.deepEqual(
		Object.keys(listed).sort(),
		CODES.map((c) => c.code).sort(),
		'regenerate the manifest: node --import tsx scripts/update-manifest.mjs',
	);
});

test('settingsFrom: empty input gives the defaults; wrong types and out-of-range values fall back', () => {
	assert.deepEqual(settingsFrom(undefined), DEFAULT_SETTINGS);
	assert.deepEqual(settingsFrom({}), DEFAULT_SETTINGS);
	const s = settingsFrom({
		hardware: ' rtx-4090 ',
		devices: -1, // below the minimum of 0 → default (0 = auto)
		latencyTarget: { tokensPerSecondPerUser: '35', ttftSeconds: 'soon' },
		analysisTimeoutMs: 2500.6, // integer setting → rounded
		severities: { 'decode-compute-idle': 'off', 'partial-offload': 'ERROR', x: 'loud', y: 'info' },
		trace: { server: 'verbose' },
	});
	assert.equal(s.hardware, 'rtx-4090');
	assert.equal(s.devices, 0);
	assert.equal(s.latencyTarget.tokensPerSecondPerUser, 35);
	assert.equal(s.latencyTarget.ttftSeconds, 2);
	assert.equal(s.analysisTimeoutMs, 2501);
	assert.deepEqual(s.severities, {
		'decode-compute-idle': 'off',
		'partial-offload': 'error',
		y: 'information',
	});
	assert.equal(s.trace.server, 'verbose');
});

test('toAnalysisOptions converts MB to bytes and copies the latency target', () => {
	const o = toAnalysisOptions(settingsFrom({ maxFileSizeMb: 0.5, hardware: 'l4', devices: 2 }));
	assert.equal(o.maxFileBytes, 500_000); // 0.5 × 10^6
	assert.equal(o.hardwareId, 'l4');
	assert.equal(o.devices, 2);
	assert.deepEqual(o.latencyTarget, { tokensPerSecondPerUser: 20, ttftSeconds: 2 });
});

test('untouched hardware/devices settings are not user choices: no hardwareId, no devices', () => {
	// workspace/configuration returns the manifest default for a setting the user never set.
	const o = toAnalysisOptions(settingsFrom({ hardware: 'auto', devices: 0 }));
	assert.equal(o.hardwareId, undefined);
	assert.equal(o.devices, undefined);
	assert.equal(toAnalysisOptions(DEFAULT_SETTINGS).hardwareId, undefined);
	assert.equal(toAnalysisOptions(settingsFrom({ hardware: 'AUTO' })).hardwareId, undefined);
	assert.equal(pkg.contributes.configuration.properties['inferenceMeter.hardware'].default, 'auto');
	assert.equal(pkg.contributes.configuration.properties['inferenceMeter.devices'].default, 0);
});

test('commands are contributed with the Inference Meter category', () => {
	const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
	assert.deepEqual(contributed, Object.values(Commands).sort());
	for (const c of pkg.contributes.commands) assert.equal(c.category, 'Inference Meter');
});

test('activation: every language of the selector, workspace globs and the panel restore event', () => {
	const events: string[] = pkg.activationEvents;
	for (const f of DOCUMENT_SELECTOR)
		if ('language' in f) assert.ok(events.includes(`onLanguage:${f.language}`), f.language);
	assert.ok(events.includes('workspaceContains:**/Modelfile'));
	assert.ok(events.includes('onWebviewPanel:inferenceMeter.panel'));
	assert.ok(!events.includes('*'), 'never activate on startup');
});

test('works in Restricted Mode and installs into code-server 4.100.3 (VS Code 1.100.3)', () => {
	assert.deepEqual(pkg.capabilities.untrustedWorkspaces, { supported: true });
	assert.equal(pkg.engines.vscode, '^1.100.0');
	assert.equal(pkg.main, './dist/extension.js');
	assert.equal(pkg.repository.url, `${REPOSITORY_URL}.git`);
});

test('the icon is a 128×128 PNG and the package is an allow-list', () => {
	const png = readFileSync(pkg.icon);
	assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	assert.equal(png.readUInt32BE(16), 128); // IHDR width
	assert.equal(png.readUInt32BE(20), 128); // IHDR height
	const ignore = readFileSync('.vscodeignore', 'utf8').split('\n').filter(Boolean);
	assert.equal(ignore[0], '**');
	for (const keep of ['!dist/**', '!package.json', '!README.md', '!CHANGELOG.md', '!LICENSE', `!${pkg.icon}`])
		assert.ok(ignore.includes(keep), keep);
});

test('diagnostic links point at the code’s heading in docs/diagnostics.md', () => {
	assert.equal(
		diagnosticsDocUrl('kv-cache-does-not-fit'),
		`${REPOSITORY_URL}/blob/main/docs/diagnostics.md#kv-cache-does-not-fit`,
	);
});

test('the language-model tools registered at activation are the ones package.json contributes, with input schemas', () => {
	const contributed = (
		pkg.contributes as { languageModelTools: { name: string; inputSchema: { type: string } }[] }
	).languageModelTools;
	assert.deepEqual(
		contributed.map((t) => t.name),
		[...LM_TOOL_NAMES],
	);
	assert.deepEqual(
		LM_TOOLS.map((t) => t.name),
		[...LM_TOOL_NAMES],
	);
	for (const t of contributed) assert.equal(t.inputSchema.type, 'object', t.name);
	const estimate = contributed.find((t) => t.name === 'inferenceMeter_estimate') as unknown as {
		inputSchema: { required: string[]; properties: Record<string, unknown> };
	};
	assert.deepEqual(estimate.inputSchema.required, ['model']);
	assert.ok('hardware' in estimate.inputSchema.properties);
});
