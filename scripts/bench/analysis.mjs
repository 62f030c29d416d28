// In-process analysis timings against the product code: a small entry re-exporting analyzeDocument is
// bundled with esbuild (the same bundler and options as dist/) into a temporary folder next to a copy of
// the tree-sitter grammars, then loaded into this process.
import * as esbuild from 'esbuild';
import { cpSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXTENSIONS, generate } from './generate.mjs';
import { linearGrowth, summarize } from './stats.mjs';

/** The typical file of each kind whose warm median is held to the budget. */
export const TYPICAL = {
	yaml: 'samples/kubernetes/vllm-h100-tp2.yaml',
	python: 'samples/python/vllm_offline.py',
	typescript: 'samples/transformers.js/chat.ts',
};
const COMMENT = { yaml: '#', python: '#', typescript: '//' };
/**
 * Typing into a number the estimate depends on: the context length of the YAML and Python samples (a new
 * value misses every estimate cache, the coupling candidates included), max_new_tokens in the TypeScript one.
 */
const EDIT = {
	yaml: { re: /(MAX_MODEL_LEN\s+value: ")(\d+)/, value: (i) => String(32768 - 16 * i) },
	python: { re: /(MAX_LEN = )([^\n]+)/, value: (i) => String(32768 - 16 * i) },
	typescript: { re: /(max_new_tokens: )(\d+)/, value: (i) => String(256 + i) },
};

/** Bundles the analysis entry into `tmp` and loads it. */
export async function loadAnalysis(root, tmp) {
	const outfile = path.join(tmp, 'analysis.cjs');
	await esbuild.build({
		stdin: {
			contents: "export { analyzeDocument } from './server/src/analysis/analyze';",
			resolveDir: root,
			loader: 'ts',
		},
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['vscode'],
		loader: { '.json': 'json' },
		logLevel: 'error',
	});
	cpSync(path.join(root, 'dist', 'wasm'), path.join(tmp, 'wasm'), { recursive: true });
	return createRequire(import.meta.url)(outfile);
}

/**
 * Times `runs` analyses after `warmup` untimed ones. Each run gets a different trailing comment so that no
 * cache keyed on the text can answer (typing changes the text too).
 */
async function time(analyze, kind, file, text, warmup, runs, options = {}, edit = false) {
	const ms = [];
	let last;
	for (let i = 0; i < warmup + runs; i++) {
		const variant = edit
			? text.replace(EDIT[kind].re, (_, key) => key + EDIT[kind].value(i))
			: `${text}\n${COMMENT[kind]} bench ${i}\n`;
		const t0 = performance.now();
		last = await analyze({ path: file, text: variant }, options);
		const dt = performance.now() - t0;
		if (i >= warmup) ms.push(dt);
	}
	return { ...summarize(ms), workloads: last.workloads.length, findings: last.findings.length };
}

/**
 * @param {{ root: string, tmp: string, quick: boolean, log: (s: string) => void }} o
 */
export async function benchAnalysis({ root, tmp, quick, log }) {
	const { analyzeDocument } = await loadAnalysis(root, tmp);
	const result = { typical: {}, edit: {}, cold: {}, growth: {} };
	// Cold: the first analysis of each kind in this process (lazy loads of the parsers happen here).
	for (const [kind, rel] of Object.entries(TYPICAL)) {
		const file = path.join(root, rel);
		const text = readFileSync(file, 'utf8');
		const t0 = performance.now();
		await analyzeDocument({ path: file, text }, {});
		result.cold[kind] = Math.round((performance.now() - t0) * 100) / 100;
	}
	for (const [kind, rel] of Object.entries(TYPICAL)) {
		const file = path.join(root, rel);
		const text = readFileSync(file, 'utf8');
		// The same in --quick: a few ms each, and with fewer warm-up runs the code is not yet optimized (a
		// quick run read 4 ms where a full one read 1.3 ms for the same YAML).
		const [warmup, runs] = [30, 60];
		if (!EDIT[kind].re.test(text)) throw new Error(`${rel} no longer has the value the edit runs change`);
		result.typical[kind] = { file: rel, ...(await time(analyzeDocument, kind, file, text, warmup, runs)) };
		result.edit[kind] = await time(analyzeDocument, kind, file, text, warmup, runs, {}, true);
		log(
			`  analyze ${kind.padEnd(10)} ${rel}: p50 ${result.typical[kind].p50} ms, p95 ${result.typical[kind].p95} ms; ` +
				`with a new value each run p50 ${result.edit[kind].p50} ms, p95 ${result.edit[kind].p95} ms`,
		);
	}
	// A file with no workload (ordinary TypeScript, 10k lines): the keyword pre-filter should make it ~free.
	const plain = Array.from(
		{ length: 10_000 },
		(_, i) => `export const f${i} = (a: number): number => a * ${i};`,
	);
	result.noWorkload = await time(
		analyzeDocument,
		'typescript',
		path.join(tmp, 'plain.ts'),
		plain.join('\n'),
		3,
		20,
	);
	log(`  analyze a 10k-line TypeScript file with no workload: p50 ${result.noWorkload.p50} ms`);
	const sizes = quick ? [1000, 10000] : [1000, 10000, 100000];
	const plan = { 1000: [3, 10], 10000: [1, 5], 100000: [1, 3] };
	for (const kind of Object.keys(TYPICAL)) {
		const rows = [];
		for (const lines of sizes) {
			const g = generate(kind, lines);
			const file = path.join(tmp, `generated-${lines}.${EXTENSIONS[kind]}`);
			const [warmup, runs] = plan[lines];
			// The growth inputs are far above the editor's size limit on purpose: the time is what is measured.
			const t = await time(analyzeDocument, kind, file, g.text, warmup, runs, { maxFileBytes: Infinity });
			rows.push({ lines: g.lines, bytes: Buffer.byteLength(g.text), blocks: g.blocks, ...t });
			log(
				`  growth  ${kind.padEnd(10)} ${String(g.lines).padStart(6)} lines: p50 ${t.p50} ms ` +
					`(${t.workloads} workloads, ${t.findings} findings)`,
			);
		}
		const small = rows.at(-2);
		const large = rows.at(-1);
		result.growth[kind] = {
			rows,
			check: {
				from: small.lines,
				to: large.lines,
				...linearGrowth(
					{ size: small.lines, ms: small.p50 },
					{ size: large.lines, ms: large.p50 },
					GROWTH_FACTOR,
				),
			},
		};
	}
	return result;
}

/** Time per line at the largest size may be at most this many times the time per line one size below. */
export const GROWTH_FACTOR = 2;
