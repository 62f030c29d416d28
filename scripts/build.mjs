// Bundles the four entry points with esbuild. Entries that do not exist yet are skipped, so the
// skeleton builds while parts of the product are still being written.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
// `--only=webview` builds just the entries whose output name contains the word (the webview tests use it).
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
// `--outdir=DIR` writes the bundles somewhere other than dist/ (the .vsix is staged that way, so
// packaging never disturbs the dist/ that tests and the CLI use).
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';

const node = { platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };
/**
 * ts-morph (with the TypeScript compiler inside, ~7 MB of the 7.8 MB server bundle) lives in its own
 * bundle, dist/tsMorph.js, required on the first JS/TS document: compiling it at start-up cost the server
 * several hundred ms before `initialize` could be answered. In the CLI and server bundles `ts-morph`
 * resolves to a one-line module that requires that file, so `await import('ts-morph')` stays lazy.
 */
const tsMorphApart = {
	name: 'ts-morph-apart',
	setup(build) {
		const namespace = 'ts-morph-apart';
		build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: 'ts-morph', namespace }));
		build.onLoad({ filter: /.*/, namespace }, () => ({
			contents: "module.exports = require('./tsMorph.js');",
			loader: 'js',
		}));
		build.onResolve({ filter: /^\.\/tsMorph\.js$/, namespace }, () => ({
			path: './tsMorph.js',
			external: true,
		}));
	},
};
const analysisNode = { ...node, plugins: [tsMorphApart] };
/**
 * @ts-morph/common embeds the text of every TypeScript lib .d.ts (2.9 MB) in a top-level array, read only when
 * a Project loads lib files. Ours never does (`skipLoadingLibFiles`, `noLib` in extract/javascript/project.ts),
 * and parsing and materialising those strings cost ~11 MB of heap (33 MB RSS when the bundle is loaded alone).
 * The bundle gets an empty array (tsMorph.js 7.1 → 4.2 MB minified).
 */
const dropTsMorphLibFiles = {
	name: 'drop-ts-morph-lib-files',
	setup(build) {
		build.onLoad({ filter: /[\\/]@ts-morph[\\/]common[\\/]dist[\\/]ts-morph-common\.js$/ }, (args) => {
			const text = readFileSync(args.path, 'utf8');
			const start = text.indexOf('const libFiles = [');
			const end = text.indexOf('function getLibFiles()');
			if (start < 0 || end < start)
				return { contents: text, loader: 'js', warnings: [{ text: 'lib files not found; bundled as is' }] };
			return { contents: `${text.slice(0, start)}const libFiles = [];\n${text.slice(end)}`, loader: 'js' };
		});
	},
};
const entries = [
	{
		in: 'server/src/cli/main.ts',
		out: 'dist/cli.js',
		...analysisNode,
		banner: { js: '#!/usr/bin/env node' },
	},
	{ in: 'server/src/lsp/main.ts', out: 'dist/server.js', ...analysisNode },
	// `inference-meter mcp` (MCP SDK + zod + the agent tools), required by cli.js only for that command.
	{ in: 'server/src/cli/mcpCommand.ts', out: 'dist/mcp.js', ...analysisNode },
	// The agent tools for the language server's inferenceMeter/agentTool request (VS Code language-model
	// tools), required on the first such request so the server starts as fast as before.
	{ in: 'server/src/agent/bundle.ts', out: 'dist/agent.js', ...analysisNode },
	{
		stdin: "export * from 'ts-morph';",
		in: 'node_modules/ts-morph/package.json',
		out: 'dist/tsMorph.js',
		...node,
		plugins: [dropTsMorphLibFiles],
	},
	{ in: 'client/src/extension.ts', out: 'dist/extension.js', ...node },
	// The language client, required by extension.js after activation (keeps activation to a few ms).
	{ in: 'client/src/languageClientMain.ts', out: 'dist/languageClient.js', ...node },
	{
		in: 'webview/src/main.ts',
		out: 'dist/webview.js',
		platform: 'browser',
		format: 'iife',
		target: 'es2022',
	},
];

/** tree-sitter grammars are WebAssembly files loaded at run time; ship them next to the bundles. */
function copyTreeSitterWasm() {
	let dir;
	try {
		dir = path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json'));
	} catch {
		return;
	}
	const wasmDir = path.join(dir, 'wasm');
	if (!existsSync(wasmDir)) return;
	mkdirSync(path.join(outdir, 'wasm'), { recursive: true });
	for (const f of readdirSync(wasmDir)) {
		if (/^(tree-sitter\.wasm|tree-sitter-(python|bash)\.wasm)$/.test(f))
			copyFileSync(path.join(wasmDir, f), path.join(outdir, 'wasm', f));
	}
}

const contexts = [];
for (const e of entries) {
	if (!existsSync(e.in) || (only && !e.out.includes(only))) continue;
	const { in: entry, out, stdin, ...rest } = e;
	const options = {
		...(stdin ? { stdin: { contents: stdin, resolveDir: '.', loader: 'ts' } } : { entryPoints: [entry] }),
		outfile: path.join(outdir, path.relative('dist', out)),
		bundle: true,
		sourcemap: production ? false : 'linked',
		minify: production,
		logLevel: 'warning',
		loader: { '.json': 'json' },
		...rest,
	};
	if (watch) contexts.push(await esbuild.context(options));
	else await esbuild.build(options);
}
copyTreeSitterWasm();
// The MCP `explain` tool quotes a code's section of the diagnostics reference; ship it beside the bundles so
// the npm package and the .vsix have it too.
if (existsSync('docs/diagnostics.md'))
	copyFileSync('docs/diagnostics.md', path.join(outdir, 'diagnostics.md'));
if (watch) await Promise.all(contexts.map((c) => c.watch()));
