/**
 * The concurrency sweep: pure computation against the serving model, and the panel section in Chromium
 * (two charts, the latency targets from settings as lines, the largest concurrency meeting them marked, and
 * input/output lengths as what-ifs). Sample: samples/vllm/serve-llama-8b.sh (Llama 3.1 8B bf16, H100 SXM,
 * --max-num-seqs 64).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../chromium';
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import { estimateServing } from '../../server/src/analysis/physics/serving';
import * as P from '../../server/src/shared/webviewProtocol';
import { builtInEngine } from '../../webview/src/builtinEngine';
import { baseScenario, toInput } from '../../webview/src/scenario';
import { computeSweep, sweepGrid } from '../../webview/src/servingSweep';
import { startHarness, type Harness } from './harness';

const FILE = 'samples/vllm/serve-llama-8b.sh';
const eng = builtInEngine();

async function sampleReport(): Promise<WorkloadReport[]> {
	const text = readFileSync(FILE, 'utf8');
	const { analyzeDocument } = await import('../../server/src/analysis/analyze');
	const { toFileReport } = await import('../../server/src/analysis/report');
	return toFileReport(await analyzeDocument({ path: FILE, text }, { hardwareId: 'h100-sxm' }), text)
		.workloads;
}

test('sweep: grid includes the configured concurrency; the best point meets both targets and the next one does not', async () => {
	const [w] = await sampleReport();
	const sc = baseScenario(w, 'h100-sxm', eng);
	assert.ok(!('error' in sc));
	const input = toInput(sc, eng, undefined);
	assert.ok(!('error' in input));
	assert.deepEqual(sweepGrid(64).slice(0, 3), [1, 2, 4]);
	assert.ok(sweepGrid(48).includes(48));
	const target = { tokensPerSecondPerUser: 60, ttftSeconds: 0.5 };
	const sw = computeSweep(input, {}, target, 64);
	assert.ok(sw.best > 1, `best ${sw.best}`);
	const at = (c: number) => estimateServing(input, { inputTokens: 1000, outputTokens: 1000, concurrency: c });
	const ok = (c: number) => {
		const e = at(c);
		return e.outputTokensPerSecondPerUser >= 60 && (e.ttftSeconds ?? Infinity) <= 0.5;
	};
	assert.ok(ok(sw.best));
	assert.ok(!ok(sw.best + 1));
	// Totals rise and per-user speed falls along the sweep.
	for (let i = 1; i < sw.points.length; i++) {
		assert.ok(sw.points[i].total >= sw.points[i - 1].total * 0.999);
		assert.ok(sw.points[i].perUser <= sw.points[i - 1].perUser * 1.001);
	}
	// Longer prompts: TTFT rises at every concurrency.
	const long = computeSweep(input, { input: 8000 }, target, 64);
	assert.ok(long.points.every((p, i) => p.ttft > sw.points[i].ttft));
	assert.equal(long.lengthsAreDefaults, false);
});

const skip = chromiumMissing();

describe('panel in Chromium: the concurrency sweep', { skip }, () => {
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

	test('two charts, target lines from settings, best concurrency marked; lengths are what-ifs', async () => {
		const workloads = await sampleReport();
		const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
		const problems: string[] = [];
		page.on('pageerror', (e) => problems.push(e.message));
		await page.goto(harness.url);
		const post = (settings: object) =>
			page.evaluate(
				(m) => window.postMessage(m, '*'),
				P.Update.create({
					uri: `file:///work/${FILE}`,
					fileName: FILE,
					workloads,
					selected: 0,
					targetHardware: 'h100-sxm',
					settings,
				} as never) as object,
			);
		await post({ latencyTarget: { tokensPerSecondPerUser: 60, ttftSeconds: 0.5 } });
		const card = page.locator('section.sweep-card');
		await card.waitFor();
		assert.equal(await card.locator('svg.sweep-chart').count(), 2);
		assert.equal(await card.locator('line.sw-target').count(), 2);
		assert.match(
			(await card.locator('.sw-target-label').first().textContent()) ?? '',
			/target 60 tok\/s per user/,
		);
		assert.match((await card.locator('.sw-target-label').nth(1).textContent()) ?? '', /target 500 ms/);
		const verdict = (await card.locator('.sweep-verdict').textContent()) ?? '';
		const best = Number(/meeting both targets: ([\d,]+)/.exec(verdict)?.[1].replace(/,/g, ''));
		assert.ok(best > 1, verdict);
		assert.equal(await card.locator('circle.sw-best').count(), 2);
		assert.equal(await card.locator('.sw-best-label').first().textContent(), `C = ${best}`);
		assert.match((await card.textContent()) ?? '', /defaults: the file does not say/);
		// The same numbers as the pure sweep.
		const [w] = workloads;
		const sc = baseScenario(w, 'h100-sxm', eng);
		const input = !('error' in sc) ? toInput(sc, eng, undefined) : undefined;
		assert.ok(input && !('error' in input));
		assert.equal(best, computeSweep(input, {}, { tokensPerSecondPerUser: 60, ttftSeconds: 0.5 }, 64).best);
		// A stricter per-user target in settings → a smaller best concurrency.
		await post({ latencyTarget: { tokensPerSecondPerUser: 100, ttftSeconds: 0.5 } });
		await page.waitForFunction(
			(b) => !document.querySelector('.sweep-verdict')?.textContent?.includes(`: ${b}`),
			best,
		);
		// Input length as a what-if: 8,000-token prompts move TTFT up and the verdict changes.
		await post({ latencyTarget: { tokensPerSecondPerUser: 60, ttftSeconds: 0.5 } });
		await card.locator('#sweep-input').waitFor();
		await page.evaluate(() => {
			const f = document.querySelector('#sweep-input') as HTMLElement & { value: string };
			f.value = '8000';
			f.dispatchEvent(new Event('change'));
		});
		await page.waitForFunction(() =>
			/8,000 tokens in/.test(document.querySelector('.sweep-card')?.textContent ?? ''),
		);
		const after8k = (await page.locator('.sweep-verdict').textContent()) ?? '';
		assert.notEqual(after8k, verdict);
		assert.deepEqual(problems, []);
		await page.close();
	});
});
