/**
 * The CLI side of `.inference-meter.yaml`: a file reader for the shared loader (the config is found in the
 * analyzed file's folder or the nearest parent, up to the folder holding `.git`), one parse per config
 * file, and the CLI's precedence: a flag given for this run (`--hardware`, `--devices`, `--severity`) wins
 * over the config, which wins over the defaults. A broken config is a usage error (exit 2) naming the key.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadProjectConfig, type LoadedProjectConfig, type ProjectSettings } from '../analysis/config';
import { LineIndex } from '../analysis/report';
import type { Severity } from '../analysis/types';
import { UsageError } from './io';

/** A config is a few lines; anything this large is not one. */
const MAX_CONFIG_BYTES = 256 * 1024;

export interface CliPrecedence {
	hardware: boolean;
	devices: boolean;
	severities: Record<string, Severity | 'off'>;
}

export class CliProjectConfigs {
	private readonly texts = new Map<string, string | undefined>();
	private readonly checked = new Set<string>();

	constructor(
		private readonly cwd: string,
		private readonly checkHardware: (id: string) => string | undefined,
	) {}

	private read(p: string): string | undefined {
		if (this.texts.has(p)) return this.texts.get(p);
		let text: string | undefined;
		try {
			const st = statSync(p);
			if (st.isFile() && st.size <= MAX_CONFIG_BYTES) text = readFileSync(p, 'utf8').replace(/^\uFEFF/, '');
		} catch {
			text = undefined;
		}
		this.texts.set(p, text);
		return text;
	}

	/** The config for one file (absolute path); throws a UsageError when that config is invalid. */
	forFile(abs: string): LoadedProjectConfig {
		const loaded = loadProjectConfig(
			abs,
			{ read: (p) => this.read(p), isRoot: (dir) => existsSync(path.join(dir, '.git')) },
			{ checkHardware: this.checkHardware },
		);
		if (loaded.path && loaded.problems.length && !this.checked.has(loaded.path)) {
			this.checked.add(loaded.path);
			const text = this.read(loaded.path) ?? '';
			const index = new LineIndex(text);
			const shown = path.relative(this.cwd, loaded.path) || loaded.path;
			const lines = loaded.problems.map((p) => {
				const at = index.position(p.span.offset);
				const key = p.message.includes(p.key) || p.key.startsWith('(') ? '' : ` [${p.key}]`;
				return `  ${shown}:${at.line + 1}:${at.character + 1}  ${p.message}${key}`;
			});
			throw new UsageError(`invalid project config ${shown}:\n${lines.join('\n')}`);
		}
		return loaded;
	}
}

/** Drops from the config what a command-line flag set for this run. */
export function underFlags(
	settings: ProjectSettings | undefined,
	flags: CliPrecedence,
): ProjectSettings | undefined {
	if (!settings) return undefined;
	const out: ProjectSettings = { ...settings };
	if (flags.hardware) delete out.hardwareId;
	if (flags.devices) delete out.devices;
	if (out.severities) {
		out.severities = { ...out.severities };
		for (const code of Object.keys(flags.severities)) delete out.severities[code];
	}
	return out;
}
