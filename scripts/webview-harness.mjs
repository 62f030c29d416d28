// Serves the side panel outside VS Code for a look in any browser, playing the extension host's part:
//   node --import tsx scripts/webview-harness.mjs [config-file] [--port N]
// It builds dist/webview.js, analyzes the file with the real pipeline, and serves an outer page that
// iframes the panel (production HTML and CSP) and answers its messages like the host does (set target
// re-analyzes with the new hardware; apply shows the planned edits). Loopback only; Ctrl-C stops it.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 0;
const file =
	args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--port') ?? 'samples/vllm/serve-llama-8b.sh';

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--only=webview'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const { analyzeDocument } = await import('../server/src/analysis/analyze.ts');
const { toFileReport } = await import('../server/src/analysis/report.ts');
const { makeNonce, renderPanelHtml } = await import('../client/src/panel/panelHtml.ts');
const { planWhatIfEdits } = await import('../client/src/panel/whatIfEdits.ts');

const text = readFileSync(file, 'utf8');
let hardware = 'h100-sxm';
async function update() {
	const report = toFileReport(await analyzeDocument({ path: file, text }, { hardwareId: hardware }), text);
	if (!report.workloads.length)
		return {
			type: 'host/empty',
			params: { reason: `No LLM serving workload found in ${file}.`, targetHardware: hardware },
		};
	const params = {
		uri: `file://${path.resolve(file)}`,
		fileName: file,
		workloads: report.workloads,
		selected: 0,
		targetHardware: hardware,
	};
	return { type: 'host/update', params };
}

// The outer page stands in for VS Code's webview host frame; its script is ours, so it may run inline here.
const OUTER = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Inference Meter panel harness</title>
<style>html,body{margin:0;height:100%;background:#1f1f1f}iframe{border:0;width:100%;height:100%}</style></head>
<body><iframe id="panel" src="/panel"></iframe><script>
const frame = document.getElementById('panel');
async function send(msg) {
	const res = await fetch('/message', { method: 'POST', body: JSON.stringify(msg) });
	for (const m of await res.json()) frame.contentWindow.postMessage(m, '*');
}
// The panel's ready message fires while its page loads, before this listener can attach; replay it.
frame.addEventListener('load', () => {
	frame.contentWindow.addEventListener('inference-meter:post', (e) => send(e.detail));
	send({ type: 'webview/ready', params: { version: 1 } });
});
</script></body></html>`;

async function onMessage(msg) {
	if (msg?.type === 'webview/ready') return [await update()];
	if (msg?.type === 'webview/setTarget') {
		hardware = msg.params.hardwareId;
		return [await update()];
	}
	if (msg?.type === 'webview/applyWhatIf') {
		const { params } = await update();
		const plan = planWhatIfEdits(params.workloads[msg.params.workload], msg.params.change, text);
		console.log('apply (not written in the harness):', JSON.stringify(plan, null, 1));
		const message = `Harness: would apply ${plan.applied.join(', ') || 'nothing'}${plan.skipped.length ? `; skipped ${plan.skipped.join('; ')}` : ''}.`;
		return [
			{
				type: 'host/applyResult',
				params: { ok: plan.edits.length > 0, message, applied: plan.applied, skipped: plan.skipped },
			},
		];
	}
	if (msg?.type === 'webview/error') console.error('webview error:', msg.params.message);
	return [];
}

const server = createServer(async (req, res) => {
	const origin = `http://${req.headers.host}`;
	const url = new URL(req.url ?? '/', origin);
	if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
	if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(OUTER);
	if (url.pathname === '/panel') {
		const html = renderPanelHtml({
			cspSource: origin,
			nonce: makeNonce(),
			scriptUri: `${origin}/dist/webview.js`,
			styleUri: `${origin}/dist/webview.css`,
		});
		return res.writeHead(200, { 'content-type': 'text/html' }).end(html);
	}
	if (url.pathname === '/message' && req.method === 'POST') {
		let body = '';
		for await (const chunk of req) body += chunk;
		return res
			.writeHead(200, { 'content-type': 'application/json' })
			.end(JSON.stringify(await onMessage(JSON.parse(body))));
	}
	const m = /^\/dist\/(webview\.(js|css)(\.map)?)$/.exec(url.pathname);
	if (m) {
		const type = m[2] === 'js' ? 'text/javascript' : 'text/css';
		return res
			.writeHead(200, { 'content-type': m[3] ? 'application/json' : type })
			.end(readFileSync(path.join('dist', m[1])));
	}
	res.writeHead(404).end();
});
server.listen(port, '127.0.0.1', () => {
	console.log(`Inference Meter panel for ${file}: http://127.0.0.1:${server.address().port}/`);
});
