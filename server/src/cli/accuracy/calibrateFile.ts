/**
 * `npm run calibrate`: reads the measurement ledger, chooses every data-chosen decode constant and writes
 * server/data/decode-constants.json (value, what it is, how many rows chose it). The physics reads that file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CALIBRATED, type ConstantsFile } from '../../analysis/physics/calibration';
import { parseCsv } from './csv';
import { calibrate, MIN_ROWS } from './calibrate';
import { loadLedger } from './ledger';
import { predict } from './score';

export const LEDGER_FILE = path.join('server', 'data', 'measurements', 'decode.csv');
export const CONSTANTS_FILE = path.join('server', 'data', 'decode-constants.json');

export function calibrationFile(root: string, today: string): { file: ConstantsFile; summary: string[] } {
	const records = parseCsv(readFileSync(path.join(root, LEDGER_FILE), 'utf8'));
	const loaded = loadLedger(records);
	const rows = loaded.rows.filter((r) => Number.isFinite(predict(r).predicted));
	const skipped = [...loaded.skipped, ...loaded.rows.filter((r) => !rows.includes(r))];
	const result = calibrate(rows);
	const constants: ConstantsFile['constants'] = {};
	const summary: string[] = [];
	for (const [name, c] of Object.entries(result.constants)) {
		constants[name] = { value: c.value, what: CALIBRATED[name].what, rows: c.rows, chosenBy: c.chosenBy };
		summary.push(
			`${name.padEnd(32)} ${String(c.value).padStart(8)}  ${
				c.chosenBy === 'calibrated'
					? `chosen by ${c.rows} rows`
					: c.chosenBy === 'pooled'
						? `median of its pool (fewer than ${MIN_ROWS} rows of its own)`
						: `prior (fewer than ${MIN_ROWS} rows)`
			}`,
		);
	}
	const file: ConstantsFile = {
		about:
			'Data-chosen decode constants, written by `npm run calibrate` from server/data/measurements/decode.csv (least absolute log error per constant over the rows it influences, within physical bounds). Do not edit by hand: re-run the script. Priors, bounds and meaning: server/src/analysis/physics/calibrationTable.ts.',
		ledger: {
			file: LEDGER_FILE.split(path.sep).join('/'),
			rows: records.length,
			usable: rows.length,
			date: today,
		},
		constants,
	};
	summary.push(`${rows.length} usable rows of ${records.length} (${skipped.length} skipped)`);
	return { file, summary };
}

export function writeCalibration(root: string): string[] {
	const { file, summary } = calibrationFile(root, new Date().toISOString().slice(0, 10));
	writeFileSync(path.join(root, CONSTANTS_FILE), `${JSON.stringify(file, null, '\t')}\n`);
	return [...summary, `wrote ${CONSTANTS_FILE}`];
}
