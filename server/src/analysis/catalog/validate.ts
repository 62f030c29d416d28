/**
 * Validation of catalog entries, shared by the built-in catalog (errors throw) and user catalogs
 * (errors are reported and the bad entry is dropped). Every message names the entry and the field.
 */
import type {
	ComputeDtype,
	DeviceClass,
	FormatSpec,
	HardwareSpec,
	KvDtypeSpec,
	ModelSpec,
	SpectrumClass,
} from './types';
import { SPECTRUM_ORDER } from './types';

export const COMPUTE_DTYPES: readonly ComputeDtype[] = [
	'fp32',
	'tf32',
	'bf16',
	'fp16',
	'fp8',
	'int8',
	'int4',
	'fp4',
];
export const DEVICE_CLASSES: readonly DeviceClass[] = [
	'cpu',
	'apple-gpu',
	'unified-gpu',
	'gpu',
	'accelerator',
	'dataflow',
	'in-memory',
	'sram',
	'hardwired',
];
const FORMAT_FAMILIES: readonly FormatSpec['family'][] = [
	'float',
	'int',
	'gguf',
	'awq',
	'gptq',
	'bnb',
	'mx',
	'nv',
	'mlc',
	'onnx',
];

const KEBAB = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const FORMAT_ID = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** Hugging Face style `org/name` (the model id convention), letters, digits, `._-`. */
const HF_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

type Kind = 'hardware' | 'model' | 'format' | 'kvDtype';

/** Collects problems for one entry; `where` renders as `hardware "h100-sxm"` or `model #3`. */
class Checker {
	readonly errors: string[] = [];
	constructor(
		private readonly o: Record<string, unknown>,
		private readonly where: string,
	) {}

	fail(field: string, problem: string): void {
		this.errors.push(`${this.where}: field "${field}" ${problem}`);
	}

	str(field: string, optional = false): string | undefined {
		const v = this.o[field];
		if (v === undefined && optional) return undefined;
		if (typeof v !== 'string' || v.trim() === '') this.fail(field, 'must be a non-empty string');
		return typeof v === 'string' ? v : undefined;
	}

	num(field: string, optional = false, allowZero = false): number | undefined {
		return this.numAt(field, this.o[field], optional, allowZero);
	}

	numAt(field: string, v: unknown, optional = false, allowZero = false): number | undefined {
		if (v === undefined && optional) return undefined;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v === 0 && !allowZero)) {
			this.fail(field, `must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${show(v)}`);
			return undefined;
		}
		return v;
	}

	int(field: string, optional = false, allowZero = false): number | undefined {
		const v = this.num(field, optional, allowZero);
		if (v !== undefined && !Number.isInteger(v)) this.fail(field, `must be a whole number, got ${v}`);
		return v;
	}

	bool(field: string): void {
		if (typeof this.o[field] !== 'boolean')
			this.fail(field, `must be true or false, got ${show(this.o[field])}`);
	}

	oneOf<T extends string>(field: string, allowed: readonly T[], optional = false): void {
		const v = this.o[field];
		if (v === undefined && optional) return;
		if (typeof v !== 'string' || !allowed.includes(v as T))
			this.fail(field, `must be one of ${allowed.join(', ')}; got ${show(v)}`);
	}

	strings(field: string, nonEmpty: boolean, optional = false): void {
		const v = this.o[field];
		if (v === undefined && optional) return;
		if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.trim() === ''))
			this.fail(field, 'must be a list of non-empty strings');
		else if (nonEmpty && v.length === 0)
			this.fail(field, 'must name at least one source (where the numbers come from)');
	}

	object(field: string, optional = false): Record<string, unknown> | undefined {
		const v = this.o[field];
		if (v === undefined && optional) return undefined;
		if (!isObject(v)) {
			this.fail(field, 'must be an object');
			return undefined;
		}
		return v;
	}
}

function show(v: unknown): string {
	return v === undefined ? 'nothing' : JSON.stringify(v);
}

export function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function label(kind: Kind, o: Record<string, unknown>, index: number): string {
	return typeof o.id === 'string' && o.id ? `${kind} "${o.id}"` : `${kind} #${index + 1}`;
}

function checkHardware(c: Checker, o: Record<string, unknown>): void {
	const id = c.str('id');
	if (id !== undefined && !KEBAB.test(id)) c.fail('id', `must be kebab-case (a-z, 0-9, "-"), got "${id}"`);
	c.str('name');
	c.str('vendor');
	c.oneOf('deviceClass', DEVICE_CLASSES);
	c.oneOf<SpectrumClass>('spectrum', SPECTRUM_ORDER);
	c.str('memoryType');
	c.num('memoryGB');
	c.num('memoryBytes', true);
	c.num('memoryVisibleBytes', true);
	c.str('memorySource', true);
	if (typeof o.memoryBytes === 'number' && typeof o.memorySource !== 'string')
		c.fail('memorySource', 'must say where memoryBytes comes from');
	if (
		typeof o.memoryVisibleBytes === 'number' &&
		typeof o.memoryBytes === 'number' &&
		o.memoryVisibleBytes > o.memoryBytes
	)
		c.fail('memoryVisibleBytes', 'must not exceed memoryBytes');
	c.num('bandwidthGBs');
	c.num('sramMB', true);
	c.num('sramBandwidthTBs', true);
	const peak = c.object('peakTflops');
	if (peak) {
		for (const [k, v] of Object.entries(peak)) {
			if (!COMPUTE_DTYPES.includes(k as ComputeDtype))
				c.fail(`peakTflops.${k}`, `is not a known dtype (${COMPUTE_DTYPES.join(', ')})`);
			else c.numAt(`peakTflops.${k}`, v);
		}
	}
	c.num('tdpW', true);
	c.num('priceUsd', true);
	c.int('priceYear', true);
	c.num('cloudUsdPerHour', true);
	const ic = c.object('interconnect', true);
	if (ic) {
		if (typeof ic.name !== 'string' || !ic.name) c.fail('interconnect.name', 'must be a non-empty string');
		c.numAt('interconnect.bandwidthGBs', ic.bandwidthGBs);
	}
	const ll = c.object('layerLatency', true);
	if (ll) {
		c.numAt('layerLatency.us', ll.us);
		for (const k of ['usPerLayerBillionParams', 'usPerChipDoubling'] as const)
			if (ll[k] !== undefined) c.numAt(`layerLatency.${k}`, ll[k]);
		if (typeof ll.source !== 'string' || !ll.source) c.fail('layerLatency.source', 'must name the claim');
		if (
			ll.ledgerRows !== undefined &&
			!(
				Array.isArray(ll.ledgerRows) &&
				ll.ledgerRows.every((r) => typeof r === 'string' && /^L\d{4}$/.test(r))
			)
		)
			c.fail('layerLatency.ledgerRows', 'must be a list of ledger ids like "L0241"');
	}
	const cm = c.object('capacityMemory', true);
	if (cm) {
		if (typeof cm.type !== 'string' || !cm.type) c.fail('capacityMemory.type', 'must be a non-empty string');
		c.numAt('capacityMemory.gb', cm.gb);
		c.numAt('capacityMemory.bandwidthGBs', cm.bandwidthGBs);
		if (typeof cm.source !== 'string' || !cm.source)
			c.fail('capacityMemory.source', 'must say where it comes from');
	}
	c.strings('fixedModels', false, true);
	c.strings('unverified', false, true);
	c.strings('aliases', false, true);
	c.strings('sources', true);
	c.str('notes', true);
}

function checkModel(c: Checker, o: Record<string, unknown>): void {
	const id = c.str('id');
	if (id !== undefined && !HF_ID.test(id))
		c.fail('id', `must look like a Hugging Face id "org/name", got "${id}"`);
	c.str('architecture');
	for (const f of ['layers', 'hidden', 'intermediate', 'heads', 'kvHeads', 'headDim', 'vocab', 'maxContext'])
		c.int(f);
	c.bool('tiedEmbeddings');
	const total = c.num('paramsTotal');
	const active = c.num('paramsActive');
	if (total !== undefined && active !== undefined && active > total)
		c.fail('paramsActive', `(${active}) must not exceed paramsTotal (${total})`);
	if (typeof o.heads === 'number' && typeof o.kvHeads === 'number' && o.kvHeads > o.heads)
		c.fail('kvHeads', `(${o.kvHeads}) must not exceed heads (${o.heads})`);
	const moe = c.object('moe', true);
	if (moe) {
		for (const f of ['experts', 'expertsPerToken', 'expertIntermediate', 'layerStep'])
			c.numAt(`moe.${f}`, moe[f]);
		for (const f of ['sharedExperts', 'firstDenseLayers']) c.numAt(`moe.${f}`, moe[f], false, true);
		if (
			typeof moe.experts === 'number' &&
			typeof moe.expertsPerToken === 'number' &&
			moe.expertsPerToken > moe.experts
		)
			c.fail('moe.expertsPerToken', 'must not exceed moe.experts');
	}
	const mla = c.object('mla', true);
	if (mla) {
		for (const f of ['kvLoraRank', 'ropeHeadDim', 'nopeHeadDim', 'vHeadDim']) c.numAt(`mla.${f}`, mla[f]);
		c.numAt('mla.qLoraRank', mla.qLoraRank, true);
	}
	const lin = c.object('linearAttention', true);
	if (lin) {
		for (const f of ['keyHeads', 'valueHeads', 'keyHeadDim', 'valueHeadDim', 'convKernel'])
			c.numAt(`linearAttention.${f}`, lin[f]);
		const n = c.numAt('linearAttention.layers', lin.layers);
		if (n !== undefined && typeof o.layers === 'number' && n >= o.layers)
			c.fail(
				'linearAttention.layers',
				`(${n}) must be fewer than layers (${o.layers}): a hybrid keeps some attention`,
			);
	}
	const sw = c.object('slidingWindow', true);
	if (sw) {
		c.numAt('slidingWindow.window', sw.window);
		const n = c.numAt('slidingWindow.layers', sw.layers);
		if (n !== undefined && typeof o.layers === 'number' && n > o.layers)
			c.fail('slidingWindow.layers', `(${n}) must not exceed layers (${o.layers})`);
	}
	c.strings('aliases', false, true);
	c.strings('unverified', false, true);
	c.str('nativeDtype', true);
	c.strings('sources', true);
	c.str('notes', true);
}

function checkFormat(c: Checker): void {
	const id = c.str('id');
	if (id !== undefined && !FORMAT_ID.test(id))
		c.fail('id', `must be lowercase (a-z, 0-9, "_", "-"), got "${id}"`);
	c.str('label');
	c.num('bitsPerWeight');
	c.oneOf('computeDtype', COMPUTE_DTYPES);
	c.bool('quantized');
	c.oneOf('family', FORMAT_FAMILIES);
	c.strings('aliases', false);
	c.strings('sources', true);
	c.num('blockBitsPerWeight', true);
	c.str('notes', true);
}

function checkKv(c: Checker): void {
	const id = c.str('id');
	if (id !== undefined && !FORMAT_ID.test(id))
		c.fail('id', `must be lowercase (a-z, 0-9, "_", "-"), got "${id}"`);
	c.str('label');
	c.num('bytesPerElement');
	c.strings('aliases', false);
	c.strings('sources', true);
	c.str('notes', true);
}

export interface Validated<T> {
	valid: T[];
	errors: string[];
}

/** Validates a list of entries of one kind; duplicate ids within the list (case-insensitive) are errors. */
export function validateEntries<T extends { id: string }>(kind: Kind, list: unknown): Validated<T> {
	if (!Array.isArray(list)) return { valid: [], errors: [`${kind} list: must be an array`] };
	const valid: T[] = [];
	const errors: string[] = [];
	const seen = new Set<string>();
	list.forEach((raw, i) => {
		if (!isObject(raw)) {
			errors.push(`${kind} #${i + 1}: must be an object`);
			return;
		}
		const c = new Checker(raw, label(kind, raw, i));
		if (kind === 'hardware') checkHardware(c, raw);
		else if (kind === 'model') checkModel(c, raw);
		else if (kind === 'format') checkFormat(c);
		else checkKv(c);
		const key = typeof raw.id === 'string' ? raw.id.toLowerCase() : '';
		if (key && seen.has(key)) c.fail('id', 'is a duplicate of an earlier entry');
		seen.add(key);
		if (c.errors.length) errors.push(...c.errors);
		else valid.push(raw as unknown as T);
	});
	return { valid, errors };
}

export type { HardwareSpec, ModelSpec, FormatSpec, KvDtypeSpec };
