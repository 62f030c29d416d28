/**
 * The panel opened from an editor that holds no workload (right after Estimate Decode Bandwidth's report
 * tab, a README) shows the last analyzed workload, not "No LLM serving workload found".
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
// The read-only document Estimate Decode Bandwidth opens (client/src/reportDocuments.ts).
const REPORT_TAB = 'inference-meter-report:///Decode bandwidth meta-llama.md';
fake.documents.set(DOC, SAMPLE_TEXT);
fake.documents.set(REPORT_TAB, '# Decode bandwidth\n');

function makeHost() {
	const reports = new Map<string, FileReport>([
		[DOC, { path: '/work/deploy/serve.sh', workloads: [sampleWorkload()], diagnostics: [] }],
		[REPORT_TAB, { path: 'Decode bandwidth', workloads: [], diagnostics: [] }],
	]);
	const estimate: string[] = [];
	return {
		estimate,
		async requestEstimate(uri: { toString(): string }) {
			estimate.push(uri.toString());
			return reports.get(uri.toString());
		},
		getTargetHardware: () => 'auto',
		async setTargetHardware() {},
		log: { error: () => {}, warn: () => {} },
	};
}

const context = { extensionUri: Uri.file('/ext'), subscriptions: [] as { dispose(): void }[] };
const tick = () => new Promise((r) => setTimeout(r, 0));
const from = (p: FakePanel, type: string) => p.webview.posted.filter((m) => m.type === type);

test('a panel opened on the bandwidth report tab shows the last analyzed workload', async () => {
	const { registerPanel, showPanel } = await import('../../client/src/panel/panel');
	const { rememberAnalyzed, forgetAnalyzed } = await import('../../client/src/panel/lastWorkload');
	const host = makeHost();
	registerPanel(context as never, host as never);

	// Without any analyzed file, the report tab gives the honest empty state.
	forgetAnalyzed();
	await showPanel(host as never, Uri.parse(REPORT_TAB) as never);
	const first = fake.record.panels[0]!;
	first.webview.receive.fire(P.Ready.create({ version: 1 }));
	await tick();
	assert.equal(from(first, 'host/empty').length, 1);
	assert.equal(from(first, 'host/update').length, 0);
	first.dispose();

	// Estimate Decode Bandwidth read serve.sh, then opened its report tab; the panel opens from there.
	rememberAnalyzed(Uri.parse(DOC));
	await showPanel(host as never, Uri.parse(REPORT_TAB) as never);
	const p = fake.record.panels.at(-1)!;
	assert.notEqual(p, first);
	p.webview.receive.fire(P.Ready.create({ version: 1 }));
	await tick();
	const updates = from(p, 'host/update') as unknown as { params: { uri: string; workloads: unknown[] } }[];
	assert.equal(updates.length, 1, JSON.stringify(p.webview.posted.map((m) => m.type)));
	assert.equal(updates[0]!.params.uri, DOC);
	assert.equal(updates[0]!.params.workloads.length, 1);
	assert.equal(from(p, 'host/empty').length, 0);
	assert.deepEqual(host.estimate.slice(-2), [REPORT_TAB, DOC]);

	// And with no editor at all (Show Hardware Comparison from the palette).
	p.dispose();
	await showPanel(host as never, undefined);
	const q = fake.record.panels.at(-1)!;
	q.webview.receive.fire(P.Ready.create({ version: 1 }));
	await tick();
	assert.equal(from(q, 'host/update').length, 1);
	q.dispose();
});
