// `npm run bench [-- --json] [-- --quick]`: analysis latency and growth, language-server start, typing
// latency and memory, client activation and package size, with yaml-language-server measured beside our
// server in the same run. Prints a table and PASS/MISS per budget; `--json` adds one JSON object as the
// last line. Every process it starts is stopped before it exits. What each number covers:
// docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAnalysis, GROWTH_FACTOR } from './bench/analysis.mjs';
import {
	allSamples,
	debounces,
	measureStart,
	openAll,
	peerSettings,
	typeAndWait,
	TYPING_FILES,
} from './bench/lsp.mjs';
import { BenchClient } from './bench/lspClient.mjs';
import { measureActivation, packageVsix } from './bench/package.mjs';
import { budget, summarize } from './bench/stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const log = (s) => console.log(s);
const round = (x) => (x === undefined ? undefined : Math.round(x * 100) / 100);

function machine() {
	const cpus = os.cpus();
	return {
		nproc: os.availableParallelism?.() ?? cpus.length,
		cpu: cpus[0]?.model ?? 'unknown',
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		memoryGB: round(os.totalmem() / 1e9),
		loadavg: os.loadavg().map(round),
	};
}

async function benchLsp(serverJs, tmp) {
	const d = debounces(root);
	const ours = [serverJs, '--stdio'];
	const peer = [path.join(root, 'node_modules/yaml-language-server/bin/yaml-language-server'), '--stdio'];
	const peerConf = peerSettings(root);
	const runs = quick ? 3 : 7;
	log('language servers: start');
	const start = await measureStart(ours, root, {}, runs);
	const peerStart = await measureStart(peer, root, peerConf, runs);
	log(`  start: ours p50 ${start.p50} ms, yaml-language-server p50 ${peerStart.p50} ms`);
	const a = new BenchClient(ours, { root, settings: {} });
	const b = new BenchClient(peer, { root, settings: peerConf });
	try {
		await a.initialize();
		await b.initialize();
		const samples = allSamples(root);
		const opened = await openAll(a, samples);
		// Read once the last publish has gone out and the server is idle (no forced GC).
		await new Promise((r) => setTimeout(r, 500));
		const memory = a.memory();
		log(
			`  ours: ${opened.length} samples open, RSS ${memory.rssMb.toFixed(1)} MB (peak ${memory.peakMb.toFixed(1)} MB)`,
		);
		const typingFiles = TYPING_FILES.map((f) => path.join(root, f));
		const oursDocs = opened.filter((o) => typingFiles.includes(o.file));
		const peerDocs = await openAll(b, typingFiles);
		// The schema must be in effect, or the peer would be timed doing less than it does for users.
		const probe = path.join(tmp, 'schema-probe.yaml');
		const probeUri = new URL(`file://${probe}`).href;
		const probed = b.nextDiagnostics(probeUri);
		b.connection.sendNotification('textDocument/didOpen', {
			textDocument: {
				uri: probeUri,
				languageId: 'yaml',
				version: 1,
				text: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicaz: 1\n',
			},
		});
		const schemaApplied = (await probed).params.diagnostics.length > 0;
		// Let start-up validations settle so that none is mistaken for the answer to an edit.
		await new Promise((r) => setTimeout(r, 600));
		const peerMemory = b.memory();
		const edits = quick ? 6 : 30;
		log(`  typing: ${edits} edits × ${typingFiles.length} files per server, alternating servers`);
		const lat = await typeAndWait(
			[
				{ name: 'ours', client: a, docs: oursDocs, versioned: true },
				{ name: 'peer', client: b, docs: peerDocs, versioned: false },
			],
			edits,
		);
		const after = (xs, debounce) => xs.map((x) => x - debounce);
		return {
			debounce: d,
			start,
			peerStart,
			memory,
			peerMemory,
			samplesOpened: opened.length,
			schemaApplied,
			shipped: summarize(lat.ours),
			afterDebounce: summarize(after(lat.ours, d.ours)),
			peerShipped: summarize(lat.peer),
			peerAfterDebounce: summarize(after(lat.peer, d.peer)),
		};
	} finally {
		await Promise.all([a.close(), b.close()]);
	}
}

function report(m) {
	const rows = [
		budget('analyze.yaml.p50Ms', m['analyze.yaml.p50Ms'], 5, 'ms'),
		budget('analyze.python.p50Ms', m['analyze.python.p50Ms'], 20, 'ms'),
		budget('analyze.typescript.p50Ms', m['analyze.typescript.p50Ms'], 60, 'ms'),
		budget('analyze.yaml.editP50Ms (new value each run)', m['analyze.yaml.editP50Ms'], 5, 'ms'),
		budget('analyze.python.editP50Ms (new value each run)', m['analyze.python.editP50Ms'], 20, 'ms'),
		budget('analyze.typescript.editP50Ms (new value each run)', m['analyze.typescript.editP50Ms'], 60, 'ms'),
		...['yaml', 'python', 'typescript'].map((k) =>
			budget(
				`growth.${k}.ratio (per-line time, largest ÷ one size below)`,
				m[`growth.${k}.ratio`],
				GROWTH_FACTOR,
				'×',
			),
		),
		budget('lsp.diagnosticsP95Ms (after debounce)', m['lsp.diagnosticsP95Ms'], 50, 'ms'),
		budget(
			'lsp.diagnosticsP95Ms ≤ peer (after debounce)',
			m['lsp.diagnosticsP95Ms'],
			m['peer.yamlLanguageServer.diagnosticsP95Ms'],
			'ms',
		),
		budget(
			'lsp.diagnosticsShippedP95Ms ≤ peer (as shipped)',
			m['lsp.diagnosticsShippedP95Ms'],
			m['peer.yamlLanguageServer.diagnosticsShippedP95Ms'],
			'ms',
		),
		budget('lsp.startMs', m['lsp.startMs'], 400, 'ms'),
		budget('lsp.rssMb', m['lsp.rssMb'], 150, 'MB'),
		budget('vsix.bytes', m['vsix.bytes'], 8 * 1024 * 1024, 'B'),
	];
	log('\nbudgets');
	for (const r of rows)
		log(
			`  ${r.verdict.padEnd(4)} ${r.name}: ${r.actual ?? '—'} ${r.unit} (budget ${round(r.limit)} ${r.unit})`,
		);
	return rows;
}

async function main() {
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'inference-meter-bench-'));
	const cleanup = () => rmSync(tmp, { recursive: true, force: true });
	process.once('SIGINT', () => {
		cleanup();
		process.exit(130);
	});
	const m = {};
	const details = { machineAtStart: machine(), errors: [] };
	try {
		log(
			`machine: ${details.machineAtStart.nproc} × ${details.machineAtStart.cpu}, node ${process.version}, load ${details.machineAtStart.loadavg.join(' ')}`,
		);
		log('analysis (in-process, warm)');
		const an = await benchAnalysis({ root, tmp, quick, log });
		details.analysis = an;
		for (const k of ['yaml', 'python', 'typescript']) {
			m[`analyze.${k}.p50Ms`] = an.typical[k].p50;
			m[`analyze.${k}.p95Ms`] = an.typical[k].p95;
			m[`analyze.${k}.editP50Ms`] = an.edit[k].p50;
			m[`analyze.${k}.editP95Ms`] = an.edit[k].p95;
			m[`analyze.${k}.coldMs`] = an.cold[k];
			m[`growth.${k}.ratio`] = an.growth[k].check.ratio;
		}
		m['analyze.noWorkload10kLines.p50Ms'] = an.noWorkload.p50;
		let serverJs = path.join(root, 'dist', 'server.js');
		let build = 'development';
		try {
			log('package (vsce, production build in a copy of the tree)');
			const pkg = packageVsix(root, tmp);
			m['vsix.bytes'] = pkg.bytes;
			details.distBytes = pkg.distBytes;
			serverJs = path.join(pkg.extensionPath, 'dist', 'server.js');
			build = 'production';
			log(`  vsix ${(pkg.bytes / 2 ** 20).toFixed(2)} MiB`);
			const act = measureActivation(pkg.extensionPath, quick ? 5 : 15);
			details.activation = act;
			m['activation.ms'] = act.total.p50;
			m['activation.activateMs'] = act.activate.p50;
			m['activation.deferredClientRequireMs'] = act.deferredClientRequire.p50;
			log(`  activation p50 ${act.total.p50} ms (activate() ${act.activate.p50} ms)`);
		} catch (e) {
			details.errors.push(String(e.message ?? e));
			log(`  packaging failed, measuring the development build instead: ${e.message ?? e}`);
		}
		const lsp = await benchLsp(serverJs, tmp);
		details.lsp = { build, ...lsp };
		m['lsp.startMs'] = lsp.start.p50;
		m['lsp.debounceMs'] = lsp.debounce.ours;
		m['lsp.diagnosticsP95Ms'] = lsp.afterDebounce.p95;
		m['lsp.diagnosticsP50Ms'] = lsp.afterDebounce.p50;
		m['lsp.diagnosticsShippedP95Ms'] = lsp.shipped.p95;
		m['lsp.rssMb'] = round(lsp.memory.rssMb);
		m['peer.yamlLanguageServer.startMs'] = lsp.peerStart.p50;
		m['peer.yamlLanguageServer.debounceMs'] = lsp.debounce.peer;
		m['peer.yamlLanguageServer.diagnosticsP95Ms'] = lsp.peerAfterDebounce.p95;
		m['peer.yamlLanguageServer.diagnosticsP50Ms'] = lsp.peerAfterDebounce.p50;
		m['peer.yamlLanguageServer.diagnosticsShippedP95Ms'] = lsp.peerShipped.p95;
		m['peer.yamlLanguageServer.rssMb'] = round(lsp.peerMemory.rssMb);
		log(
			`  diagnostics after debounce: ours p50 ${lsp.afterDebounce.p50} / p95 ${lsp.afterDebounce.p95} ms, ` +
				`yaml-language-server p50 ${lsp.peerAfterDebounce.p50} / p95 ${lsp.peerAfterDebounce.p95} ms` +
				(lsp.schemaApplied ? '' : ' (WARNING: the peer did not apply the schema)'),
		);
		log(
			`  as shipped (debounce ${lsp.debounce.ours} / ${lsp.debounce.peer} ms): ours p95 ${lsp.shipped.p95} ms, ` +
				`yaml-language-server p95 ${lsp.peerShipped.p95} ms`,
		);
	} finally {
		cleanup();
	}
	details.machineAtEnd = machine();
	const budgets = report(m);
	const out = { ...m, machine: details.machineAtEnd, budgets, details };
	if (json) console.log(JSON.stringify(out));
	return budgets.some((b) => b.verdict === 'MISS') ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e);
		process.exit(2);
	},
);
