// Runs inside the VS Code extension host (loaded by @vscode/test-electron). Plain CommonJS, no test
// framework: open a sample that cannot fit and wait for one of our diagnostics.
'use strict';
const vscode = require('vscode');
const path = require('node:path');

async function waitFor(what, probe, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await probe();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

exports.run = async function run() {
	const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
	if (!folder) throw new Error('no workspace folder');
	const file = vscode.Uri.file(
		path.join(folder.uri.fsPath, process.env.IM_ELECTRON_SAMPLE || 'vllm/qwen32b-h100-config.yaml'),
	);
	const doc = await vscode.workspace.openTextDocument(file);
	await vscode.window.showTextDocument(doc);
	const diags = await waitFor('an inference-meter diagnostic', () => {
		const d = vscode.languages.getDiagnostics(file).filter((x) => x.source === 'inference-meter');
		return d.length ? d : undefined;
	});
	if (!diags.some((d) => typeof d.code === 'object' || typeof d.code === 'string'))
		throw new Error('diagnostic without a code');
};
