/**
 * The pure analysis code the webview runs in the browser, so what-ifs and the whole-catalog comparison
 * recompute with no round trip to the extension host.
 */
import { getCatalog, resolveFormat, resolveKvDtype } from '../../server/src/analysis/catalog';
import {
	DEFAULT_LATENCY_TARGET,
	DEFAULT_PRICING,
	DEVICE_CAP,
	estimate,
} from '../../server/src/analysis/physics';
import { DECODE_CONTEXT, PROMPT_TOKENS } from '../../server/src/analysis/resolve/defaults';
import type { AnalysisEngine } from './engine';

export function builtInEngine(): AnalysisEngine {
	const catalog = getCatalog();
	return {
		catalog,
		estimate,
		resolveFormat: (n) => resolveFormat(n, catalog),
		resolveKvDtype: (n) => resolveKvDtype(n, catalog),
		defaultPricing: DEFAULT_PRICING,
		decodeContext: DECODE_CONTEXT,
		promptTokens: PROMPT_TOKENS,
		defaultTokensPerSecondPerUser: DEFAULT_LATENCY_TARGET.tokensPerSecondPerUser,
		deviceCap: (hw) => DEVICE_CAP[hw.deviceClass] ?? 1024,
	};
}
