/**
 * Reads llama-bench results in every text form it prints (`-o json | jsonl | csv | md`). Field names
 * follow `tools/llama-bench/llama-bench.cpp` (`test::get_fields()`); the markdown table carries
 * rounded, display-only values (size in GiB with two decimals), which the run records as approximate.
 */
import { parseCsv } from './csv';

export type LlamaBenchFormat = 'json' | 'jsonl' | 'csv' | 'markdown';

export interface LlamaBenchRun {
	/** `pp512`, `tg128`, `pp512+tg128`, with ` @ d4096` when the run started from a filled KV cache. */
	test: string;
	kind: 'pp' | 'tg' | 'pp+tg';
	nPrompt: number;
	nGen: number;
	/** Tokens already in the KV cache before the timed run (`-d`); 0 for older builds. */
	nDepth: number;
	/** Mean tokens per second over the repetitions (llama-bench `avg_ts`). */
	avgTs: number;
	stddevTs?: number;
	samplesTs?: number[];
	modelFilename?: string;
	/** `llama_model_desc`: `<arch> <size> <ftype>`, e.g. `llama 7B Q4_0`. */
	modelType?: string;
	/** Bytes of all tensors in the file (`llama_model_size`). */
	modelSizeBytes?: number;
	/** True when the size came from the markdown table's rounded GiB/MiB figure. */
	modelSizeApprox?: boolean;
	modelParams?: number;
	nGpuLayers?: number;
	nThreads?: number;
	nBatch?: number;
	nUbatch?: number;
	typeK?: string;
	typeV?: string;
	flashAttn?: string;
	backends?: string;
	gpuInfo?: string;
	cpuInfo?: string;
	buildCommit?: string;
	testTime?: string;
	/** 1-based line in the input (JSONL, CSV, markdown) or index in the JSON array (0-based). */
	where: string;
}

export interface LlamaBenchParse {
	format: LlamaBenchFormat;
	runs: LlamaBenchRun[];
	errors: string[];
}

export function parseLlamaBench(text: string): LlamaBenchParse {
	const t = text.replace(/^\uFEFF/, '').trim();
	if (t === '') return { format: 'json', runs: [], errors: ['the file is empty'] };
	if (t.startsWith('[')) return fromJsonArray(t);
	if (t.startsWith('{')) return fromJsonl(t);
	if (/^\s*\|/m.test(t)) return fromMarkdown(t);
	if (/^"?build_commit"?,|model_filename/.test(t.split('\n')[0])) return fromCsv(t);
	if (/^CREATE TABLE|^INSERT INTO/m.test(t))
		return { format: 'csv', runs: [], errors: ['SQL output (-o sql) is not read; rerun with -o json'] };
	return {
		format: 'json',
		runs: [],
		errors: [
			'not llama-bench output: expected a JSON array, JSON lines, CSV with a header, or a markdown table',
		],
	};
}

function fromJsonArray(t: string): LlamaBenchParse {
	let data: unknown;
	try {
		data = JSON.parse(t);
	} catch (e) {
		return { format: 'json', runs: [], errors: [`invalid JSON: ${(e as Error).message}`] };
	}
	const out: LlamaBenchParse = { format: 'json', runs: [], errors: [] };
	if (!Array.isArray(data)) return { ...out, errors: ['expected a JSON array of llama-bench results'] };
	data.forEach((row, i) => addRecord(out, row, `entry ${i}`));
	return out;
}

function fromJsonl(t: string): LlamaBenchParse {
	const out: LlamaBenchParse = { format: 'jsonl', runs: [], errors: [] };
	t.split(/\r?\n/).forEach((line, i) => {
		if (line.trim() === '') return;
		try {
			addRecord(out, JSON.parse(line), `line ${i + 1}`);
		} catch (e) {
			out.errors.push(`line ${i + 1}: invalid JSON (${(e as Error).message})`);
		}
	});
	return out;
}

function fromCsv(t: string): LlamaBenchParse {
	const out: LlamaBenchParse = { format: 'csv', runs: [], errors: [] };
	let rows: string[][];
	try {
		rows = parseCsv(t);
	} catch (e) {
		return { ...out, errors: [(e as Error).message] };
	}
	const [header, ...body] = rows;
	body.forEach((cells, i) => {
		if (cells.length !== header.length) {
			out.errors.push(`row ${i + 2}: ${cells.length} fields, header has ${header.length}`);
			return;
		}
		const rec: Record<string, string> = {};
		header.forEach((h, j) => (rec[h.trim()] = cells[j]));
		addRecord(out, rec, `row ${i + 2}`);
	});
	return out;
}

/** Normalizes one JSON/CSV record (values may be strings in CSV) into a run. */
function addRecord(out: LlamaBenchParse, row: unknown, where: string): void {
	if (typeof row !== 'object' || row === null || Array.isArray(row)) {
		out.errors.push(`${where}: not an object`);
		return;
	}
	const r = row as Record<string, unknown>;
	const nPrompt = int(r.n_prompt);
	const nGen = int(r.n_gen);
	const avgTs = num(r.avg_ts);
	if (nPrompt === undefined || nGen === undefined || avgTs === undefined) {
		out.errors.push(`${where}: missing n_prompt, n_gen or avg_ts; not a llama-bench result`);
		return;
	}
	if (!(avgTs > 0)) {
		out.errors.push(`${where}: avg_ts is ${String(r.avg_ts)}; skipped`);
		return;
	}
	const nDepth = int(r.n_depth) ?? 0;
	const samples = Array.isArray(r.samples_ts) ? r.samples_ts.map(Number).filter(Number.isFinite) : undefined;
	out.runs.push({
		test: testName(nPrompt, nGen, nDepth),
		kind: nGen === 0 ? 'pp' : nPrompt === 0 ? 'tg' : 'pp+tg',
		nPrompt,
		nGen,
		nDepth,
		avgTs,
		stddevTs: num(r.stddev_ts),
		samplesTs: samples,
		modelFilename: str(r.model_filename),
		modelType: str(r.model_type),
		modelSizeBytes: num(r.model_size),
		modelParams: num(r.model_n_params),
		nGpuLayers: int(r.n_gpu_layers),
		nThreads: int(r.n_threads),
		nBatch: int(r.n_batch),
		nUbatch: int(r.n_ubatch),
		typeK: str(r.type_k),
		typeV: str(r.type_v),
		flashAttn: r.flash_attn === undefined ? undefined : String(r.flash_attn),
		backends: str(r.backends) ?? legacyBackends(r),
		gpuInfo: str(r.gpu_info),
		cpuInfo: str(r.cpu_info),
		buildCommit: str(r.build_commit),
		testTime: str(r.test_time),
		where,
	});
}

/** Builds before `backends` existed (2024) wrote one boolean per backend instead. */
function legacyBackends(r: Record<string, unknown>): string | undefined {
	const names: Record<string, string> = {
		cuda: 'CUDA',
		vulkan: 'Vulkan',
		metal: 'Metal',
		sycl: 'SYCL',
		kompute: 'Kompute',
		opencl: 'OpenCL',
		gpu_blas: 'GPU BLAS',
	};
	const on = Object.keys(names).filter((k) => r[k] === true || r[k] === '1' || r[k] === 'true');
	if (on.length === 0) return r.cuda === undefined && r.metal === undefined ? undefined : 'CPU';
	return on.map((k) => names[k]).join(',');
}

export function testName(nPrompt: number, nGen: number, nDepth: number): string {
	const base = nGen === 0 ? `pp${nPrompt}` : nPrompt === 0 ? `tg${nGen}` : `pp${nPrompt}+tg${nGen}`;
	return nDepth > 0 ? `${base} @ d${nDepth}` : base;
}

// ---- markdown ------------------------------------------------------------------------------

/** Column names as llama-bench prints them (display names) → record field. */
const MD_COLUMNS: Record<string, string> = {
	model: 'model_type',
	size: 'size',
	params: 'params',
	backend: 'backends',
	ngl: 'n_gpu_layers',
	n_gpu_layers: 'n_gpu_layers',
	threads: 'n_threads',
	n_threads: 'n_threads',
	n_batch: 'n_batch',
	n_ubatch: 'n_ubatch',
	type_k: 'type_k',
	type_v: 'type_v',
	fa: 'flash_attn',
	flash_attn: 'flash_attn',
	test: 'test',
	't/s': 't/s',
};

function fromMarkdown(t: string): LlamaBenchParse {
	const out: LlamaBenchParse = { format: 'markdown', runs: [], errors: [] };
	const lines = t.split(/\r?\n/);
	let header: string[] | undefined;
	lines.forEach((line, i) => {
		const where = `line ${i + 1}`;
		if (!line.trim().startsWith('|')) return;
		const cells = line
			.trim()
			.replace(/^\|/, '')
			.replace(/\|$/, '')
			.split('|')
			.map((c) => c.trim());
		if (cells.every((c) => /^:?-+:?$/.test(c))) return; // the separator row
		if (!header) {
			header = cells.map((c) => c.toLowerCase());
			if (!header.includes('test') || !header.includes('t/s'))
				out.errors.push(`${where}: the table has no "test" and "t/s" columns; not llama-bench markdown`);
			return;
		}
		if (cells.length !== header.length) {
			out.errors.push(`${where}: ${cells.length} cells, header has ${header.length}`);
			return;
		}
		const cell = (name: string) => {
			const j = header!.findIndex((h) => MD_COLUMNS[h] === name);
			return j >= 0 ? cells[j] : undefined;
		};
		const parsed = parseMdTest(cell('test') ?? '');
		const ts = /^([\d.]+)\s*(?:±|\+\/-)\s*([\d.]+)$/.exec(cell('t/s') ?? '');
		if (!parsed || !ts) {
			out.errors.push(`${where}: cannot read test "${cell('test')}" or t/s "${cell('t/s')}"`);
			return;
		}
		const size = parseSize(cell('size'));
		addRecord(
			out,
			{
				n_prompt: parsed.nPrompt,
				n_gen: parsed.nGen,
				n_depth: parsed.nDepth,
				avg_ts: ts[1],
				stddev_ts: ts[2],
				model_type: cell('model_type'),
				model_size: size,
				model_n_params: parseParams(cell('params')),
				backends: cell('backends'),
				n_gpu_layers: cell('n_gpu_layers'),
				n_threads: cell('n_threads'),
				n_batch: cell('n_batch'),
				n_ubatch: cell('n_ubatch'),
				type_k: cell('type_k'),
				type_v: cell('type_v'),
				flash_attn: cell('flash_attn'),
			},
			where,
		);
		const run = out.runs[out.runs.length - 1];
		if (run && size !== undefined) run.modelSizeApprox = true;
	});
	const build = /^build:\s*(\S+)/m.exec(t);
	if (build) for (const r of out.runs) r.buildCommit = build[1];
	if (!header) out.errors.push('no markdown table found');
	return out;
}

/** `pp512`, `tg128`, `pp512+tg128`, `tg128 @ d4096`, and the older `pp 512` spelling. */
function parseMdTest(s: string): { nPrompt: number; nGen: number; nDepth: number } | undefined {
	const m = /^(?:pp\s*(\d+))?\s*\+?\s*(?:tg\s*(\d+))?(?:\s*@\s*d(\d+))?$/.exec(s.trim());
	if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
	return { nPrompt: Number(m[1] ?? 0), nGen: Number(m[2] ?? 0), nDepth: Number(m[3] ?? 0) };
}

/** `3.56 GiB` / `636.18 MiB` → bytes (binary units, as llama-bench prints them). */
function parseSize(s: string | undefined): number | undefined {
	const m = /^([\d.]+)\s*(GiB|MiB|KiB|B)$/.exec(s?.trim() ?? '');
	if (!m) return undefined;
	const mult = { GiB: 2 ** 30, MiB: 2 ** 20, KiB: 2 ** 10, B: 1 }[m[2] as 'GiB' | 'MiB' | 'KiB' | 'B'];
	return Number(m[1]) * mult;
}

/** `6.74 B` / `494.03 M` → parameter count (decimal, as llama-bench prints it). */
function parseParams(s: string | undefined): number | undefined {
	const m = /^([\d.]+)\s*([BMK]?)$/.exec(s?.trim() ?? '');
	if (!m) return undefined;
	return Number(m[1]) * ({ B: 1e9, M: 1e6, K: 1e3, '': 1 }[m[2] as 'B' | 'M' | 'K' | ''] ?? 1);
}

// ---- value coercion (CSV gives strings, JSON numbers/booleans) ------------------------------

function num(v: unknown): number | undefined {
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	if (typeof v === 'string' && v.trim() !== '') {
		const n = Number(v);
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

function int(v: unknown): number | undefined {
	const n = num(v);
	return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function str(v: unknown): string | undefined {
	return typeof v === 'string' && v !== '' ? v : undefined;
}
