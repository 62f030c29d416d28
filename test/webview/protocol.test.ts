import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as P from '../../server/src/shared/webviewProtocol';
import { contentSecurityPolicy, makeNonce, renderPanelHtml } from '../../client/src/panel/panelHtml';
import { sampleWorkload } from './sampleReport';

test('create() output passes its own is() guard and no other', () => {
	const msgs = [
		P.Ready.create({ version: 1 }),
		P.SetTarget.create({ hardwareId: 'h100-sxm' }),
		P.ApplyWhatIf.create({ uri: 'file:///a.sh', workload: 0, change: { batch: 8, kvDtype: 'fp8' } }),
		P.Update.create({
			uri: 'file:///a.sh',
			fileName: 'a.sh',
			workloads: [sampleWorkload()],
			selected: 0,
			targetHardware: 'h100-sxm',
		}),
		P.Empty.create({ reason: 'none', targetHardware: 'h100-sxm' }),
		P.Theme.create({ kind: 'high-contrast' }),
		P.ApplyResult.create({ ok: true, message: 'ok', applied: ['a'], skipped: [] }),
		P.Reveal.create({ uri: 'file:///a.sh', workload: 0 }),
		P.WebviewError.create({ message: 'boom' }),
		P.Measured.create({
			url: 'http://localhost:8000/metrics',
			basis: 'settings',
			at: 0,
			watching: true,
			intervalSeconds: 5,
			server: 'vllm',
			model: null,
			hardware: null,
			devices: 1,
			generationTokensPerSecond: 10,
			perSequenceTokensPerSecond: null,
			runningRequests: 1,
			batch: 1,
			context: 1024,
			contextSource: 'assumed',
			stepsPerSecond: null,
			bytesPerStep: null,
			achievedBandwidthGBs: null,
			peakBandwidthGBs: null,
			achievedTflops: null,
			mbu: null,
			mfu: null,
			expectedTokensPerSecond: null,
			rooflineTokensPerSecond: null,
			verdict: 'unknown',
			verdictText: 'needs the model',
		}),
	];
	const guards = [
		P.Ready,
		P.SetTarget,
		P.ApplyWhatIf,
		P.Update,
		P.Empty,
		P.Theme,
		P.ApplyResult,
		P.Reveal,
		P.WebviewError,
		P.Measured,
	];
	msgs.forEach((m, i) => {
		guards.forEach((g, j) => assert.equal(g.is(m), i === j, `${g.type} on ${m.type}`));
	});
});

test('guards reject malformed messages', () => {
	assert.equal(P.SetTarget.is({ type: 'webview/setTarget', params: { hardwareId: 42 } }), false);
	// Ids are kebab-case catalog ids; anything else (paths, markup) is refused before it reaches settings.
	assert.equal(P.SetTarget.is({ type: 'webview/setTarget', params: { hardwareId: '../../x' } }), false);
	assert.equal(P.SetTarget.is({ type: 'webview/setTarget', params: { hardwareId: '<b>' } }), false);
	assert.equal(
		P.ApplyWhatIf.is({
			type: 'webview/applyWhatIf',
			params: { uri: 'u', workload: 0, change: { batch: 'x' } },
		}),
		false,
	);
	assert.equal(
		P.ApplyWhatIf.is({
			type: 'webview/applyWhatIf',
			params: { uri: 'u', workload: 0, change: { batch: NaN } },
		}),
		false,
	);
	assert.equal(P.Theme.is({ type: 'host/theme', params: { kind: 'purple' } }), false);
	assert.equal(P.Ready.is(null), false);
	assert.equal(P.Ready.is({ type: 'webview/ready' }), false);
	assert.equal(
		P.Update.is({
			type: 'host/update',
			params: { uri: 'u', fileName: 'f', workloads: [1], selected: 0, targetHardware: 'x' },
		}),
		false,
	);
});

test('panel HTML carries a strict nonce CSP and no inline code', () => {
	const nonce = makeNonce();
	assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/); // 16 random bytes in base64
	assert.notEqual(makeNonce(), nonce);
	const csp = contentSecurityPolicy('https://x.vscode-cdn.net', nonce);
	assert.equal(
		csp,
		`default-src 'none'; script-src 'nonce-${nonce}'; style-src https://x.vscode-cdn.net 'nonce-${nonce}'; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net`,
	);
	assert.doesNotMatch(csp, /unsafe-/);
	const html = renderPanelHtml({
		cspSource: 'https://x.vscode-cdn.net',
		nonce,
		scriptUri: 'https://x/w.js?a=1&b="2"',
		styleUri: 'https://x/w.css',
	});
	assert.ok(html.includes(`<script nonce="${nonce}" src="https://x/w.js?a=1&amp;b=&quot;2&quot;"></script>`));
	assert.equal((html.match(/<script/g) ?? []).length, 1);
	assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/);
});
