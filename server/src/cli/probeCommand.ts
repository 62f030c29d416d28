/**
 * `inference-meter probe-bandwidth`: measures this machine's memory bandwidth (STREAM-style) with one
 * thread and with all of them, and optionally saves it as the `local-machine` user catalog entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FlagSpec } from './args';
import { formatHelp, parseArgs } from './args';
import type { CliIO } from './io';
import type { ProbeReport } from '../meter/probe';
import { defaultArrayMiB, defaultThreadCount, lastLevelCacheBytes, probeBandwidth } from '../meter/probe';
import { LOCAL_MACHINE_ID, localMachineEntry, upsertHardware } from '../meter/userCatalog';
import { table } from '../meter/format';

const FLAGS: Record<string, FlagSpec> = {
	json: { kind: 'boolean', help: 'print the result as JSON' },
	save: {
		kind: 'string',
		help: `write/update the "${LOCAL_MACHINE_ID}" hardware entry in this user catalog JSON`,
	},
	'size-mb': {
		kind: 'integer',
		min: 1,
		max: 16384,
		help: 'MiB per array (3 arrays); default 4× the LLC, ≥ 128',
	},
	seconds: {
		kind: 'number',
		min: 0.1,
		max: 600,
		help: 'time per thread count (default 2; at least 3 repetitions)',
	},
	threads: {
		kind: 'integer',
		min: 1,
		max: 1024,
		help: 'threads for the all-thread run (default: all logical CPUs)',
	},
	help: { kind: 'boolean', alias: 'h', help: 'show this help' },
};

const USAGE = `usage: inference-meter probe-bandwidth [--json] [--save FILE] [--size-mb N] [--seconds S] [--threads N]

Measures the memory bandwidth this machine sustains (copy/scale/add/triad over Float64Arrays in worker
threads, bytes counted as STREAM counts them, decimal GB/s) with one thread and with all of them.
--save records the all-thread best as hardware "${LOCAL_MACHINE_ID}" so llama.cpp-on-CPU estimates
use measured rather than advertised bandwidth (use it with --catalog FILE --hardware ${LOCAL_MACHINE_ID}).`;

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { flags } = parseArgs(argv, FLAGS);
	if (flags.help) {
		io.stdout(formatHelp(USAGE, FLAGS));
		return 0;
	}
	const llc = lastLevelCacheBytes(readOrUndefined);
	const arrayMiB = (flags['size-mb'] as number | undefined) ?? defaultArrayMiB(llc, os.freemem());
	const all = (flags.threads as number | undefined) ?? defaultThreadCount();
	const threadCounts = all > 1 ? [1, all] : [1];
	const needed = 3 * arrayMiB * 2 ** 20;
	if (needed > os.freemem() * 0.8) {
		io.stderr(
			`inference-meter: 3 × ${arrayMiB} MiB arrays need more than the ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free; use a smaller --size-mb\n`,
		);
		return 2;
	}
	const report = await probeBandwidth({
		arrayMiB,
		seconds: (flags.seconds as number | undefined) ?? 2,
		threadCounts,
	});
	report.lastLevelCacheBytes = llc;
	if (llc && report.arrayBytes < 4 * llc)
		report.warnings.push(
			`each array (${mib(report.arrayBytes)}) is under 4× the last-level cache (${mib(llc)}): caches inflate the result`,
		);
	let saved: string | undefined;
	if (typeof flags.save === 'string') {
		const file = path.resolve(io.cwd, flags.save);
		const msg = save(file, report);
		if (msg.error) {
			io.stderr(`inference-meter: ${msg.error}\n`);
			return 1;
		}
		saved = msg.text;
	}
	if (flags.json) io.stdout(`${JSON.stringify({ ...report, saved: saved ?? null }, null, 2)}\n`);
	else io.stdout(render(report, saved));
	return 0;
}

function save(file: string, report: ProbeReport): { text?: string; error?: string } {
	let existing: string | undefined;
	try {
		existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
	} catch (e) {
		return { error: `cannot read ${file}: ${(e as Error).message}` };
	}
	const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
	const entry = localMachineEntry(report, {
		cpuModel: cpu,
		cores: os.cpus().length,
		totalMemoryBytes: os.totalmem(),
		platform: `${os.platform()} ${os.arch()}`,
		date: new Date().toISOString().slice(0, 10),
	});
	const up = upsertHardware(existing, entry);
	if (!up.ok) return { error: `${file}: ${up.message}` };
	try {
		fs.writeFileSync(file, up.text);
	} catch (e) {
		return { error: `cannot write ${file}: ${(e as Error).message}` };
	}
	return {
		text: `${up.replaced ? 'updated' : 'added'} hardware "${LOCAL_MACHINE_ID}" (${entry.bandwidthGBs} GB/s, measured) in ${file}`,
	};
}

function render(r: ProbeReport, saved: string | undefined): string {
	const rows = r.runs.flatMap((run) =>
		run.kernels.map((k) => [
			String(run.threads),
			k.kernel,
			k.bestGBs.toFixed(1),
			k.meanGBs.toFixed(1),
			k.worstGBs.toFixed(1),
			`${(k.spread * 100).toFixed(0)}%`,
			String(k.repetitions),
		]),
	);
	const lines = [
		`Memory bandwidth of this machine — measured (STREAM-style, 3 × ${mib(r.arrayBytes)} arrays` +
			`${r.lastLevelCacheBytes ? `, last-level cache ${mib(r.lastLevelCacheBytes)}` : ''})`,
		'',
		table(
			['threads', 'kernel', 'best GB/s', 'mean GB/s', 'worst GB/s', 'spread', 'reps'],
			rows,
			[0, 2, 3, 4, 5, 6],
		),
		'',
		...r.runs.map(
			(run) =>
				`${run.threads === 1 ? 'single thread' : `${run.threads} threads`}: best ${run.best.gbs.toFixed(1)} GB/s (${run.best.kernel})`,
		),
		'GB/s are decimal (10^9 bytes/s); STREAM counts only the bytes a kernel names (no write-allocate traffic).',
		...r.warnings.map((w) => `warning: ${w}`),
		...(saved ? [saved, `use it with: --catalog <that file> --hardware ${LOCAL_MACHINE_ID}`] : []),
	];
	return `${lines.join('\n')}\n`;
}

function mib(bytes: number): string {
	return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function readOrUndefined(p: string): string | undefined {
	try {
		return fs.readFileSync(p, 'utf8');
	} catch {
		return undefined;
	}
}
