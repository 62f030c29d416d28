/**
 * Memory accuracy: the start-up memory plans (physics/memoryPlan) against the start-up logs users posted
 * in public issues (server/data/measurements/startup.csv). Three questions, one per engine:
 *   vLLM      "GPU KV cache size: N tokens" — end to end from the catalog (device memory, weights, plan),
 *             and from the logged "Available KV cache memory" (block arithmetic alone); refusals predicted.
 *   Ollama    layers.offload from the logged estimator inputs (memory.go step for step).
 *   llama.cpp "KV self size … MiB" exact.
 * "before" is the rule this project used until issue #14 (catalog GB × utilization − weights − fixed
 * overhead) so the report shows what changed. Nothing here is fitted to the rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseCsv } from './csv';
import path from 'node:path';
import {
	getCatalog,
	resolveFormat,
	resolveHardware,
	resolveKvDtype,
	resolveModel,
} from '../../analysis/catalog/index';
import type { HardwareSpec, KvDtypeSpec, ModelSpec } from '../../analysis/catalog/types';
import {
	cudaComputeMajor,
	engineVisibleMemory,
	isBigGpu,
	llamaCppKv,
	ollamaEstimateLayers,
	ollamaEstimatorRules,
	vllmAllReduce,
	vllmKvPool,
	vllmPlan,
} from '../../analysis/physics/memoryPlan';
import { routedExpertPaddingBytes, weightBytes } from '../../analysis/physics/weights';
import { llamaCppKvLayers, llamaCppKvRule } from '../../analysis/physics/memoryPlan/llamacppKvRules';
import { ggufBlockBytes } from '../../analysis/physics/memoryPlan/ollamaBlocks';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export const MEMORY_TARGETS = {
	vllmMedianAbsErrorPct: 3,
	vllmWithin10Share: 0.9,
	ollamaHitShare: 0.9,
} as const;

/** The ledgers' shared CSV reader, under the name this module's callers use. */
export const readLedgerCsv = parseCsv;

/** A start-up ledger beside the built CLI or the sources: startup.csv, or another file of the same shape. */
export function defaultLedgerFile(cwd: string, name = 'startup.csv'): string {
	const candidates = [
		path.resolve(__dirname, '..', 'server', 'data', 'measurements', name),
		path.resolve(__dirname, '..', '..', '..', 'data', 'measurements', name),
		path.resolve(cwd, 'server', 'data', 'measurements', name),
	];
	return candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1];
}

const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : Number(s));

function median(xs: number[]): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface VllmRowResult {
	id: string;
	logged: number;
	/** From the logged available KV memory (block arithmetic only). */
	fromLoggedMemory?: number;
	/** End to end from the catalog. */
	predicted?: number;
	before?: number;
	errorPct?: number;
	beforeErrorPct?: number;
	fromLoggedErrorPct?: number;
}

export interface RefusalResult {
	id: string;
	predicted: boolean | 'borderline';
	before: boolean;
}

export interface MemoryAccuracy {
	file: string;
	vllm: {
		rows: VllmRowResult[];
		medianAbsErrorPct: number;
		within10Share: number;
		beforeMedianAbsErrorPct: number;
		beforeWithin10Share: number;
		fromLoggedMedianAbsErrorPct: number;
		refusals: RefusalResult[];
		falseDoesNotFit: number;
		beforeFalseDoesNotFit: number;
	};
	ollama: { rows: { id: string; logged: number; predicted: number }[]; hitShare: number };
	llamaCpp: {
		rows: { id: string; loggedMiB: number; predictedMiB: number; beforeMiB: number }[];
		exact: number;
		/** Catalog models whose sliding/full/no-KV layers the llama.cpp rule table accounts for. */
		catalog: { models: number; ruled: number; unexplained: string[] };
	};
	skipped: { id: string; reason: string }[];
}

interface Resolved {
	model: ModelSpec;
	hw?: HardwareSpec;
	kv: KvDtypeSpec;
}

function resolveRow(r: Record<string, string>, needHardware: boolean): Resolved | string {
	const catalog = getCatalog();
	if (!r.model) return 'model not named or not in the catalog';
	const m = resolveModel(r.model, catalog);
	if (!m.ok) return `model "${r.model}" not in the catalog`;
	const kv = resolveKvDtype(r.kv_dtype || 'bf16', catalog);
	if (!kv) return `KV dtype "${r.kv_dtype}" unknown`;
	if (!needHardware) return { model: m.model, kv };
	if (!r.hardware) return 'hardware not named';
	const h = resolveHardware(r.hardware, catalog);
	if (!h.ok) return `hardware "${r.hardware}" not in the catalog`;
	return { model: m.model, hw: h.hardware, kv };
}

/** The pre-#14 rule: 0.9 × catalog GB − weights − 0.6 GB context − 0.5 GB graphs − 0.3 GB NCCL, per token. */
function beforeKvBytes(
	model: ModelSpec,
	hw: HardwareSpec,
	weightsPerDevice: number,
	util: number,
	tp: number,
): number {
	const act =
		8192 *
		(4 * model.hidden +
			2 * (model.moe ? model.moe.expertIntermediate * model.moe.expertsPerToken : model.intermediate)) *
		2;
	const logits = 256 * model.vocab * 4;
	return (
		util * hw.memoryGB * 1e9 - weightsPerDevice - 0.6e9 - 0.5e9 - act / tp - logits - (tp > 1 ? 0.3e9 : 0)
	);
}

/**
 * The engine generation a row records from its log (V0 worker.py profiling lines, "Initializing a V1 LLM
 * engine"): evidence in the row, so the plan follows it over the version's default (e.g. 0.8.2 run as V0).
 */
function loggedGeneration(r: Record<string, string>): 'v0' | 'v1' | undefined {
	return r.generation === 'v0' || r.generation === 'v1' ? r.generation : undefined;
}

/**
 * Releases that had not come out by a date, from dated vLLM logs: a build of 2026-03-08 reports
 * "version 0.17.0rc1.dev149+g40077ea3d.d20260308" (vllm-project/vllm PR #30515, comment of 2026-03-08) and 0.17.1
 * was still a release candidate on 2026-03-13 (PR #36634 "fix mtp launch error in vllm-0.17.1-rc", log of 03-13),
 * so a log written before 2026-03-13 ran a release older than 0.18.0.
 */
const VLLM_NOT_YET_RELEASED: { before: string; versionBelow: string }[] = [
	{ before: '2026-03-13', versionBelow: '0.18.0' },
];

/**
 * For a row without a version, the newest release its log can have run, from the date the row records in its
 * source title ("…, 2026-03-03)"); undefined when the row records no date or the date rules nothing out.
 */
export function versionBelowFromRowDate(r: Record<string, string>): string | undefined {
	if (r.engine_version) return undefined;
	const date = /\b(20\d\d-\d\d-\d\d)\b/.exec(r.source_title ?? '')?.[1];
	if (!date) return undefined;
	return VLLM_NOT_YET_RELEASED.find((x) => date < x.before)?.versionBelow;
}

/** An Ollama library size as tags write it: `16b`, `671b`, `8x7b`, `1.5b`, `135m`. */
const OLLAMA_SIZE = /^(\d+(\.\d+)?[bm]|\d+x\d+(\.\d+)?b)$/i;

/**
 * Ollama tags a row's logged model name gives, in order: each `family:tag` token (`deepseek-r1:671b`), then
 * each `family size` pair written with a space (`deepseek-v2 16b lite` → `deepseek-v2:16b`). Only the name
 * is read — the text before any parenthesis; a parenthesis holds the row writer's notes ("gemma3:12b
 * class, not named"), not the log's name. The scorer keeps a candidate only if it resolves to a catalog
 * model with the logged block count.
 */
export function loggedOllamaNames(modelAsLogged: string): string[] {
	const name = modelAsLogged.split('(')[0];
	const words = name.split(/[\s,;]+/).filter(Boolean);
	const out = words.filter((w) => /^[\w.-]+:[\w.-]+$/.test(w));
	for (let i = 0; i + 1 < words.length; i++)
		if (/^[a-z][\w.-]*$/i.test(words[i]) && !words[i].includes(':') && OLLAMA_SIZE.test(words[i + 1]))
			out.push(`${words[i].toLowerCase()}:${words[i + 1].toLowerCase()}`);
	return out;
}

function kvBytesPerTokenPerWorker(model: ModelSpec, kv: KvDtypeSpec, tp: number): number {
	const heads = model.mla ? 0 : Math.max(1, Math.ceil(model.kvHeads / tp));
	const perLayer = model.mla ? model.mla.kvLoraRank + model.mla.ropeHeadDim : 2 * heads * model.headDim;
	return perLayer * model.layers * kv.bytesPerElement;
}

export function evaluateMemory(records: Record<string, string>[], file = ''): MemoryAccuracy {
	const catalog = getCatalog();
	const skipped: { id: string; reason: string }[] = [];
	const vrows: VllmRowResult[] = [];
	const refusals: RefusalResult[] = [];
	const orows: { id: string; logged: number; predicted: number }[] = [];
	const lrows: { id: string; loggedMiB: number; predictedMiB: number; beforeMiB: number }[] = [];
	for (const r of records) {
		const id = r.id || '?';
		if (r.engine === 'vllm') {
			const logged = num(r.kv_tokens);
			const refused = !!r.refusal;
			if (logged === undefined && !refused) {
				skipped.push({ id, reason: 'no logged KV tokens or refusal' });
				continue;
			}
			const res = resolveRow(r, true);
			const resNoHw = typeof res === 'string' ? resolveRow(r, false) : res;
			const tp = num(r.tp) ?? 1;
			const L = num(r.max_model_len) ?? 0;
			const out: VllmRowResult = { id, logged: logged ?? 0 };
			const avail = num(r.kv_available_gib);
			if (typeof resNoHw !== 'string' && avail !== undefined && logged !== undefined && L > 0) {
				const pool = vllmKvPool(
					{
						model: resNoHw.model,
						kvDtype: resNoHw.kv,
						tensorParallel: tp,
						pipelineParallel: 1,
						maxModelLen: L,
						version: r.engine_version || undefined,
						versionBelow: versionBelowFromRowDate(r),
						generation: loggedGeneration(r),
					},
					avail * GIB,
				);
				const tokens = pool.kvTokens;
				out.fromLoggedMemory = tokens;
				out.fromLoggedErrorPct = ((tokens - logged) / logged) * 100;
			}
			if (typeof res === 'string') {
				skipped.push({ id, reason: `end to end: ${res}` });
			} else {
				const fmt = resolveFormat(r.weights || 'bf16', catalog);
				if (!fmt) skipped.push({ id, reason: `weights "${r.weights}" unknown` });
				else {
					const hw = res.hw!;
					const weightsPerDevice =
						(weightBytes(res.model, fmt) + routedExpertPaddingBytes(res.model, fmt, tp)) / tp;
					const visible = engineVisibleMemory(hw);
					const util = num(r.gpu_memory_utilization) ?? 0.9;
					const allReduce = vllmAllReduce(hw, tp);
					const plan = vllmPlan({
						model: res.model,
						kvDtype: res.kv,
						weightsBytesPerDevice: weightsPerDevice,
						totalBytes: visible.bytes,
						totalRule: visible.rule,
						gpuMemoryUtilization: util,
						tensorParallel: tp,
						pipelineParallel: 1,
						maxModelLen: L || res.model.maxContext,
						maxNumBatchedTokens: num(r.max_num_batched_tokens),
						maxNumSeqs: num(r.max_num_seqs),
						bigGpu: isBigGpu({ hardware: hw }),
						version: r.engine_version || undefined,
						versionBelow: versionBelowFromRowDate(r),
						generation: loggedGeneration(r),
						computeCapabilityMajor: cudaComputeMajor(hw),
						customAllReduce: allReduce.custom,
						nvlinkBuffers: allReduce.nvlinkBuffers,
						allReduceWhy: allReduce.why,
					});
					const beforeBytes = beforeKvBytes(res.model, hw, weightsPerDevice, util, tp);
					const beforeTokens = Math.max(
						0,
						Math.floor(beforeBytes / kvBytesPerTokenPerWorker(res.model, res.kv, tp)),
					);
					if (logged !== undefined) {
						out.predicted = plan.kvTokens;
						out.before = beforeTokens;
						out.errorPct = ((plan.kvTokens - logged) / logged) * 100;
						out.beforeErrorPct = ((beforeTokens - logged) / logged) * 100;
					}
					const beforeRefuses = beforeTokens < (L || res.model.maxContext);
					refusals.push({
						id,
						predicted: plan.fits ? false : plan.borderline ? 'borderline' : true,
						before: beforeRefuses,
					});
					if (!refused && !plan.fits && !plan.borderline) out.errorPct ??= NaN;
					(out as VllmRowResult & { refusedLogged?: boolean }).refusedLogged = refused;
				}
			}
			vrows.push(out);
		} else if (r.engine === 'ollama') {
			const layers = num(r.layers_offloaded);
			const model = num(r.layers_model);
			const avail = (r.ollama_available_gib || '').split(';').filter(Boolean).map(Number);
			const rep = num(r.ollama_weights_repeating_gib);
			const nonrep = num(r.ollama_weights_nonrepeating_gib);
			const kvg = num(r.ollama_kv_gib);
			const gf = num(r.ollama_graph_full_gib);
			const gp = num(r.ollama_graph_partial_gib);
			if (
				layers === undefined ||
				!model ||
				!avail.length ||
				rep === undefined ||
				kvg === undefined ||
				gp === undefined
			) {
				skipped.push({ id, reason: 'Ollama row without the logged estimator inputs' });
				continue;
			}
			const blocks = model - 1;
			const library = r.ollama_library === 'metal' ? 'metal' : r.ollama_library === 'rocm' ? 'rocm' : 'cuda';
			const version = r.engine_version || undefined;
			const rules = ollamaEstimatorRules(version);
			// Before 0.6.1 the logged weights.repeating is Σ(blk + KV/n) − output (memory.go summed the
			// layer sizes with their KV and subtracted the output layer), so a block with its KV is
			// (repeating + nonrepeating) / n; from 0.6.1 it is the blocks' weights alone.
			const blockWeights = rules.repeatingIncludesKv ? (rep + (nonrep ?? 0) - kvg) * GIB : rep * GIB;
			// memory.go sizes each blk.N on its own: where the row names a catalog model with the same block
			// count, the logged total is split in the model's block shapes (DeepSeek's first_k_dense_replace
			// dense blocks are far smaller than its MoE blocks, and blk.0 is the one-layer buffer).
			// A row without a catalog id may still name the model (loggedOllamaNames): the catalog's tag
			// aliases resolve it, and only a model with the logged block count is used.
			const names = r.model ? [r.model] : loggedOllamaNames(r.model_as_logged || '');
			const named = names
				.map((n) => resolveRow({ ...r, model: n }, false))
				.find((x): x is Resolved => typeof x !== 'string' && x.model.layers === blocks);
			const layerBytes: number | number[] = named
				? ggufBlockBytes(named.model, undefined, blockWeights)
				: blockWeights / blocks;
			// A projector with a graph is the Ollama engine's (VisionGraphSize): from 0.7.1 it goes with
			// the output layer; before, every projector sat on GPU 0.
			const projector = (num(r.ollama_projector_gib) ?? 0) * GIB;
			const est = ollamaEstimateLayers({
				gpuFree: avail.map((g) => g * GIB),
				library,
				projectorBytes: rules.visionWithOutput ? 0 : projector,
				visionBytes: rules.visionWithOutput ? projector : 0,
				blockCount: blocks,
				layerBytes,
				kvPerLayer: Array.from({ length: blocks }, () => (kvg * GIB) / blocks),
				outputBytes: (nonrep ?? 0) * GIB,
				graphPartial: gp * GIB,
				graphFull: (gf ?? gp) * GIB,
				version,
			});
			orows.push({ id, logged: layers, predicted: est.layers });
		} else if (r.engine === 'llama.cpp') {
			const logged = num(r.kv_self_mib);
			const res = resolveRow(r, false);
			if (logged === undefined || typeof res === 'string') {
				skipped.push({ id, reason: typeof res === 'string' ? res : 'no KV self size' });
				continue;
			}
			const nCtx = num(r.num_ctx) ?? 0;
			const legacyMla = /legacy|pre-MLA/i.test(r.model_as_logged + r.notes);
			const kv = llamaCppKv({ model: res.model, nCtx, typeK: res.kv, legacyMla });
			const perTok = res.model.mla
				? (res.model.mla.kvLoraRank + res.model.mla.ropeHeadDim) * res.model.layers
				: 2 * res.model.kvHeads * res.model.headDim * res.model.layers;
			lrows.push({
				id,
				loggedMiB: logged,
				predictedMiB: kv.totalBytes / MIB,
				beforeMiB: (perTok * nCtx * res.kv.bytesPerElement) / MIB,
			});
		}
	}
	const withErr = vrows.filter((v) => v.errorPct !== undefined && Number.isFinite(v.errorPct));
	const abs = withErr.map((v) => Math.abs(v.errorPct!));
	const absBefore = withErr.map((v) => Math.abs(v.beforeErrorPct!));
	const fromLogged = vrows
		.filter((v) => v.fromLoggedErrorPct !== undefined)
		.map((v) => Math.abs(v.fromLoggedErrorPct!));
	const refusedIds = new Set(records.filter((r) => r.engine === 'vllm' && r.refusal).map((r) => r.id));
	const falseNo = refusals.filter((x) => x.predicted === true && !refusedIds.has(x.id)).length;
	const falseNoBefore = refusals.filter((x) => x.before && !refusedIds.has(x.id)).length;
	return {
		file,
		vllm: {
			rows: vrows,
			medianAbsErrorPct: median(abs),
			within10Share: abs.length ? abs.filter((a) => a <= 10).length / abs.length : NaN,
			beforeMedianAbsErrorPct: median(absBefore),
			beforeWithin10Share: absBefore.length
				? absBefore.filter((a) => a <= 10).length / absBefore.length
				: NaN,
			fromLoggedMedianAbsErrorPct: median(fromLogged),
			refusals,
			falseDoesNotFit: falseNo,
			beforeFalseDoesNotFit: falseNoBefore,
		},
		ollama: {
			rows: orows,
			hitShare: orows.length ? orows.filter((o) => o.logged === o.predicted).length / orows.length : NaN,
		},
		llamaCpp: {
			rows: lrows,
			exact: lrows.filter((l) => Math.abs(l.loggedMiB - l.predictedMiB) < 0.005).length,
			catalog: llamaCppCatalogCoverage(catalog.models),
		},
		skipped,
	};
}

/**
 * A model's KV layers are accounted for when llama.cpp's rule table (llamacppKvRules.ts) gives the same
 * sliding layers as the catalog's config.json facts, or says why a window there is ignored, or the model
 * has no window.
 */
function llamaCppCatalogCoverage(models: ModelSpec[]): {
	models: number;
	ruled: number;
	unexplained: string[];
} {
	const unexplained: string[] = [];
	for (const m of models) {
		const rule = llamaCppKvRule(m);
		const l = llamaCppKvLayers(m);
		const ok = !m.slidingWindow
			? true
			: rule?.swa
				? l.swa === m.slidingWindow.layers
				: !!rule?.fullBecause || (!!rule?.noKvLayers && l.none === m.slidingWindow.layers);
		if (!ok) unexplained.push(m.id);
	}
	return { models: models.length, ruled: models.length - unexplained.length, unexplained };
}

const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} %` : 'n/a');

export function renderMemoryReport(a: MemoryAccuracy): string {
	const out: string[] = [];
	out.push(`Memory accuracy over ${a.file} (start-up logs from public issues)`);
	out.push('');
	out.push(
		'vLLM "GPU KV cache size" (tokens): logged, from the logged available memory, end to end, before #14',
	);
	for (const v of a.vllm.rows) {
		if (v.predicted === undefined && v.fromLoggedMemory === undefined) continue;
		out.push(
			`  ${v.id.padEnd(40)} ${String(v.logged).padStart(9)} ${String(v.fromLoggedMemory ?? '-').padStart(9)} ${String(v.predicted ?? '-').padStart(9)} (${v.errorPct !== undefined ? pct(v.errorPct) : '-'}) ${String(v.before ?? '-').padStart(9)}`,
		);
	}
	const refusedLogged = a.vllm.refusals.filter(
		(r) => (a.vllm.rows.find((v) => v.id === r.id) as { refusedLogged?: boolean } | undefined)?.refusedLogged,
	);
	out.push(
		`  end to end: median |error| ${pct(a.vllm.medianAbsErrorPct)} (before ${pct(a.vllm.beforeMedianAbsErrorPct)}), within 10 %: ${pct(a.vllm.within10Share * 100)} (before ${pct(a.vllm.beforeWithin10Share * 100)}); from the logged memory: median |error| ${pct(a.vllm.fromLoggedMedianAbsErrorPct)}`,
	);
	out.push(
		`  refusals logged and evaluated: ${refusedLogged.length}, predicted ${refusedLogged.filter((r) => r.predicted !== false).length}; false "does not fit": ${a.vllm.falseDoesNotFit} (before ${a.vllm.beforeFalseDoesNotFit})`,
	);
	out.push('');
	out.push('Ollama layers.offload from the logged estimator inputs:');
	for (const o of a.ollama.rows)
		out.push(
			`  ${o.id.padEnd(40)} logged ${o.logged}, predicted ${o.predicted}${o.logged === o.predicted ? '' : '  MISS'}`,
		);
	out.push(`  hit rate ${pct(a.ollama.hitShare * 100)} (before #14: no layer count)`);
	out.push('');
	out.push('llama.cpp KV self size (MiB): logged, predicted, before #14');
	for (const l of a.llamaCpp.rows)
		out.push(
			`  ${l.id.padEnd(40)} ${l.loggedMiB.toFixed(2).padStart(9)} ${l.predictedMiB.toFixed(2).padStart(9)} ${l.beforeMiB.toFixed(2).padStart(9)}`,
		);
	out.push(`  exact: ${a.llamaCpp.exact} of ${a.llamaCpp.rows.length}`);
	const c = a.llamaCpp.catalog;
	out.push(
		`  catalog: KV layers of ${c.ruled} of ${c.models} models follow llama.cpp's per-architecture rules${c.unexplained.length ? ` (unexplained: ${c.unexplained.join(', ')})` : ''}`,
	);
	out.push(`  skipped rows: ${a.skipped.length} (model, hardware or inputs not in the catalog or the log)`);
	return `${out.join('\n')}\n`;
}

/** The hook the accuracy command calls: reads the ledger beside the calibration data and renders the report. */
export function memoryAccuracySection(
	cwd: string,
	json: boolean,
): { text: string; data: MemoryAccuracy } | undefined {
	const file = defaultLedgerFile(cwd);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
	const data = evaluateMemory(readLedgerCsv(text), path.relative(cwd, file) || file);
	return { text: json ? '' : renderMemoryReport(data), data };
}
