/**
 * `inferenceMeter/meterLive`: the editor's Measure Running Server. Scrapes the URL the user confirmed twice
 * (the meter's deadline and size cap on each GET), and sets the rates against the roofline of the active
 * document's workload — its model, weight format, KV dtype, hardware and device count — or, without one,
 * the model the metrics name and the target hardware from the settings.
 */
import { getCatalog, type Catalog } from '../analysis/catalog';
import { checkMetricsUrl, DEFAULT_SCRAPE, meterDeps, meterLive, scrapeMetrics } from '../meter';
import type { LiveEnv } from '../meter';
import type { MeterDeps, MeterOverrides } from '../meter/types';
import { isAuto, type InferenceMeterSettings } from '../shared/settings';
import { SERVER_DEFAULT } from '../analysis/resolve/target';
import type { MeterLiveParams, MeterLiveResult } from '../shared/protocol';
import type { DocumentAnalysis } from '../analysis/types';

/** Seconds between the two scrapes: short enough for tests, long enough to see a token counter move. */
export const MIN_INTERVAL_S = 0.05;
export const MAX_INTERVAL_S = 300;

export interface MeterLiveInputs {
	settings: InferenceMeterSettings;
	catalog: Catalog;
	/** The analysis of `params.textDocument`, when it is open on the server. */
	analysis?: DocumentAnalysis;
	/** Workspace-relative-ish name of the document, for the basis line. */
	documentName?: string;
	env?: LiveEnv;
}

const REAL_ENV: LiveEnv = {
	scrape: scrapeMetrics,
	now: () => performance.now(),
	sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** Model, formats and hardware from the document's workload, or from the settings when there is none. */
function overridesFor(
	params: MeterLiveParams,
	inp: MeterLiveInputs,
	deps: MeterDeps,
): { o: MeterOverrides; basis: string; workload?: number } {
	const ws = inp.analysis?.workloads ?? [];
	const index =
		params.workload !== undefined && ws[params.workload]?.estimate
			? params.workload
			: ws.findIndex((w) => w.estimate);
	const chosen = index >= 0 ? ws[index] : undefined;
	const e = chosen?.estimate;
	if (chosen && e) {
		// The name as the file writes it is what vLLM reports as model_name; it resolves as the analysis did.
		const written = chosen.workload.model.value;
		const model = written && deps.resolveModel(written).ok ? written : e.modelId;
		const hardware = inp.catalog.hardware.find((h) => h.id === e.hardwareId);
		return {
			o: { model, weights: e.weightsFormat, kvDtype: e.kvDtype, hardware, devices: e.devices },
			basis: `${inp.documentName ?? 'the document'} workload ${index + 1} (${e.modelId}, ${e.weightsFormat}, ${e.devices > 1 ? `${e.devices}× ` : ''}${e.hardwareId})`,
			workload: index,
		};
	}
	// An untouched setting is not a choice: the server default stands in, and the basis says so.
	const auto = isAuto(inp.settings.hardware);
	const id = auto ? SERVER_DEFAULT : inp.settings.hardware;
	const devices = Math.max(1, inp.settings.devices);
	const hw = deps.resolveHardware(id);
	return {
		o: { hardware: hw.ok ? hw.hardware : undefined, devices },
		basis: `the model the metrics name, on ${devices > 1 ? `${devices}× ` : ''}${id} (${auto ? 'default; inferenceMeter.hardware is auto' : 'inferenceMeter.hardware'})`,
	};
}

export async function runMeterLive(
	params: MeterLiveParams,
	inp: MeterLiveInputs,
): Promise<MeterLiveResult | { error: string }> {
	if (typeof params.url !== 'string') return { error: 'No URL given.' };
	const checked = checkMetricsUrl(params.url.trim());
	if (typeof checked === 'string') return { error: checked };
	const requested = params.intervalSeconds ?? inp.settings.meter.intervalSeconds;
	if (!(typeof requested === 'number' && requested >= MIN_INTERVAL_S && requested <= MAX_INTERVAL_S))
		return { error: `The interval must be between ${MIN_INTERVAL_S} and ${MAX_INTERVAL_S} seconds.` };
	const deps = meterDeps(inp.catalog ?? getCatalog());
	const { o, basis, workload } = overridesFor(params, inp, deps);
	const out = await meterLive(checked.href, requested * 1000, DEFAULT_SCRAPE, deps, o, inp.env ?? REAL_ENV);
	if (!out.ok) return { error: out.message };
	return {
		report: out.report,
		basis,
		...(workload !== undefined && params.textDocument ? { uri: params.textDocument.uri, workload } : {}),
	};
}
