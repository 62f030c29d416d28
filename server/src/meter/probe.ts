/**
 * A STREAM-style memory bandwidth probe (McCalpin's copy/scale/add/triad) over Float64Arrays much
 * larger than the last-level cache, run in worker threads that share the arrays. Bytes are counted
 * the way STREAM counts them (reads + writes the kernel names, no write-allocate traffic), the first
 * repetition is discarded as warm-up, and the best repetition is the reported rate.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export type StreamKernel = 'copy' | 'scale' | 'add' | 'triad';
export const KERNELS: readonly StreamKernel[] = ['copy', 'scale', 'add', 'triad'];
/** Arrays touched per element (8-byte doubles): copy c=a, scale b=s·c, add c=a+b, triad a=b+s·c. */
const ARRAYS_TOUCHED: Record<StreamKernel, number> = { copy: 2, scale: 2, add: 3, triad: 3 };

export interface KernelStats {
	kernel: StreamKernel;
	/** Decimal GB/s (10^9 bytes per second). */
	bestGBs: number;
	meanGBs: number;
	worstGBs: number;
	/** (best − worst) / best over the counted repetitions. */
	spread: number;
	repetitions: number;
}

export interface ThreadRun {
	threads: number;
	kernels: KernelStats[];
	best: { kernel: StreamKernel; gbs: number };
}

export interface ProbeOptions {
	/** Size of each of the three arrays, MiB. */
	arrayMiB: number;
	/** Time budget per thread configuration; at least `minRepetitions` run regardless. */
	seconds: number;
	/** Thread counts to measure, e.g. [1, 16]. */
	threadCounts: number[];
	minRepetitions?: number;
	maxRepetitions?: number;
}

export interface ProbeReport {
	arrayBytes: number;
	elements: number;
	runs: ThreadRun[];
	/** Largest last-level cache found (bytes), when the OS says. */
	lastLevelCacheBytes?: number;
	warnings: string[];
	method: string;
}

// The worker body is plain JavaScript in a string so that it runs the same from tsx and from the
// esbuild bundle (no separate worker file to locate). Each worker owns a contiguous slice.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { buffers, start, end } = workerData;
const a = new Float64Array(buffers[0]), b = new Float64Array(buffers[1]), c = new Float64Array(buffers[2]);
for (let i = start; i < end; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; }
const s = 3.0;
parentPort.on('message', (k) => {
	if (k === 'copy') for (let i = start; i < end; i++) c[i] = a[i];
	else if (k === 'scale') for (let i = start; i < end; i++) b[i] = s * c[i];
	else if (k === 'add') for (let i = start; i < end; i++) c[i] = a[i] + b[i];
	else if (k === 'triad') for (let i = start; i < end; i++) a[i] = b[i] + s * c[i];
	else if (k === 'reset') for (let i = start; i < end; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; }
	parentPort.postMessage(k);
});
parentPort.postMessage('ready');
`;

export function defaultThreadCount(): number {
	return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

export async function probeBandwidth(options: ProbeOptions): Promise<ProbeReport> {
	const elements = Math.max(1024, Math.floor((options.arrayMiB * 2 ** 20) / 8));
	const arrayBytes = elements * 8;
	const buffers = [0, 1, 2].map(() => new SharedArrayBuffer(arrayBytes));
	const runs: ThreadRun[] = [];
	const warnings: string[] = [];
	for (const threads of options.threadCounts) {
		runs.push(await measure(buffers, elements, threads, options));
	}
	return {
		arrayBytes,
		elements,
		runs,
		warnings,
		method:
			'STREAM-style copy/scale/add/triad over three Float64Arrays in worker threads; bytes counted as STREAM does ' +
			'(8 bytes per array element read or written, no write-allocate); best of the repetitions after one warm-up',
	};
}

async function measure(
	buffers: SharedArrayBuffer[],
	elements: number,
	threads: number,
	options: ProbeOptions,
): Promise<ThreadRun> {
	const pool = await startPool(buffers, elements, threads);
	try {
		const times: Record<StreamKernel, number[]> = { copy: [], scale: [], add: [], triad: [] };
		const minReps = options.minRepetitions ?? 3;
		const maxReps = options.maxRepetitions ?? 30;
		const budgetEnd = performance.now() + options.seconds * 1000;
		await pool.run('reset');
		// Repetition 0 warms the JIT and the page tables and is not counted.
		for (let rep = 0; rep <= maxReps; rep++) {
			for (const k of KERNELS) {
				const t0 = performance.now();
				await pool.run(k);
				const dt = (performance.now() - t0) / 1000;
				if (rep > 0) times[k].push(dt);
			}
			if (rep >= minReps && performance.now() >= budgetEnd) break;
		}
		const kernels = KERNELS.map((k) => stats(k, times[k], elements));
		const top = kernels.reduce((x, y) => (y.bestGBs > x.bestGBs ? y : x));
		return { threads, kernels, best: { kernel: top.kernel, gbs: top.bestGBs } };
	} finally {
		await pool.close();
	}
}

export function stats(kernel: StreamKernel, seconds: number[], elements: number): KernelStats {
	const bytes = ARRAYS_TOUCHED[kernel] * 8 * elements;
	const rates = seconds.filter((s) => s > 0).map((s) => bytes / s / 1e9);
	const best = Math.max(...rates);
	const worst = Math.min(...rates);
	const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
	return {
		kernel,
		bestGBs: best,
		meanGBs: mean,
		worstGBs: worst,
		spread: best > 0 ? (best - worst) / best : 0,
		repetitions: rates.length,
	};
}

interface Pool {
	run(kernel: StreamKernel | 'reset'): Promise<void>;
	close(): Promise<void>;
}

async function startPool(buffers: SharedArrayBuffer[], elements: number, threads: number): Promise<Pool> {
	const workers: Worker[] = [];
	const per = Math.ceil(elements / threads);
	const ready: Promise<void>[] = [];
	for (let t = 0; t < threads; t++) {
		const start = Math.min(elements, t * per);
		const end = Math.min(elements, start + per);
		const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { buffers, start, end } });
		workers.push(w);
		ready.push(once(w, 'ready'));
	}
	await Promise.all(ready);
	return {
		async run(kernel) {
			const done = workers.map((w) => once(w, kernel));
			for (const w of workers) w.postMessage(kernel);
			await Promise.all(done);
		},
		async close() {
			await Promise.all(workers.map((w) => w.terminate()));
		},
	};
}

function once(w: Worker, expected: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const onMessage = (m: unknown) => {
			if (m !== expected) return;
			cleanup();
			resolve();
		};
		const onError = (e: Error) => {
			cleanup();
			reject(e);
		};
		const onExit = (code: number) => {
			cleanup();
			reject(new Error(`bandwidth probe worker exited with code ${code}`));
		};
		const cleanup = () => {
			w.off('message', onMessage);
			w.off('error', onError);
			w.off('exit', onExit);
		};
		w.on('message', onMessage);
		w.on('error', onError);
		w.on('exit', onExit);
	});
}

/** Last-level cache size from Linux sysfs (largest `cache/index*` of cpu0), or undefined. */
export function lastLevelCacheBytes(readText: (path: string) => string | undefined): number | undefined {
	let best: number | undefined;
	for (let i = 0; i < 8; i++) {
		const size = readText(`/sys/devices/system/cpu/cpu0/cache/index${i}/size`)?.trim();
		if (!size) continue;
		const m = /^(\d+)([KMG]?)$/.exec(size);
		if (!m) continue;
		const bytes = Number(m[1]) * { '': 1, K: 1024, M: 2 ** 20, G: 2 ** 30 }[m[2] as '' | 'K' | 'M' | 'G'];
		if (best === undefined || bytes > best) best = bytes;
	}
	return best;
}

/**
 * Array size (MiB) per STREAM's rule: each array at least 4× the last-level cache, never less than
 * 128 MiB, and small enough that the three arrays fit in half the free memory.
 */
export function defaultArrayMiB(llcBytes: number | undefined, freeBytes: number): number {
	const want = Math.max(128, llcBytes ? Math.ceil((4 * llcBytes) / 2 ** 20) : 0);
	const fit = Math.floor(freeBytes / 2 / 3 / 2 ** 20);
	return Math.max(16, Math.min(want, fit, 2048));
}
