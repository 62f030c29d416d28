/**
 * Data-chosen decode constants at run time. Each one is a knob whose value `npm run calibrate` chooses from the
 * public measurement ledger (server/data/measurements/decode.csv) and writes to server/data/decode-constants.json;
 * the physics reads the active value here. What each constant is, its prior and its bounds: calibrationTable.ts.
 * The prior is used when the ledger has too few rows to choose a value, and the constants file says so.
 * Hand-derived physical constants (per-thread DRAM bandwidth, vendor token latencies, kernel counts) stay in
 * efficiency.ts with their sources; they are not in the table.
 */
import constantsJson from '../../../data/decode-constants.json';
import { CALIBRATED } from './calibrationTable';
export { CALIBRATED, type CalibratedConstant } from './calibrationTable';

export type ConstantName = keyof typeof CALIBRATED;

/** One entry of the committed constants file. */
export interface ChosenConstant {
	value: number;
	what: string;
	/** Ledger rows whose fit chose the value (0 = prior kept). */
	rows: number;
	/** 'calibrated' when the script chose it; 'pooled' when it borrowed its pool's median; 'prior' otherwise. */
	chosenBy: 'calibrated' | 'pooled' | 'prior';
}

export interface ConstantsFile {
	about: string;
	ledger: { file: string; rows: number; usable: number; date: string };
	constants: Record<string, ChosenConstant>;
}

function fromFile(): Record<string, number> {
	const file = constantsJson as unknown as Partial<ConstantsFile>;
	const out: Record<string, number> = {};
	for (const [k, v] of Object.entries(file.constants ?? {})) {
		if (k in CALIBRATED && typeof v?.value === 'number' && Number.isFinite(v.value)) out[k] = v.value;
	}
	return out;
}

function priors(): Record<string, number> {
	return Object.fromEntries(Object.entries(CALIBRATED).map(([k, c]) => [k, c.prior]));
}

let active: Record<string, number> = { ...priors(), ...fromFile() };

/** The value the physics uses now for a data-chosen constant. */
export function constant(name: string): number {
	const v = active[name];
	if (v === undefined) throw new Error(`unknown calibrated constant ${name}`);
	return v;
}

/** Every active value (committed file over priors). */
export function activeConstants(): Record<string, number> {
	return { ...active };
}

/** The committed file's values over the priors (what a fresh process uses). */
export function committedConstants(): Record<string, number> {
	return { ...priors(), ...fromFile() };
}

export function priorConstants(): Record<string, number> {
	return priors();
}

/**
 * Runs `fn` with other constant values (the calibration script and cross-validation); restores the
 * previous values afterwards, also when `fn` throws.
 */
export function withConstants<T>(values: Record<string, number>, fn: () => T): T {
	const saved = active;
	active = { ...saved, ...values };
	try {
		return fn();
	} finally {
		active = saved;
	}
}
