// Generates the engine flag tables in server/src/analysis/extract/flags/generated/ from the engines' own
// argument definitions (vLLM arg_utils.py + cli_args.py, llama.cpp common/arg.cpp, SGLang
// server_args.py), one read per release listed in releases.json. Each flag records its spellings, value
// kind, env var, the releases it was seen in, and where it appeared / left among the releases read.
//
//   npm run flags:generate -- --src /tmp/flags-src            (files at DIR/<engine>/<commit8>/<file>)
//   npm run flags:generate -- --git vllm=/path/to/vllm/.git   (read each commit with git show)
//
// The engines' sources are never committed; only the generated tables are.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import {
	argparseFlags,
	annotatedFlags,
	classFields,
	dataclassFlags,
	kindOfAnnotation,
} from './parsePython.mjs';
import { llamaCppFlags } from './parseLlamaCpp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outDir = join(root, 'server/src/analysis/extract/flags/generated');

const PARSERS = {
	'vllm-engine': (text) => {
		const kinds = new Map([...classFields(text, 'EngineArgs')].map(([f, a]) => [f, kindOfAnnotation(a)]));
		return argparseFlags(text, kinds);
	},
	'vllm-frontend': (text) => dataclassFlags(text, ['BaseFrontendArgs', 'FrontendArgs']),
	'llama.cpp': llamaCppFlags,
	sglang: (text) => [...argparseFlags(text), ...annotatedFlags(text, 'ServerArgs')],
};

const OUT = {
	vllm: { file: 'vllm.ts', constant: 'VLLM_GENERATED' },
	'llama.cpp': { file: 'llamaCpp.ts', constant: 'LLAMACPP_GENERATED' },
	sglang: { file: 'sglang.ts', constant: 'SGLANG_GENERATED' },
};

function options(argv) {
	const o = { src: undefined, git: {} };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--src') o.src = argv[++i];
		else if (argv[i] === '--git') {
			const [engine, dir] = argv[++i].split('=');
			o.git[engine] = dir;
		} else throw new Error(`unknown option ${argv[i]}`);
	}
	if (!o.src && !Object.keys(o.git).length)
		throw new Error('give --src DIR (files at DIR/<engine>/<commit8>/<file>) or --git <engine>=<git dir>');
	return o;
}

function readSource(o, engine, file) {
	if (o.git[engine])
		return execFileSync('git', ['--git-dir', o.git[engine], 'show', `${file.commit}:${file.path}`], {
			encoding: 'utf8',
			maxBuffer: 64 << 20,
		});
	const p = join(o.src, engine, file.commit.slice(0, 8), basename(file.path));
	if (!existsSync(p)) throw new Error(`missing ${p} (${engine} ${file.path} @ ${file.commit})`);
	return readFileSync(p, 'utf8');
}

/** Merges per-release declarations into one record per flag, keyed by its first long spelling. */
function merge(engine, releases, perRelease) {
	const flags = new Map();
	releases.forEach((rel, r) => {
		for (const d of perRelease[r]) {
			const key = d.spellings.find((s) => s.startsWith('--')) ?? d.spellings[0];
			let f = flags.get(key);
			if (!f) {
				f = { spellings: [], kind: d.kind, seenIn: [] };
				flags.set(key, f);
			}
			for (const s of d.spellings) if (!f.spellings.includes(s)) f.spellings.push(s);
			for (const s of d.negations ?? []) {
				f.negations ??= [];
				if (!f.negations.includes(s)) f.negations.push(s);
			}
			// The newest release decides the kind and env var.
			f.kind = d.kind;
			if (d.env) f.env = d.env;
			if (d.examples) f.examples = d.examples;
			if (d.excludes) f.excludes = d.excludes;
			if (!f.seenIn.includes(rel.id)) f.seenIn.push(rel.id);
			if (d.deprecated) f.deprecated = { since: f.deprecated?.since ?? rel.id, ...d.deprecated };
			else if (f.deprecated && r === releases.length - 1) delete f.deprecated;
			f.scope = rel.scope;
		}
	});
	for (const f of flags.values()) {
		const seen = releases.filter((r) => f.seenIn.includes(r.id));
		const first = releases.indexOf(seen[0]);
		const last = releases.indexOf(seen[seen.length - 1]);
		// Absence only counts in complete reads of the same scope.
		const counts = (r) => !r.partial && (r.scope === 'all' || f.scope === 'all' || r.scope === f.scope);
		const before = releases.slice(0, first).filter(counts).pop();
		const after = releases.slice(last + 1).find(counts);
		if (before) f.absentBefore = before.id;
		if (after) f.absentAfter = after.id;
		delete f.scope;
	}
	return [...flags.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, f]) => f);
}

async function write(engine, releases, flags) {
	const { file, constant } = OUT[engine];
	const table = {
		engine,
		generatedBy: 'scripts/flags/generate.mjs',
		releasesRead: releases.map(({ id, version, note, partial, files }) => ({
			id,
			...(version ? { version } : {}),
			...(partial ? { partial } : {}),
			note,
			files: files.map((f) => `${f.path}@${f.commit.slice(0, 10)}`),
		})),
		newestChecked: releases[releases.length - 1].id,
		newestCheckedVersion: [...releases].reverse().find((r) => r.version)?.version,
		flags,
	};
	const text =
		`// Generated by scripts/flags/generate.mjs from ${engine}'s own argument definitions; do not edit.\n` +
		`// Regenerate with \`npm run flags:generate -- --src DIR\` (see scripts/flags/releases.json).\n` +
		`import type { GeneratedFlagTable } from './types';\n\n` +
		`export const ${constant}: GeneratedFlagTable = ${JSON.stringify(table, null, '\t')};\n`;
	const target = join(outDir, file);
	const config = await prettier.resolveConfig(target);
	writeFileSync(target, await prettier.format(text, { ...config, filepath: target }));
	return table;
}

const o = options(process.argv.slice(2));
const manifest = JSON.parse(readFileSync(join(here, 'releases.json'), 'utf8'));
for (const engine of Object.keys(OUT)) {
	if (o.git && Object.keys(o.git).length && !o.git[engine] && !o.src) continue;
	const releases = manifest[engine];
	const perRelease = releases.map((rel) =>
		rel.files.flatMap((file) => PARSERS[file.parser](readSource(o, engine, file))),
	);
	const flags = merge(engine, releases, perRelease);
	await write(engine, releases, flags);
	console.log(
		`${engine}: ${flags.length} flags from ${releases.length} release reads (newest: ${releases[releases.length - 1].id})`,
	);
}
