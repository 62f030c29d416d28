/**
 * `inference-meter analyze PATH…`: finds LLM workloads in files and folders, estimates each on its target
 * hardware and prints findings as text, JSON (AnalyzeReport) or SARIF 2.1.0. Reads the project config
 * (.inference-meter.yaml) that applies to each file. Exit 0 when no finding reaches --fail-on (default
 * error) and the warnings stay within --max-warnings, 1 otherwise, 2 for usage errors and broken configs.
 */
import { DEFAULT_MAX_FILE_BYTES, analyzeDocument, fileTooLargeFinding } from '../analysis/analyze';
import type { Catalog } from '../analysis/catalog';
import { LIMITS, binaryFileFinding } from '../analysis/limits';
import { resolveHardware } from '../analysis/catalog';
import { toFileReport } from '../analysis/report';
import type { AnalyzeReport, FileReport } from '../analysis/reportTypes';
import { CODES } from '../analysis/rules/codes';
import { applySeverities } from '../analysis/rules';
import type { AnalysisOptions, Severity } from '../analysis/types';
import type { FlagSpec } from './args';
import { formatHelp, parseArgs } from './args';
import { boundedHost, collectFiles, readTextFile } from './format/files';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import type { CliIO } from './io';
import { UsageError } from './io';
import { catalogFromFlag } from './userCatalog';
import { CliProjectConfigs, underFlags } from './projectConfig';
import { detectLocalMachine } from '../shared/localMachine';

const FLAGS: Record<string, FlagSpec> = {
	format: { kind: 'string', help: 'output format (default text)', choices: ['text', 'json', 'sarif'] },
	hardware: { kind: 'string', help: 'target hardware id when a file does not name one (e.g. h100-sxm)' },
	'local-hardware': {
		kind: 'string',
		help:
			'this machine, the default target for llama.cpp and Ollama: "auto" (default, detect it as the editor does), ' +
			'"stand-in" (ryzen-9-7950x, reproducible anywhere) or a catalog id',
	},
	devices: { kind: 'integer', help: 'devices available per workload', min: 1 },
	catalog: { kind: 'string', help: 'user catalog JSON merged over the built-in one' },
	severity: { kind: 'string', help: 'code=error|warning|information|hint|off (repeatable)' },
	'fail-on': {
		kind: 'string',
		help: 'exit 1 when a finding is at least this severe (default error; info includes hints)',
		choices: ['error', 'warning', 'info', 'none'],
	},
	'max-warnings': { kind: 'integer', help: 'exit 1 when there are more warnings than this', min: 0 },
	help: { kind: 'boolean', help: 'show this help' },
};

const USAGE = 'usage: inference-meter analyze PATH… [options]';
const LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { severities, rest } = takeSeverities(argv);
	const { flags, positionals } = parseArgs(rest, FLAGS);
	if (flags.help) {
		io.stdout(`${formatHelp(USAGE, FLAGS)}\nCodes: ${CODES.map((c) => c.code).join(', ')}\n`);
		return 0;
	}
	if (positionals.length === 0)
		throw new UsageError(`analyze needs at least one file or directory\n${USAGE}`);
	const catalog = catalogFromFlag(flags.catalog as string | undefined, io);
	const options: AnalysisOptions = {
		catalog,
		severities,
		maxFileBytes: DEFAULT_MAX_FILE_BYTES,
		timeBudgetMs: LIMITS.cliTimeBudgetMs,
		host: boundedHost(positionals, io.cwd),
	};
	if (flags.hardware !== undefined)
		options.hardwareId = checkHardware('--hardware', String(flags.hardware), catalog);
	// Detected by default, as the language server does, so the editor and the CLI judge a file alike.
	const local = flags['local-hardware'] ?? 'auto';
	if (local === 'auto') options.localHardwareId = detectLocalMachine(catalog)?.hardwareId;
	else if (local !== 'stand-in')
		options.localHardwareId = checkHardware('--local-hardware', String(flags['local-hardware']), catalog);
	if (flags.devices !== undefined) options.devices = Number(flags.devices);
	const configs = new CliProjectConfigs(io.cwd, (id) => {
		const r = resolveHardware(id, catalog);
		return r.ok ? undefined : r.message;
	});
	const precedence = {
		hardware: flags.hardware !== undefined,
		devices: flags.devices !== undefined,
		severities,
	};

	const files = collectFiles(positionals, io.cwd);
	const reports: FileReport[] = [];
	for (const file of files) {
		let read: ReturnType<typeof readTextFile>;
		try {
			read = readTextFile(file.abs, DEFAULT_MAX_FILE_BYTES);
		} catch (e) {
			// An unreadable file (permissions, vanished mid-walk) is reported and skipped, not fatal.
			io.stderr(
				`inference-meter: cannot read ${file.display}: ${e instanceof Error ? e.message : String(e)}\n`,
			);
			continue;
		}
		if (read.kind === 'binary' && !file.explicit) continue;
		const project = configs.forFile(file.abs);
		if (project.ignored) {
			if (file.explicit)
				io.stderr(`inference-meter: skipped ${file.display}: ignored by ${project.settings?.file}\n`);
			continue;
		}
		const fileOptions: AnalysisOptions = { ...options, project: underFlags(project.settings, precedence) };
		// Findings made here, outside the analysis, take the config's severities too (flags over it).
		const fileSeverities = { ...severities, ...fileOptions.project?.severities };
		let report: FileReport;
		if (read.kind === 'binary') {
			// Named on the command line: say why it was not analyzed, in the report as well as on stderr.
			io.stderr(`inference-meter: skipped ${file.display}: not a text file\n`);
			const findings = applySeverities([binaryFileFinding()], fileSeverities);
			report = toFileReport({ path: file.display, workloads: [], findings }, '');
		} else if (read.kind === 'too-large') {
			const findings = applySeverities(
				[fileTooLargeFinding(read.bytes, DEFAULT_MAX_FILE_BYTES)],
				fileSeverities,
			);
			report = toFileReport({ path: file.display, workloads: [], findings }, '');
		} else {
			// The shown path (relative to the working directory) keeps messages free of absolute paths; the
			// host resolves it against the same directory.
			const analysis = await analyzeDocument({ path: file.display, text: read.text }, fileOptions);
			report = toFileReport(analysis, read.text);
		}
		if (file.explicit || report.workloads.length > 0 || report.diagnostics.length > 0) reports.push(report);
	}
	const report: AnalyzeReport = {
		tool: { name: 'inference-meter', version: io.env.INFERENCE_METER_VERSION ?? '0.1.0' },
		files: reports,
	};
	const format = (flags.format as string | undefined) ?? 'text';
	if (format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
	else if (format === 'sarif') io.stdout(formatSarif(report));
	else io.stdout(formatText(report, (id) => catalog.hardware.find((h) => h.id === id)?.name ?? id));
	return exitCode(
		reports,
		(flags['fail-on'] as FailOn | undefined) ?? 'error',
		flags['max-warnings'] as number | undefined,
	);
}

type FailOn = 'error' | 'warning' | 'info' | 'none';
const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 1 };
const THRESHOLD: Record<FailOn, number> = { error: 3, warning: 2, info: 1, none: Infinity };

/** Like eslint: 1 when a finding reaches --fail-on or the warnings exceed --max-warnings, else 0. */
export function exitCode(reports: FileReport[], failOn: FailOn, maxWarnings?: number): number {
	const all = reports.flatMap((f) => f.diagnostics);
	if (all.some((d) => RANK[d.severity] >= THRESHOLD[failOn])) return 1;
	if (maxWarnings !== undefined && all.filter((d) => d.severity === 'warning').length > maxWarnings) return 1;
	return 0;
}

/** `--severity` may repeat (`--severity a=off --severity b=error`), which the shared parser does not keep. */
function takeSeverities(argv: string[]): { severities: Record<string, Severity | 'off'>; rest: string[] } {
	const severities: Record<string, Severity | 'off'> = {};
	const rest: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--') {
			rest.push(...argv.slice(i));
			break;
		}
		if (a !== '--severity' && !a.startsWith('--severity=')) {
			rest.push(a);
			continue;
		}
		const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
		if (value === undefined) throw new UsageError('--severity needs a value like decode-compute-idle=off');
		for (const pair of value.split(',')) {
			const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(pair.trim());
			if (!m) throw new UsageError(`--severity takes code=level, got "${pair}"`);
			if (!CODES.some((c) => c.code === m[1]))
				throw new UsageError(
					`--severity: unknown code "${m[1]}" (known: ${CODES.map((c) => c.code).join(', ')})`,
				);
			if (!(LEVELS as readonly string[]).includes(m[2]))
				throw new UsageError(`--severity: level must be one of ${LEVELS.join(', ')}, got "${m[2]}"`);
			severities[m[1]] = m[2] as Severity | 'off';
		}
	}
	return { severities, rest };
}

function checkHardware(flag: string, id: string, catalog: Catalog): string {
	const r = resolveHardware(id, catalog);
	if (!r.ok) throw new UsageError(`${flag}: ${r.message}`);
	return r.hardware.id;
}
