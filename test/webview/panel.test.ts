/**
 * The side panel's webview in Debian's Chromium, driven by playwright-core against the built bundle, served
 * with the production HTML and CSP from a loopback server. A fake host (the bundle's browser fallback: posted
 * messages arrive as `inference-meter:post` events) sends a sample workload and records what the panel sends.
 * Screenshots of each state go to test-results/webview/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../chromium';
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import * as P from '../../server/src/shared/webviewProtocol';
import { builtInEngine } from '../../webview/src/builtinEngine';
import { seconds, sig } from '../../webview/src/format';
import { baseScenario, toInput, withChange } from '../../webview/src/scenario';
import { startHarness, type Harness } from './harness';
import { sampleWorkload } from './sampleReport';
import { THEMES, type HarnessTheme } from './themes';

const SHOTS = path.resolve('test-results/webview');
const skip = chromiumMissing();

const eng = builtInEngine();
const resolvedModel = (() => {
	const m =
		eng.catalog.models.find((x) => /llama-3\.1-8b$/i.test(x.id)) ??
		eng.catalog.models.find((x) => /llama-3\.1-8b/i.test(x.id));
	assert.ok(m, 'catalog has Llama 3.1 8B');
	return m.id;
})();
const workload = (model = 'meta-llama/Llama-3.1-8B-Instruct'): WorkloadReport =>
	sampleWorkload(model, resolvedModel);
const update = (w = workload(), fileName = 'deploy/serve.sh') =>
	P.Update.create({
		uri: 'file:///work/deploy/serve.sh',
		fileName,
		workloads: [w],
		selected: 0,
		targetHardware: 'h100-sxm',
	});

interface Opened {
	page: Page;
	posted(): Promise<{ type: string; params: Record<string, unknown> }[]>;
	problems: string[];
	dialogs: string[];
	shot(name: string): Promise<void>;
	send(msg: unknown): Promise<void>;
}

describe('side panel webview in Chromium', { skip }, () => {
	let browser: Browser;
	let harness: Harness;
	const pages: Opened[] = [];

	before(async () => {
		const build = spawnSync(process.execPath, ['scripts/build.mjs', '--only=webview'], { encoding: 'utf8' });
		assert.equal(build.status, 0, `webview build failed:\n${build.stderr}`);
		mkdirSync(SHOTS, { recursive: true });
		harness = await startHarness();
		browser = await launchChromium();
	});

	after(async () => {
		await browser?.close();
		await harness?.close();
	});

	async function open(theme: HarnessTheme = 'dark', width = 1100): Promise<Opened> {
		const page = await browser.newPage({ viewport: { width, height: 1000 }, deviceScaleFactor: 1 });
		const problems: string[] = [];
		const dialogs: string[] = [];
		page.on('console', (m) => {
			if (m.type() === 'error' || /Content Security Policy/i.test(m.text()))
				problems.push(`console: ${m.text()}`);
		});
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		page.on('request', (r) => {
			if (!r.url().startsWith(harness.url)) problems.push(`request outside the harness: ${r.url()}`);
		});
		const t = THEMES[theme];
		await page.addInitScript(
			({ bodyClass, vars }) => {
				const w = window as unknown as { __posted: unknown[]; __csp: string[] };
				w.__posted = [];
				w.__csp = [];
				window.addEventListener('inference-meter:post', (e) => w.__posted.push((e as CustomEvent).detail));
				document.addEventListener('securitypolicyviolation', (e) =>
					w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
				);
				// What VS Code does for a webview: theme variables on <html>, the theme kind as a body class.
				document.addEventListener('DOMContentLoaded', () => {
					for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
					document.body.classList.add(bodyClass);
				});
			},
			{ bodyClass: t.bodyClass, vars: t.vars },
		);
		await page.goto(harness.url);
		await page.waitForFunction(() =>
			(window as unknown as { __posted: { type: string }[] }).__posted.some(
				(m) => m.type === 'webview/ready',
			),
		);
		const o: Opened = {
			page,
			problems,
			dialogs,
			posted: () =>
				page.evaluate(
					() =>
						(window as unknown as { __posted: { type: string; params: Record<string, unknown> }[] }).__posted,
				),
			shot: async (name) => {
				await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
			},
			send: async (msg) => {
				await page.evaluate((m) => window.postMessage(m, '*'), msg as object);
			},
		};
		pages.push(o);
		return o;
	}

	async function assertClean(o: Opened): Promise<void> {
		const csp = await o.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
		assert.deepEqual(csp, [], 'no CSP violations');
		assert.deepEqual(o.problems, [], 'no console errors, page errors or outside requests');
		assert.deepEqual(o.dialogs, [], 'no dialogs');
	}

	const cellTexts = (o: Opened, col: string) =>
		o.page.locator(`table.compare tbody td.col-${col}`).allTextContents();
	const metric = (o: Opened, label: string) =>
		o.page
			.locator('.metric', { has: o.page.locator('.metric-label', { hasText: label }) })
			.locator('.metric-value')
			.textContent();

	test('renders the workload, the whole-catalog table and the roofline chart', async () => {
		const o = await open();
		const readies = (await o.posted()).filter((m) => m.type === 'webview/ready');
		assert.equal(readies.length, 1, 'one ready handshake');
		await o.send(update());
		await o.page.waitForSelector('table.compare tbody tr');
		assert.equal(await o.page.locator('h1.model').textContent(), 'meta-llama/Llama-3.1-8B-Instruct');
		assert.equal(await o.page.locator('table.compare tbody tr').count(), eng.catalog.hardware.length);
		assert.equal(await o.page.locator('tr.is-target').getAttribute('data-hw'), 'h100-sxm');
		for (const sel of [
			'svg.roofline',
			'.rf-slope',
			'.rf-ceiling.rf-main',
			'.rf-ridge',
			'.rf-decode circle',
			'.rf-prefill circle',
		])
			assert.equal(await o.page.locator(sel).count(), 1, sel);
		const axis = (await o.page.locator('svg.roofline .rf-title').allTextContents()).join(' | ');
		assert.match(axis, /FLOP\/byte/);
		assert.match(axis, /TFLOP\/s/);
		// The header's per-user number is the bundled physics' estimate for the sample (batch 16, context 8192).
		const base = baseScenario(workload(), 'h100-sxm', eng);
		assert.ok(!('error' in base));
		const input = toInput(base, eng, undefined);
		assert.ok(!('error' in input));
		const e = eng.estimate(input);
		assert.equal(await metric(o, 'Per user'), `${sig(e.decode.expectedTokensPerSecondPerUser)} tok/s`);
		assert.equal(await o.page.locator('.spectrum-seg').count(), 6);
		assert.equal(await o.page.locator('.spectrum-seg.is-current').getAttribute('data-class'), 'gpu');
		await o.shot('01-dark-table-roofline');
		await o.page.locator('.charts').screenshot({ path: path.join(SHOTS, '01-dark-charts.png') });
		await assertClean(o);
	});

	test('sorting by a column orders the rows; clicking again reverses', async () => {
		const o = await open();
		await o.send(update());
		await o.page.click('th button[data-sort="name"]');
		const names = await cellTexts(o, 'name');
		const clean = names.map((n) => n.replace(/target$/, ''));
		assert.deepEqual(
			clean,
			[...clean].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
		);
		await o.page.click('th button[data-sort="total"]'); // numbers: descending first
		const totals = (await cellTexts(o, 'total'))
			.filter((t) => t !== '—')
			.map((t) => Number(t.replace(/,/g, '')));
		assert.ok(totals.length > 3);
		for (let i = 1; i < totals.length; i++)
			assert.ok(totals[i - 1] >= totals[i], `descending at ${i}: ${totals}`);
		assert.equal(
			await o.page.locator('th[aria-sort="descending"] button').getAttribute('data-sort'),
			'total',
		);
		await o.page.click('th button[data-sort="total"]');
		const asc = (await cellTexts(o, 'total'))
			.filter((t) => t !== '—')
			.map((t) => Number(t.replace(/,/g, '')));
		for (let i = 1; i < asc.length; i++) assert.ok(asc[i - 1] <= asc[i], `ascending at ${i}`);
		await o.shot('02-sorted-by-total');
		await o.page.locator('.table-card').screenshot({ path: path.join(SHOTS, '02-table.png') });
		await assertClean(o);
	});

	test('filtering by spectrum class and by fit', async () => {
		const o = await open();
		await o.send(update());
		await o.page.click('button.chip[data-filter="cpu"]');
		const classes = await cellTexts(o, 'class');
		assert.equal(classes.length, eng.catalog.hardware.filter((h) => h.spectrum === 'cpu').length);
		assert.ok(classes.length > 0 && classes.every((c) => c === 'CPU'), classes.join());
		// Overlay: one faint roofline per other device listed (the CPUs without the target).
		await o.page.locator('vscode-checkbox.overlay-toggle').click();
		const cpus = eng.catalog.hardware.filter((h) => h.spectrum === 'cpu' && h.bandwidthGBs > 0).length;
		assert.equal(await o.page.locator('.rf-overlay-line').count(), cpus);
		await o.shot('03-filter-cpu-overlay');
		await o.page.locator('vscode-checkbox.overlay-toggle').click();
		assert.equal(await o.page.locator('.rf-overlay-line').count(), 0);
		await o.page.click('button.chip[data-filter="all"]');
		await o.page.locator('vscode-checkbox.fits-only').click();
		const fits = await cellTexts(o, 'fits');
		assert.ok(fits.length > 0 && fits.length < eng.catalog.hardware.length, `${fits.length} rows`);
		assert.ok(
			fits.every((f) => f === 'yes' || /^on \d+$/.test(f)),
			fits.join(),
		);
		await assertClean(o);
	});

	test('what-if controls recompute everything; Apply sends the change', async () => {
		const o = await open();
		await o.send(update());
		const before16 = await metric(o, 'Per user');
		await o.page.locator('#whatif-batch input').fill('1');
		await o.page.waitForFunction(
			(b) =>
				document.querySelector('.metric .metric-value + .metric-detail') &&
				[...document.querySelectorAll('.metric')].some(
					(m) => m.textContent?.includes('Per user') && !m.textContent.includes(b!),
				),
			before16,
		);
		const base = baseScenario(workload(), 'h100-sxm', eng);
		assert.ok(!('error' in base));
		const at = (c: P.WhatIfChange) => {
			const input = toInput(withChange(base, c), eng, undefined);
			assert.ok(!('error' in input));
			return eng.estimate(input);
		};
		const b1 = at({ batch: 1 });
		const b16 = at({});
		// Memory-bound decode: one sequence reads less KV per step than sixteen, so each user gets more tok/s.
		assert.ok(b1.decode.expectedTokensPerSecondPerUser > b16.decode.expectedTokensPerSecondPerUser);
		assert.equal(await metric(o, 'Per user'), `${sig(b1.decode.expectedTokensPerSecondPerUser)} tok/s`);
		assert.equal(
			await o.page.locator('tr.is-target td.col-expected').textContent(),
			sig(b1.decode.expectedTokensPerSecondPerUser),
		);
		assert.match((await o.page.locator('.rf-decode').textContent()) ?? '', /batch 1\b/);
		// KV dtype and context: the memory per device follows.
		await o.page.evaluate(() => {
			const s = document.querySelector('#whatif-kvDtype') as HTMLElement & { value: string };
			s.value = 'fp8';
			s.dispatchEvent(new Event('change'));
		});
		await o.page.locator('#whatif-context input').fill('32768');
		const e2 = at({ batch: 1, kvDtype: 'fp8', context: 32768 });
		await o.page.waitForFunction(
			() => document.querySelector('.controls .control-note')?.textContent === 'file: 16',
		);
		// The KV dtype is an engine default here (the command does not write it).
		assert.equal(
			await o.page
				.locator('.control', { has: o.page.locator('#whatif-kvDtype') })
				.locator('.control-note')
				.textContent(),
			'default: bf16',
		);
		assert.equal(
			await metric(o, 'Memory per device'),
			`${sig(e2.memory.totalBytesPerDevice / 1e9)} / ${sig(e2.memory.budgetBytesPerDevice / 1e9)} GB`,
		);
		await o.shot('04-what-if');
		await o.page.screenshot({
			path: path.join(SHOTS, '04-what-if-top.png'),
			clip: { x: 0, y: 0, width: 1100, height: 420 },
		});
		await o.page.click('#whatif-apply');
		const apply = (await o.posted()).find((m) => m.type === 'webview/applyWhatIf');
		assert.ok(apply && P.ApplyWhatIf.is(apply));
		assert.deepEqual(apply.params.change, { batch: 1, kvDtype: 'fp8', context: 32768 });
		assert.equal(apply.params.uri, 'file:///work/deploy/serve.sh');
		await o.send(
			P.ApplyResult.create({
				ok: true,
				message: 'Applied batch 16 → 1.',
				applied: ['batch 16 → 1'],
				skipped: [],
			}),
		);
		await o.page.waitForFunction(
			() => document.querySelector('.control-status')?.textContent === 'Applied batch 16 → 1.',
		);
		// State survives a reload (VS Code restores it through getState after the panel is revived).
		await o.page.locator('#whatif-batch input').fill('4');
		await o.page.reload();
		await o.page.waitForSelector('table.compare tbody tr');
		assert.equal(
			await o.page.locator('#whatif-batch').evaluate((el) => (el as HTMLElement & { value: string }).value),
			'4',
		);
		await assertClean(o);
	});

	test('choosing a row asks the host to make it the target and shows it at once', async () => {
		const o = await open();
		await o.send(update());
		const targetName = () =>
			o.page.locator('.fact', { hasText: 'Target' }).locator('.fact-value').textContent();
		// A row that needs two devices: the panel shows 2× that device and the what-if says so.
		const pair = o.page
			.locator('tbody tr', { has: o.page.locator('td.col-fits', { hasText: /^on 2$/ }) })
			.first();
		const pairId = (await pair.getAttribute('data-hw'))!;
		const pairHw = eng.catalog.hardware.find((h) => h.id === pairId)!;
		await pair.click();
		assert.equal(await o.page.locator('tr.is-target').getAttribute('data-hw'), pairId);
		assert.equal(await targetName(), `2× ${pairHw.name}`);
		assert.equal(
			await o.page.locator('#whatif-devices').evaluate((el) => (el as HTMLElement & { value: string }).value),
			'2',
		);
		assert.match((await o.page.locator('.fact', { hasText: 'Target' }).textContent()) ?? '', /chosen here/);
		// Keyboard: Enter on a focused row does the same.
		const cpu = eng.catalog.hardware.find((h) => h.spectrum === 'cpu')!;
		await o.page.focus(`tr[data-hw="${cpu.id}"]`);
		await o.page.keyboard.press('Enter');
		const sets = (await o.posted()).filter((m) => P.SetTarget.is(m)).map((m) => m.params.hardwareId);
		assert.deepEqual(sets, [pairId, cpu.id]);
		// The server's next report uses the new setting: the panel follows it and the "chosen here" note goes.
		const w = workload();
		await o.send(
			update({
				...w,
				target: { hardwareId: cpu.id, devices: 1, source: 'user-setting', note: '' },
				estimate: { ...w.estimate!, hardwareId: cpu.id },
			}),
		);
		await o.page.waitForFunction(
			() => !document.querySelector('.workload')?.textContent?.includes('chosen here'),
		);
		assert.equal(await o.page.locator('tr.is-target').getAttribute('data-hw'), cpu.id);
		await o.shot('05-target-chosen');
		await assertClean(o);
	});

	test('markup in a model name or path is shown literally and runs nothing', async () => {
		const o = await open();
		const evil = '<img src=x onerror=alert(1)>';
		await o.send(update(workload(evil), '<script>alert(2)</script>.sh'));
		await o.page.waitForSelector('h1.model');
		assert.equal(await o.page.locator('h1.model').textContent(), evil);
		assert.equal(await o.page.locator('a.file-link').textContent(), '<script>alert(2)</script>.sh');
		assert.equal(await o.page.evaluate(() => document.querySelectorAll('img, #app script').length), 0);
		// An unresolved model with markup: the message is text too.
		await o.send(update({ ...workload(evil), resolvedModel: null, estimate: undefined }));
		await o.page.waitForFunction(() =>
			document.querySelector('.empty')?.textContent?.includes('is not in the catalog'),
		);
		assert.equal(await o.page.evaluate(() => document.querySelectorAll('img').length), 0);
		await o.shot('06-markup-literal');
		await assertClean(o);
	});

	test('several workloads in a file, and a model only the server knows', async () => {
		const o = await open();
		const llama = {
			...workload(),
			framework: 'llama.cpp' as const,
			model: 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
		};
		llama.estimate = { ...llama.estimate!, weightsFormat: 'q4_k_m', kvDtype: 'f16', engine: 'llama.cpp' };
		await o.send(
			P.Update.create({
				uri: 'file:///w/two.sh',
				fileName: 'two.sh',
				workloads: [workload(), llama],
				selected: 1,
				targetHardware: 'h100-sxm',
			}),
		);
		await o.page.waitForSelector('table.compare tbody tr');
		assert.equal(await o.page.locator('h1.model').textContent(), 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf');
		assert.match((await o.page.locator('.sub-row').textContent()) ?? '', /workload 2 of 2/);
		// llama.cpp offers GGUF formats and llama.cpp KV types only.
		const kvs = await o.page
			.locator('#whatif-kvDtype vscode-option')
			.evaluateAll((els) => els.map((e) => e.getAttribute('value')));
		assert.ok(kvs.includes('q8_0') && !kvs.includes('fp8_e5m2'), kvs.join());
		const fmts = await o.page
			.locator('#whatif-weightFormat vscode-option')
			.evaluateAll((els) => els.map((e) => e.getAttribute('value')));
		assert.ok(fmts.includes('q4_k_m') && !fmts.includes('awq'), fmts.join());
		await o.page.evaluate(() => {
			const s = document.querySelector('.workload-pick') as HTMLElement & { value: string };
			s.value = '0';
			s.dispatchEvent(new Event('change'));
		});
		await o.page.waitForFunction(
			() => document.querySelector('h1.model')?.textContent === 'meta-llama/Llama-3.1-8B-Instruct',
		);
		// A model from the user's catalog: the server's numbers, no what-ifs, a message that says why.
		const custom = { ...workload('acme/secret-13b'), resolvedModel: 'acme/secret-13b' };
		custom.estimate = { ...custom.estimate!, modelId: 'acme/secret-13b' };
		await o.send(update(custom));
		await o.page.waitForFunction(() =>
			document.querySelector('.empty')?.textContent?.includes("language server's"),
		);
		assert.equal(await o.page.locator('.controls').isVisible(), false);
		assert.equal(await metric(o, 'Per user'), '130 tok/s'); // the hand-made estimate in sampleReport.ts
		assert.equal(await o.page.locator('table.compare').count(), 0);
		await assertClean(o);
	});

	test('a real sample analyzed by the real pipeline: the panel at batch 1 agrees with the server', async () => {
		const { analyzeDocument } = await import('../../server/src/analysis/analyze');
		const { toFileReport } = await import('../../server/src/analysis/report');
		const file = 'samples/vllm/serve-llama-8b.sh';
		const text = readFileSync(file, 'utf8');
		const report = toFileReport(
			await analyzeDocument({ path: file, text }, { hardwareId: 'h100-sxm' }),
			text,
		);
		const w = report.workloads[0];
		assert.ok(w?.estimate, 'the pipeline estimates the sample');
		const o = await open();
		await o.send(
			P.Update.create({
				uri: `file:///work/${file}`,
				fileName: file,
				workloads: report.workloads,
				selected: 0,
				targetHardware: 'h100-sxm',
			}),
		);
		await o.page.waitForSelector('table.compare tbody tr');
		// --max-num-seqs 64 in the file; the server's own estimate is for one user.
		assert.equal(
			await o.page.locator('#whatif-batch').evaluate((el) => (el as HTMLElement & { value: string }).value),
			String(Math.min(64, Math.floor(w.estimate.memory.maxBatchAtContext))),
		);
		await o.shot('09-real-sample');
		await o.page.locator('#whatif-batch input').fill('1');
		await o.page.waitForFunction(() =>
			document.querySelector('.rf-decode')?.textContent?.includes('batch 1)'),
		);
		assert.equal(
			await metric(o, 'Per user'),
			`${sig(w.estimate.decode.expectedTokensPerSecondPerUser)} tok/s`,
		);
		assert.equal(await metric(o, 'TTFT'), seconds(w.estimate.prefill.ttftSeconds));
		await assertClean(o);
	});

	test('light and high-contrast themes, a narrow panel, and the empty state', async () => {
		for (const theme of ['light', 'high-contrast'] as const) {
			const o = await open(theme);
			await o.send(update());
			await o.page.waitForSelector('table.compare tbody tr');
			const bg = await o.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
			assert.equal(bg, theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)');
			await o.shot(`07-${theme}`);
			await assertClean(o);
		}
		const narrow = await open('dark', 520);
		await narrow.send(update());
		await narrow.page.waitForSelector('table.compare tbody tr');
		await narrow.shot('08-narrow');
		await narrow.page
			.locator('.roofline-card')
			.screenshot({ path: path.join(SHOTS, '08-narrow-roofline.png') });
		await narrow.send(
			P.Empty.create({ reason: 'No LLM serving workload found in README.md.', targetHardware: 'h100-sxm' }),
		);
		await narrow.page.waitForFunction(
			() => document.querySelector('.empty')?.textContent === 'No LLM serving workload found in README.md.',
		);
		assert.equal(await narrow.page.locator('table.compare').isVisible(), false);
		await assertClean(narrow);
	});
});
