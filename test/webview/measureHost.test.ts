/**
 * Measure Running Server on the extension side (client/src/measure.ts) and the panel host's part in it,
 * against the recording `vscode` stand-in: the URL is asked for and remembered, nothing is scraped without
 * it, the status bar shows tok/s and MBU while watching, three failures in a row stop it, and the panel
 * gets the measurement (also after its webview is recreated) and opens on the workload it was asked for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileReport } from '../../server/src/analysis/reportTypes';
import type { MeterLiveParams, MeterLiveResult } from '../../server/src/shared/protocol';
import * as P from '../../server/src/shared/webviewProtocol';
import { createFakeVscode, installFakeVscode } from './fakeVscode';
import { SAMPLE_TEXT, sampleWorkload } from './sampleReport';

const fake = createFakeVscode();
const ui = {
	inputs: [] as { value?: string; validateInput?: (v: string) => string | undefined }[],
	nextInput: undefined as string | undefined,
	infos: [] as string[],
	errors: [] as string[],
	items: [] as { text: string; visible: boolean; tooltip: unknown }[],
	commands: [] as string[],
	config: { meter: { intervalSeconds: 7 } } as Record<string, unknown>,
};
Object.assign(fake.api, {
	StatusBarAlignment: { Left: 1, Right: 2 },
	MarkdownString: class {
		value = '';
		isTrusted: unknown;
		constructor(v = '') {
			this.value = v;
		}
		appendText(t: string) {
			this.value += t;
			return this;
		}
		appendMarkdown(t: string) {
			this.value += t;
			return this;
		}
	},
	CancellationTokenSource: class {
		token = { isCancellationRequested: false };
		cancel() {
			this.token.isCancellationRequested = true;
		}
		dispose() {}
	},
	commands: {
		executeCommand: async (id: string) => {
			ui.commands.push(id);
		},
	},
});
Object.assign(fake.api.window, {
	createStatusBarItem() {
		const item = {
			text: '',
			tooltip: undefined as unknown,
			visible: false,
			name: '',
			command: undefined as unknown,
			show() {
				item.visible = true;
			},
			hide() {
				item.visible = false;
			},
			dispose() {},
		};
		ui.items.push(item);
		return item;
	},
	async showInputBox(o: { value?: string; validateInput?: (v: string) => string | undefined }) {
		ui.inputs.push(o);
		return ui.nextInput;
	},
	async showInformationMessage(m: string) {
		ui.infos.push(m);
		return undefined;
	},
	async showErrorMessage(m: string) {
		ui.errors.push(m);
		return undefined;
	},
});
Object.assign(fake.api.workspace, {
	getConfiguration: () => ({ get: (k: string) => (k === 'inferenceMeter' ? ui.config : undefined) }),
});
installFakeVscode(fake.api);
const { Uri } = fake.api;
const tick = () => new Promise((r) => setTimeout(r, 0));

const result = (tokS: number, mbu: number): MeterLiveResult =>
	({
		basis: 'serve.sh workload 1',
		uri: 'file:///work/deploy/serve.sh',
		workload: 0,
		report: {
			server: 'vllm',
			model: 'meta-llama/Llama-3.1-8B',
			generationTokensPerSecond: tokS,
			perSequenceTokensPerSecond: tokS / 4,
			runningRequests: 4,
			stepsPerSecond: tokS / 4,
			mbu,
			mfu: 0.01,
			achievedBandwidthGBs: mbu * 3350,
			peakBandwidthGBs: 3350,
			expectedTokensPerSecond: 1500,
			rooflineTokensPerSecond: 2000,
			contextSource: 'assumed',
			verdict: 'bandwidth-bound',
			verdictText: 'bandwidth-bound and well used',
			run: {
				hardware: 'h100-sxm',
				devices: 1,
				batch: 4,
				context: 1024,
				bytesPerStep: 16e9,
				achievedTflops: 1,
			},
		},
	}) as unknown as MeterLiveResult;

function fakeServer(script: (MeterLiveResult | { error: string })[]) {
	const calls: MeterLiveParams[] = [];
	return {
		calls,
		api: {
			isRunning: () => true,
			async meterLive(p: MeterLiveParams) {
				calls.push(p);
				await tick();
				return script.shift() ?? { error: 'script ended' };
			},
		},
	};
}

function memento() {
	const m = new Map<string, unknown>();
	return { get: (k: string) => m.get(k), update: async (k: string, v: unknown) => void m.set(k, v), m };
}

const log = { warn() {}, error() {}, info() {} };

test('Measure Running Server: URL asked, confirmed and remembered; status bar; 3 failures stop it', async () => {
	const { MeasureController, validateMetricsUrl, statusText, LAST_URL_KEY } =
		await import('../../client/src/measure');
	assert.match(validateMetricsUrl('ftp://x/metrics') ?? '', /only http/);
	assert.match(validateMetricsUrl('') ?? '', /Enter the URL/);
	assert.equal(validateMetricsUrl('http://localhost:8000/metrics'), undefined);
	// 1,234.4 tok/s → "1,234"; MBU 0.616 → 62 %.
	assert.equal(
		statusText({ generationTokensPerSecond: 1234.4, mbu: 0.616 }),
		'$(pulse) 1,234 tok/s · MBU 62 %',
	);
	assert.equal(statusText({ generationTokensPerSecond: 10, mbu: null }), '$(pulse) 10 tok/s · MBU ?');

	const state = memento();
	const statuses: string[] = [];
	const sink = {
		seen: [] as P.MeasuredParams[],
		measured: (m: P.MeasuredParams) => {
			sink.seen.push(m);
			// publish() sets the status bar text before it tells the panel.
			statuses.push(ui.items.at(-1)!.text);
		},
	};
	const escaped = fakeServer([]);
	const c1 = new MeasureController(
		state as never,
		() => escaped.api as never,
		{ ...sink, showInPanel: async () => {} },
		log as never,
	);
	// Escape on the input box: nothing is scraped, nothing remembered.
	ui.nextInput = undefined;
	await c1.measureCommand();
	assert.equal(escaped.calls.length, 0);
	assert.equal(ui.inputs[0].value, 'http://localhost:8000/metrics', 'pre-filled with the usual vLLM URL');
	assert.equal(state.get(LAST_URL_KEY), undefined);
	assert.equal(ui.items[0].visible, false, 'no status item before a measurement');
	c1.dispose();

	// Two measurements, then three failures in a row: it stops and says so.
	const server = fakeServer([
		result(1234.4, 0.616),
		result(1500, 0.7),
		{ error: 'connection refused' },
		{ error: 'connection refused' },
		{ error: 'timed out after 5 s' },
		result(9999, 0.9),
	]);
	const c2 = new MeasureController(
		state as never,
		() => server.api as never,
		{ ...sink, showInPanel: async () => {} },
		log as never,
	);
	const item = ui.items[1];
	ui.nextInput = '  http://127.0.0.1:9/metrics ';
	await c2.measureCommand();
	assert.equal(state.get(LAST_URL_KEY), 'http://127.0.0.1:9/metrics', 'the confirmed URL, trimmed');
	assert.equal(
		server.calls.length,
		5,
		'stopped after the third failure; the sixth answer was never asked for',
	);
	assert.deepEqual(
		server.calls.map((c) => [c.url, c.intervalSeconds]),
		Array(5).fill(['http://127.0.0.1:9/metrics', 7]),
		'the interval comes from inferenceMeter.meter.intervalSeconds',
	);
	assert.equal(statuses[0], '$(pulse) 1,234 tok/s · MBU 62 %');
	assert.equal(statuses[1], '$(pulse) 1,500 tok/s · MBU 70 %');
	assert.equal(item.visible, false, 'the status item goes away when watching stops');
	assert.equal(c2.watching, false);
	assert.ok(ui.infos.some((m) => /1,234 tok\/s, bandwidth-bound and well used\. Watching every 7 s/.test(m)));
	assert.match(
		ui.errors.at(-1) ?? '',
		/stopped measuring .*3 measurements in a row failed; the last: timed out/,
	);
	const last = sink.seen.at(-1)!;
	assert.equal(last.watching, false, 'the panel is told watching stopped');
	assert.equal(last.lastError, 'connection refused', 'the last failure the panel saw while watching');
	assert.equal(last.generationTokensPerSecond, 1500, 'the numbers stay those of the last success');
	c2.dispose();

	// A first measurement that fails stops at once with the reason (no retry loop on a wrong URL).
	const bad = fakeServer([{ error: 'http://127.0.0.1:9/metrics: connection refused' }, result(1, 0.1)]);
	const c3 = new MeasureController(
		state as never,
		() => bad.api as never,
		{ ...sink, showInPanel: async () => {} },
		log as never,
	);
	ui.nextInput = undefined;
	await c3.start('http://127.0.0.1:9/metrics', undefined);
	assert.equal(bad.calls.length, 1);
	assert.match(
		ui.errors.at(-1) ?? '',
		/stopped measuring http:\/\/127\.0\.0\.1:9\/metrics: .*connection refused/,
	);
	c3.dispose();
});

test('panel host: the measurement reaches the webview (again after a re-create); the CodeLens index selects', async () => {
	const DOC = 'file:///work/deploy/two.sh';
	fake.documents.set(DOC, SAMPLE_TEXT + SAMPLE_TEXT);
	const report: FileReport = {
		path: '/work/deploy/two.sh',
		workloads: [sampleWorkload(), sampleWorkload()],
		diagnostics: [],
	};
	const host = {
		async requestEstimate() {
			return report;
		},
		getTargetHardware: () => 'h100-sxm',
		async setTargetHardware() {},
		log: { error() {}, warn() {} },
	};
	const { registerPanel, showPanel, setMeasurement } = await import('../../client/src/panel/panel');
	registerPanel({ extensionUri: Uri.file('/ext'), subscriptions: [] } as never, host as never);
	await showPanel(host as never, Uri.parse(DOC) as never, 1);
	const p = fake.record.panels.at(-1)!;
	const { toMeasured } = await import('../../client/src/measure');
	setMeasurement(toMeasured(result(1234, 0.62), 'http://gpu:8000/metrics', 5, true));
	assert.equal(p.webview.posted.length, 0, 'nothing before ready');
	p.webview.receive.fire(P.Ready.create({ version: 1 }));
	await tick();
	const update = p.webview.posted.find((m) => P.Update.is(m));
	assert.ok(update && P.Update.is(update));
	assert.equal(update.params.selected, 1, 'the workload the CodeLens named, not the first');
	const measured = p.webview.posted.filter((m) => P.Measured.is(m));
	assert.equal(measured.length, 1);
	assert.ok(P.Measured.is(measured[0]));
	assert.equal(measured[0].params.generationTokensPerSecond, 1234);
	assert.equal(measured[0].params.batch, 4);
	// A hidden webview is torn down; when it says ready again it gets the measurement back.
	(p as unknown as { visible: boolean }).visible = false;
	p.viewState.fire();
	p.webview.receive.fire(P.Ready.create({ version: 1 }));
	await tick();
	assert.equal(p.webview.posted.filter((m) => P.Measured.is(m)).length, 2);
	// An index past the end falls back to the workload under the cursor (the first here).
	await showPanel(host as never, Uri.parse(DOC) as never, 9);
	const last = p.webview.posted.filter((m) => P.Update.is(m)).at(-1);
	assert.ok(last && P.Update.is(last));
	assert.equal(last.params.selected, 0);
});
