import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
	getCatalog,
	mergeUserCatalog,
	resolveHardware,
	resolveModel,
} from '../../../server/src/analysis/catalog';
import { buildCatalog } from '../../../server/src/analysis/catalog/load';

const goodDevice = {
	id: 'my-gpu',
	name: 'My GPU',
	vendor: 'Acme',
	deviceClass: 'gpu',
	spectrum: 'gpu',
	memoryType: 'GDDR7',
	memoryGB: 32,
	bandwidthGBs: 1500,
	peakTflops: { bf16: 200 },
	sources: ['vendor datasheet, 2025'],
};
const goodModel = {
	id: 'acme/Tiny-1B',
	architecture: 'LlamaForCausalLM',
	layers: 16,
	hidden: 2048,
	intermediate: 8192,
	heads: 32,
	kvHeads: 8,
	headDim: 64,
	vocab: 32000,
	tiedEmbeddings: true,
	maxContext: 8192,
	paramsTotal: 1.1e9,
	paramsActive: 1.1e9,
	sources: ['acme/Tiny-1B config.json'],
};

test('invalid entries are reported with entry and field', () => {
	const { catalog, errors } = buildCatalog({
		hardware: [
			{ ...goodDevice, id: 'Bad Id' },
			{ ...goodDevice, id: 'neg', bandwidthGBs: -5 },
			{ ...goodDevice, id: 'nan', memoryGB: Number.NaN },
			{ ...goodDevice, id: 'cls', deviceClass: 'quantum' },
			{ ...goodDevice, id: 'dt', peakTflops: { fp128: 3 } },
			{ ...goodDevice, id: 'nosrc', sources: [] },
			goodDevice,
			{ ...goodDevice },
		],
		models: [
			{ ...goodModel, kvHeads: 64 },
			{ ...goodModel, id: 'no-org' },
		],
		formats: [
			{
				id: 'x',
				label: 'X',
				bitsPerWeight: 0,
				computeDtype: 'bf16',
				quantized: true,
				family: 'int',
				aliases: [],
				sources: ['s'],
			},
		],
		kvDtypes: 'nope',
	});
	const has = (re: RegExp) =>
		assert.ok(
			errors.some((e) => re.test(e)),
			`no error matching ${re}:\n${errors.join('\n')}`,
		);
	has(/hardware "Bad Id": field "id" must be kebab-case/);
	has(/hardware "neg": field "bandwidthGBs" must be a positive finite number, got -5/);
	has(/hardware "nan": field "memoryGB"/);
	has(/hardware "cls": field "deviceClass" must be one of cpu, .*got "quantum"/);
	has(/hardware "dt": field "peakTflops.fp128" is not a known dtype/);
	has(/hardware "nosrc": field "sources" must name at least one source/);
	has(/hardware "my-gpu": field "id" is a duplicate/);
	has(/model "acme\/Tiny-1B": field "kvHeads" \(64\) must not exceed heads \(32\)/);
	has(/model "no-org": field "id" must look like a Hugging Face id/);
	has(/format "x": field "bitsPerWeight" must be a positive finite number, got 0/);
	has(/kvDtype list: must be an array/);
	assert.deepEqual(
		catalog.hardware.map((h) => h.id),
		['my-gpu'],
	);
});

test('user catalog: valid entries are added and marked, bad ones reported and skipped', () => {
	const base = getCatalog();
	const { catalog, errors } = mergeUserCatalog(base, {
		hardware: [goodDevice, { ...goodDevice, id: 'broken', bandwidthGBs: 'fast' }],
		models: [goodModel],
		colours: [],
	});
	assert.equal(errors.length, 2, errors.join('\n'));
	assert.match(errors[0], /unknown section "colours"/);
	assert.match(errors[1], /user catalog: hardware "broken": field "bandwidthGBs"/);
	assert.equal(catalog.hardware.length, base.hardware.length + 1);
	const mine = resolveHardware('My GPU', catalog);
	assert.ok(mine.ok && mine.hardware.origin === 'user');
	const tiny = resolveModel('acme/Tiny-1B-Instruct', catalog);
	assert.ok(tiny.ok && tiny.model.id === 'acme/Tiny-1B');
	// The built-in catalog is untouched.
	assert.equal(resolveHardware('my-gpu').ok, false);
	assert.equal(getCatalog(), base);
});

test('user catalog: an entry with a built-in id replaces it (e.g. a measured bandwidth)', () => {
	const h100 = getCatalog().hardware.find((h) => h.id === 'h100-sxm')!;
	const { catalog, errors } = mergeUserCatalog(getCatalog(), {
		hardware: [{ ...h100, bandwidthGBs: 2900, sources: ['our STREAM run, 2026-01'] }],
	});
	assert.deepEqual(errors, []);
	const r = resolveHardware('h100-sxm', catalog);
	assert.ok(r.ok);
	assert.equal(r.hardware.bandwidthGBs, 2900);
	assert.equal(r.hardware.origin, 'user');
	assert.equal(catalog.hardware.filter((h) => h.id === 'h100-sxm').length, 1);
});

test('user catalog that is not an object', () => {
	const r = mergeUserCatalog(getCatalog(), [1, 2]);
	assert.equal(r.errors.length, 1);
	assert.equal(r.catalog, getCatalog());
});

test('user entries win name collisions with built-in ones', () => {
	const { catalog, errors } = mergeUserCatalog(getCatalog(), {
		models: [{ ...goodModel, id: 'myorg/Llama-3.1-8B', aliases: ['llama3.1:8b'] }],
		hardware: [{ ...goodDevice, id: 'my-h100', aliases: ['H100 SXM'] }],
	});
	assert.deepEqual(errors, []);
	const byName = resolveModel('someone/Llama-3.1-8B-Instruct-AWQ', catalog);
	assert.ok(byName.ok && byName.model.id === 'myorg/Llama-3.1-8B');
	const byTag = resolveModel('llama3.1:8b', catalog);
	assert.ok(byTag.ok && byTag.model.id === 'myorg/Llama-3.1-8B');
	const hw = resolveHardware('H100 SXM', catalog);
	assert.ok(hw.ok && hw.hardware.id === 'my-h100');
	// Exact ids still go to their own entries.
	const exact = resolveModel('meta-llama/Llama-3.1-8B', catalog);
	assert.ok(exact.ok && exact.model.id === 'meta-llama/Llama-3.1-8B');
});
