/**
 * `inference-meter meter`: measured throughput against the roofline, from a llama-bench or vLLM
 * benchmark file, or from two scrapes of a running server's Prometheus /metrics.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../analysis/catalog';
import { adHocHardware, resolveHardware } from '../analysis/catalog';
import type { HardwareSpec } from '../analysis/catalog/types';
import type { FlagSpec, FlagValues } from './args';
import { formatHelp, parseArgs } from './args';
import type { CliIO } from './io';
import { UsageError } from './io';
import { catalogFromFlag } from './userCatalog';
import { meterDeps } from '../meter';
import { meterLlamaBench, meterVllmBench } from '../meter/importers';
import { meterLive } from '../meter/liveMeter';
import { renderFileReport, renderLiveReport } from '../meter/render';
import { scrapeMetrics } from '../meter/scrape';
import type { MeterDeps, MeterOverrides } from '../meter/types';

const FLAGS: Record<string, FlagSpec> = {
	'llama-bench': { kind: 'string', help: 'llama-bench output (-o json | jsonl | csv | md)' },
	'vllm-bench': {
		kind: 'string',
		help: 'vllm bench serve --save-result JSON or vllm bench latency --output-json',
	},
	'metrics-url': {
		kind: 'string',
		help: 'Prometheus /metrics URL of a running vLLM or llama-server (http/https)',
	},
	interval: { kind: 'number', min: 0.2, max: 600, help: 'seconds between the two scrapes (default 5)' },
	timeout: {
		kind: 'number',
		min: 0.1,
		max: 120,
		help: 'seconds each scrape may take, connect + read (default 5)',
	},
	hardware: { kind: 'string', help: 'catalog hardware id (see `inference-meter hardware`)' },
	'bandwidth-gbs': {
		kind: 'number',
		min: 0.001,
		help: 'peak memory bandwidth per device, GB/s (instead of --hardware)',
	},
	tflops: { kind: 'number', min: 0.001, help: 'dense 16-bit peak per device, TFLOPS (with --bandwidth-gbs)' },
	devices: { kind: 'integer', min: 1, max: 1024, help: 'devices the run spans (tensor parallel); default 1' },
	model: { kind: 'string', help: 'model id/name (overrides the file or the model_name label)' },
	weights: { kind: 'string', help: 'weight format: bf16, fp8, awq, q4_k_m, q8_0 …' },
	'kv-dtype': { kind: 'string', help: 'KV cache dtype: f16, bf16, fp8, q8_0 …' },
	catalog: { kind: 'string', help: 'user catalog JSON merged over the built-in one' },
	batch: { kind: 'integer', min: 1, help: 'vllm bench latency: --batch-size of the run (default 8)' },
	'input-len': { kind: 'integer', min: 1, help: 'vllm bench latency: --input-len of the run (default 32)' },
	'output-len': {
		kind: 'integer',
		min: 1,
		help: 'vllm bench latency: --output-len of the run (default 128)',
	},
	context: {
		kind: 'integer',
		min: 1,
		help: 'live: tokens per sequence when the server does not report KV use',
	},
	json: { kind: 'boolean', help: 'print JSON' },
	help: { kind: 'boolean', alias: 'h', help: 'show this help' },
};

const USAGE = `usage: inference-meter meter (--llama-bench FILE | --vllm-bench FILE | --metrics-url URL [--interval S])
                             [--hardware ID | --bandwidth-gbs N [--tflops N]] [--model M] [--weights F] [--json]

Sets measured throughput against the roofline: achieved bandwidth = bytes per decode step × steps/s,
MBU = achieved ÷ peak bandwidth, MFU = achieved FLOP/s ÷ peak. With --metrics-url it scrapes the URL
twice (only that URL, only when asked) and says which constraint the server hits.`;

export async function run(argv: string[], io: CliIO): Promise<number> {
	const { flags, positionals } = parseArgs(argv, FLAGS);
	if (flags.help) {
		io.stdout(formatHelp(USAGE, FLAGS));
		return 0;
	}
	if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
	const sources = ['llama-bench', 'vllm-bench', 'metrics-url'].filter((k) => flags[k] !== undefined);
	if (sources.length !== 1)
		throw new UsageError('give exactly one of --llama-bench FILE, --vllm-bench FILE, --metrics-url URL');
	const catalog = catalogFromFlag(flags.catalog as string | undefined, io);
	const deps = meterDeps(catalog);
	const overrides: MeterOverrides = {
		model: str(flags.model),
		weights: str(flags.weights),
		kvDtype: str(flags['kv-dtype']),
		hardware: hardwareFromFlags(flags, catalog),
		devices: flags.devices as number | undefined,
		batch: flags.batch as number | undefined,
		inputLen: flags['input-len'] as number | undefined,
		outputLen: flags['output-len'] as number | undefined,
		context: flags.context as number | undefined,
	};
	if (typeof flags['metrics-url'] === 'string') return live(flags, deps, overrides, io);
	const kind = flags['llama-bench'] !== undefined ? 'llama-bench' : 'vllm-bench';
	const file = path.resolve(io.cwd, String(flags[kind]));
	let text: string;
	try {
		const size = fs.statSync(file).size;
		if (size > 64 * 2 ** 20)
			throw new Error(`${(size / 2 ** 20).toFixed(0)} MiB is too large for a benchmark result`);
		text = fs.readFileSync(file, 'utf8');
	} catch (e) {
		io.stderr(`inference-meter: cannot read ${file}: ${(e as Error).message}\n`);
		return 2;
	}
	const report =
		kind === 'llama-bench'
			? meterLlamaBench(text, file, deps, overrides)
			: meterVllmBench(text, file, deps, overrides);
	if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
	else io.stdout(renderFileReport(report));
	if (report.runs.length === 0) {
		if (!flags.json) io.stderr(`inference-meter: no runs read from ${file}\n`);
		return 1;
	}
	return 0;
}

async function live(flags: FlagValues, deps: MeterDeps, o: MeterOverrides, io: CliIO): Promise<number> {
	const url = String(flags['metrics-url']);
	const intervalMs = ((flags.interval as number | undefined) ?? 5) * 1000;
	const timeoutMs = ((flags.timeout as number | undefined) ?? 5) * 1000;
	if (!flags.json) io.stderr(`scraping ${url} twice, ${intervalMs / 1000} s apart…\n`);
	const out = await meterLive(
		url,
		intervalMs,
		{ timeoutMs, maxBytes: 8 * 2 ** 20, maxRedirects: 2 },
		deps,
		o,
		{
			scrape: scrapeMetrics,
			now: () => performance.now(),
			sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
		},
	);
	if (!out.ok) {
		if (flags.json) io.stdout(`${JSON.stringify({ url, error: out.message }, null, 2)}\n`);
		io.stderr(`inference-meter: ${out.message}\n`);
		return 1;
	}
	if (flags.json) io.stdout(`${JSON.stringify(out.report, null, 2)}\n`);
	else io.stdout(renderLiveReport(out.report));
	return 0;
}

function hardwareFromFlags(flags: FlagValues, catalog: Catalog): HardwareSpec | undefined {
	const bw = flags['bandwidth-gbs'] as number | undefined;
	if (typeof flags.hardware === 'string') {
		if (bw !== undefined) throw new UsageError('give --hardware or --bandwidth-gbs, not both');
		const r = resolveHardware(flags.hardware, catalog);
		if (!r.ok) throw new UsageError(r.message);
		return r.hardware;
	}
	if (bw !== undefined)
		return adHocHardware({ bandwidthGBs: bw, tflops: flags.tflops as number | undefined });
	if (flags.tflops !== undefined) throw new UsageError('--tflops goes with --bandwidth-gbs');
	return undefined;
}

function str(v: unknown): string | undefined {
	return typeof v === 'string' ? v : undefined;
}
