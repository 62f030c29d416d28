/**
 * The agent tools: estimate, analyze_file, compare_hardware, recommend and explain. Each returns the text a
 * model reads and the JSON a program reads. They run the CLI's own commands in-process (./inProcess), so the
 * numbers are the ones `inference-meter estimate --json` and `analyze --format json` print.
 */
import path from 'node:path';
import type { FileReport, AnalyzeReport } from '../analysis/reportTypes';
import { cliMessage, runCommand, runJson, ToolInputError } from './inProcess';
import { explainCode } from './explain';
import { fileInsideRoots } from './roots';
import type { AnalyzeFileInput, CompareInput, CompareRow, EstimateInput } from './schemas';

/** What every tool call may use: where relative paths resolve and which files it may read. */
export interface ToolContext {
	/** Real absolute paths of the folders the client allows (MCP roots, workspace folders, --root). */
	roots(): Promise<readonly string[]> | readonly string[];
	/** A user catalog file (the `--catalog` of the mcp command), passed to every command. */
	catalogFile?: string;
	/** Working directory for commands (where a relative --catalog resolves). */
	cwd: string;
}

export interface ToolResult<T> {
	text: string;
	json: T;
}

const FLAG_OF: Record<keyof EstimateInput, string> = {
	model: '--model',
	weights: '--weights',
	kvDtype: '--kv-dtype',
	engine: '--engine',
	devices: '--devices',
	tp: '--tp',
	pp: '--pp',
	batch: '--batch',
	context: '--context',
	prompt: '--prompt',
	concurrency: '--concurrency',
	inputTokens: '--input-tokens',
	outputTokens: '--output-tokens',
	gpuMemoryUtilization: '--gpu-memory-utilization',
	gpuLayers: '--gpu-layers',
	threads: '--threads',
	targetTokensPerSecondPerUser: '--target-tps',
	targetTtftSeconds: '--target-ttft',
	hardware: '--hardware',
	bandwidthGBs: '--bandwidth-gbs',
	tflops: '--tflops',
	memoryGB: '--memory-gb',
	deviceClass: '--device-class',
};

/** `--flag=value` keeps a value that starts with '-' from being read as a flag. */
function estimateArgv(input: Partial<EstimateInput>, ctx: ToolContext): string[] {
	const argv = ['estimate'];
	for (const [key, flag] of Object.entries(FLAG_OF) as [keyof EstimateInput, string][]) {
		const v = input[key];
		if (v !== undefined && v !== null) argv.push(`${flag}=${String(v)}`);
	}
	if (ctx.catalogFile) argv.push(`--catalog=${ctx.catalogFile}`);
	return argv;
}

export interface EstimateJson {
	model: { id: string };
	hardware: { id: string; name: string; spectrum: string; deviceClass: string; memoryGB: number };
	weights: { id: string };
	devices: number;
	memory: { fits: boolean; totalBytesPerDevice?: number };
	decode: {
		expectedTokensPerSecondPerUser: number | null;
		rooflineTokensPerSecondPerUser: number | null;
		bound: string;
	};
	cost: { usdPerMillionTokens: number | null; joulesPerToken: number | null } | null;
	coupling: {
		current: string;
		recommendedClass: string;
		recommendedHardware?: string;
		recommendedDevices?: number;
		reasons: string[];
	} | null;
	[k: string]: unknown;
}

function needHardware(input: EstimateInput): EstimateInput {
	if (input.hardware === undefined && input.bandwidthGBs === undefined)
		throw new ToolInputError(
			'give hardware (a catalog id such as h100-sxm) or bandwidthGBs for an ad-hoc device',
		);
	return input;
}

export async function estimateTool(
	input: EstimateInput,
	ctx: ToolContext,
): Promise<ToolResult<EstimateJson>> {
	const argv = estimateArgv(needHardware(input), ctx);
	const { json } = await runJson<EstimateJson>([...argv, '--json'], ctx.cwd);
	// The same table the CLI prints, for the model to read; the JSON carries every number.
	const table = await runCommand(argv, ctx.cwd);
	return { text: table.stdout.trimEnd(), json };
}

interface HardwareListing {
	hardware: { id: string; name: string; spectrum: string; deviceClass: string }[];
}

async function catalogHardware(ctx: ToolContext): Promise<HardwareListing['hardware']> {
	const argv = ['hardware', '--json', ...(ctx.catalogFile ? [`--catalog=${ctx.catalogFile}`] : [])];
	return (await runJson<HardwareListing>(argv, ctx.cwd)).json.hardware;
}

function rowOf(est: EstimateJson): CompareRow {
	const perDevice = est.memory.totalBytesPerDevice;
	return {
		id: est.hardware.id,
		name: est.hardware.name,
		spectrum: est.hardware.spectrum,
		deviceClass: est.hardware.deviceClass,
		devices: est.devices,
		fits: est.memory.fits,
		expectedTokensPerSecondPerUser: est.decode.expectedTokensPerSecondPerUser,
		rooflineTokensPerSecondPerUser: est.decode.rooflineTokensPerSecondPerUser,
		bound: est.decode.bound ?? null,
		usdPerMillionTokens: est.cost?.usdPerMillionTokens ?? null,
		joulesPerToken: est.cost?.joulesPerToken ?? null,
		memoryPerDeviceGB: perDevice === undefined ? null : perDevice / 1e9,
	};
}

/** Fits first, then faster per user; ties by lower $/Mtok. */
function byRank(a: CompareRow, b: CompareRow): number {
	if (a.fits !== b.fits) return a.fits ? -1 : 1;
	const ta = a.expectedTokensPerSecondPerUser ?? -1;
	const tb = b.expectedTokensPerSecondPerUser ?? -1;
	if (ta !== tb) return tb - ta;
	return (a.usdPerMillionTokens ?? Infinity) - (b.usdPerMillionTokens ?? Infinity);
}

export interface CompareJson {
	model: string;
	weights: string;
	rankedBy: string;
	rows: CompareRow[];
	skipped: { id: string; reason: string }[];
}

/** Every catalog device (or one spectrum class) estimated for the same workload, ranked. */
export async function compareHardwareTool(
	input: CompareInput,
	ctx: ToolContext,
): Promise<ToolResult<CompareJson>> {
	const { spectrum, limit = 15, ...workload } = input;
	const devices = (await catalogHardware(ctx)).filter((h) => !spectrum || h.spectrum === spectrum);
	const rows: CompareRow[] = [];
	const skipped: { id: string; reason: string }[] = [];
	let model = workload.model;
	let weights = workload.weights ?? '';
	for (const hw of devices) {
		const out = await runCommand([...estimateArgv({ ...workload, hardware: hw.id }, ctx), '--json'], ctx.cwd);
		if (out.code !== 0) {
			const reason = cliMessage(out.stderr);
			// A model the catalog does not know fails the same way on every device: say it once, as an error.
			if (/unknown model/i.test(reason)) throw new ToolInputError(reason);
			skipped.push({ id: hw.id, reason });
			continue;
		}
		const est = JSON.parse(out.stdout) as EstimateJson;
		model = est.model.id;
		weights = est.weights.id;
		rows.push(rowOf(est));
	}
	rows.sort(byRank);
	const shown = rows.slice(0, limit);
	const json: CompareJson = {
		model,
		weights,
		rankedBy:
			'fits at the given device count first, then expected decode tok/s per user, then $ per million tokens',
		rows: shown,
		skipped,
	};
	const lines = shown.map(
		(r, i) =>
			`${String(i + 1).padStart(2)}. ${r.name} (${r.id}, ${r.spectrum}) ×${r.devices}: ${r.fits ? 'fits' : 'does not fit'}` +
			`, ≈ ${fmt(r.expectedTokensPerSecondPerUser)} tok/s per user (roofline ${fmt(r.rooflineTokensPerSecondPerUser)})` +
			(r.usdPerMillionTokens !== null ? `, $${r.usdPerMillionTokens.toPrecision(3)}/Mtok` : '') +
			(r.joulesPerToken !== null ? `, ${r.joulesPerToken.toPrecision(3)} J/token` : ''),
	);
	const text = [
		`${model} (${weights}) on ${devices.length} catalog devices, ranked by ${json.rankedBy}:`,
		...lines,
		...(skipped.length ? [`${skipped.length} devices skipped (see skipped[] for why).`] : []),
	].join('\n');
	return { text, json };
}

function fmt(n: number | null): string {
	return n === null ? '—' : n >= 100 ? n.toFixed(0) : n.toPrecision(3);
}

export interface RecommendJson {
	current: { hardware: string; spectrum: string };
	recommendedClass: string;
	recommendedHardware: string | null;
	recommendedDevices: number | null;
	reasons: string[];
	candidates: CompareRow[];
}

/** Where on the memory–compute coupling spectrum the workload belongs, with the best devices of that class. */
export async function recommendTool(
	input: EstimateInput,
	ctx: ToolContext,
): Promise<ToolResult<RecommendJson>> {
	const withHw = input.hardware || input.bandwidthGBs ? input : { ...input, hardware: 'h100-sxm' };
	const { json: est } = await estimateTool(withHw, ctx);
	const c = est.coupling;
	if (!c) throw new ToolInputError('no coupling recommendation for this workload (the estimate has none)');
	const { hardware: _h, bandwidthGBs: _b, tflops: _t, memoryGB: _m, deviceClass: _d, ...workload } = input;
	const spectrum = c.recommendedClass as CompareInput['spectrum'];
	const { json: compared } = await compareHardwareTool({ ...workload, spectrum, limit: 200 }, ctx);
	// The recommendation is the cheapest way to meet the target, so the candidates are ranked the same way.
	const target = input.targetTokensPerSecondPerUser ?? 20;
	const candidates = compared.rows
		.filter((r) => r.fits && (r.expectedTokensPerSecondPerUser ?? 0) >= target)
		.sort((a, b) => (a.usdPerMillionTokens ?? Infinity) - (b.usdPerMillionTokens ?? Infinity))
		.slice(0, 3);
	const json: RecommendJson = {
		current: { hardware: est.hardware.id, spectrum: c.current },
		recommendedClass: c.recommendedClass,
		recommendedHardware: c.recommendedHardware ?? null,
		recommendedDevices: c.recommendedDevices ?? null,
		reasons: c.reasons,
		candidates,
	};
	const assumed = input.hardware || input.bandwidthGBs ? '' : ' (no hardware given: compared from h100-sxm)';
	const text = [
		`Current: ${est.hardware.name}, spectrum class ${c.current}${assumed}.`,
		`Recommended class: ${c.recommendedClass}${c.recommendedHardware ? ` — ${c.recommendedHardware}${c.recommendedDevices ? ` ×${c.recommendedDevices}` : ''}` : ''}.`,
		...c.reasons.map((r) => `- ${r}`),
		...(candidates.length
			? [
					`Cheapest devices of that class that fit and reach ${target} tok/s per user:`,
					...candidates.map(
						(r) =>
							`- ${r.name} ×${r.devices}: ≈ ${fmt(r.expectedTokensPerSecondPerUser)} tok/s per user` +
							(r.usdPerMillionTokens !== null
								? `, $${r.usdPerMillionTokens.toPrecision(3)}/Mtok`
								: ', no price in the catalog'),
					),
				]
			: [`No device of that class fits and reaches ${target} tok/s per user at ×${input.devices ?? 1}.`]),
	].join('\n');
	return { text, json };
}

/** Analyzes one file inside the roots, as `analyze --format json` would; the text is the CLI's text output. */
export async function analyzeFileTool(
	input: AnalyzeFileInput,
	ctx: ToolContext,
): Promise<ToolResult<FileReport>> {
	const roots = await ctx.roots();
	const file = fileInsideRoots(input.path, roots);
	const root = roots.find((r) => !path.relative(r, file).startsWith('..')) ?? path.dirname(file);
	const argv = [
		'analyze',
		path.relative(root, file),
		...(input.hardware ? [`--hardware=${input.hardware}`] : []),
		...(input.devices ? [`--devices=${input.devices}`] : []),
		...(ctx.catalogFile ? [`--catalog=${ctx.catalogFile}`] : []),
	];
	const { json } = await runJson<AnalyzeReport>([...argv, '--format=json'], root);
	const report = json.files[0];
	if (!report) throw new ToolInputError(`analyze returned no report for ${input.path}`);
	const text = (await runCommand(argv, root)).stdout.trimEnd();
	return { text: text || `${report.path}: no workload found`, json: report };
}

export { explainCode as explainTool };
