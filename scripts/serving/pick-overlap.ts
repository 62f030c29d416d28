/**
 * Picks STEP_OVERLAP_PENALTY (server/src/analysis/physics/serving.ts) from the serving ledger: the share of
 * min(memory, compute) of a step that does not hide under the longer of the two. Grid 0…1 in steps of 0.05;
 * the score is the median |error| over every published number (output tok/s, TTFT and ITL pooled, each
 * published value counted once). Prints the grid and the pick.
 * Run: node --import tsx scripts/serving/pick-overlap.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../server/src/cli/accuracyCommand';
import { evaluateServingRows } from '../../server/src/cli/accuracy/serving';

const file = path.resolve(__dirname, '../../server/data/measurements/serving.csv');
const records = parseCsv(readFileSync(file, 'utf8'));
function median(xs: number[]): number {
	const v = [...xs].sort((a, b) => a - b);
	const m = Math.floor(v.length / 2);
	return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

let best = { k: NaN, score: Infinity };
for (let i = 0; i <= 20; i++) {
	const k = i / 20;
	const s = evaluateServingRows(records, k).summary;
	const errors = evaluateServingRows(records, k).rows.flatMap((r) =>
		[r.errorPct.throughput, r.errorPct.ttft, r.errorPct.itl]
			.filter((x): x is number => x !== undefined)
			.map(Math.abs),
	);
	const score = median(errors);
	console.log(
		`κ=${k.toFixed(2)}  thr ${s.throughput.medianAbsErrorPct.toFixed(1)} %  TTFT ${s.ttft.medianAbsErrorPct.toFixed(1)} %  ITL ${s.itl.medianAbsErrorPct.toFixed(1)} %  above roofline ${s.aboveRoofline}  score ${score.toFixed(2)}`,
	);
	if (score < best.score - 1e-9 && s.aboveRoofline === 0) best = { k, score };
}
console.log(`pick: STEP_OVERLAP_PENALTY = ${best.k}`);
