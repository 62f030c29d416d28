/**
 * Text output of `inference-meter meter`: one table per file with "measured" and "spec"/"physics"
 * labelled columns, then the notes each number rests on; and a short report for a live scrape.
 */
import { fmt, pct, table } from './format';
import type { LiveReport } from './liveMeter';
import type { MeterReport, MeterRun } from './types';

export function renderFileReport(rep: MeterReport): string {
	const out: string[] = [`${rep.input.kind} (${rep.input.format}) — ${rep.input.file}`];
	let lastContext = '';
	const rows: string[][] = [];
	const flush = () => {
		if (rows.length === 0) return;
		out.push(
			'',
			table(
				[
					'test',
					'measured tok/s',
					'expected tok/s',
					'roofline tok/s',
					'GB/step',
					'achieved GB/s',
					'MBU',
					'MFU',
					'bound',
				],
				rows.splice(0),
				[1, 2, 3, 4, 5, 6, 7],
			),
		);
	};
	for (const r of rep.runs) {
		const context = contextLine(r);
		if (context !== lastContext) {
			flush();
			out.push('', context);
			lastContext = context;
		}
		rows.push([
			r.test,
			r.tokensPerSecondStddev !== undefined
				? `${fmt(r.tokensPerSecond, 2)} ± ${fmt(r.tokensPerSecondStddev, 2)}`
				: fmt(r.tokensPerSecond, 2),
			fmt(r.expectedTokensPerSecond, 1),
			fmt(r.rooflineTokensPerSecond, 1),
			r.bytesPerStep === null ? '—' : (r.bytesPerStep / 1e9).toFixed(3),
			fmt(r.achievedBandwidthGBs, 1),
			r.bound === 'compute' ? `(${pct(r.mbu)})` : pct(r.mbu),
			r.bound === 'memory' ? `(${pct(r.mfu)})` : pct(r.mfu),
			r.bound ?? '—',
		]);
	}
	flush();
	out.push(
		'',
		'measured = the benchmark file; expected = physics engine with its efficiency model; roofline = bytes (or FLOPs) ÷ peak.',
		'GB = 10^9 bytes. MBU = achieved ÷ peak bandwidth; MFU = achieved ÷ peak FLOP/s; (…) = not the run’s constraint.',
		'pp rows: GB/step is per prompt token. tg/serve rows: per decode step (all sequences in the batch).',
	);
	const notes = collect(rep.runs, (r) => [
		...(r.bytesPerStepSource ? [`bytes: ${r.bytesPerStepSource}`] : []),
		...r.notes,
	]);
	const errors = [...rep.errors, ...collect(rep.runs, (r) => r.errors)];
	if (notes.length) out.push('', 'notes:', ...notes.map((n) => `  - ${n}`));
	if (errors.length) out.push('', 'problems:', ...errors.map((e) => `  - ${e}`));
	return `${out.join('\n')}\n`;
}

function contextLine(r: MeterRun): string {
	const hw = r.hardware
		? `${r.devices > 1 ? `${r.devices} × ` : ''}${r.hardware} (${fmt(r.peakBandwidthGBs, 0)} GB/s ${r.peakBandwidthOrigin}` +
			(r.peakTflops ? `, ${fmt(r.peakTflops, 1)} TFLOPS ${r.peakTflopsDtype} spec dense` : '') +
			')'
		: 'hardware unknown';
	return `model ${r.model ?? 'unresolved'}${r.modelMatchedBy ? ` (${r.modelMatchedBy})` : ''}, weights ${r.weights ?? '?'}, KV ${r.kvDtype ?? '?'}, ${hw}`;
}

/** De-duplicated messages, each prefixed with the tests it applies to when there are several runs. */
function collect(runs: MeterRun[], pick: (r: MeterRun) => string[]): string[] {
	const by = new Map<string, string[]>();
	for (const r of runs) for (const m of pick(r)) by.set(m, [...(by.get(m) ?? []), r.test]);
	return [...by.entries()].map(([m, tests]) =>
		runs.length > 1 && tests.length < runs.length ? `[${tests.join(', ')}] ${m}` : m,
	);
}

export function renderLiveReport(r: LiveReport): string {
	const run = r.run;
	const lines = [
		`${r.server} at ${r.url} — measured over ${r.intervalSeconds.toFixed(1)} s`,
		`model ${r.model ?? 'unresolved'}, ${contextLine(run).split(', ').slice(1).join(', ')}`,
		'',
		table(
			['quantity', 'value', 'origin'],
			[
				['generation tok/s', fmt(r.generationTokensPerSecond, 1), 'measured'],
				['prompt tok/s', fmt(r.promptTokensPerSecond, 1), 'measured'],
				['running requests', fmt(r.runningRequests, 1), 'measured (mean of 2 scrapes)'],
				['waiting requests', fmt(r.waitingRequests, 0), 'measured'],
				['KV cache usage', pct(r.kvCacheUsage), 'measured'],
				[
					'decode steps/s',
					fmt(r.stepsPerSecond, 1),
					r.rates.stepsSource ? `measured: ${r.rates.stepsSource}` : 'derived',
				],
				['tok/s per sequence', fmt(r.perSequenceTokensPerSecond, 1), 'measured'],
				['sequences per step', fmt(run.batch, 1), 'derived: tok/s ÷ steps/s'],
				['context per sequence', fmt(run.context, 0), r.contextSource],
				[
					'bytes per step',
					run.bytesPerStep === null ? '—' : `${(run.bytesPerStep / 1e9).toFixed(3)} GB`,
					'physics engine',
				],
				['achieved bandwidth', `${fmt(r.achievedBandwidthGBs, 1)} GB/s`, 'measured × physics'],
				['peak bandwidth', `${fmt(r.peakBandwidthGBs, 0)} GB/s`, run.peakBandwidthOrigin ?? '—'],
				['MBU', pct(r.mbu), 'achieved ÷ peak'],
				['MFU', pct(r.mfu), 'achieved ÷ peak FLOP/s'],
				['expected tok/s', fmt(r.expectedTokensPerSecond, 1), 'physics engine at this batch'],
				['roofline tok/s', fmt(r.rooflineTokensPerSecond, 1), 'physics engine'],
			],
			[1],
		),
		'',
		`verdict: ${r.verdictText}`,
		...r.causes.map((c) => `  - ${c.message}`),
	];
	const notes = [...run.notes];
	if (r.malformedLines.length)
		notes.push(
			`${r.malformedLines.length} malformed metrics line(s) skipped, e.g. line ${r.malformedLines[0].line}: ${r.malformedLines[0].message}`,
		);
	if (notes.length) lines.push('', 'notes:', ...notes.map((n) => `  - ${n}`));
	if (run.errors.length) lines.push('', 'problems:', ...run.errors.map((e) => `  - ${e}`));
	return `${lines.join('\n')}\n`;
}
