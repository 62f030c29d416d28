/**
 * The hardware comparison: the scenario estimated on every catalog device, each on the fewest devices of its
 * kind that hold the workload (1, 2, 4, … up to the class's cap), so each row answers "fits on how many".
 */
import type { HardwareSpec, SpectrumClass } from '../../server/src/analysis/catalog/types';
import { SPECTRUM_ORDER } from '../../server/src/analysis/catalog/types';
import type { Estimate } from '../../server/src/analysis/physics/types';
import type { PanelSettings } from '../../server/src/shared/webviewProtocol';
import type { AnalysisEngine } from './engine';
import { startupCheck, toInput, type Scenario } from './scenario';

export interface Row {
	hw: HardwareSpec;
	/** Devices the numbers are for: the scenario's count, or the smallest larger count that fits. */
	devices: number;
	fits: boolean;
	est?: Estimate;
	/** Why there are no numbers (hardwired to another model, estimator error). */
	note?: string;
	/** The full reason behind a short note (shown on hover). */
	detail?: string;
	isTarget: boolean;
}

/** Largest device count tried when the engine names no cap: SRAM-only parts (Groq: 230 MB per chip) need hundreds. */
export const MAX_DEVICES = 1024;

/** 1, 2, 4, … up to the cap: the fewest devices of a kind that hold the workload. */
function deviceCounts(cap: number): number[] {
	const out = [1];
	for (let n = 2; n <= Math.min(cap, MAX_DEVICES); n *= 2) out.push(n);
	return out;
}

export function compareRow(
	sc: Scenario,
	eng: AnalysisEngine,
	settings: PanelSettings | undefined,
	hw: HardwareSpec,
): Row {
	const isTarget = hw.id === sc.hardwareId;
	if (hw.fixedModels && !hw.fixedModels.includes(sc.modelId))
		return { hw, devices: sc.devices, fits: false, isTarget, note: 'hardwired to other models' };
	let first: Estimate | undefined;
	// The target keeps the user's count so its row matches the header; the others show the fewest that fit.
	const cap = Math.min(eng.deviceCap?.(hw) ?? MAX_DEVICES, MAX_DEVICES);
	for (const n of isTarget ? [sc.devices] : deviceCounts(cap)) {
		const input = toInput(sc, eng, settings, hw.id, n);
		if ('error' in input)
			return { hw, devices: n, fits: false, isTarget, note: 'no estimate', detail: input.error };
		let est: Estimate;
		try {
			est = eng.estimate(input);
		} catch (err) {
			const detail = err instanceof Error ? err.message : String(err);
			return { hw, devices: n, fits: false, isTarget, note: 'no estimate', detail };
		}
		first ??= est;
		// "Fits" is what the engine checks at start-up too: one sequence of the configured context.
		if (est.memory.fits && startupCheck(sc, eng, settings, hw.id, n)?.fits !== false)
			return { hw, devices: n, fits: true, est, isTarget };
	}
	return { hw, devices: isTarget ? sc.devices : cap, fits: false, est: first, isTarget };
}

export function compareCatalog(
	sc: Scenario,
	eng: AnalysisEngine,
	settings: PanelSettings | undefined,
): Row[] {
	return eng.catalog.hardware.map((hw) => compareRow(sc, eng, settings, hw));
}

export type SortKey =
	'name' | 'class' | 'fits' | 'roofline' | 'expected' | 'total' | 'ttft' | 'cost' | 'energy';

/** Without a purchase price the physics' $/token is energy only: a lower bound, not comparable. */
export const hasPrice = (r: Row): boolean => (r.hw.priceUsd ?? 0) > 0;
/** Without a TDP there is no J/token (the physics reports 0). */
export const hasPower = (r: Row): boolean => (r.hw.tdpW ?? 0) > 0;

/** Rows without numbers sort last whatever the direction: missing data is never "best". */
function metric(r: Row, key: SortKey): number | string | undefined {
	const e = r.fits ? r.est : undefined;
	switch (key) {
		case 'name':
			return r.hw.name.toLowerCase();
		case 'class':
			return SPECTRUM_ORDER.indexOf(r.hw.spectrum);
		case 'fits':
			return r.fits ? r.devices : undefined;
		case 'roofline':
			return e?.decode.rooflineTokensPerSecondPerUser;
		case 'expected':
			return e?.decode.expectedTokensPerSecondPerUser;
		case 'total':
			return e?.decode.tokensPerSecondTotal;
		case 'ttft':
			return e?.prefill.ttftSeconds;
		case 'cost':
			return hasPrice(r) ? e?.cost?.usdPerMillionTokens : undefined;
		case 'energy':
			return hasPower(r) ? e?.cost?.joulesPerToken : undefined;
	}
}

export function sortRows(rows: Row[], key: SortKey, descending: boolean): Row[] {
	return [...rows].sort((a, b) => {
		const x = metric(a, key);
		const y = metric(b, key);
		const xm = x === undefined || (typeof x === 'number' && !Number.isFinite(x));
		const ym = y === undefined || (typeof y === 'number' && !Number.isFinite(y));
		if (xm || ym) return xm === ym ? a.hw.name.localeCompare(b.hw.name) : xm ? 1 : -1;
		const c = typeof x === 'string' ? x.localeCompare(y as string) : (x as number) - (y as number);
		return (descending ? -c : c) || a.hw.name.localeCompare(b.hw.name);
	});
}

export function filterRows(rows: Row[], cls: SpectrumClass | 'all', fitsOnly: boolean): Row[] {
	return rows.filter((r) => (cls === 'all' || r.hw.spectrum === cls) && (!fitsOnly || r.fits || r.isTarget));
}
