// The file access the language server grants the analysis: inside the workspace only, bounded, no
// escapes through `..` or symbolic links, nothing that is not a regular file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isInside, WorkspaceHost } from '../../../server/src/lsp/workspaceHost';

let base: string;
let root: string;
let outside: string;

before(() => {
	base = mkdtempSync(path.join(tmpdir(), 'im-host-'));
	root = path.join(base, 'ws');
	outside = path.join(base, 'secret.txt');
	mkdirSync(path.join(root, 'deploy'), { recursive: true });
	writeFileSync(path.join(root, 'deploy', 'config.json'), '{"num_hidden_layers": 32}');
	writeFileSync(outside, 'not yours');
	symlinkSync(outside, path.join(root, 'deploy', 'link.txt'));
});

after(() => rmSync(base, { recursive: true, force: true }));

test('isInside: the root itself and paths below it, not siblings with the same prefix', () => {
	assert.equal(isInside('/a/ws', '/a/ws'), true);
	assert.equal(isInside('/a/ws', '/a/ws/x/y'), true);
	assert.equal(isInside('/a/ws', '/a/ws2/x'), false);
	assert.equal(isInside('/a/ws', '/a'), false);
});

test('reads files inside the workspace, relative to the document folder', () => {
	const host = new WorkspaceHost([root], path.join(root, 'deploy'));
	const bytes = host.readFile('config.json', 1000);
	assert.equal(new TextDecoder().decode(bytes), '{"num_hidden_layers": 32}');
	assert.equal(host.fileExists('config.json'), true);
	assert.equal(host.fileExists('missing.json'), false);
});

test('reads at most maxBytes', () => {
	const host = new WorkspaceHost([root], path.join(root, 'deploy'));
	assert.equal(host.readFile('config.json', 5)?.length, 5);
});

test('refuses paths outside the workspace: absolute, `..`, and symbolic links out', () => {
	const host = new WorkspaceHost([root], path.join(root, 'deploy'));
	assert.equal(host.readFile(outside, 1000), undefined);
	assert.equal(host.readFile('../../secret.txt', 1000), undefined);
	assert.equal(host.readFile('link.txt', 1000), undefined);
	assert.equal(host.fileExists('link.txt'), false);
});

test('refuses directories and everything when there is no workspace', () => {
	assert.equal(new WorkspaceHost([root], root).readFile('deploy', 1000), undefined);
	assert.equal(new WorkspaceHost([], path.join(root, 'deploy')).readFile('config.json', 1000), undefined);
});

test('an absolute file the user named explicitly is allowed', () => {
	const host = new WorkspaceHost([root], root, [outside]);
	assert.equal(new TextDecoder().decode(host.readFile(outside, 100)), 'not yours');
});
