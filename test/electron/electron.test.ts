/**
 * Desktop VS Code through @vscode/test-electron. It runs when a VS Code executable is available
 * (VSCODE_EXECUTABLE_PATH); VS Code downloads are blocked on our machines, so otherwise it reports itself
 * skipped with that reason — it neither fails nor pretends to pass. The code-server suite (npm run test:e2e)
 * is the one that always runs here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const executable = process.env.VSCODE_EXECUTABLE_PATH;
const skip = !executable
	? 'VSCODE_EXECUTABLE_PATH is not set and VS Code cannot be downloaded here'
	: !existsSync(executable)
		? `VSCODE_EXECUTABLE_PATH=${executable} does not exist`
		: false;

test(
	'extension activates in desktop VS Code and reports a diagnostic',
	{ skip, timeout: 180_000 },
	async () => {
		const { runTests } = await import('@vscode/test-electron');
		const workspace = mkdtempSync(path.join(os.tmpdir(), 'im-electron-'));
		cpSync(path.join(ROOT, 'samples'), workspace, { recursive: true });
		const code = await runTests({
			vscodeExecutablePath: executable!,
			extensionDevelopmentPath: ROOT,
			extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
			launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
		});
		assert.equal(code, 0);
	},
);
