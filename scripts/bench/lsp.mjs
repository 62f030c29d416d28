// Language-server measurements: start (spawn → initialize result), diagnostics latency while typing
// (didChange → the publishDiagnostics for that change), and resident memory after opening every sample —
// for our server and, in the same run and on the same YAML files, for yaml-language-server.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchClient } from './lspClient.mjs';
import { summarize } from './stats.mjs';

/** YAML files both servers get edited on: Kubernetes manifests, the files a Kubernetes schema describes. */
export const TYPING_FILES = [
	'samples/kubernetes/vllm-h100-tp2.yaml',
	'samples/kubernetes/llamacpp-a100-affinity.yaml',
	'samples/kubernetes/gke-l4-shell.yaml',
];

/** The debounce each server ships with, read from its source so the numbers cannot drift from it. */
export function debounces(root) {
	const ours = /debounceMs:\s*(\d+)/.exec(readFileSync(path.join(root, 'server/src/lsp/main.ts'), 'utf8'));
	const yls = /validationDelayMs\s*=\s*(\d+)/.exec(
		readFileSync(path.join(root, 'node_modules/yaml-language-server/out/server/src/yamlSettings.js'), 'utf8'),
	);
	return { ours: ours ? Number(ours[1]) : undefined, peer: yls ? Number(yls[1]) : undefined };
}

/** The settings each server reads; yaml-language-server gets a local schema and no network stores. */
export function peerSettings(root) {
	const schema = pathToFileURL(path.join(root, 'scripts/bench/kubernetes-subset.schema.json')).href;
	return {
		yaml: {
			validate: true,
			hover: false,
			completion: false,
			schemas: { [schema]: ['*.yaml', '*.yml'] },
			schemaStore: { enable: false },
			kubernetesCRDStore: { enable: false },
		},
		http: {},
		'[yaml]': {},
		editor: {},
	};
}

const LANGUAGE = [
	[/\.ya?ml$/, 'yaml'],
	[/\.py$/, 'python'],
	[/\.(sh|bash)$|Containerfile\.shell$/, 'shellscript'],
	[/(^|\/)(Dockerfile|Containerfile)$/, 'dockerfile'],
	[/\.(ts|mts|cts)$/, 'typescript'],
	[/\.(js|mjs|cjs)$/, 'javascript'],
	[/\.env$/, 'dotenv'],
	[/\.service$/, 'systemd-unit-file'],
];
function languageOf(file) {
	return LANGUAGE.find(([re]) => re.test(file))?.[1] ?? 'plaintext';
}

/** Every text sample (GGUF files are binary and only referenced from configs). */
export function allSamples(root) {
	const out = [];
	const walk = (dir) => {
		for (const name of readdirSync(dir).sort()) {
			const p = path.join(dir, name);
			if (statSync(p).isDirectory()) walk(p);
			else if (!name.endsWith('.gguf')) out.push(p);
		}
	};
	walk(path.join(root, 'samples'));
	return out;
}

export async function measureStart(argv, root, settings, runs) {
	const ms = [];
	for (let i = 0; i < runs; i++) {
		const c = new BenchClient(argv, { root, settings });
		try {
			ms.push(await c.initialize());
		} finally {
			await c.close();
		}
	}
	return summarize(ms);
}

/** Opens files and waits for the first diagnostics of each. */
export async function openAll(client, files) {
	const opened = [];
	for (const file of files) {
		const languageId = languageOf(file);
		const uri = pathToFileURL(file).href;
		const first = client.nextDiagnostics(uri);
		const { text } = client.open(file, languageId);
		await first;
		opened.push({ file, uri, text });
	}
	return opened;
}

/**
 * Where typing happens in a file: right after the digits of the context length / concurrency value (the
 * numbers people tune), or at the end of the first line.
 */
export function typingPoint(text) {
	const m = /(--max-model-len[= ]|--max-num-seqs[= ]|"-c", ")(\d+)/.exec(text);
	const offset = m ? m.index + m[0].length : text.indexOf('\n');
	const before = text.slice(0, offset).split('\n');
	return { line: before.length - 1, character: before.at(-1).length };
}

/**
 * One typing step per round and server: a digit typed (or deleted again) at the typing point, then the
 * wait for the diagnostics of that version. Servers alternate within a round so both see the same load.
 * @param {{ name: string, client: BenchClient, docs: { uri: string, text: string }[], versioned: boolean }[]} servers
 */
export async function typeAndWait(servers, edits) {
	const latencies = Object.fromEntries(servers.map((s) => [s.name, []]));
	const typed = '123';
	for (let i = 0; i < edits; i++) {
		for (const s of servers) {
			for (const doc of s.docs) {
				doc.point ??= typingPoint(doc.text);
				doc.extra ??= 0;
				const { line, character } = doc.point;
				const cursor = character + doc.extra;
				// Type three digits, then delete them: the text keeps changing like an edited value does.
				const typing = i % 6 < 3;
				const range = typing
					? { start: { line, character: cursor }, end: { line, character: cursor } }
					: { start: { line, character: cursor - 1 }, end: { line, character: cursor } };
				const uri = doc.uri;
				const client = s.client;
				const version = client.versions.get(uri) + 1;
				// yaml-language-server publishes without a version: with one edit in flight, the next publish is it.
				const next = client.nextDiagnostics(uri, (p) => !s.versioned || p.version === version);
				const sent = client.change(uri, range, typing ? typed[i % 3] : '');
				doc.extra += typing ? 1 : -1;
				const { at } = await next;
				latencies[s.name].push(at - sent.sentAt);
			}
		}
	}
	return latencies;
}
