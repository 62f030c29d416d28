/**
 * What the webview needs from the pure analysis code. The browser bundle gets the real catalog and physics
 * (builtinEngine.ts); tests can hand in small hand-made catalogs.
 */
import type {
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
} from '../../server/src/analysis/catalog/types';
import type { Estimate, EstimateInput, PricingInput } from '../../server/src/analysis/physics/types';

export interface EngineCatalog {
	hardware: HardwareSpec[];
	models: ModelSpec[];
	formats: FormatSpec[];
	kvDtypes: KvDtypeSpec[];
}

export interface AnalysisEngine {
	catalog: EngineCatalog;
	estimate(input: EstimateInput, catalogHardware?: HardwareSpec[]): Estimate;
	resolveFormat(name: string): FormatSpec | undefined;
	resolveKvDtype(name: string): KvDtypeSpec | undefined;
	defaultPricing: PricingInput;
	/** Tokens in each sequence's KV cache at the decode step, and the prompt length (the server's defaults). */
	decodeContext?: number;
	promptTokens?: number;
	/** Tok/s per user a recommendation must meet when the user set no latency target. */
	defaultTokensPerSecondPerUser?: number;
	/** Most devices one deployment of this kind uses (a GPU node, a rack of SRAM chips); default 1024. */
	deviceCap?(hw: HardwareSpec): number;
}
