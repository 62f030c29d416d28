/**
 * The generated flag tables (scripts/flags): the parsers read each engine's declaration style, the merge
 * records where a flag appeared and left, and the extractor's verdicts follow the pinned version — a
 * warning that names the newest release checked without a pin, information when the pin is newer than
 * the tables, an error only when the pinned release is known to reject the flag.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	argparseFlags,
	annotatedFlags,
	classFields,
	dataclassFlags,
	kindOfAnnotation,
} from '../../../scripts/flags/parsePython.mjs';
import { llamaCppFlags } from '../../../scripts/flags/parseLlamaCpp.mjs';
import { merge } from '../../../scripts/flags/merge.mjs';
import { VLLM_GENERATED } from '../../../server/src/analysis/extract/flags/generated/vllm';
import { LLAMACPP_GENERATED } from '../../../server/src/analysis/extract/flags/generated/llamaCpp';
import { SGLANG_GENERATED } from '../../../server/src/analysis/extract/flags/generated/sglang';
import { VLLM_FLAGS } from '../../../server/src/analysis/extract/flags/vllm';
import { LLAMACPP_FLAGS } from '../../../server/src/analysis/extract/flags/llamacpp';
import { versionVerdict } from '../../../server/src/analysis/extract/flags/history';
import type { GeneratedFlagTable } from '../../../server/src/analysis/extract/flags/generated/types';
import { lookupFlag } from '../../../server/src/analysis/extract/argv';
import { extract, only, slice } from './helpers';

const FIX = path.join(__dirname, '../../fixtures/flags');
const read = (f: string) => readFileSync(path.join(FIX, f), 'utf8');
const by = <T extends { spellings: string[] }>(list: T[], s: string) =>
	list.find((d) => d.spellings.includes(s));

test('argparse calls: spellings, aliases, kinds from the dataclass annotation, deprecations with removal', () => {
	const text = read('engine_args.py');
	const kinds = new Map([...classFields(text, 'EngineArgs')].map(([f, a]) => [f, kindOfAnnotation(a)]));
	const flags = argparseFlags(text, kinds);
	assert.deepEqual(by(flags, '-tp')!.spellings, ['--tensor-parallel-size', '-tp']);
	assert.equal(by(flags, '--tensor-parallel-size')!.kind, 'value');
	assert.equal(by(flags, '--enable-prefix-caching')!.kind, 'bool'); // bool | None → --X / --no-X
	assert.equal(by(flags, '--served-model-name')!.kind, 'list'); // str | list[str]
	assert.equal(by(flags, '--kv-cache-dtype')!.kind, 'value'); // field kv_cache_dtype, kwargs key cache_dtype
	assert.equal(by(flags, '--hf-token')!.kind, 'optional');
	assert.equal(by(flags, '--disable-log-stats')!.kind, 'switch');
	assert.deepEqual(by(flags, '--old-knob')!.deprecated, { removedIn: '2.3.0' });
	assert.deepEqual(by(flags, '--legacy-a')!.deprecated, { removedIn: '2.4.0' });
	assert.ok(by(flags, '--legacy-b'));
	assert.equal(by(flags, '--model')!.kind, 'value');
});

test('dataclass fields become --field-name flags; private fields do not', () => {
	const flags = dataclassFlags(read('frontend_args.py'), ['FrontendArgs']);
	assert.deepEqual(
		flags.map((f) => [f.spellings[0], f.kind]),
		[
			['--host', 'value'],
			['--port', 'value'],
			['--allowed-origins', 'list'],
			['--enable-request-id-headers', 'bool'],
		],
	);
});

test("SGLang's annotated fields: aliases, store_true vs BooleanOptionalAction, no_cli and callables skipped", () => {
	const flags = annotatedFlags(read('server_args.py'), 'ServerArgs');
	assert.deepEqual(by(flags, '--model')!.spellings, ['--model-path', '--model']);
	assert.deepEqual(by(flags, '--tp-size')!.spellings, ['--tp-size', '--tensor-parallel-size']);
	assert.equal(by(flags, '--enable-dp-attention')!.kind, 'switch');
	assert.equal(by(flags, '--replicate')!.kind, 'bool');
	assert.equal(by(flags, '--buckets')!.kind, 'list');
	assert.equal(by(flags, '--hidden-mode'), undefined);
	assert.equal(by(flags, '--handler'), undefined);
	assert.deepEqual(by(flags, '--old-mode')!.deprecated, {});
});

test('llama.cpp common_arg: aliases, negations, value hints, env vars, programs, deprecation in help', () => {
	const flags = llamaCppFlags(read('arg.cpp'));
	assert.deepEqual(by(flags, '-c'), {
		spellings: ['-c', '--ctx-size'],
		kind: 'value',
		env: 'LLAMA_ARG_CTX_SIZE',
	});
	assert.deepEqual(by(flags, '--mmap'), {
		spellings: ['--mmap'],
		negations: ['--no-mmap'],
		kind: 'bool',
		env: 'LLAMA_ARG_MMAP',
	});
	assert.equal(by(flags, '--lora-scaled')!.kind, 'two-values');
	assert.deepEqual(by(flags, '--in-file')!.examples, ['imatrix']);
	assert.deepEqual(by(flags, '--defrag-thold')!.deprecated, {});
	assert.equal(by(flags, '--metrics')!.kind, 'switch');
	// A comment with a comma between the handler and the closing paren is not an extra value hint.
	assert.equal(by(flags, '--lora')!.kind, 'value');
});

test('merging releases records the read a flag first appears after and the read it is gone from', () => {
	const releases = [
		{ id: 'r1', version: '1.0', scope: 'all' as const },
		{ id: 'r2', version: '2.0', scope: 'all' as const },
		{ id: 'r3', scope: 'all' as const, partial: true },
	];
	const flags = merge(releases, [
		[
			{ spellings: ['--old'], kind: 'value' },
			{ spellings: ['--kept'], kind: 'switch' },
		],
		[
			{ spellings: ['--kept', '-k'], kind: 'switch' },
			{ spellings: ['--new'], kind: 'value' },
		],
		[{ spellings: ['--kept'], kind: 'switch' }],
	]);
	const old = by(flags, '--old')!;
	assert.deepEqual([old.seenIn, old.absentBefore, old.absentAfter], [['r1'], undefined, 'r2']);
	const added = by(flags, '--new')!;
	// r3 is a partial read: missing there says nothing.
	assert.deepEqual([added.seenIn, added.absentBefore, added.absentAfter], [['r2'], 'r1', undefined]);
	assert.deepEqual(by(flags, '--kept')!.spellings, ['--kept', '-k']);
});

test('the committed tables record the releases read and the newest one checked', () => {
	for (const t of [VLLM_GENERATED, LLAMACPP_GENERATED, SGLANG_GENERATED]) {
		assert.ok(t.releasesRead.length >= 1);
		assert.equal(t.newestChecked, t.releasesRead[t.releasesRead.length - 1]!.id);
		for (const r of t.releasesRead) assert.match(r.files[0]!, /@[0-9a-f]{10}$/);
	}
	assert.equal(VLLM_GENERATED.newestCheckedBefore, '0.12.0');
	// Two complete reads of the engine flags give appearance and removal bounds.
	const asyncSched = VLLM_GENERATED.flags.find((f) => f.spellings.includes('--async-scheduling'))!;
	assert.equal(asyncSched.absentBefore, '0.7 (001999d)');
	const pool = VLLM_GENERATED.flags.find((f) => f.spellings.includes('--tokenizer-pool-size'))!;
	assert.equal(pool.absentAfter, '0.11 (99d7eb5)');
	// A frontend flag is not "absent" from an engine-args read.
	const port = VLLM_GENERATED.flags.find((f) => f.spellings.includes('--port'))!;
	assert.equal(port.absentBefore, undefined);
	assert.ok(VLLM_GENERATED.flags.length > 150, `${VLLM_GENERATED.flags.length} vLLM flags`);
	assert.ok(LLAMACPP_GENERATED.flags.length > 250, `${LLAMACPP_GENERATED.flags.length} llama.cpp flags`);
	assert.ok(SGLANG_GENERATED.releasesRead.some((r) => r.partial));
});

test('flags current vLLM and llama.cpp accept are known: generated lines join the hand-written settings', () => {
	for (const name of [
		'--kv-cache-memory-bytes',
		'--all2all-backend',
		'--mamba-block-size',
		'--max-cudagraph-capture-size',
		'--disable-access-log-for-endpoints',
		'--nnodes',
		'--node-rank',
		'--master-addr',
		'--master-port',
		'--no-enable-flashinfer-autotune',
	])
		assert.ok(lookupFlag(name, VLLM_FLAGS).spec, `vLLM ${name}`);
	// The hand line still decides the setting; the generated table adds its history.
	const tp = lookupFlag('-tp', VLLM_FLAGS).spec!;
	assert.equal(tp.setting, 'tensorParallelSize');
	assert.ok(tp.history?.flag.seenIn.includes('0.11 (99d7eb5)'));
	for (const name of [
		'--fit',
		'-cram',
		'--cache-ram',
		'--models-dir',
		'--no-repack',
		'-nkvo',
		'--swa-checkpoints',
	])
		assert.ok(lookupFlag(name, LLAMACPP_FLAGS).spec, `llama.cpp ${name}`);
	// `--no-X` exists only for BooleanOptionalAction flags, not for store_true switches.
	assert.equal(lookupFlag('--no-enable-prefix-caching', VLLM_FLAGS).switchValue, false);
	assert.equal(lookupFlag('--no-disable-log-stats', VLLM_FLAGS).spec, undefined);
	// Programs other than llama-server / llama-cli stay out: --in-file is llama-imatrix's.
	assert.equal(lookupFlag('--in-file', LLAMACPP_FLAGS).spec, undefined);
	assert.equal(LLAMACPP_FLAGS.byEnv.get('LLAMA_ARG_FIT')?.canonical, 'fit');
});

const table: GeneratedFlagTable = {
	engine: 'x',
	generatedBy: 'test',
	releasesRead: [
		{ id: 'r0.5', after: '0.5.2', before: '0.6.0', note: '', files: [] },
		{ id: 'r0.7', after: '0.7.0', before: '0.8.0', note: '', files: [] },
		{ id: 'main', note: '', files: [] },
	],
	newestChecked: 'main',
	newestCheckedBefore: '0.8.0',
	flags: [],
};
const pin = (value: string) => ({ value, source: 'file' as const });

test('a pinned version rejects a flag only where a read proves it: up to `after`, or from `before` on', () => {
	const added = {
		table,
		flag: { spellings: ['--new'], kind: 'value' as const, seenIn: ['r0.7'], absentBefore: 'r0.5' },
	};
	assert.equal(versionVerdict(added, pin('0.5.2'))?.why, 'not-yet');
	assert.equal(versionVerdict(added, pin('0.4.0'))?.why, 'not-yet');
	assert.equal(versionVerdict(added, pin('0.5.3')), undefined); // after the read: unknown
	assert.equal(versionVerdict(added, pin('0.7.1')), undefined);
	assert.equal(versionVerdict(added, undefined), undefined);
	const gone = {
		table,
		flag: { spellings: ['--old'], kind: 'value' as const, seenIn: ['r0.5'], absentAfter: 'r0.7' },
	};
	assert.equal(versionVerdict(gone, pin('0.8.0'))?.why, 'gone');
	assert.equal(versionVerdict(gone, pin('1.2'))?.why, 'gone');
	assert.equal(versionVerdict(gone, pin('0.7.3')), undefined); // the read is somewhere in 0.7.x
	// A read whose place among releases is unknown decides nothing.
	const main = {
		table,
		flag: { spellings: ['--m'], kind: 'value' as const, seenIn: ['r0.7'], absentAfter: 'main' },
	};
	assert.equal(versionVerdict(main, pin('9.0')), undefined);
	assert.equal(versionVerdict(added, pin('latest')), undefined);
});

test('vLLM pinned before a flag appeared, or after it left, refuses to start (error, with the replacement)', async () => {
	const run = (tag: string, args: string) =>
		extract('/w/run.sh', `docker run --gpus all vllm/vllm-openai:${tag} --model m/x ${args}\n`);
	const early = await run('v0.6.3', '--async-scheduling');
	const e = early.findings.find((x) => x.code === 'unknown-flag')!;
	assert.equal(e.severity, 'error');
	assert.match(
		e.message,
		/vLLM 0\.6\.3 \(image tag of .*\) refuses to start with `--async-scheduling`: it is not in the arguments of 0\.7 \(001999d\)/,
	);
	assert.equal((await run('v0.11.2', '--async-scheduling')).findings.length, 0);
	const late = await run('v0.12.1', '--tokenizer-pool-size 4');
	const l = late.findings.filter((x) => x.code === 'unknown-flag' || x.code === 'deprecated-flag');
	assert.deepEqual(
		l.map((x) => [x.code, x.severity]),
		[['unknown-flag', 'error']],
	);
	assert.match(l[0]!.message, /it is gone from the arguments of 0\.11 \(99d7eb5\)/);
	// Before the removal is proven, the hand-written deprecation speaks (a warning).
	const mid = await run('v0.10.1', '--tokenizer-pool-size 4');
	assert.deepEqual(
		mid.findings.map((x) => [x.code, x.severity]),
		[['deprecated-flag', 'warning']],
	);
});

test('without a pin an unknown flag is a warning naming the newest release checked, never "refuses to start"', async () => {
	const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-length 8192\n';
	const { findings } = await extract('/w/serve.sh', text);
	const f = findings.find((x) => x.code === 'unknown-flag')!;
	assert.equal(f.severity, 'warning');
	assert.match(f.message, /not in vLLM's arguments up to 0\.11 \(99d7eb5\)/);
	assert.doesNotMatch(f.message, /refuses to start/);
	assert.equal(f.fixes![0]!.edits[0]!.newText, '--max-model-len');
});

test('a pin newer than the tables makes an unknown flag information; an older pin keeps the warning', async () => {
	const run = (tag: string) =>
		extract('/w/run.sh', `docker run --gpus all vllm/vllm-openai:${tag} --model m/x --brand-new-knob 3\n`);
	const newer = (await run('v0.14.1')).findings.find((x) => x.code === 'unknown-flag')!;
	assert.equal(newer.severity, 'information');
	assert.match(newer.message, /pinned version 0\.14\.1 .* is newer than that/);
	const older = (await run('v0.10.2')).findings.find((x) => x.code === 'unknown-flag')!;
	assert.equal(older.severity, 'warning');
});

test('an SGLang pin gets no version verdict: the reads of server_args.py have no known place among releases', async () => {
	const cmd =
		'docker run --gpus all lmsysorg/sglang:v0.1.13 python3 -m sglang.launch_server --model-path m/x --max-running-requests 8\n';
	const { workloads, findings } = await extract('/w/run.sh', cmd);
	assert.equal(only(workloads).engineVersion?.value, '0.1.13');
	assert.equal(findings.filter((x) => x.severity === 'error' || x.severity === 'warning').length, 0);
});

test('${VAR:+--flag "$VAR"} words are arguments: checked by name, value known only at run time', async () => {
	const text = [
		'vllm serve m/x \\',
		'  ${MAX_LEN:+--max-model-len "$MAX_LEN"} \\',
		'  ${UTIL:+--gpu-memory-utilisation "$UTIL"} \\',
		'  --port 8000',
		'',
	].join('\n');
	const { workloads, findings } = await extract('/w/serve.sh', text);
	const w = only(workloads);
	const unknown = findings.filter((x) => x.code === 'unknown-flag');
	assert.deepEqual(
		unknown.map((x) => slice(text, x.span)),
		['--gpu-memory-utilisation'],
	);
	assert.equal(unknown[0]!.fixes![0]!.edits[0]!.newText, '--gpu-memory-utilization');
	const f = w.flags.find((x) => x.name === '--max-model-len')!;
	assert.equal(f.known, true);
	assert.equal(w.settings.contextLength, undefined);
	assert.ok(w.unknowns.some((u) => u.name === 'contextLength' && /MAX_LEN/.test(u.reason)));
	// With the variable set in the file the value is read.
	const set = await extract(
		'/w/serve.sh',
		'MAX_LEN=4096\nvllm serve m/x ${MAX_LEN:+--max-model-len "$MAX_LEN"}\n',
	);
	assert.equal(only(set.workloads).settings.contextLength?.value, 4096);
});

test('the same ${VAR:+…} form in a Dockerfile CMD and a sh -c string', async () => {
	const docker =
		'FROM vllm/vllm-openai:v0.11.0\nCMD vllm serve m/x ${TP:+--tensor-parallel-size "$TP"} ${X:+--bogus-flag 1}\n';
	const a = await extract('/w/Dockerfile', docker);
	assert.deepEqual(
		a.findings.filter((x) => x.code === 'unknown-flag').map((x) => slice(docker, x.span)),
		['--bogus-flag'],
	);
	assert.ok(only(a.workloads).flags.some((x) => x.name === '--tensor-parallel-size' && x.known));
});

test('an unknown LLAMA_ARG_* variable is a warning that llama.cpp ignores it', async () => {
	const text = 'LLAMA_ARG_CTX_SIZ=8192 llama-server -m /m/model.gguf --fit on -cram 4096\n';
	const { findings } = await extract('/w/run.sh', text);
	const f = findings.filter((x) => x.code === 'unknown-flag');
	assert.equal(f.length, 1);
	assert.match(f[0]!.message, /llama\.cpp ignores variables it does not know/);
});
