/**
 * A loopback HTTP server that serves the panel exactly as VS Code would: the HTML from panelHtml.ts (same
 * CSP, fresh nonce per request) with the built dist/webview.js and dist/webview.css. Nothing else is served.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { makeNonce, renderPanelHtml } from '../../client/src/panel/panelHtml';

const TYPES: Record<string, string> = {
	'.js': 'text/javascript',
	'.css': 'text/css',
	'.map': 'application/json',
};
const ASSETS = new Set(['webview.js', 'webview.css', 'webview.js.map', 'webview.css.map']);

export interface Harness {
	url: string;
	close(): Promise<void>;
}

export async function startHarness(distDir = path.resolve('dist')): Promise<Harness> {
	let origin = '';
	const server: Server = createServer((req, res) => {
		const p = new URL(req.url ?? '/', origin).pathname;
		if (p === '/') {
			const html = renderPanelHtml({
				cspSource: origin,
				nonce: makeNonce(),
				scriptUri: `${origin}/dist/webview.js`,
				styleUri: `${origin}/dist/webview.css`,
			});
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
			res.end(html);
			return;
		}
		if (p === '/favicon.ico') {
			// Chromium asks for it on its own; a webview in VS Code has none.
			res.writeHead(204).end();
			return;
		}
		const name = p.startsWith('/dist/') ? p.slice('/dist/'.length) : '';
		if (!ASSETS.has(name)) {
			res.writeHead(404).end();
			return;
		}
		readFile(path.join(distDir, name)).then(
			(buf) => {
				res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream' });
				res.end(buf);
			},
			() => res.writeHead(404).end(),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: `${origin}/`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
