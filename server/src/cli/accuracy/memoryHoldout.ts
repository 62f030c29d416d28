/**
 * Held-out start-up logs (issue #14's "Done when"): the memory plans scored on start-up logs that no
 * constant was read off (server/data/measurements/startup-holdout.csv). startup.csv is the tuning ledger
 * (physics/memoryPlan cites it); this file is only ever scored, with the very scoring of ./memory.ts, so the
 * two sections differ only in the rows. Rows were recorded before they were scored and are never moved into
 * startup.csv (startup-holdout.md says how they were chosen).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	MEMORY_TARGETS,
	defaultLedgerFile,
	evaluateMemory,
	readLedgerCsv,
	renderMemoryReport,
	type MemoryAccuracy,
} from './memory';

export const STARTUP_HOLDOUT_FILE = 'startup-holdout.csv';
export const HOLDOUT_TITLE = 'Held-out start-up logs';

export interface MemoryHoldout {
	file: string;
	/** Rows in the file, and per engine. */
	rows: number;
	byEngine: Record<string, number>;
	accuracy: MemoryAccuracy;
	summary: {
		vllmEndToEnd: number;
		vllmMedianAbsErrorPct: number;
		vllmWithin10Share: number;
		vllmFromLoggedMedianAbsErrorPct: number;
		refusalsLogged: number;
		refusalsPredicted: number;
		falseDoesNotFit: number;
		ollamaRows: number;
		ollamaHits: number;
		llamaCppRows: number;
		llamaCppExact: number;
	};
	/** Each "Done when" clause of issue #14 on these rows; undefined where no row tests it. */
	meets: {
		vllmKvCapacity?: boolean;
		refusals?: boolean;
		ollamaLayers?: boolean;
		llamaCppExact?: boolean;
	};
}

export function evaluateMemoryHoldout(records: Record<string, string>[], file = ''): MemoryHoldout {
	const accuracy = evaluateMemory(records, file);
	const byEngine: Record<string, number> = {};
	for (const r of records) byEngine[r.engine || '?'] = (byEngine[r.engine || '?'] ?? 0) + 1;
	const v = accuracy.vllm;
	const refusedIds = new Set(records.filter((r) => r.engine === 'vllm' && r.refusal).map((r) => r.id));
	const refusals = v.refusals.filter((r) => refusedIds.has(r.id));
	const endToEnd = v.rows.filter((x) => x.errorPct !== undefined && Number.isFinite(x.errorPct)).length;
	const ollamaHits = accuracy.ollama.rows.filter((o) => o.logged === o.predicted).length;
	const summary: MemoryHoldout['summary'] = {
		vllmEndToEnd: endToEnd,
		vllmMedianAbsErrorPct: v.medianAbsErrorPct,
		vllmWithin10Share: v.within10Share,
		vllmFromLoggedMedianAbsErrorPct: v.fromLoggedMedianAbsErrorPct,
		refusalsLogged: refusals.length,
		refusalsPredicted: refusals.filter((r) => r.predicted !== false).length,
		falseDoesNotFit: v.falseDoesNotFit,
		ollamaRows: accuracy.ollama.rows.length,
		ollamaHits,
		llamaCppRows: accuracy.llamaCpp.rows.length,
		llamaCppExact: accuracy.llamaCpp.exact,
	};
	const s = summary;
	return {
		file,
		rows: records.length,
		byEngine,
		accuracy,
		summary,
		meets: {
			vllmKvCapacity: s.vllmEndToEnd
				? s.vllmMedianAbsErrorPct <= MEMORY_TARGETS.vllmMedianAbsErrorPct &&
					s.vllmWithin10Share >= MEMORY_TARGETS.vllmWithin10Share
				: undefined,
			refusals:
				s.refusalsLogged || v.refusals.length
					? s.refusalsPredicted === s.refusalsLogged && s.falseDoesNotFit === 0
					: undefined,
			ollamaLayers: s.ollamaRows ? s.ollamaHits / s.ollamaRows >= MEMORY_TARGETS.ollamaHitShare : undefined,
			llamaCppExact: s.llamaCppRows ? s.llamaCppExact === s.llamaCppRows : undefined,
		},
	};
}

const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} %` : 'n/a');
const verdict = (m: boolean | undefined) => (m === undefined ? 'no rows' : m ? 'met' : 'NOT met');

/** The "Done when" lines, shared by the terminal text and docs/accuracy.md. */
function targetLines(h: MemoryHoldout): string[] {
	const s = h.summary;
	return [
		`vLLM KV capacity end to end: ${s.vllmEndToEnd} rows, median |error| ${pct(s.vllmMedianAbsErrorPct)}, within 10 %: ${pct(s.vllmWithin10Share * 100)} (target ≤ ${MEMORY_TARGETS.vllmMedianAbsErrorPct} % and ≥ ${MEMORY_TARGETS.vllmWithin10Share * 100} %): ${verdict(h.meets.vllmKvCapacity)}`,
		`vLLM KV capacity from the logged available memory: median |error| ${pct(s.vllmFromLoggedMedianAbsErrorPct)}`,
		`vLLM refusals predicted: ${s.refusalsPredicted} of ${s.refusalsLogged}; false "does not fit": ${s.falseDoesNotFit} (target all, none): ${verdict(h.meets.refusals)}`,
		`Ollama offloaded layers right: ${s.ollamaHits} of ${s.ollamaRows} (target ≥ ${MEMORY_TARGETS.ollamaHitShare * 100} %): ${verdict(h.meets.ollamaLayers)}`,
		`llama.cpp KV MiB exact: ${s.llamaCppExact} of ${s.llamaCppRows} (target all): ${verdict(h.meets.llamaCppExact)}`,
	];
}

export function renderMemoryHoldout(h: MemoryHoldout): string {
	const engines = Object.entries(h.byEngine)
		.map(([e, n]) => `${e} ${n}`)
		.join(', ');
	const out = [
		`${HOLDOUT_TITLE} (${h.file}: ${h.rows} rows — ${engines}; never used to choose a constant)`,
		...targetLines(h).map((l) => `  ${l}`),
		'',
		renderMemoryReport(h.accuracy).trimEnd(),
	];
	return `${out.join('\n')}\n`;
}

/** The docs/accuracy.md section: the headline per "Done when" clause, then the misses row by row. */
export function renderMemoryHoldoutMarkdown(h: MemoryHoldout): string {
	const a = h.accuracy;
	const out: string[] = [];
	out.push(`## ${HOLDOUT_TITLE} (memory plans, issue #14)`);
	out.push('');
	out.push(
		`Start-up logs from public issues that no memory-plan constant was read off: \`${h.file}\`, ${h.rows} rows (sources and the selection rule in \`startup-holdout.md\`). Scored exactly as the tuning ledger's memory section.`,
	);
	out.push('');
	for (const l of targetLines(h)) out.push(`- ${l.replace(/\|/g, '\\|')}`);
	out.push('');
	const vrows = a.vllm.rows.filter((v) => v.errorPct !== undefined && Number.isFinite(v.errorPct));
	if (vrows.length) {
		out.push('| vLLM row | logged tokens | from logged memory | end to end | error |');
		out.push('|---|---|---|---|---|');
		for (const v of vrows)
			out.push(
				`| ${v.id} | ${v.logged} | ${v.fromLoggedMemory ?? '—'} | ${v.predicted ?? '—'} | ${pct(v.errorPct!)} |`,
			);
		out.push('');
	}
	const misses = a.ollama.rows.filter((o) => o.logged !== o.predicted);
	if (misses.length) {
		out.push('| Ollama miss | logged layers | predicted |');
		out.push('|---|---|---|');
		for (const o of misses) out.push(`| ${o.id} | ${o.logged} | ${o.predicted} |`);
		out.push('');
	}
	return out.join('\n');
}

/** The hook the accuracy command calls; undefined when the held-out file is not there. */
export function memoryHoldoutSection(
	cwd: string,
	json: boolean,
): { text: string; markdown: string; data: MemoryHoldout } | undefined {
	const file = defaultLedgerFile(cwd, STARTUP_HOLDOUT_FILE);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
	const data = evaluateMemoryHoldout(readLedgerCsv(text), path.relative(cwd, file) || file);
	return { text: json ? '' : renderMemoryHoldout(data), markdown: renderMemoryHoldoutMarkdown(data), data };
}
