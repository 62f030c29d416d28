/**
 * Narrows a project config to one document: the top-level values, then every `overrides` entry whose
 * globs match the document's path relative to the config's folder, later entries over earlier ones.
 * The result says, per value, which part of the file set it, for provenance ("from .inference-meter.yaml").
 */
import type { Framework } from '../types';
import { dirOf } from './configFinder';
import { matchesAny } from './glob';
import type { ConfigValues, ProjectConfig, SeverityLevel } from './projectConfig';

/** The config as it applies to one document (AnalysisOptions.project). */
export interface ProjectSettings {
	/** How messages name the file: its base name, e.g. `.inference-meter.yaml`. */
	file: string;
	hardwareId?: string;
	devices?: number;
	engineVersions?: Partial<Record<Framework, string>>;
	latencyTarget?: { tokensPerSecondPerUser?: number; ttftSeconds?: number };
	electricityUsdPerKwh?: number;
	amortizationYears?: number;
	severities?: Record<string, SeverityLevel>;
	/** The document matches the config's `ignore` globs: the analysis skips it. */
	ignored?: boolean;
	/** For each value an override set: `overrides[1] (files: edge/**)`. */
	via?: Partial<Record<'hardwareId' | 'devices', string>>;
}

export interface ConfigForFile {
	/** The document matches `ignore`: it is not analyzed. */
	ignored: boolean;
	settings: ProjectSettings;
}

/** The document's path relative to the config's folder, with forward slashes. */
export function relativeToConfig(configPath: string, docPath: string): string {
	const norm = (p: string) => p.replace(/\\/g, '/');
	const base = norm(dirOf(configPath)).replace(/\/$/, '');
	const doc = norm(docPath);
	if (base === '.' || base === '') return doc.replace(/^\.\//, '');
	return doc.startsWith(`${base}/`) ? doc.slice(base.length + 1) : doc.slice(doc.lastIndexOf('/') + 1);
}

function baseName(p: string): string {
	return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

function merge(into: ProjectSettings, v: ConfigValues, via?: string): void {
	if (v.hardware !== undefined) {
		into.hardwareId = v.hardware;
		if (via) (into.via ??= {}).hardwareId = via;
		else delete into.via?.hardwareId;
	}
	if (v.devices !== undefined) {
		into.devices = v.devices;
		if (via) (into.via ??= {}).devices = via;
		else delete into.via?.devices;
	}
	if (v.engineVersion) into.engineVersions = { ...into.engineVersions, ...v.engineVersion };
	if (v.latencyTarget) into.latencyTarget = { ...into.latencyTarget, ...v.latencyTarget };
	if (v.electricityUsdPerKwh !== undefined) into.electricityUsdPerKwh = v.electricityUsdPerKwh;
	if (v.amortizationYears !== undefined) into.amortizationYears = v.amortizationYears;
	if (v.severity) into.severities = { ...into.severities, ...v.severity };
}

export function configForFile(config: ProjectConfig, docPath: string): ConfigForFile {
	const rel = relativeToConfig(config.path, docPath);
	const settings: ProjectSettings = { file: baseName(config.path) };
	merge(settings, config);
	config.overrides.forEach((o, i) => {
		if (matchesAny(rel, o.files)) merge(settings, o, `overrides[${i}] (files: ${o.files.join(', ')})`);
	});
	return { ignored: matchesAny(rel, config.ignore), settings };
}

/** "from .inference-meter.yaml" or "from .inference-meter.yaml overrides[0] (files: edge/**)". */
export function provenanceNote(s: ProjectSettings, key: 'hardwareId' | 'devices'): string {
	const via = s.via?.[key];
	return `from ${s.file}${via ? ` ${via}` : ''}`;
}
