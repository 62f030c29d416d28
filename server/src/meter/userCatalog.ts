/**
 * Writes the probe's result into a user catalog file (`{ "hardware": [...], "models": [...] }`, the
 * format `mergeUserCatalog` reads) as the `local-machine` entry, keeping every other entry as it was.
 */
import type { HardwareSpec } from '../analysis/catalog/types';
import type { ProbeReport } from './probe';

export const LOCAL_MACHINE_ID = 'local-machine';

export interface MachineFacts {
	cpuModel: string;
	cores: number;
	totalMemoryBytes: number;
	platform: string;
	/** ISO date of the measurement. */
	date: string;
}

/**
 * The hardware entry for this machine: deviceClass cpu, origin measured. Bandwidth is the all-thread
 * best, unless a run with fewer threads went faster (busy or shared machines): then that one, since
 * the entry means "bandwidth this machine can sustain".
 */
export function localMachineEntry(report: ProbeReport, facts: MachineFacts): HardwareSpec {
	const all = report.runs.reduce((a, b) => (b.threads > a.threads ? b : a));
	const fastest = report.runs.reduce((a, b) => (b.best.gbs > a.best.gbs ? b : a));
	const single = report.runs.find((r) => r.threads === 1);
	const triad = all.kernels.find((k) => k.kernel === 'triad');
	return {
		id: LOCAL_MACHINE_ID,
		name: `This machine (${facts.cpuModel.trim() || 'unknown CPU'})`,
		vendor: 'local',
		deviceClass: 'cpu',
		spectrum: 'cpu',
		memoryType: 'system memory (measured)',
		memoryGB: round(facts.totalMemoryBytes / 1e9, 1),
		memoryBytes: facts.totalMemoryBytes,
		memorySource: `total memory the OS reported on ${facts.date} (os.totalmem)`,
		bandwidthGBs: round(fastest.best.gbs, 1),
		peakTflops: {},
		sources: [
			`measured ${facts.date} by \`inference-meter probe-bandwidth\`: ${report.method}; ` +
				`${report.runs.map((r) => r.threads).join(' and ')} threads, 3 × ${(report.arrayBytes / 2 ** 20).toFixed(0)} MiB arrays`,
		],
		notes:
			`best ${all.best.kernel} ${all.best.gbs.toFixed(1)} GB/s with ${all.threads} threads` +
			(fastest !== all
				? `; ${fastest.threads} thread(s) reached ${fastest.best.gbs.toFixed(1)} GB/s, which is recorded (a busy machine?)`
				: '') +
			(triad ? `; triad ${triad.bestGBs.toFixed(1)} GB/s (spread ${(triad.spread * 100).toFixed(0)}%)` : '') +
			(single ? `; single thread ${single.best.gbs.toFixed(1)} GB/s` : '') +
			`; ${facts.cores} logical cores, ${facts.platform}. Peak FLOPs not measured.`,
		origin: 'measured',
	};
}

export type UpsertResult = { ok: true; text: string; replaced: boolean } | { ok: false; message: string };

/** Adds or replaces the entry in an existing user catalog text (or starts a new one). */
export function upsertHardware(existing: string | undefined, entry: HardwareSpec): UpsertResult {
	let data: Record<string, unknown> = { hardware: [], models: [] };
	if (existing !== undefined && existing.trim() !== '') {
		let parsed: unknown;
		try {
			parsed = JSON.parse(existing);
		} catch (e) {
			return {
				ok: false,
				message: `the catalog file is not valid JSON (${(e as Error).message}); not overwritten`,
			};
		}
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
			return {
				ok: false,
				message: 'the catalog file is not a JSON object with "hardware" and "models"; not overwritten',
			};
		data = parsed as Record<string, unknown>;
	}
	const hw = data.hardware ?? [];
	if (!Array.isArray(hw))
		return { ok: false, message: 'the catalog file\'s "hardware" is not an array; not overwritten' };
	const i = hw.findIndex(
		(h) => typeof h === 'object' && h !== null && (h as { id?: unknown }).id === entry.id,
	);
	const next = [...hw];
	if (i >= 0) next[i] = entry;
	else next.push(entry);
	const out = { ...data, hardware: next };
	if (!('models' in out)) (out as Record<string, unknown>).models = [];
	return { ok: true, text: `${JSON.stringify(out, null, '\t')}\n`, replaced: i >= 0 };
}

function round(x: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}
