/**
 * The meter's public API for the CLI, the language server and the panel: benchmark files and live
 * /metrics set against the physics roofline, and the local bandwidth probe. See docs/meter.md.
 */
import {
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
	type Catalog,
} from '../analysis/catalog';
import { estimate } from '../analysis/physics';
import type { MeterDeps } from './types';

export type { MeterDeps, MeterOverrides, MeterReport, MeterRun } from './types';
export { meterLlamaBench, meterVllmBench } from './importers';
export type { LiveEnv, LiveOutcome, LiveReport } from './liveMeter';
export { meterLive } from './liveMeter';
export type { ScrapeOptions, ScrapeResult } from './scrape';
export { DEFAULT_SCRAPE, checkMetricsUrl, scrapeMetrics } from './scrape';
export type { Verdict, Cause } from './verdict';
export { WELL_USED_MBU, COMPUTE_BOUND_MFU } from './verdict';
export { parsePrometheusText } from './prometheus';
export type { ProbeReport, ProbeOptions } from './probe';
export { probeBandwidth, defaultThreadCount } from './probe';
export { LOCAL_MACHINE_ID, localMachineEntry, upsertHardware } from './userCatalog';
export { renderFileReport, renderLiveReport } from './render';

/** The real catalog and physics behind the meter (tests inject hand-made ones); lookups default to `catalog`. */
export function meterDeps(catalog: Catalog): MeterDeps {
	return {
		catalog,
		resolveModel: (q, c) => resolveModel(q, (c as Catalog | undefined) ?? catalog),
		resolveHardware: (q, c) => resolveHardware(q, (c as Catalog | undefined) ?? catalog),
		resolveFormat: (n, c) => resolveFormat(n, (c as Catalog | undefined) ?? catalog),
		resolveKvDtype: (n, c) => resolveKvDtype(n, (c as Catalog | undefined) ?? catalog),
		estimate,
	};
}
