/**
 * One GET of a `/metrics` URL the user named, with a hard deadline (connect + read), a body size
 * cap, and no redirects to other hosts. Every failure becomes a one-line message; nothing throws
 * and nothing is left open.
 */
import http from 'node:http';
import https from 'node:https';

export interface ScrapeOptions {
	/** Whole request deadline (connect, headers and body), milliseconds. */
	timeoutMs: number;
	/** Largest body accepted, bytes; the download is aborted beyond it. */
	maxBytes: number;
	/** Same-origin redirects followed (0 = none). Cross-origin redirects are never followed. */
	maxRedirects?: number;
}

export const DEFAULT_SCRAPE: ScrapeOptions = { timeoutMs: 5000, maxBytes: 8 * 1024 * 1024, maxRedirects: 2 };

export type ScrapeFailure =
	'bad-url' | 'refused' | 'timeout' | 'http-status' | 'too-big' | 'network' | 'redirect';

export type ScrapeResult =
	| { ok: true; url: string; status: number; contentType?: string; body: string; bytes: number; ms: number }
	| { ok: false; kind: ScrapeFailure; message: string };

/** Checks that the URL is http(s) with a host; returns the parsed URL or a message. */
export function checkMetricsUrl(raw: string): URL | string {
	let u: URL;
	try {
		u = new URL(raw);
	} catch {
		return `"${raw}" is not a URL; expected e.g. http://localhost:8000/metrics`;
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:')
		return `only http:// and https:// URLs are scraped, not ${u.protocol}`;
	if (!u.hostname) return `"${raw}" has no host`;
	if (u.username || u.password) return 'credentials in the URL are not sent; remove user:password@';
	return u;
}

export async function scrapeMetrics(
	raw: string,
	options: ScrapeOptions = DEFAULT_SCRAPE,
): Promise<ScrapeResult> {
	const checked = checkMetricsUrl(raw);
	if (typeof checked === 'string') return { ok: false, kind: 'bad-url', message: checked };
	const started = performance.now();
	const deadline = started + options.timeoutMs;
	let url = checked;
	for (let hop = 0; ; hop++) {
		const r = await getOnce(url, deadline, options);
		if (r.kind !== 'redirect')
			return r.kind === 'done' ? { ...r.result, ms: performance.now() - started } : r.fail;
		const next = new URL(r.location, url);
		if (next.origin !== url.origin)
			return {
				ok: false,
				kind: 'redirect',
				message: `${url.href} redirects to ${next.href} (another host); not followed — pass that URL yourself if you trust it`,
			};
		if (hop >= (options.maxRedirects ?? 0))
			return { ok: false, kind: 'redirect', message: `${checked.href}: too many redirects` };
		url = next;
	}
}

type Once =
	| { kind: 'done'; result: Extract<ScrapeResult, { ok: true }> }
	| { kind: 'fail'; fail: Extract<ScrapeResult, { ok: false }> }
	| { kind: 'redirect'; location: string };

function getOnce(url: URL, deadline: number, options: ScrapeOptions): Promise<Once> {
	return new Promise((resolve) => {
		let settled = false;
		const finish = (o: Once) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			req.destroy();
			resolve(o);
		};
		const fail = (kind: ScrapeFailure, message: string) =>
			finish({ kind: 'fail', fail: { ok: false, kind, message } });
		const client = url.protocol === 'https:' ? https : http;
		const req = client.request(
			url,
			{
				method: 'GET',
				agent: false,
				headers: { accept: 'text/plain;version=0.0.4, */*;q=0.1', 'accept-encoding': 'identity' },
			},
			(res) => {
				const status = res.statusCode ?? 0;
				if (status >= 300 && status < 400 && res.headers.location) {
					finish({ kind: 'redirect', location: res.headers.location });
					return;
				}
				if (status !== 200) {
					fail('http-status', `${url.href} answered HTTP ${status} ${res.statusMessage ?? ''}`.trim());
					return;
				}
				const encoding = res.headers['content-encoding'];
				if (encoding && encoding !== 'identity') {
					fail('network', `${url.href} sent a ${encoding}-compressed body though none was asked for`);
					return;
				}
				const declared = Number(res.headers['content-length']);
				if (Number.isFinite(declared) && declared > options.maxBytes) {
					fail('too-big', tooBig(url, options.maxBytes));
					return;
				}
				const chunks: Buffer[] = [];
				let bytes = 0;
				res.on('data', (c: Buffer) => {
					bytes += c.length;
					if (bytes > options.maxBytes) fail('too-big', tooBig(url, options.maxBytes));
					else chunks.push(c);
				});
				res.on('end', () =>
					finish({
						kind: 'done',
						result: {
							ok: true,
							url: url.href,
							status,
							contentType: res.headers['content-type'],
							body: Buffer.concat(chunks).toString('utf8'),
							bytes,
							ms: 0,
						},
					}),
				);
				res.on('error', (e) => fail('network', `${url.href}: ${e.message}`));
			},
		);
		const timer = setTimeout(
			() => fail('timeout', `${url.href} did not answer within ${fmtSeconds(options.timeoutMs)}`),
			Math.max(1, deadline - performance.now()),
		);
		req.on('error', (e: NodeJS.ErrnoException) => fail(...describeError(url, e)));
		req.end();
	});
}

function describeError(url: URL, e: NodeJS.ErrnoException): [ScrapeFailure, string] {
	const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
	switch (e.code) {
		case 'ECONNREFUSED':
			return [
				'refused',
				`connection refused at ${where}: is the server running, and started with metrics on?`,
			];
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return ['network', `cannot resolve host "${url.hostname}"`];
		case 'ECONNRESET':
			return ['network', `${where} closed the connection before answering`];
		default:
			return ['network', `${url.href}: ${e.message}`];
	}
}

function tooBig(url: URL, max: number): string {
	return `${url.href} sent more than ${(max / 2 ** 20).toFixed(1)} MiB; aborted (is this really a /metrics endpoint?)`;
}

function fmtSeconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Does a body look like Prometheus text at all? Used to say "not Prometheus" instead of "no metrics". */
export function looksLikeHtmlOrJson(body: string): string | undefined {
	const head = body.trimStart().slice(0, 200).toLowerCase();
	if (head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<')) return 'HTML';
	if (head.startsWith('{') || head.startsWith('[')) return 'JSON';
	return undefined;
}
