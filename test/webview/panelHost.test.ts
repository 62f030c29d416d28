/**
 * The panel host (client/src/panel) against a recording stand-in for the `vscode` module: the ready
 * handshake and queue, following the editor and cursor, set-target and apply-what-if requests, restore.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileReport } from '../../server/src/analysis/reportTypes';
import * as P from '../../server/src/shared/webviewProtocol';
import { createFakeVscode, installFakeVscode, type FakePanel } from './fakeVscode';
import { SAMPLE_TEXT, sampleWorkload } from './sampleReport';

const fake = createFakeVscode();
installFakeVscode(fake.api);
const { Uri } = fake.api;

const DOC = 'file:///work/deploy/serve.sh';
fake.documents.set(DOC, SAMPLE_TEXT);

function makeHost() {
	const calls = {
		estimate: [] as string[],
		setTarget: [] as string[],
		errors: [] as string[],
		warnings: [] as string[],
	};
	const reports = new Map<string, FileReport>([
		[DOC, { path: '/work/deploy/serve.sh', workloads: [sampleWorkload()], diagnostics: [] }],
	]);
	const host = {
		calls,
		reports,
		target: 'h100-sxm',
		async requestEstimate(uri: { toString(): string }) {
			calls.estimate.push(uri.toString());
			return reports.get(uri.toString());
		},
		getTargetHardware() {
			return host.target;
		},
		async setTargetHardware(id: string) {
			calls.setTarget.push(id);
			host.target = id;
		},
		log: {
			error: (...a: unknown[]) => calls.errors.push(a.map(String).join(' ')),
			warn: (...a: unknown[]) => calls.warnings.push(a.map(String).join(' ')),
		},
	};
	return host;
}

const context = { extensionUri: Uri.file('/ext'), subscriptions: [] as { dispose(): void }[] };
const tick = () => new Promise((r) => setTimeout(r, 0));
const from = (p: FakePanel, type: string) => p.webview.posted.filter((m) => m.type === type);

test('host panel: HTML, ready queue, set target, apply, follow, restore', async (t) => {
	const { registerPanel, showPanel } = await import('../../client/src/panel/panel');
	const host = makeHost();
	registerPanel(context as never, host as never);
	assert.ok(fake.record.serializers.has(P.PANEL_VIEW_TYPE), 'serializer registered for the view type');

	await t.test('the webview gets strict HTML and only dist/ as a resource root', async () => {
		await showPanel(host as never, Uri.parse(DOC) as never);
		const p = fake.record.panels[0];
		assert.equal(p.viewType, 'inferenceMeter.panel');
		assert.deepEqual(
			(p.webview.options as { localResourceRoots: unknown[] }).localResourceRoots.map(String),
			['file:///ext/dist'],
		);
		const nonce = /script-src 'nonce-([^']+)'/.exec(p.webview.html)?.[1];
		assert.ok(nonce);
		assert.ok(
			p.webview.html.includes(
				`<script nonce="${nonce}" src="vscode-resource:///ext/dist/webview.js"></script>`,
			),
		);
	});

	await t.test('nothing is posted before the webview is ready; then the latest update is', async () => {
		const p = fake.record.panels[0];
		assert.equal(p.webview.posted.length, 0);
		p.webview.receive.fire(P.Ready.create({ version: 1 }));
		await tick();
		const updates = from(p, 'host/update');
		assert.equal(updates.length, 1);
		assert.ok(P.Update.is(updates[0]));
		assert.equal(updates[0].params.uri, DOC);
		assert.equal(updates[0].params.fileName, 'deploy/serve.sh');
		assert.equal(updates[0].params.targetHardware, 'h100-sxm');
	});

	await t.test('set target goes to the host setting and refreshes', async () => {
		const p = fake.record.panels[0];
		const before = host.calls.estimate.length;
		p.webview.receive.fire(P.SetTarget.create({ hardwareId: 'rtx-4090' }));
		await tick();
		await tick();
		assert.deepEqual(host.calls.setTarget, ['rtx-4090']);
		assert.equal(host.calls.estimate.length, before + 1);
		const last = from(p, 'host/update').at(-1)!;
		assert.equal(last.params.targetHardware, 'rtx-4090');
		// A malformed request is refused and logged, never acted on.
		p.webview.receive.fire({ type: 'webview/setTarget', params: { hardwareId: '"; rm -rf' } });
		await tick();
		assert.deepEqual(host.calls.setTarget, ['rtx-4090']);
		assert.equal(host.calls.warnings.length, 1);
	});

	await t.test('apply what-if edits the values the file writes and reports what it skipped', async () => {
		const p = fake.record.panels[0];
		p.webview.receive.fire(
			P.ApplyWhatIf.create({ uri: DOC, workload: 0, change: { context: 16384, kvDtype: 'fp8' } }),
		);
		for (let i = 0; i < 5; i++) await tick();
		assert.equal(fake.record.edits.length, 1);
		const [edit] = fake.record.edits[0].replaces;
		assert.equal(edit.uri, DOC);
		assert.equal(edit.text, '16384');
		// --max-model-len 8192 sits at characters 60..64 of line 0 (see sampleReport.ts)
		assert.deepEqual([edit.range.startLine, edit.range.startCharacter, edit.range.endCharacter], [0, 60, 64]);
		const result = from(p, 'host/applyResult').at(-1)!;
		assert.ok(P.ApplyResult.is(result));
		assert.equal(result.params.ok, true);
		assert.deepEqual(result.params.applied, ['context 8192 → 16384']);
		assert.equal(result.params.skipped.length, 1);
		assert.match(result.params.skipped[0], /^KV cache fp8: not written in the file/);
	});

	await t.test('a hidden webview is re-sent the last update when it says ready again', async () => {
		const p = fake.record.panels[0];
		p.visible = false;
		p.viewState.fire();
		const n = from(p, 'host/update').length;
		p.visible = true;
		p.webview.receive.fire(P.Ready.create({ version: 1 }));
		await tick();
		assert.equal(from(p, 'host/update').length, n + 1);
	});

	await t.test(
		'an editor with no workload keeps the current view; an edit re-estimates after a pause',
		async () => {
			const p = fake.record.panels[0];
			const other = 'file:///work/README.md';
			host.reports.set(other, { path: '/work/README.md', workloads: [], diagnostics: [] });
			const n = from(p, 'host/update').length;
			fake.ev.activeEditor.fire({ document: { uri: Uri.parse(other) } });
			for (let i = 0; i < 3; i++) await tick();
			assert.equal(from(p, 'host/empty').length, 0);
			assert.equal(from(p, 'host/update').length, n);
			const before = host.calls.estimate.length;
			fake.ev.docChange.fire({ document: { uri: Uri.parse(DOC) }, contentChanges: [{}] });
			fake.ev.docChange.fire({ document: { uri: Uri.parse(DOC) }, contentChanges: [{}] });
			await new Promise((r) => setTimeout(r, 500));
			assert.equal(host.calls.estimate.length, before + 1, 'two quick edits, one request');
		},
	);

	await t.test('the serializer revives a panel on the document its state names', async () => {
		const revived = new (fake.record.panels[0].constructor as new (v: string) => FakePanel)(
			P.PANEL_VIEW_TYPE,
		);
		const before = host.calls.estimate.length;
		await fake.record.serializers
			.get(P.PANEL_VIEW_TYPE)!
			.deserializeWebviewPanel(revived, { v: 1, update: { uri: DOC } });
		assert.equal(host.calls.estimate.at(-1), DOC);
		assert.equal(host.calls.estimate.length, before + 1);
		assert.ok(revived.webview.html.includes('Content-Security-Policy'));
		assert.equal(fake.record.panels[0].disposed, true, 'the old panel is replaced');
		revived.webview.receive.fire(P.Ready.create({ version: 1 }));
		await tick();
		assert.equal(from(revived, 'host/update').length, 1);
		revived.dispose();
	});
	assert.deepEqual(host.calls.errors, []);
});
