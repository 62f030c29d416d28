// Loads an extension bundle the way VS Code's extension host does (require the main file, call activate)
// with a stand-in `vscode` module, and prints the timings as JSON. Runs in its own process per sample so
// every run is cold; exits before the next tick, i.e. before the deferred language-client start.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

/** Any property is another stub, calls and `new` return stubs: enough for registration-only code. */
function stub(name) {
	const cache = new Map();
	const fn = function () {};
	return new Proxy(fn, {
		get(target, p) {
			if (typeof p === 'symbol' || p === 'then') return undefined;
			if (p === 'toString' || p === 'valueOf') return () => name;
			if (p === 'prototype') return target.prototype;
			if (!cache.has(p)) cache.set(p, stub(`${name}.${p}`));
			return cache.get(p);
		},
		set(target, p, value) {
			cache.set(p, value);
			return true;
		},
		apply: () => stub(`${name}()`),
		construct: () => stub(`new ${name}`),
	});
}

/** Every name `vscode` exports, read from its typings, each a stub (bundles copy the module's own keys). */
function vscodeModule() {
	const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
	const names = new Set();
	for (const m of dts.matchAll(/^\t?export (?:namespace|class|enum|const|function|let|var) (\w+)/gm))
		names.add(m[1]);
	return Object.fromEntries([...names].map((n) => [n, stub(`vscode.${n}`)]));
}
const vscode = vscodeModule();
const load = Module._load;
Module._load = function (request, parent, isMain) {
	return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
};

const extensionPath = process.argv[2];
const which = process.argv[3] ?? 'extension';
const t0 = performance.now();
if (which === 'languageClient') {
	require(path.join(extensionPath, 'dist', 'languageClient.js'));
	process.stdout.write(JSON.stringify({ requireMs: performance.now() - t0 }));
	process.exit(0);
}
const ext = require(path.join(extensionPath, 'dist', 'extension.js'));
const t1 = performance.now();
const context = new Proxy(
	{ subscriptions: [], extensionPath, extensionUri: stub('extensionUri'), extensionMode: 1 },
	{ get: (target, p) => (p in target ? target[p] : stub(`context.${String(p)}`)) },
);
ext.activate(context);
const t2 = performance.now();
process.stdout.write(
	JSON.stringify({
		requireMs: t1 - t0,
		activateMs: t2 - t1,
		totalMs: t2 - t0,
		subscriptions: context.subscriptions.length,
	}),
);
process.exit(0);
