/**
 * The `inferenceMeter.*` settings: one table that the server reads through `workspace/configuration`, the
 * client writes (target hardware) and `package.json` declares. test/unit/manifest.test.ts checks the
 * manifest against this table, so a setting cannot exist on one side only.
 * Imported by client and server: keep it free of `vscode` and `vscode-languageserver` imports.
 */
import type { AnalysisOptions, Severity } from '../analysis/types';
import { diagnosticsDocUrl } from './constants';

export const SECTION = 'inferenceMeter';
/**
 * The value of `hardware` a user never set. `workspace/configuration` returns the manifest default for an
 * untouched setting, so the default itself must mean "not chosen": any other value was set on purpose.
 */
export const AUTO = 'auto';

export type TraceLevel = 'off' | 'messages' | 'verbose';
export type SeverityOverride = Severity | 'off';

export interface InferenceMeterSettings {
	hardware: string;
	devices: number;
	latencyTarget: { tokensPerSecondPerUser: number; ttftSeconds: number };
	electricityUsdPerKwh: number;
	amortizationYears: number;
	userCatalog: string;
	maxFileSizeMb: number;
	analysisTimeoutMs: number;
	severities: Record<string, SeverityOverride>;
	trace: { server: TraceLevel };
	/** Measure Running Server: seconds between the two scrapes of one measurement (and between updates). */
	meter: { intervalSeconds: number };
}

export const SEVERITY_OVERRIDES: readonly SeverityOverride[] = [
	'error',
	'warning',
	'information',
	'hint',
	'off',
];
export const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

/** How one setting is declared in `contributes.configuration` (the subset of JSON schema we use). */
export interface SettingDescriptor {
	/** Dotted path below `inferenceMeter`, e.g. `latencyTarget.ttftSeconds`. */
	key: string;
	type: 'string' | 'number' | 'integer' | 'object';
	default: string | number | Record<string, never>;
	scope: 'window' | 'resource';
	markdownDescription: string;
	minimum?: number;
	maximum?: number;
	enum?: readonly string[];
	/** For `severities`: the allowed values of each entry. */
	additionalProperties?: { type: 'string'; enum: readonly string[] };
}

/** Every setting, in the order the Settings UI shows them. */
export const SETTING_DESCRIPTORS: readonly SettingDescriptor[] = [
	{
		key: 'hardware',
		type: 'string',
		default: AUTO,
		scope: 'resource',
		markdownDescription:
			'Target hardware (catalog id, e.g. `h100-sxm`, `rtx-4090`, `apple-m4-max`) used when a file does not ' +
			"name its own. `auto` (the default): the file's own hints, else the engine's default target as the CLI " +
			'uses it (a datacenter GPU for vLLM, this machine for llama.cpp/Ollama). Run **Inference Meter: Select ' +
			'Target Hardware** to pick from the catalog.',
	},
	{
		key: 'devices',
		type: 'integer',
		default: 0,
		minimum: 0,
		maximum: 1024,
		scope: 'resource',
		markdownDescription:
			'Number of target devices when the file does not say (tensor × pipeline-parallel size, GPU limits win). ' +
			'`0` (the default): auto, the file decides, else one device.',
	},
	{
		key: 'latencyTarget.tokensPerSecondPerUser',
		type: 'number',
		default: 20,
		minimum: 0.1,
		scope: 'resource',
		markdownDescription:
			'Decode speed each user should see, in tokens per second. Drives the bandwidth needed and the hardware recommendation.',
	},
	{
		key: 'latencyTarget.ttftSeconds',
		type: 'number',
		default: 2,
		minimum: 0.01,
		scope: 'resource',
		markdownDescription: 'Time to first token the workload should meet, in seconds.',
	},
	{
		key: 'electricityUsdPerKwh',
		type: 'number',
		default: 0.12,
		minimum: 0,
		scope: 'resource',
		markdownDescription: 'Electricity price in USD per kWh, for $ per million tokens.',
	},
	{
		key: 'amortizationYears',
		type: 'number',
		default: 3,
		minimum: 0.1,
		scope: 'resource',
		markdownDescription: 'Years over which the hardware purchase price is spread, for $ per million tokens.',
	},
	{
		key: 'userCatalog',
		type: 'string',
		default: '',
		scope: 'resource',
		markdownDescription:
			'Path to a JSON file with extra hardware and models (same shape as the built-in catalog). A relative path ' +
			'is read from the first workspace folder; files outside the workspace are read only when you give an absolute path.',
	},
	{
		key: 'maxFileSizeMb',
		type: 'number',
		default: 2,
		minimum: 0.01,
		scope: 'resource',
		markdownDescription: 'Files larger than this (in MB, 10^6 bytes) are not analyzed.',
	},
	{
		key: 'analysisTimeoutMs',
		type: 'integer',
		default: 5000,
		minimum: 100,
		scope: 'resource',
		markdownDescription: 'The language server gives up on one document after this many milliseconds.',
	},
	{
		key: 'severities',
		type: 'object',
		default: {},
		scope: 'resource',
		additionalProperties: { type: 'string', enum: SEVERITY_OVERRIDES },
		markdownDescription:
			'Severity per diagnostic code, e.g. `{ "decode-compute-idle": "off", "partial-offload": "error" }`. ' +
			`See [the diagnostics reference](${diagnosticsDocUrl()}).`,
	},
	{
		key: 'trace.server',
		type: 'string',
		default: 'off',
		enum: TRACE_LEVELS,
		scope: 'window',
		markdownDescription: 'Log the messages between VS Code and the Inference Meter language server.',
	},
	{
		key: 'meter.intervalSeconds',
		type: 'number',
		default: 5,
		minimum: 1,
		maximum: 300,
		scope: 'window',
		markdownDescription:
			'**Measure Running Server**: seconds between the two `/metrics` scrapes one measurement takes (rates are ' +
			'their difference), and so between status-bar updates while watching. Scrapes happen only after you ' +
			'run the command and confirm the URL.',
	},
];

export const DEFAULT_SETTINGS: InferenceMeterSettings = {
	hardware: AUTO,
	devices: 0,
	latencyTarget: { tokensPerSecondPerUser: 20, ttftSeconds: 2 },
	electricityUsdPerKwh: 0.12,
	amortizationYears: 3,
	userCatalog: '',
	maxFileSizeMb: 2,
	analysisTimeoutMs: 5000,
	severities: {},
	trace: { server: 'off' },
	meter: { intervalSeconds: 5 },
};

function get(obj: unknown, dotted: string): unknown {
	let cur: unknown = obj;
	for (const part of dotted.split('.')) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}

function num(raw: unknown, d: SettingDescriptor, fallback: number): number {
	const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof n !== 'number' || !Number.isFinite(n)) return fallback;
	const v = d.type === 'integer' ? Math.round(n) : n;
	if (d.minimum !== undefined && v < d.minimum) return fallback;
	if (d.maximum !== undefined && v > d.maximum) return fallback;
	return v;
}

function severities(raw: unknown): Record<string, SeverityOverride> {
	const out: Record<string, SeverityOverride> = {};
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return out;
	for (const [code, value] of Object.entries(raw)) {
		const v = typeof value === 'string' ? value.toLowerCase() : '';
		// VS Code users also write "info"; accept it rather than silently ignore the entry.
		const normalized = v === 'info' ? 'information' : v;
		if ((SEVERITY_OVERRIDES as readonly string[]).includes(normalized))
			out[code] = normalized as SeverityOverride;
	}
	return out;
}

const descriptor = (key: string): SettingDescriptor => SETTING_DESCRIPTORS.find((d) => d.key === key)!;

/**
 * Coerces whatever `workspace/configuration` returned (the `inferenceMeter` section object, or null) into
 * complete settings: wrong types and out-of-range numbers fall back to the default instead of failing.
 */
export function settingsFrom(raw: unknown): InferenceMeterSettings {
	const d = DEFAULT_SETTINGS;
	const n = (key: string, fallback: number): number => num(get(raw, key), descriptor(key), fallback);
	const str = (key: string, fallback: string): string => {
		const v = get(raw, key);
		return typeof v === 'string' ? v.trim() : fallback;
	};
	const trace = str('trace.server', d.trace.server);
	return {
		hardware: str('hardware', d.hardware) || d.hardware,
		devices: n('devices', d.devices),
		latencyTarget: {
			tokensPerSecondPerUser: n(
				'latencyTarget.tokensPerSecondPerUser',
				d.latencyTarget.tokensPerSecondPerUser,
			),
			ttftSeconds: n('latencyTarget.ttftSeconds', d.latencyTarget.ttftSeconds),
		},
		electricityUsdPerKwh: n('electricityUsdPerKwh', d.electricityUsdPerKwh),
		amortizationYears: n('amortizationYears', d.amortizationYears),
		userCatalog: str('userCatalog', d.userCatalog),
		maxFileSizeMb: n('maxFileSizeMb', d.maxFileSizeMb),
		analysisTimeoutMs: n('analysisTimeoutMs', d.analysisTimeoutMs),
		severities: severities(get(raw, 'severities')),
		trace: { server: (TRACE_LEVELS as readonly string[]).includes(trace) ? (trace as TraceLevel) : 'off' },
		meter: { intervalSeconds: n('meter.intervalSeconds', d.meter.intervalSeconds) },
	};
}

/** `auto`, empty, or any casing of it: the user did not pick a target. */
export function isAuto(hardware: string | undefined): boolean {
	return !hardware || hardware.trim().toLowerCase() === AUTO;
}

/** The analysis options these settings imply (the host and catalog are added by the caller). */
export function toAnalysisOptions(s: InferenceMeterSettings): AnalysisOptions {
	return {
		// Untouched settings are not user choices: they leave the target to the file and the engine default.
		...(isAuto(s.hardware) ? {} : { hardwareId: s.hardware }),
		...(s.devices > 0 ? { devices: s.devices } : {}),
		latencyTarget: { ...s.latencyTarget },
		electricityUsdPerKwh: s.electricityUsdPerKwh,
		amortizationYears: s.amortizationYears,
		severities: { ...s.severities },
		maxFileBytes: Math.round(s.maxFileSizeMb * 1e6),
	};
}
