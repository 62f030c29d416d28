/**
 * Node or browser, decided before any transformers.js default applies: in Node, onnxruntime-node runs
 * on device 'cpu' by default with dtype fp32 (v3), and no browser memory limit exists; in the browser,
 * onnxruntime-web runs on 'wasm' with q8. Evidence, strongest first: browser globals (a page or worker),
 * Node modules and globals in the file (`express`, `fs`, `process.env`, `require(`), the file kind
 * (`.cjs`/`.mjs`, a `server/` or `api/` folder), and the nearest package.json (a server framework or
 * `bin` vs. a bundler / UI framework / `browser` field), read through the host.
 */
import type { AnalysisHost } from '../../types';

export interface Runtime {
	kind: 'browser' | 'node';
	why: string;
}

const NODE_MODULES =
	/^(node:|fs$|fs\/promises$|path$|os$|http$|https$|net$|child_process$|worker_threads$|express$|fastify$|koa$|@nestjs\/|hono\/node-server|@hono\/node-server|readline$)/;
const BROWSER_HINT =
	/\b(self\.(addEventListener|onmessage|postMessage)|window\.|document\.|navigator\.gpu|postMessage\(|localStorage\.)/;
const NODE_GLOBALS =
	/\brequire\(\s*['"]|\bprocess\.(env|argv|cwd|exit)\b|\bmodule\.exports\b|__dirname|import\.meta\.dirname/;
const SERVER_PATH = /(^|[\\/])(server|api|backend|cli|bin)[\\/]|\.(cjs|mjs|cts|mts)$/i;

const NODE_DEPS = /^(express|fastify|koa|@nestjs\/core|@hono\/node-server|commander|yargs)$/;
const BROWSER_DEPS = /^(vite|webpack|react|react-dom|vue|svelte|@sveltejs\/kit|next|parcel|esbuild-wasm)$/;

/** Nearest package.json (this folder and up to three above), through the host. */
function packageContext(docPath: string, host?: AnalysisHost): Runtime | undefined {
	if (!host?.readFile) return undefined;
	let dir = docPath.replace(/[\\/][^\\/]*$/, '');
	for (let up = 0; up < 4 && dir; up++) {
		const bytes = host.readFile(`${dir}/package.json`, 512 * 1024);
		if (bytes) {
			try {
				const pkg = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
				if (pkg.browser)
					return { kind: 'browser', why: 'browser assumed (package.json has a "browser" field)' };
				const deps = Object.keys({
					...(pkg.dependencies as object | undefined),
					...(pkg.devDependencies as object | undefined),
				});
				const node = deps.find((d) => NODE_DEPS.test(d));
				const web = deps.find((d) => BROWSER_DEPS.test(d));
				if (node && !web) return { kind: 'node', why: `Node assumed (package.json depends on ${node})` };
				if (web && !node) return { kind: 'browser', why: `browser assumed (package.json depends on ${web})` };
				if (pkg.bin && !web) return { kind: 'node', why: 'Node assumed (package.json has a "bin")' };
			} catch {
				// An unreadable package.json says nothing either way.
			}
			return undefined;
		}
		const parent = dir.replace(/[\\/][^\\/]*$/, '');
		if (parent === dir) break;
		dir = parent;
	}
	return undefined;
}

export function runtimeOf(specifiers: string[], text: string, docPath: string, host?: AnalysisHost): Runtime {
	if (BROWSER_HINT.test(text))
		return { kind: 'browser', why: 'browser assumed (uses browser/worker globals)' };
	const nodeSpec = specifiers.find((s) => NODE_MODULES.test(s));
	if (nodeSpec) return { kind: 'node', why: `Node assumed (imports '${nodeSpec}')` };
	const global = NODE_GLOBALS.exec(text);
	if (global) return { kind: 'node', why: `Node assumed (uses \`${global[0].replace(/\($/, '(')}\`)` };
	if (SERVER_PATH.test(docPath))
		return {
			kind: 'node',
			why: `Node assumed (a ${/\.(c|m)(j|t)s$/i.test(docPath) ? docPath.slice(docPath.lastIndexOf('.')) : 'server-side'} file)`,
		};
	return (
		packageContext(docPath, host) ?? {
			kind: 'browser',
			why: 'browser assumed (no Node import, global or file kind)',
		}
	);
}
