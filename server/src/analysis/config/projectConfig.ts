/**
 * The project config file, `.inference-meter.yaml` (or `.inference-meter.json`): parsed with the `yaml`
 * package, which keeps every node's offsets, so each problem points at the key or value that causes it.
 * Pure: text in, config and problems out; finding the file is configFinder.ts, applying it forFile.ts.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { CODES } from '../rules/codes';
import type { Framework, Severity, Span } from '../types';

export const CONFIG_FILE_NAMES = ['.inference-meter.yaml', '.inference-meter.yml', '.inference-meter.json'];

export type SeverityLevel = Severity | 'off';

/** What a config (or one `overrides` entry) may set for the files it covers. */
export interface ConfigValues {
	hardware?: string;
	devices?: number;
	engineVersion?: Partial<Record<Framework, string>>;
	latencyTarget?: { tokensPerSecondPerUser?: number; ttftSeconds?: number };
	electricityUsdPerKwh?: number;
	amortizationYears?: number;
	severity?: Record<string, SeverityLevel>;
}

export interface ConfigOverride extends ConfigValues {
	files: string[];
}

export interface ProjectConfig extends ConfigValues {
	/** Path of the config file (forward slashes); globs are relative to its folder. */
	path: string;
	ignore: string[];
	overrides: ConfigOverride[];
}

export interface ConfigProblem {
	/** Dotted key the problem is about, e.g. `overrides[1].devices`, as the CLI names it. */
	key: string;
	message: string;
	span: Span;
}

export interface ParsedConfig {
	config?: ProjectConfig;
	problems: ConfigProblem[];
}

export interface ConfigCheckOptions {
	/** Says why a hardware id is not usable (not in the catalog), or undefined when it is. */
	checkHardware?: (id: string) => string | undefined;
}

const FRAMEWORKS: readonly Framework[] = ['vllm', 'llama.cpp', 'ollama', 'transformers.js', 'transformers'];
const LEVELS: readonly SeverityLevel[] = ['error', 'warning', 'information', 'hint', 'off'];
const VALUE_KEYS = [
	'hardware',
	'devices',
	'engineVersion',
	'latencyTarget',
	'electricityUsdPerKwh',
	'amortizationYears',
	'severity',
];
const TOP_KEYS = [...VALUE_KEYS, 'ignore', 'overrides'];
/** Same bounds as the editor settings (shared/settings.ts) so a value means the same in both places. */
const NUMBER_BOUNDS: Record<string, { min: number; max?: number; integer?: boolean }> = {
	devices: { min: 1, max: 1024, integer: true },
	electricityUsdPerKwh: { min: 0 },
	amortizationYears: { min: 0.1 },
	tokensPerSecondPerUser: { min: 0.1 },
	ttftSeconds: { min: 0.01 },
};

function spanOf(node: Node | null | undefined, fallback: Span): Span {
	const r = node?.range;
	return r ? { offset: r[0], length: Math.max(0, r[1] - r[0]) } : fallback;
}

class Checker {
	readonly problems: ConfigProblem[] = [];
	constructor(
		readonly text: string,
		readonly options: ConfigCheckOptions,
	) {}

	problem(key: string, message: string, span: Span): void {
		this.problems.push({ key, message, span });
	}

	/** The scalar's text as written: `0.10` stays "0.10" where the YAML number would be 0.1. */
	written(node: Node): string {
		const r = node.range;
		const raw = r ? this.text.slice(r[0], r[1]).trim() : String((node as { value?: unknown }).value);
		return raw.replace(/^(["'])(.*)\1$/s, '$2');
	}

	string(node: Node | null, key: string, at: Span): string | undefined {
		if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
			this.problem(key, `\`${key}\` must be a text value`, spanOf(node, at));
			return undefined;
		}
		return typeof node.value === 'string' ? node.value.trim() : this.written(node);
	}

	number(node: Node | null, key: string, at: Span): number | undefined {
		const name = key.slice(key.lastIndexOf('.') + 1);
		const bounds = NUMBER_BOUNDS[name];
		const v = isScalar(node) ? node.value : undefined;
		if (typeof v !== 'number' || !Number.isFinite(v)) {
			this.problem(key, `\`${key}\` must be a number`, spanOf(node, at));
			return undefined;
		}
		if (bounds?.integer && !Number.isInteger(v)) {
			this.problem(key, `\`${key}\` must be a whole number, got ${v}`, spanOf(node, at));
			return undefined;
		}
		if (bounds && (v < bounds.min || (bounds.max !== undefined && v > bounds.max))) {
			const range = bounds.max !== undefined ? `${bounds.min} to ${bounds.max}` : `at least ${bounds.min}`;
			this.problem(key, `\`${key}\` must be ${range}, got ${v}`, spanOf(node, at));
			return undefined;
		}
		return v;
	}

	globs(node: Node | null, key: string, at: Span): string[] | undefined {
		const items = isSeq(node) ? node.items : isScalar(node) ? [node] : undefined;
		if (!items) {
			this.problem(key, `\`${key}\` must be a list of file globs, e.g. ["deploy/**"]`, spanOf(node, at));
			return undefined;
		}
		const out: string[] = [];
		items.forEach((item, i) => {
			const g = this.string(item as Node, `${key}[${i}]`, spanOf(node, at));
			if (g) out.push(g);
		});
		return out;
	}

	/** Reads the keys a config and an override share into `into`; returns the keys it did not know. */
	values(pair: Pair<Node, Node>, prefix: string, into: ConfigValues): boolean {
		const name = keyName(pair);
		const key = `${prefix}${name}`;
		const at = spanOf(pair.key, { offset: 0, length: 0 });
		const v = pair.value;
		switch (name) {
			case 'hardware': {
				const id = this.string(v, key, at);
				const why = id ? this.options.checkHardware?.(id) : undefined;
				if (why) this.problem(key, `\`${key}\`: ${why}`, spanOf(v, at));
				else if (id) into.hardware = id;
				return true;
			}
			case 'devices':
			case 'electricityUsdPerKwh':
			case 'amortizationYears': {
				const n = this.number(v, key, at);
				if (n !== undefined) into[name] = n;
				return true;
			}
			case 'engineVersion':
				into.engineVersion = this.engineVersions(v, key, at);
				return true;
			case 'latencyTarget':
				into.latencyTarget = this.latency(v, key, at);
				return true;
			case 'severity':
				into.severity = this.severities(v, key, at);
				return true;
			default:
				return false;
		}
	}

	engineVersions(node: Node | null, key: string, at: Span): Partial<Record<Framework, string>> | undefined {
		if (!isMap(node)) {
			this.problem(key, `\`${key}\` must map engines to versions, e.g. { vllm: "0.8.5" }`, spanOf(node, at));
			return undefined;
		}
		const out: Partial<Record<Framework, string>> = {};
		for (const p of node.items as Pair<Node, Node>[]) {
			const engine = keyName(p);
			const k = `${key}.${engine}`;
			const kat = spanOf(p.key, at);
			if (!(FRAMEWORKS as readonly string[]).includes(engine)) {
				this.problem(k, `\`${k}\`: unknown engine "${engine}" (known: ${FRAMEWORKS.join(', ')})`, kat);
				continue;
			}
			const version = this.string(p.value, k, kat);
			if (version) out[engine as Framework] = version.replace(/^v(?=\d)/, '');
		}
		return out;
	}

	latency(node: Node | null, key: string, at: Span): ConfigValues['latencyTarget'] {
		if (!isMap(node)) {
			this.problem(
				key,
				`\`${key}\` must be a map with tokensPerSecondPerUser and/or ttftSeconds`,
				spanOf(node, at),
			);
			return undefined;
		}
		const out: NonNullable<ConfigValues['latencyTarget']> = {};
		for (const p of node.items as Pair<Node, Node>[]) {
			const name = keyName(p);
			const k = `${key}.${name}`;
			if (name !== 'tokensPerSecondPerUser' && name !== 'ttftSeconds') {
				this.unknownKey(k, name, ['tokensPerSecondPerUser', 'ttftSeconds'], spanOf(p.key, at));
				continue;
			}
			const n = this.number(p.value, k, spanOf(p.key, at));
			if (n !== undefined) out[name] = n;
		}
		return out;
	}

	severities(node: Node | null, key: string, at: Span): Record<string, SeverityLevel> | undefined {
		if (!isMap(node)) {
			this.problem(
				key,
				`\`${key}\` must map codes to levels, e.g. { decode-compute-idle: off }`,
				spanOf(node, at),
			);
			return undefined;
		}
		const out: Record<string, SeverityLevel> = {};
		for (const p of node.items as Pair<Node, Node>[]) {
			const code = keyName(p);
			const k = `${key}.${code}`;
			const kat = spanOf(p.key, at);
			if (!CODES.some((c) => c.code === code)) {
				const near = closest(
					code,
					CODES.map((c) => c.code),
				);
				this.problem(
					k,
					`\`${k}\`: unknown diagnostic code "${code}"${near ? ` (did you mean ${near}?)` : ''}`,
					kat,
				);
				continue;
			}
			// YAML 1.1 readers turn a bare `off` into false; accept that spelling of it too.
			const raw = isScalar(p.value) && p.value.value === false ? 'off' : this.string(p.value, k, kat);
			const level = raw?.toLowerCase() === 'info' ? 'information' : raw?.toLowerCase();
			if (!level) continue;
			if (!(LEVELS as readonly string[]).includes(level)) {
				this.problem(k, `\`${k}\` must be one of ${LEVELS.join(', ')}, got "${raw}"`, spanOf(p.value, kat));
				continue;
			}
			out[code] = level as SeverityLevel;
		}
		return out;
	}

	unknownKey(key: string, name: string, known: readonly string[], span: Span): void {
		const near = closest(name, known);
		this.problem(
			key,
			`unknown key \`${key}\`${near ? ` (did you mean ${near}?)` : ` (known: ${known.join(', ')})`}`,
			span,
		);
	}
}

function keyName(pair: Pair<Node, Node>): string {
	return isScalar(pair.key) ? String(pair.key.value) : '';
}

/** The known name within edit distance 2, for "did you mean". */
function closest(name: string, known: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestD = 3;
	for (const k of known) {
		const d = distance(name.toLowerCase(), k.toLowerCase());
		if (d < bestD) {
			best = k;
			bestD = d;
		}
	}
	return best;
}

function distance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let prev = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const cur = row[j]!;
			row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
			prev = cur;
		}
	}
	return row[b.length]!;
}

/** Parses and validates one config file. A config with problems is still returned with what was valid. */
export function parseProjectConfig(
	text: string,
	path: string,
	options: ConfigCheckOptions = {},
): ParsedConfig {
	const c = new Checker(text, options);
	const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
	for (const e of doc.errors)
		c.problem('(syntax)', e.message.split('\n')[0]!, {
			offset: e.pos[0],
			length: Math.max(0, e.pos[1] - e.pos[0]),
		});
	if (doc.errors.length) return { problems: c.problems };
	const root = doc.contents as Node | null;
	const config: ProjectConfig = { path, ignore: [], overrides: [] };
	if (root === null || (isScalar(root) && root.value === null)) return { config, problems: [] };
	const whole = {
		offset: 0,
		length: Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')),
	};
	if (!isMap(root)) {
		c.problem(
			'(root)',
			'the config must be a map of keys (hardware, devices, severity, …)',
			spanOf(root, whole),
		);
		return { problems: c.problems };
	}
	for (const pair of root.items as Pair<Node, Node>[]) {
		const name = keyName(pair);
		const at = spanOf(pair.key, whole);
		if (c.values(pair, '', config)) continue;
		if (name === 'ignore') config.ignore = c.globs(pair.value, 'ignore', at) ?? [];
		else if (name === 'overrides') config.overrides = overrides(c, pair.value, at);
		else c.unknownKey(name, name, TOP_KEYS, at);
	}
	return { config, problems: c.problems };
}

function overrides(c: Checker, node: Node | null, at: Span): ConfigOverride[] {
	if (!isSeq(node)) {
		c.problem(
			'overrides',
			'`overrides` must be a list of { files: [globs], hardware, devices, … }',
			spanOf(node, at),
		);
		return [];
	}
	const out: ConfigOverride[] = [];
	node.items.forEach((item, i) => {
		const prefix = `overrides[${i}].`;
		const iat = spanOf(item as Node, at);
		if (!isMap(item)) {
			c.problem(`overrides[${i}]`, `\`overrides[${i}]\` must be a map with \`files\``, iat);
			return;
		}
		const o: ConfigOverride = { files: [] };
		let hasFiles = false;
		for (const pair of item.items as Pair<Node, Node>[]) {
			const name = keyName(pair);
			const kat = spanOf(pair.key, iat);
			if (c.values(pair, prefix, o)) continue;
			if (name === 'files') {
				o.files = c.globs(pair.value, `${prefix}files`, kat) ?? [];
				hasFiles = true;
			} else c.unknownKey(`${prefix}${name}`, name, ['files', ...VALUE_KEYS], kat);
		}
		if (!hasFiles)
			c.problem(`overrides[${i}].files`, `\`overrides[${i}]\` needs \`files\`: the globs it applies to`, iat);
		else out.push(o);
	});
	return out;
}
