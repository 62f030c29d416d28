/**
 * Drives a real VS Code (code-server 4.100.3, VS Code 1.100.3) through Debian's Chromium, following
 * ../shared/research/e2e-code-server.md. Everything polls with deadlines; nothing sleeps blindly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../chromium';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_DIR =
	process.env.CODE_SERVER_DIR ?? path.join(ROOT, '.cache', 'code-server-4.100.3');
export const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');

/** Why the e2e suite cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
	if (!existsSync(CODE_SERVER_ENTRY))
		return `code-server is not installed (run scripts/install-code-server.sh)`;
	return chromiumMissing() || undefined;
}

export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
	timeoutMs = 30_000,
	intervalMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const v = await probe();
			if (v) return v;
		} catch (e) {
			lastError = e;
		}
		if (Date.now() > deadline) {
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
			);
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

export interface Session {
	tmp: string;
	workspace: string;
	userDataDir: string;
	extensionsDir: string;
	port: number;
	server: ChildProcess;
	serverLog: string[];
	stop(): Promise<void>;
}

export interface SessionOptions {
	/** Folder copied as the workspace (the repo's samples/ by default). */
	workspaceSource?: string;
	/** Restricted Mode: workspace trust on and the folder untrusted. */
	restricted?: boolean;
	vsix?: string;
	settings?: Record<string, unknown>;
}

/** Copies the workspace, installs the .vsix, starts code-server on a free loopback port. */
export async function startSession(opts: SessionOptions = {}): Promise<Session> {
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'im-e2e-'));
	const workspace = path.join(tmp, 'workspace');
	cpSync(opts.workspaceSource ?? path.join(ROOT, 'samples'), workspace, { recursive: true });
	const userDataDir = path.join(tmp, 'ud');
	const extensionsDir = path.join(tmp, 'ext');
	mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
	writeFileSync(
		path.join(userDataDir, 'User', 'settings.json'),
		JSON.stringify(
			{
				'workbench.startupEditor': 'none',
				'workbench.tips.enabled': false,
				'security.workspace.trust.enabled': !!opts.restricted,
				'security.workspace.trust.startupPrompt': 'never',
				'extensions.autoCheckUpdates': false,
				'extensions.autoUpdate': false,
				'telemetry.telemetryLevel': 'off',
				'editor.hover.delay': 200,
				...opts.settings,
			},
			null,
			2,
		),
	);
	if (opts.vsix) {
		const r = spawnSync(
			process.execPath,
			[
				CODE_SERVER_ENTRY,
				'--user-data-dir',
				userDataDir,
				'--extensions-dir',
				extensionsDir,
				'--install-extension',
				opts.vsix,
			],
			{ encoding: 'utf8', timeout: 120_000 },
		);
		if (!/successfully installed/.test(r.stdout + r.stderr)) {
			throw new Error(`installing ${opts.vsix} failed:\n${r.stdout}\n${r.stderr}`);
		}
	}
	const serverLog: string[] = [];
	const server = spawn(
		process.execPath,
		[
			CODE_SERVER_ENTRY,
			'--auth',
			'none',
			'--bind-addr',
			'127.0.0.1:0',
			'--user-data-dir',
			userDataDir,
			'--extensions-dir',
			extensionsDir,
			'--disable-telemetry',
			'--disable-update-check',
			workspace,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
	);
	server.stdout!.on('data', (d: Buffer) => serverLog.push(d.toString()));
	server.stderr!.on('data', (d: Buffer) => serverLog.push(d.toString()));
	const port = await waitFor(
		'code-server to listen',
		() => {
			const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(serverLog.join(''));
			return m ? Number(m[1]) : undefined;
		},
		60_000,
	);
	return {
		tmp,
		workspace,
		userDataDir,
		extensionsDir,
		port,
		server,
		serverLog,
		async stop() {
			if (server.exitCode === null) {
				server.kill('SIGTERM');
				await waitFor(
					'code-server to exit',
					() => server.exitCode !== null || server.signalCode !== null,
					10_000,
				).catch(() => server.kill('SIGKILL'));
			}
		},
	};
}

export const launchBrowser: () => Promise<Browser> = launchChromium;

export async function openWorkbench(browser: Browser, session: Session): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
	await page.goto(`http://127.0.0.1:${session.port}/?folder=${encodeURIComponent(session.workspace)}`);
	await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
	// The explorer is populated once the workspace has loaded.
	await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
	return page;
}

/** Opens a workspace file through Quick Open (retrying until the editor tab shows it). */
export async function openFile(page: Page, relPath: string): Promise<void> {
	const base = path.basename(relPath);
	await waitFor(
		`editor tab for ${relPath}`,
		async () => {
			await page.keyboard.press('Escape');
			await page.keyboard.press('Control+P');
			const input = page.locator('.quick-input-widget input');
			await input.waitFor({ state: 'visible', timeout: 3000 });
			await input.fill(relPath);
			await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 5000 });
			await page.keyboard.press('Enter');
			await page.waitForSelector(`.tabs-container .tab[aria-label^="${base}"]`, { timeout: 5000 });
			return true;
		},
		45_000,
		500,
	);
	await page.locator('.editor-instance .monaco-editor').first().waitFor({ timeout: 10_000 });
}

/** Runs a command palette command by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
	await waitFor(
		`command palette for "${title}"`,
		async () => {
			await page.keyboard.press('Escape');
			await page.keyboard.press('F1');
			const input = page.locator('.quick-input-widget input');
			await input.waitFor({ state: 'visible', timeout: 3000 });
			await input.fill(`>${title}`);
			const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
			await row.waitFor({ timeout: 5000 });
			await page.keyboard.press('Enter');
			return true;
		},
		30_000,
		500,
	);
}

export async function problemsText(page: Page): Promise<string> {
	const panel = page.locator('.markers-panel');
	if (!(await panel.isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
	await panel.waitFor({ timeout: 10_000 });
	return panel.innerText();
}

/**
 * Our panel's content frame (code-server serves webviews from its own origin). Other webviews (the
 * Markdown preview) may be open too, so the frame is picked by the extension id in its URL.
 */
export function webviewFrame(page: Page, extensionId = 'inference-meter.inference-meter'): FrameLocator {
	return page
		.frameLocator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`)
		.frameLocator('#active-frame');
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(RESULTS_DIR, { recursive: true });
	const file = path.join(RESULTS_DIR, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

/** The extension host log, for failure reports. */
export function extensionHostLog(session: Session): string {
	const logs = path.join(session.userDataDir, 'logs');
	if (!existsSync(logs)) return '(no logs folder)';
	const out: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, name.name);
			if (name.isDirectory()) walk(p);
			else if (/exthost|Inference Meter|inference-meter/i.test(p))
				out.push(`--- ${p}\n${readFileSync(p, 'utf8').slice(-20_000)}`);
		}
	};
	walk(logs);
	return out.join('\n') || '(no extension host log found)';
}
