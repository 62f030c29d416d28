/**
 * Debian's Chromium for the webview and e2e tests, launched the way this machine needs: as root without a
 * sandbox, and with the background-networking features off (the machine's closed network refuses them).
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why Chromium cannot run here, for a test's `skip`, or false when it can. */
export function chromiumMissing(): string | false {
	return existsSync(CHROMIUM)
		? false
		: `Chromium is not installed at ${CHROMIUM} (apt-get install -y --no-install-recommends chromium)`;
}

export async function launchChromium(): Promise<Browser> {
	const { chromium } = await import('playwright-core');
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}
