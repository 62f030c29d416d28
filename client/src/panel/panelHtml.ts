/**
 * The panel's HTML, built in one place with a strict Content-Security-Policy: only our bundled script (by
 * nonce) and stylesheet (from the webview's resource origin) may load; nothing inline, nothing remote.
 * No `vscode` import, so the webview test harness serves exactly this page.
 */
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
	/** `webview.cspSource`: the origin VS Code serves local resources from. */
	cspSource: string;
	nonce: string;
	scriptUri: string;
	styleUri: string;
}

/** A fresh nonce per render, from a CSPRNG. */
export function makeNonce(): string {
	return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	return [
		"default-src 'none'",
		`script-src 'nonce-${nonce}'`,
		`style-src ${cspSource} 'nonce-${nonce}'`,
		`img-src ${cspSource} data:`,
		`font-src ${cspSource}`,
	].join('; ');
}

function attr(v: string): string {
	return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderPanelHtml(o: PanelHtmlInput): string {
	const csp = contentSecurityPolicy(o.cspSource, o.nonce);
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}" nonce="${attr(o.nonce)}">
<title>Inference Meter</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
