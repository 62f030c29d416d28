/**
 * The panel agrees with the diagnostics when the engine cannot start. samples/vllm/qwen32b-h100-config.yaml
 * (Qwen2.5-32B bf16, max-model-len 32,768, max-num-seqs 16, H100 SXM) gets kv-cache-does-not-fit from the
 * server: at gpu-memory-utilization 0.85 one 32,768-token sequence needs 8.00 GiB of KV and vLLM's plan leaves
 * 4.05 GiB (at most 16,576 tokens). The panel used to say "fits · max batch 7" and "KV holds 7" (capacity at the
 * 2,048-token decode context); the scenario, the memory card, the header and the comparison's "fits" now apply
 * the same check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../chromium';
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import * as P from '../../server/src/shared/webviewProtocol';
import { builtInEngine } from '../../webview/src/builtinEngine';
import { compareRow } from '../../webview/src/compare';
import { baseScenario, startupCheck, withChange } from '../../webview/src/scenario';
import { startHarness, type Harness } from './harness';

const FILE = 'samples/vllm/qwen32b-h100-config.yaml';
const eng = builtInEngine();

async function sampleReport(text = readFileSync(FILE, 'utf8')): Promise<WorkloadReport[]> {
	const { analyzeDocument } = await import('../../server/src/analysis/analyze');
	const { toFileReport } = await import('../../server/src/analysis/report');
	return toFileReport(await analyzeDocument({ path: FILE, text }, { hardwareId: 'h100-sxm' }), text)
		.workloads;
}

test('scenario: batch 1 (not 9) and the start-up check fails with 16,576 tokens at most', async () => {
	const [w] = await sampleReport();
	const sc = baseScenario(w, 'h100-sxm', eng);
	assert.ok(!('error' in sc));
	assert.equal(sc.batchConfigured, 16);
	assert.equal(sc.batch, 1, 'no batch of 9 when the engine does not start');
	const fit = startupCheck(sc, eng, undefined);
	assert.ok(fit);
	assert.equal(fit.fits, false);
	assert.equal(fit.context, 32768);
	// vLLM's plan: 0.85 × 79.15 GiB − 61.03 GiB weights − 1.50 GiB activation peak − 0.14 GiB non-torch
	// − 0.57 GiB CUDA graphs (no version pinned: current rules, from 0.21.0)
	// = 4.05 GiB = 1,036 blocks of 16 tokens = 16,576 (as the diagnostic says).
	assert.equal(fit.maxContextThatFits, 16576);
	// The comparison's "fits" on the target uses the same rule.
	const h100 = eng.catalog.hardware.find((x) => x.id === 'h100-sxm')!;
	assert.equal(compareRow(sc, eng, undefined, h100).fits, false);
	// An H200 (0.85 × 139.9 GiB as CUDA reports it) holds the weights and a 32k sequence: it fits on one.
	const h200 = eng.catalog.hardware.find((x) => x.id === 'h200')!;
	const row = compareRow(sc, eng, undefined, h200);
	assert.equal(row.fits, true);
	assert.equal(row.devices, 1);
	// A what-if at 14,336 tokens (the server's fix) starts.
	assert.equal(startupCheck(withChange(sc, { context: 14336 }), eng, undefined)?.fits, true);
});

const skip = chromiumMissing();

describe('panel in Chromium: the memory card and header say the engine does not start', { skip }, () => {
	let browser: Browser;
	let harness: Harness;
	before(async () => {
		const build = spawnSync(process.execPath, ['scripts/build.mjs', '--only=webview'], { encoding: 'utf8' });
		assert.equal(build.status, 0, build.stderr);
		harness = await startHarness();
		browser = await launchChromium();
	});
	after(async () => {
		await browser?.close();
		await harness?.close();
	});

	test('"does not fit at max-model-len 32,768: at most 16,576 tokens"; no "KV holds 9"', async () => {
		const workloads = await sampleReport();
		const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
		const problems: string[] = [];
		page.on('pageerror', (e) => problems.push(e.message));
		await page.goto(harness.url);
		await page.evaluate(
			(m) => window.postMessage(m, '*'),
			P.Update.create({
				uri: `file:///work/${FILE}`,
				fileName: FILE,
				workloads,
				selected: 0,
				targetHardware: 'h100-sxm',
			}) as object,
		);
		await page.waitForSelector('table.compare tbody tr');
		const card = page.locator('.metric', {
			has: page.locator('.metric-label', { hasText: 'Memory per device' }),
		});
		assert.equal(
			await card.locator('.metric-detail').textContent(),
			'does not fit at max-model-len 32,768: at most 16,576 tokens',
		);
		assert.match((await card.getAttribute('class')) ?? '', /\bbad\b/);
		// The value is what one 32k sequence needs: weights 65.5 + overhead 2.38 (activation peak, non-torch, CUDA
		// graphs) + KV 8.59 = 76.5 GB of 72.2.
		assert.equal(await card.locator('.metric-value').textContent(), '76.5 / 72.2 GB');
		// The card lists vLLM's plan in its own log wording.
		const plan = (await card.locator('ol.plan-lines').textContent()) ?? '';
		assert.match(plan, /Available KV cache memory: 4\.05 GiB/);
		assert.match(plan, /To serve at least one request with the model's max seq len \(32768\)/);
		const header = (await page.locator('header.workload').textContent()) ?? '';
		assert.doesNotMatch(header, /KV holds/);
		assert.match(header, /16 configured · the engine does not start at this context/);
		const target = page.locator('tr.is-target td.col-fits');
		assert.doesNotMatch((await target.textContent()) ?? '', /^yes$/);
		assert.deepEqual(problems, []);
		await page.close();
	});
});
