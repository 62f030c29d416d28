/**
 * What a user does, in a real VS Code (code-server 4.100.3) with the packaged .vsix installed, driven through
 * Debian's Chromium. Run by `npm run test:e2e` (which packages the .vsix and installs code-server first).
 * Screenshots of each step go to test-results/e2e/; on failure the extension host log is printed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
	extensionHostLog,
	launchBrowser,
	missingPrerequisite,
	openFile,
	openWorkbench,
	problemsText,
	RESULTS_DIR,
	runCommand,
	screenshot,
	startSession,
	waitFor,
	webviewFrame,
	type Session,
} from './harness';

const VSIX = process.env.INFERENCE_METER_VSIX;
const SAMPLE = 'vllm/qwen32b-h100-config.yaml';
const CODE = 'kv-cache-does-not-fit';
const skip = !VSIX
	? 'INFERENCE_METER_VSIX is not set (run `npm run test:e2e`)'
	: missingPrerequisite() || false;

/** Problems panel text, once it mentions (or stops mentioning) `code`. */
async function waitForProblem(
	page: Page,
	code: string,
	present: boolean,
	timeoutMs = 60_000,
): Promise<string> {
	return waitFor(
		`${code} to ${present ? 'appear in' : 'leave'} the Problems panel`,
		async () => {
			const text = await problemsText(page);
			return text.includes(code) === present ? text : undefined;
		},
		timeoutMs,
		500,
	);
}

async function elementShot(locator: Locator, name: string): Promise<void> {
	await locator.scrollIntoViewIfNeeded();
	mkdirSync(RESULTS_DIR, { recursive: true });
	await locator.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`) });
}

async function failureReport(
	session: Session | undefined,
	page: Page | undefined,
	name: string,
): Promise<void> {
	if (page) await screenshot(page, `failure-${name}`).catch(() => undefined);
	if (session) console.error(extensionHostLog(session));
}

describe('Inference Meter in code-server', { skip, timeout: 600_000 }, () => {
	let browser: Browser;
	let session: Session;
	let page: Page;

	before(async () => {
		session = await startSession({ vsix: VSIX });
		browser = await launchBrowser();
		page = await openWorkbench(browser, session);
	});

	after(async () => {
		await browser?.close();
		await session?.stop();
	});

	test('1. a vLLM config that cannot fit shows our diagnostic in the Problems panel', async (t) => {
		try {
			await openFile(page, SAMPLE);
			const text = await waitForProblem(page, CODE, true);
			assert.match(text, /max-model-len 32,768 needs .* KV cache/);
			assert.match(text, /H100/);
			await screenshot(page, '1-diagnostics');
		} catch (e) {
			await failureReport(session, page, t.name);
			throw e;
		}
	});

	test('2. hovering the model value shows the estimate', async (t) => {
		try {
			const model = page
				.locator('.view-lines .view-line span', { hasText: 'Qwen/Qwen2.5-32B-Instruct' })
				.first();
			const hover = await waitFor(
				'the hover with the estimate',
				async () => {
					await page.mouse.move(0, 0);
					await model.hover();
					const widget = page.locator('.monaco-hover:visible').first();
					await widget.waitFor({ timeout: 4000 });
					const text = await widget.innerText();
					return /tok\/s/.test(text) ? text : undefined;
				},
				45_000,
				500,
			);
			assert.match(hover, /GB/);
			assert.match(hover, /roofline/i);
			await screenshot(page, '2-hover');
			await page.keyboard.press('Escape');
		} catch (e) {
			await failureReport(session, page, t.name);
			throw e;
		}
	});

	test('3. Estimate Decode Bandwidth shows its result', async (t) => {
		try {
			// Put the cursor on the model line so the command estimates this workload.
			await page
				.locator('.view-lines .view-line span', { hasText: 'Qwen/Qwen2.5-32B-Instruct' })
				.first()
				.click();
			await runCommand(page, 'Inference Meter: Estimate Decode Bandwidth');
			const toast = await waitFor(
				'the decode bandwidth notification',
				async () => {
					const text = await page.locator('.notifications-toasts').innerText();
					return /Decode bandwidth for Qwen\/Qwen2\.5-32B/.test(text) ? text : undefined;
				},
				45_000,
			);
			assert.match(toast, /GB\/s for [\d.]+ tok\/s per user/);
			await waitFor('the report tab', () =>
				page
					.locator('.tabs-container .tab', { hasText: /Decode bandwidth/ })
					.first()
					.isVisible(),
			);
			await screenshot(page, '3-estimate-bandwidth');
			await page.keyboard.press('Escape');
		} catch (e) {
			await failureReport(session, page, t.name);
			throw e;
		}
	});

	test('3b. the language-model tools are registered and the estimate tool answers through vscode.lm', async (t) => {
		try {
			await runCommand(page, 'Inference Meter: Show Agent Tools');
			const toast = await waitFor(
				'the agent tools notification',
				async () => {
					const text = await page.locator('.notifications-toasts').innerText();
					return /language-model tools registered/.test(text) ? text : undefined;
				},
				45_000,
			);
			// All three contributed tools are in vscode.lm.tools, and vscode.lm.invokeTool returned the estimate.
			assert.match(toast, /3 of 3 language-model tools registered/);
			assert.match(toast, /inferenceMeter_estimate answered: [\d.,]+ tok\/s per user/);
			await screenshot(page, '3b-agent-tools');
			await page.keyboard.press('Escape');
		} catch (e) {
			await failureReport(session, page, t.name);
			throw e;
		}
	});

	test('4. the side panel renders the table and roofline; picking a device changes the diagnostic', async (t) => {
		try {
			await runCommand(page, 'View: Close All Editors');
			await openFile(page, SAMPLE);
			await runCommand(page, 'Inference Meter: Show Hardware Comparison');
			const frame = webviewFrame(page);
			const h200 = frame.locator('tr[data-hw="h200"]');
			await h200.waitFor({ timeout: 60_000 });
			assert.ok((await frame.locator('svg').count()) > 0, 'the roofline chart is an SVG in the panel');
			assert.ok((await frame.locator('tr[data-hw]').count()) >= 40, 'every catalog device has a row');
			await screenshot(page, '4-panel');
			// Close-ups of the chart and the comparison, as a person scrolls to them.
			await elementShot(frame.locator('svg.roofline').first(), '4-roofline');
			// The concurrency sweep (serving model): two charts with the latency targets drawn as lines.
			const sweep = frame.locator('section.sweep-card').first();
			await sweep.waitFor({ timeout: 30_000 });
			assert.equal(await sweep.locator('svg.sweep-chart').count(), 2, 'the sweep draws two charts');
			assert.equal(await sweep.locator('line.sw-target').count(), 2, 'both latency targets are drawn');
			await elementShot(sweep, '4-concurrency-sweep');
			// The whole panel, maximized, as a person reads it: the comparison needs the width.
			await runCommand(page, 'View: Hide Panel');
			await page.locator('.tabs-container .tab', { hasText: 'Inference Meter' }).first().click();
			await runCommand(page, 'View: Toggle Maximize Editor Group');
			await frame.locator('table.compare').first().scrollIntoViewIfNeeded();
			await screenshot(page, '4-comparison');
			await runCommand(page, 'View: Toggle Maximize Editor Group');
			await h200.click();
			// On an H200 (141 GB) one 32k sequence fits: the error goes away.
			await waitForProblem(page, CODE, false);
			await screenshot(page, '4b-panel-h200');
			// Back to the H100 for the quick-fix step.
			await frame.locator('tr[data-hw="h100-sxm"]').click();
			await waitForProblem(page, CODE, true);
		} catch (e) {
			await failureReport(session, page, t.name);
			throw e;
		}
	});

	test('5. applying the quick fix edits the file and clears the diagnostic', async (t) => {
		try {
			await openFile(page, SAMPLE);
			const value = page.locator('.view-lines .view-line span', { hasText: '32768' }).first();
			await value.click();
			await waitFor(
				'the quick fix menu',
				async () => {
					await page.keyboard.press('Escape');
					await page.keyboard.press('Control+.');
					const rows = page.locator('.action-widget .monaco-list-row');
					await rows.first().waitFor({ timeout: 4000 });
					// The menu is keyboard-driven (a pointer shield covers it): move the focus to our fix.
					const n = await rows.count();
					for (let i = 0; i <= n; i++) {
						const focused = await page
							.locator('.action-widget .monaco-list-row.focused')
							.getAttribute('aria-label', { timeout: 2000 });
						if (focused && /Lower the context/.test(focused)) {
							await page.keyboard.press('Enter');
							return true;
						}
						await page.keyboard.press('ArrowDown');
					}
					return false;
				},
				45_000,
				1000,
			);
			await waitForProblem(page, CODE, false);
			await page.keyboard.press('Control+S');
			const file = path.join(session.workspace, SAMPLE);
			const saved = await waitFor('the fixed file on disk', () => {
				const text = readFileSync(file, 'utf8');
				return /max-model-len: (\d+)/.exec(text)?.[1] !== '32768' ? text : undefined;
			});
			const len = Number(/max-model-len: (\d+)/.exec(saved)?.[1]);
			assert.ok(len > 0 && len < 32768, `context lowered (now ${len})`);
			await screenshot(page, '5-quick-fix');
		} catch (e) {
			await failureReport(session, page, t.name);
			throw e;
		}
	});
});

describe('Inference Meter in Restricted Mode', { skip, timeout: 300_000 }, () => {
	test('6. an untrusted workspace still gets diagnostics', async (t) => {
		const session = await startSession({ vsix: VSIX, restricted: true });
		const browser = await launchBrowser();
		let page: Page | undefined;
		try {
			page = await openWorkbench(browser, session);
			await waitFor('the Restricted Mode indicator', async () =>
				/Restricted Mode/.test(await page!.locator('.statusbar').innerText()),
			);
			await openFile(page, SAMPLE);
			await waitForProblem(page, CODE, true);
			await screenshot(page, '6-restricted-mode');
		} catch (e) {
			await failureReport(session, page, t.name);
			throw e;
		} finally {
			await browser.close();
			await session.stop();
		}
	});
});
