// Fills empty hardware_id / model_id cells of the decode ledger with catalog ids, using the
// catalog's own resolvers (resolveHardware / resolveModel), so a label gets an id only when the
// tool itself would resolve it. Ledger labels carry context in parentheses and after commas
// ("NVIDIA RTX A6000 48GB (Ampere)", "deepseek-r1:14b (Qwen2.5-14B distill, Q4_K_M)"); the
// candidates below peel that context off step by step, and the first one the resolver accepts
// wins. No prefix guessing: "RTX 4070 Ti Super" never becomes "RTX 4070 Ti".
//
// Usage: node --import tsx scripts/ledger/fill-ids.mjs [ledger.csv] [--dry-run]
// Only the two id columns change; every other byte of every row is kept. The file is written to
// a temporary file next to it and renamed, and the rename is skipped when the ledger changed on
// disk while this ran (someone else is editing it: run again).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveHardware, resolveModel } from '../../server/src/analysis/catalog/index.ts';
import { hardwareCandidates, modelCandidates, splitCsv, unquote } from './labels.mjs';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const file = path.resolve(args.find((a) => !a.startsWith('--')) ?? '/work/ledger/decode.csv');

function firstResolved(candidates, resolve) {
	for (const c of candidates) {
		const r = resolve(c);
		if (r.ok) return { id: (r.hardware ?? r.model).id, via: c };
	}
	return undefined;
}

/** "4x NVIDIA …" must agree with the devices column, or the row's layout is unclear. */
function multiplierConflict(label, devices) {
	const m = /^\s*(\d+)\s*x\s+/i.exec(label);
	return m !== null && devices !== '' && Number(m[1]) !== Number(devices);
}

function main() {
	const before = readFileSync(file, 'utf8');
	const records = splitCsv(before);
	const header = records[0].fields.map(unquote);
	const col = (name) => {
		const i = header.indexOf(name);
		if (i < 0) throw new Error(`${file}: no "${name}" column`);
		return i;
	};
	const [hwId, hwLabel, mId, mLabel, devices] = [
		col('hardware_id'),
		col('hardware_label'),
		col('model_id'),
		col('model_label'),
		col('devices'),
	];
	const filled = { hardware: new Map(), model: new Map() };
	const left = { hardware: new Map(), model: new Map() };
	const skipped = [];
	let rowsTouched = 0;
	const count = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
	for (const rec of records.slice(1)) {
		const f = rec.fields;
		if (f.length !== header.length)
			throw new Error(`${file}: a row has ${f.length} fields, header has ${header.length}`);
		let touched = false;
		if (unquote(f[hwId]) === '') {
			const label = unquote(f[hwLabel]);
			const hit = firstResolved(hardwareCandidates(label), (q) => resolveHardware(q));
			if (hit && multiplierConflict(label, unquote(f[devices])))
				skipped.push(`${label} (devices=${unquote(f[devices])})`);
			else if (hit) {
				f[hwId] = hit.id;
				count(filled.hardware, `${hit.id} <- ${label}`);
				touched = true;
			} else count(left.hardware, label);
		}
		if (unquote(f[mId]) === '') {
			const label = unquote(f[mLabel]);
			const hit = firstResolved(modelCandidates(label), (q) => resolveModel(q));
			if (hit) {
				f[mId] = hit.id;
				count(filled.model, `${hit.id} <- ${label}`);
				touched = true;
			} else count(left.model, label);
		}
		if (touched) rowsTouched++;
	}
	const show = (title, map) => {
		const n = [...map.values()].reduce((a, b) => a + b, 0);
		console.log(`\n${title}: ${n} rows`);
		for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]))
			console.log(`  ${String(v).padStart(3)}  ${k}`);
	};
	show('hardware_id filled', filled.hardware);
	show('model_id filled', filled.model);
	show('hardware_id still empty', left.hardware);
	show('model_id still empty', left.model);
	if (skipped.length)
		console.log(`\nskipped (label multiplier disagrees with devices):\n  ${skipped.join('\n  ')}`);
	console.log(`\n${rowsTouched} of ${records.length - 1} rows got at least one id.`);
	if (dryRun || rowsTouched === 0) return;
	const text = records.map((r) => r.fields.join(',') + r.eol).join('');
	const tmp = `${file}.fill-ids.${process.pid}.tmp`;
	writeFileSync(tmp, text);
	if (readFileSync(file, 'utf8') !== before) {
		console.error(
			`${file} changed on disk while this ran; not replacing it (temp file left at ${tmp}). Run again.`,
		);
		process.exitCode = 1;
		return;
	}
	renameSync(tmp, file);
	console.log(`wrote ${file}`);
}

main();
