/**
 * The meter's public API for the CLI, the language server and the panel: benchmark files and live
 * /metrics set against the physics roofline, and the local bandwidth probe. See docs/meter.md.
 */
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
