/**
 * The panel's "Measured" section and the measured point on the roofline (Measure Running Server), in
 * Chromium against the built bundle with the production HTML/CSP, driven through the fake host (the same
 * harness as panel.test.ts). The measurements are hand-made; the expected numbers are worked out below.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../chromium';
import * as P from '../../server/src/shared/webviewProtocol';
import { builtInEngine } from '../../webview/src/builtinEngine';
import { startHarness, type Harness } from './harness';
import { sampleWorkload } from './sampleReport';

const SHOTS = path.resolve('test-results/webview');
const skip = chromiumMissing();
const URI = 'file:///work/deploy/serve.sh';

const eng = builtInEngine();
const modelId = eng.catalog.models.find((x) => /llama-3\.1-8b$/i.test(x.id))?.id ?? 'meta-llama/Llama-3.1-8B';
const update = () =>
	P.Update.create({
		uri: URI,
		fileName: 'deploy/serve.sh',
		workloads: [sampleWorkload('meta-llama/Llama-3.1-8B-Instruct', modelId)],
		selected: 0,
		targetHardware: 'h100-sxm',
	});

// 5 TFLOP/s achieved while streaming 2,000 GB/s: 5e12 / 2e12 = 2.5 FLOP/byte, 5 TFLOP/s on one device.
// MBU = 2,000 / 3,350 GB/s (H100 SXM spec) = 0.597 → "60 %". Predicted 1,500 tok/s: 1,234 / 1,500 = 0.82×.
const measured = (over: Partial<P.MeasuredParams> = {}): P.MeasuredParams => ({
	url: 'http://gpu-box:8000/metrics',
	basis: 'serve.sh workload 1 (meta-llama/Llama-3.1-8B, bf16, h100-sxm)',
	at: Date.UTC(2026, 0, 1, 12, 0, 0),
	watching: true,
	intervalSeconds: 5,
	uri: URI,
	workload: 0,
	server: 'vllm',
	model: modelId,
	hardware: 'h100-sxm',
	devices: 1,
	generationTokensPerSecond: 1234,
	perSequenceTokensPerSecond: 308.5,
	runningRequests: 4,
	batch: 4,
	context: 1024,
	contextSource: 'assumed 1024 tokens per sequence',
	stepsPerSecond: 308.5,
	bytesPerStep: 6.48e9,
	achievedBandwidthGBs: 2000,
	peakBandwidthGBs: 3350,
	achievedTflops: 5,
	mbu: 2000 / 3350,
	mfu: 0.005,
	expectedTokensPerSecond: 1500,
	rooflineTokensPerSecond: 2000,
	verdict: 'bandwidth-underused',
	verdictText: 'leaving bandwidth on the table: MBU 60% (well used is ≥ 60%)',
	...over,
});

describe('panel: Measured section and the measured roofline point', { skip }, () => {
	let browser: Browser;
	let harness: Harness;

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

	async function open(): Promise<{ page: Page; problems: string[]; send(m: unknown): Promise<void> }> {
		const page = await browser.newPage({ viewport: { width: 1100, height: 1200 }, deviceScaleFactor: 1 });
		const problems: string[] = [];
		page.on('console', (m) => {
			if (m.type() === 'error') problems.push(`console: ${m.text()}`);
		});
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		await page.addInitScript(() => {
			const w = window as unknown as { __posted: unknown[] };
			w.__posted = [];
			window.addEventListener('inference-meter:post', (e) => w.__posted.push((e as CustomEvent).detail));
		});
		await page.goto(harness.url);
		await page.waitForFunction(() =>
			(window as unknown as { __posted: { type: string }[] }).__posted.some(
				(m) => m.type === 'webview/ready',
			),
		);
		return {
			page,
			problems,
			send: (m) => page.evaluate((x) => window.postMessage(x, '*'), m as object),
		};
	}

	const metric = (page: Page, label: string) =>
		page
			.locator('.measured .metric', { has: page.locator('.metric-label', { hasText: label }) })
			.locator('.metric-value')
			.textContent();
	const cx = async (page: Page, cls: string) =>
		Number(await page.locator(`svg.roofline .${cls} circle`).getAttribute('cx'));

	test('section with achieved tok/s, MBU, predicted and verdict; point labelled measured vs predicted', async () => {
		const o = await open();
		await o.send(update());
		await o.send(P.Measured.create(measured()));
		await o.page.waitForSelector('section.measured');
		const section = o.page.locator('section.measured');
		assert.match((await section.locator('h2').textContent()) ?? '', /^Measured/);
		assert.match((await section.locator('h2').textContent()) ?? '', /watching every 5 s/);
		assert.equal(await metric(o.page, 'Achieved'), '1,234 tok/s');
		assert.equal(await metric(o.page, 'MBU'), '60 %');
		assert.equal(await metric(o.page, 'Predicted'), '1,500 tok/s');
		assert.match((await section.textContent()) ?? '', /measured 0\.82× predicted/);
		assert.match((await section.textContent()) ?? '', /2,000 of 3,350 GB\/s spec bandwidth/);
		assert.match((await section.locator('.verdict').textContent()) ?? '', /^bandwidth-underused — leaving/);
		assert.match((await section.textContent()) ?? '', /http:\/\/gpu-box:8000\/metrics/);
		// The roofline: one measured point, and the decode point now says "predicted".
		assert.equal(await o.page.locator('svg.roofline .rf-measured circle').count(), 1);
		assert.equal(
			await o.page.locator('svg.roofline .rf-measured .rf-point-label').textContent(),
			'measured (batch 4)',
		);
		assert.match(
			(await o.page.locator('svg.roofline .rf-decode .rf-point-label').textContent()) ?? '',
			/^predicted \(batch \d+\)$/,
		);
		assert.match((await o.page.locator('.legend').textContent()) ?? '', /predicted decode.*measured/);
		// 2.5 FLOP/byte measured at batch 4 sits left of the predicted point at the file's batch (16 sequences
		// per step ≈ 2 FLOP × 16 per 2-byte weight ≈ 16 FLOP/byte before KV): log x grows to the right.
		assert.ok((await cx(o.page, 'rf-measured')) < (await cx(o.page, 'rf-decode')));
		await o.page.screenshot({ path: path.join(SHOTS, '20-measured.png'), fullPage: true });
		assert.deepEqual(o.problems, []);
		await o.page.close();
	});

	test('another device or another workload: the section shows, the point is not drawn; failures and stop show', async () => {
		const o = await open();
		await o.send(update());
		await o.send(P.Measured.create(measured({ hardware: 'a100-80gb-sxm' })));
		await o.page.waitForSelector('section.measured');
		assert.equal(await o.page.locator('svg.roofline .rf-measured').count(), 0);
		assert.match(
			(await o.page.locator('section.measured').textContent()) ?? '',
			/Measured against a100-80gb-sxm; the roofline shows h100-sxm/,
		);
		await o.send(P.Measured.create(measured({ uri: 'file:///other.yaml' })));
		await o.page.waitForFunction(
			() => !document.querySelector('section.measured')?.textContent?.includes('a100'),
		);
		assert.equal(await o.page.locator('svg.roofline .rf-measured').count(), 0);
		assert.match((await o.page.locator('.rf-decode .rf-point-label').textContent()) ?? '', /^decode/);
		await o.send(P.Measured.create(measured({ watching: false, lastError: 'connection refused' })));
		await o.page.waitForFunction(() =>
			document.querySelector('section.measured h2')?.textContent?.includes('stopped'),
		);
		assert.match(
			(await o.page.locator('section.measured').textContent()) ?? '',
			/Last measurement failed: connection refused/,
		);
		assert.deepEqual(o.problems, []);
		await o.page.close();
	});

	test('a measurement without a document shows next to the empty state; malformed ones are ignored', async () => {
		const o = await open();
		await o.send(P.Empty.create({ reason: 'No LLM serving workload found.', targetHardware: 'h100-sxm' }));
		await o.send({ type: 'host/measured', params: { url: 'x' } });
		await o.send(P.Measured.create(measured({ uri: undefined, workload: undefined, basis: 'settings' })));
		await o.page.waitForSelector('section.measured');
		assert.equal(await metric(o.page, 'Achieved'), '1,234 tok/s');
		assert.match((await o.page.locator('.empty').textContent()) ?? '', /No LLM serving workload/);
		assert.deepEqual(o.problems, []);
		await o.page.close();
	});
});
