/**
 * Measure Running Server: asks for a /metrics URL (pre-filled with the last one; Enter confirms it), has the
 * language server measure it — two scrapes an interval apart, set against the active document's workload —
 * and keeps re-measuring while a status bar item shows tok/s and MBU, until Stop Measuring or three
 * failures in a row. Nothing here runs unless the user ran the command: no scrape on activation or by itself.
 */
import * as vscode from 'vscode';
import { Commands } from '../../server/src/shared/constants';
import { checkMetricsUrl } from '../../server/src/meter/scrape';
import type { MeterLiveResult } from '../../server/src/shared/protocol';
import { SECTION, settingsFrom } from '../../server/src/shared/settings';
import type { MeasuredParams } from '../../server/src/shared/webviewProtocol';
import type { ServerApi } from './serverApi';

export const LAST_URL_KEY = 'inferenceMeter.meter.lastUrl';
export const DEFAULT_METRICS_URL = 'http://localhost:8000/metrics';
/** Consecutive failed measurements after which watching stops. */
export const MAX_FAILURES = 3;

/** What the panel is told about; implemented by panel.ts (kept as an interface so this file stays testable). */
export interface MeasurementSink {
	measured(m: MeasuredParams): void;
	/** Show Hardware Comparison for the measured workload, with the measurement. */
	showInPanel(m: MeasuredParams): Promise<void>;
}

/** The input box's check: the same rule the server and the CLI apply, as a message or undefined. */
export function validateMetricsUrl(raw: string): string | undefined {
	if (!raw.trim()) return 'Enter the URL of a /metrics endpoint, e.g. http://localhost:8000/metrics';
	const checked = checkMetricsUrl(raw.trim());
	return typeof checked === 'string' ? checked : undefined;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The status bar text: "$(pulse) 1,234 tok/s · MBU 62 %". */
export function statusText(m: Pick<MeasuredParams, 'generationTokensPerSecond' | 'mbu'>): string {
	const mbu = m.mbu === null ? 'MBU ?' : `MBU ${Math.round(m.mbu * 100)} %`;
	return `$(pulse) ${int(m.generationTokensPerSecond)} tok/s · ${mbu}`;
}

export function toMeasured(
	r: MeterLiveResult,
	url: string,
	intervalSeconds: number,
	watching: boolean,
): MeasuredParams {
	const rep = r.report;
	return {
		url,
		basis: r.basis,
		at: Date.now(),
		watching,
		intervalSeconds,
		uri: r.uri,
		workload: r.workload,
		server: rep.server,
		model: rep.model,
		hardware: rep.run.hardware,
		devices: rep.run.devices,
		generationTokensPerSecond: rep.generationTokensPerSecond,
		perSequenceTokensPerSecond: rep.perSequenceTokensPerSecond,
		runningRequests: rep.runningRequests,
		batch: rep.run.batch,
		context: rep.run.context,
		contextSource: rep.contextSource,
		stepsPerSecond: rep.stepsPerSecond,
		bytesPerStep: rep.run.bytesPerStep,
		achievedBandwidthGBs: rep.achievedBandwidthGBs,
		peakBandwidthGBs: rep.peakBandwidthGBs,
		achievedTflops: rep.run.achievedTflops,
		mbu: rep.mbu,
		mfu: rep.mfu,
		expectedTokensPerSecond: rep.expectedTokensPerSecond,
		rooflineTokensPerSecond: rep.rooflineTokensPerSecond,
		verdict: rep.verdict,
		verdictText: rep.verdictText,
	};
}

export class MeasureController implements vscode.Disposable {
	private readonly item: vscode.StatusBarItem;
	/** Bumped on every start and stop: a measurement that returns after it belongs to an old session. */
	private session = 0;
	private cancel?: vscode.CancellationTokenSource;
	private last?: MeasuredParams;

	constructor(
		private readonly state: vscode.Memento,
		private readonly server: () => ServerApi | undefined,
		private readonly sink: MeasurementSink,
		private readonly log: vscode.LogOutputChannel,
	) {
		this.item = vscode.window.createStatusBarItem('inferenceMeter.meter', vscode.StatusBarAlignment.Left, 10);
		this.item.name = 'Inference Meter: measuring';
		this.item.command = { title: 'Show in Panel', command: Commands.showHardwareComparison };
	}

	get watching(): boolean {
		return this.cancel !== undefined;
	}

	/** The latest measurement, for a panel opened later. */
	get latest(): MeasuredParams | undefined {
		return this.last;
	}

	/** The command: ask for the URL, then measure and keep watching. */
	async measureCommand(): Promise<void> {
		const previous = this.state.get<string>(LAST_URL_KEY) ?? DEFAULT_METRICS_URL;
		const interval = this.interval();
		const url = await vscode.window.showInputBox({
			title: 'Measure Running Server',
			prompt:
				`The Prometheus /metrics URL of a running vLLM or llama-server (--metrics). Inference Meter GETs it ` +
				`twice, ${interval} s apart, and again every ${interval} s until you run Stop Measuring.`,
			value: previous,
			valueSelection: [0, previous.length],
			ignoreFocusOut: true,
			validateInput: validateMetricsUrl,
		});
		// Escape: nothing is scraped.
		if (url === undefined) return;
		const confirmed = url.trim();
		await this.state.update(LAST_URL_KEY, confirmed);
		const editor = vscode.window.activeTextEditor;
		await this.start(confirmed, editor?.document.uri);
	}

	stopCommand(): void {
		if (!this.watching) {
			void vscode.window.showInformationMessage('Inference Meter: not measuring anything.');
			return;
		}
		const url = this.last?.url;
		this.stop();
		void vscode.window.showInformationMessage(`Inference Meter: stopped measuring${url ? ` ${url}` : ''}.`);
	}

	private interval(): number {
		return settingsFrom(vscode.workspace.getConfiguration().get(SECTION)).meter.intervalSeconds;
	}

	/** Measures `url` against `document`'s workload, then every interval until stopped. */
	async start(url: string, document: vscode.Uri | undefined): Promise<void> {
		this.stop();
		const session = ++this.session;
		const cancel = new vscode.CancellationTokenSource();
		this.cancel = cancel;
		setMeasuringContext(true);
		this.item.text = `$(sync~spin) Measuring ${new URL(url).host}…`;
		this.item.tooltip = `Scraping ${url} twice, ${this.interval()} s apart`;
		this.item.show();
		let failures = 0;
		let first = true;
		while (session === this.session) {
			const interval = this.interval();
			const r = await this.once(url, interval, document, cancel.token);
			if (session !== this.session) return;
			if ('error' in r) {
				failures++;
				this.log.warn(`measure ${url}: ${r.error}`);
				if (first || failures >= MAX_FAILURES) {
					this.stop();
					const why = first ? r.error : `${MAX_FAILURES} measurements in a row failed; the last: ${r.error}`;
					const choice = await vscode.window.showErrorMessage(
						`Inference Meter: stopped measuring ${url}: ${why}`,
						'Measure Again',
					);
					if (choice) void vscode.commands.executeCommand(Commands.measureRunningServer);
					return;
				}
				this.item.text = `$(warning) ${this.last ? statusText(this.last).replace('$(pulse) ', '') : url}`;
				this.item.tooltip = `Last measurement failed (${failures} of ${MAX_FAILURES}): ${r.error}`;
				if (this.last) this.publish({ ...this.last, lastError: r.error });
				continue;
			}
			failures = 0;
			const m = toMeasured(r, url, interval, true);
			this.publish(m);
			if (first) {
				first = false;
				void this.announce(m);
			}
		}
	}

	private async once(
		url: string,
		intervalSeconds: number,
		document: vscode.Uri | undefined,
		token: vscode.CancellationToken,
	): Promise<MeterLiveResult | { error: string }> {
		const server = this.server();
		if (!server?.isRunning()) return { error: 'the language server is not running' };
		try {
			return await server.meterLive(
				{ url, intervalSeconds, textDocument: document ? { uri: document.toString() } : undefined },
				token,
			);
		} catch (e) {
			return { error: e instanceof Error ? e.message : String(e) };
		}
	}

	private publish(m: MeasuredParams): void {
		this.last = m;
		this.item.text = statusText(m);
		const md = new vscode.MarkdownString(undefined, true);
		md.isTrusted = { enabledCommands: [Commands.showHardwareComparison, Commands.stopMeasuring] };
		md.appendText(`${m.url}\n\n${m.verdictText}\n\n`);
		md.appendText(
			`${int(m.generationTokensPerSecond)} tok/s generated · ${m.runningRequests} running · ` +
				`MBU ${m.mbu === null ? '?' : `${Math.round(m.mbu * 100)} %`} · against ${m.basis}\n\n`,
		);
		if (m.lastError) md.appendText(`Last attempt failed: ${m.lastError}\n\n`);
		const args = m.uri ? [m.uri, m.workload ?? 0] : [];
		const show = `command:${Commands.showHardwareComparison}?${encodeURIComponent(JSON.stringify(args))}`;
		md.appendMarkdown(`[Show in Panel](${show}) · [Stop Measuring](command:${Commands.stopMeasuring})`);
		this.item.tooltip = md;
		this.item.command = { title: 'Show in Panel', command: Commands.showHardwareComparison, arguments: args };
		this.sink.measured(m);
	}

	private async announce(m: MeasuredParams): Promise<void> {
		const choice = await vscode.window.showInformationMessage(
			`Inference Meter: ${int(m.generationTokensPerSecond)} tok/s, ${m.verdictText}. Watching every ${m.intervalSeconds} s.`,
			'Show in Panel',
			'Stop Measuring',
		);
		if (choice === 'Show in Panel') await this.sink.showInPanel(this.last ?? m);
		else if (choice === 'Stop Measuring') this.stopCommand();
	}

	stop(): void {
		this.session++;
		this.cancel?.cancel();
		this.cancel?.dispose();
		this.cancel = undefined;
		this.item.hide();
		setMeasuringContext(false);
		if (this.last?.watching) {
			this.last = { ...this.last, watching: false };
			this.sink.measured(this.last);
		}
	}

	dispose(): void {
		this.stop();
		this.item.dispose();
	}
}

/** `inferenceMeter.measuring` drives the `when` clause that shows Stop Measuring only while it can act. */
function setMeasuringContext(on: boolean): void {
	void vscode.commands.executeCommand('setContext', 'inferenceMeter.measuring', on);
}
