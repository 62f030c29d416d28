/**
 * No code execution and no surprise network, checked on the sources and on the built bundles (run
 * `node scripts/build.mjs` first): which modules may spawn processes or open connections, and where that
 * code sits in each bundle. Justified exceptions, all library code we do not call that way:
 * - dist/languageClient.js: vscode-languageclient's node module spawns our own dist/server.js (that is how
 *   the client starts the server); nothing else.
 * - dist/server.js: vscode-languageserver's files.js requires child_process for `Files.resolveGlobal*`,
 *   helpers this server never calls (checked below); web-tree-sitter's loader has a browser `fetch` path,
 *   but under node it reads the bundled wasm from disk; vscode-jsonrpc requires `net` for pipe/socket
 *   transports, unused with --stdio.
 * - server/src/meter/scrape.ts is the only network client: it runs on an explicit user command (Measure
 *   Running Server, `inference-meter meter URL`) against the URL the user typed, with a deadline and a
 *   size cap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function sources(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = path.join(dir, name);
		if (statSync(p).isDirectory()) sources(p, out);
		else if (/\.(ts|mts|js)$/.test(name)) out.push(p.split(path.sep).join('/'));
	}
	return out;
}

const SRC = ['server/src', 'client/src', 'webview/src'].flatMap((d) => sources(d));
const read = (f: string): string => readFileSync(f, 'utf8');
/** Code without comments and string contents would be ideal; comments are enough to strip here. */
const code = (f: string): string =>
	read(f)
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/^\s*\/\/.*$/gm, '');

const PROCESS =
	/from\s+['"](node:)?(child_process|vm|worker_threads|cluster)['"]|require\(['"](node:)?child_process/;
const NETWORK =
	/from\s+['"](node:)?(http|https|http2|net|tls|dgram|undici)['"]|\bXMLHttpRequest\b|\bWebSocket\b/;
/** A call of the global fetch (not `this.fetch(` or a method named fetch). */
const FETCH = /(^|[^.\w])fetch\s*\((?![^)]*\)\s*:)/m;

test('no source spawns processes, evaluates code or loads a VM', () => {
	const allowed = new Set(['server/src/meter/probe.ts']); // worker_threads for the bandwidth probe
	for (const f of SRC) {
		const c = code(f);
		if (!allowed.has(f)) assert.doesNotMatch(c, PROCESS, `${f} imports a process/VM module`);
		assert.doesNotMatch(c, /\beval\s*\(|\bnew\s+Function\s*\(/, `${f} evaluates code`);
	}
});

test('only the meter scraper opens network connections, and only meter entry points call it', () => {
	const scraper = 'server/src/meter/scrape.ts';
	for (const f of SRC) {
		if (f === scraper) continue;
		const c = code(f).replace(/async fetch\(/g, '');
		assert.doesNotMatch(c, NETWORK, `${f} imports a network module`);
		assert.doesNotMatch(c, FETCH, `${f} calls fetch`);
	}
	assert.match(code(scraper), NETWORK);
	const callers = SRC.filter((f) => /\bscrapeMetrics\b/.test(code(f)) && !f.startsWith('server/src/meter/'));
	assert.deepEqual(callers.sort(), ['server/src/cli/meterCommand.ts', 'server/src/lsp/meterLive.ts']);
	// The editor's only way to the scraper: a URL the user typed into the Measure Running Server prompt.
	const measure = code('client/src/measure.ts');
	assert.match(measure, /showInputBox/);
});

/** The esbuild module comment (`// node_modules/x/y.js`) that precedes `index` in a bundle. */
function moduleAt(bundle: string, index: number): string {
	const before = bundle.lastIndexOf('\n// ', index);
	return before < 0 ? '' : bundle.slice(before + 4, bundle.indexOf('\n', before + 1));
}

function modulesMatching(file: string, re: RegExp): Set<string> {
	const b = read(file);
	const out = new Set<string>();
	for (const m of b.matchAll(new RegExp(re.source, 'g'))) out.add(moduleAt(b, m.index));
	return out;
}

const built = ['dist/server.js', 'dist/extension.js', 'dist/languageClient.js', 'dist/webview.js'].every(
	(f) => existsSync(f),
);
const skip = built ? false : 'run node scripts/build.mjs first';

test('dist/extension.js neither spawns nor connects', { skip }, () => {
	assert.deepEqual(
		[...modulesMatching('dist/extension.js', /require\("(node:)?(child_process|http|https|net|tls)"\)/)],
		[],
	);
	assert.deepEqual([...modulesMatching('dist/extension.js', /(?<![.\w]|async )fetch\(/)], []);
});

test('dist/languageClient.js spawns only through vscode-languageclient (our server)', { skip }, () => {
	const spawners = modulesMatching('dist/languageClient.js', /require\("(node:)?child_process"\)/);
	assert.ok(spawners.size > 0);
	for (const m of spawners) assert.match(m, /^node_modules\/vscode-(languageclient|jsonrpc)\//, m);
});

test('dist/server.js: process, network and fetch code only where justified', { skip }, () => {
	for (const m of modulesMatching('dist/server.js', /require\("(node:)?child_process"\)/))
		assert.equal(m, 'node_modules/vscode-languageserver/lib/node/files.js');
	for (const m of modulesMatching('dist/server.js', /require\("(node:)?(http|https)"\)/))
		assert.equal(m, 'server/src/meter/scrape.ts');
	for (const m of modulesMatching('dist/server.js', /require\("(node:)?(net|tls)"\)/))
		assert.match(m, /^node_modules\/vscode-(jsonrpc|languageserver)\//, m);
	for (const m of modulesMatching('dist/server.js', /(?<![.\w]|async )fetch\(/))
		assert.equal(m, 'node_modules/@vscode/tree-sitter-wasm/wasm/tree-sitter.js');
	// The files.js helpers that spawn npm/yarn are never called by our code.
	for (const f of SRC.filter((x) => x.startsWith('server/src/')))
		assert.doesNotMatch(code(f), /resolveGlobal(Node|Yarn)Path|resolveModulePath|\bFiles\./, f);
});

test('dist/webview.js makes no requests and evaluates no strings', { skip }, () => {
	const b = read('dist/webview.js');
	assert.doesNotMatch(b, /(?<![.\w])fetch\(|XMLHttpRequest|new WebSocket|\beval\(|new Function\(/);
	for (const f of SRC.filter((x) => x.startsWith('webview/src/')))
		assert.doesNotMatch(code(f), /\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write/, f);
});

test('package.json: works in Restricted Mode and activates only where needed', () => {
	const pkg = JSON.parse(read('package.json')) as {
		capabilities: { untrustedWorkspaces: { supported: boolean | string } };
		activationEvents?: string[];
	};
	assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
	assert.ok(!(pkg.activationEvents ?? []).includes('*'));
});
