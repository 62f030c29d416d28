/**
 * Inline suppressions in every format's comment syntax. The per-format test inserts the editor's quick-fix
 * comment into a real sample, re-analyzes it, and checks the finding moved to `suppressed`, nothing else
 * changed (the comment did not break the file's parsing) and no suppression is reported unused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { detectFileKind } from '../../../server/src/analysis/extract/detect';
import { commentStyleFor, scanDirectives, suppressionEdit } from '../../../server/src/analysis/suppress';
import type { TextEdit } from '../../../server/src/analysis/types';

const root = path.join(__dirname, '../../..');
const apply = (text: string, e: TextEdit) =>
	text.slice(0, e.span.offset) + e.newText + text.slice(e.span.offset + e.span.length);
const codes = (fs: { code: string }[]) => fs.map((f) => f.code).sort();

const SAMPLES: [string, string][] = [
	['shell', 'samples/vllm/serve-70b-bf16-1xh100.sh'],
	['shell (continued lines)', 'samples/vllm/serve-llama-8b.sh'],
	['compose YAML', 'samples/compose/docker-compose.yml'],
	['compose YAML, folded block scalar', 'samples/compose/compose.folded.yaml'],
	['Kubernetes YAML', 'samples/kubernetes/vllm-h100-tp2.yaml'],
	['vLLM --config YAML', 'samples/vllm/vllm-config.yaml'],
	['Dockerfile', 'samples/vllm/Dockerfile'],
	['Python', 'samples/python/vllm_offline.py'],
	['Modelfile', 'samples/ollama/Modelfile'],
	['.env', 'samples/llama.cpp/server.env'],
	['systemd unit', 'samples/llama.cpp/llama-server.service'],
	['TypeScript', 'samples/transformers.js/chat.ts'],
	['JavaScript', 'samples/transformers.js/worker.js'],
];

for (const [name, file] of SAMPLES) {
	test(`quick-fix comment suppresses the finding in ${name} (${path.basename(file)})`, async () => {
		const text = readFileSync(path.join(root, file), 'utf8');
		const docPath = `/work/${path.basename(file)}`;
		const style = commentStyleFor(detectFileKind(docPath, text));
		assert.ok(style, `${file} has a comment syntax`);
		const before = await analyzeDocument({ path: docPath, text });
		assert.ok(before.findings.length > 0, `${file} has findings to suppress`);
		for (const target of before.findings) {
			const edit = suppressionEdit(text, style, target.span.offset, target.code)!;
			assert.ok(edit, `an edit for ${target.code}`);
			// The comment is a whole line in the file's syntax, indented like the statement it precedes.
			const marker = style === 'slash' ? '//' : '#';
			assert.match(
				edit.newText,
				new RegExp(`^[ \\t]*${marker} inference-meter-disable-next-line ${target.code}\\r?\\n$`),
			);
			const edited = apply(text, edit);
			const after = await analyzeDocument({ path: docPath, text: edited });
			assert.equal(
				after.workloads.length,
				before.workloads.length,
				`${target.code}: the comment broke parsing`,
			);
			assert.ok(
				after.suppressed?.some((s) => s.kind === 'inSource' && s.finding.code === target.code),
				`${target.code} at ${target.span.offset} is not suppressed in\n${edited}`,
			);
			assert.ok(!after.findings.some((f) => f.code === 'unused-suppression'), 'reported unused');
			const left = codes(after.findings);
			const expected = codes(before.findings);
			expected.splice(expected.indexOf(target.code), 1);
			// Other findings of the same code on the same statement go too; nothing else changes.
			assert.deepEqual(
				left.filter((c) => c !== target.code),
				expected.filter((c) => c !== target.code),
			);
		}
	});
}

const SERVE_70B = 'vllm serve meta-llama/Llama-3.1-70B --max-model-len 8192\n';

test('disable-line, disable-file and a reason after --', async () => {
	const line = await analyzeDocument({
		path: '/w/serve.sh',
		text: 'vllm serve meta-llama/Llama-3.1-70B --max-model-len 8192  # inference-meter-disable-line weights-do-not-fit -- runs on 2 GPUs via the launcher\n',
	});
	assert.ok(!line.findings.some((f) => f.code === 'weights-do-not-fit'));
	const s = line.suppressed!.find((x) => x.finding.code === 'weights-do-not-fit')!;
	assert.equal(s.justification, 'runs on 2 GPUs via the launcher');
	const file = await analyzeDocument({
		path: '/w/serve.sh',
		text: `#!/bin/sh\n# inference-meter-disable-file weights-do-not-fit, decode-compute-idle\n\n${SERVE_70B}`,
	});
	assert.deepEqual(codes(file.findings), []);
	assert.deepEqual(codes(file.suppressed!.map((x) => x.finding)), [
		'decode-compute-idle',
		'weights-do-not-fit',
	]);
});

test('a disable-file directive far down the file does nothing and says so', async () => {
	const text = `${SERVE_70B}${'\n'.repeat(12)}# inference-meter-disable-file weights-do-not-fit\n`;
	const a = await analyzeDocument({ path: '/w/serve.sh', text });
	assert.ok(a.findings.some((f) => f.code === 'weights-do-not-fit'));
	const unused = a.findings.find((f) => f.code === 'unused-suppression')!;
	assert.match(unused.message, /first 10 lines/);
	assert.equal(unused.severity, 'information');
});

test('an unused suppression is reported at its code, with a fix that removes it', async () => {
	const text = `# inference-meter-disable-next-line weights-do-not-fit, partial-offload\n${SERVE_70B}`;
	const a = await analyzeDocument({ path: '/w/serve.sh', text });
	const unused = a.findings.filter((f) => f.code === 'unused-suppression');
	assert.equal(unused.length, 1);
	assert.equal(
		text.slice(unused[0]!.span.offset, unused[0]!.span.offset + unused[0]!.span.length),
		'partial-offload',
	);
	assert.match(unused[0]!.message, /no partial-offload finding on line 2/);
	const fixed = apply(text, unused[0]!.fixes![0]!.edits[0]!);
	assert.equal(fixed, `# inference-meter-disable-next-line weights-do-not-fit\n${SERVE_70B}`);
	// A comment whose only code is unused: the fix deletes the whole line.
	const lone = `# inference-meter-disable-next-line partial-offload\n${SERVE_70B}`;
	const b = await analyzeDocument({ path: '/w/serve.sh', text: lone });
	const u = b.findings.find((f) => f.code === 'unused-suppression')!;
	assert.equal(apply(lone, u.fixes![0]!.edits[0]!), SERVE_70B);
	// A code that does not exist.
	const typo = await analyzeDocument({
		path: '/w/serve.sh',
		text: `# inference-meter-disable-next-line weights-dont-fit\n${SERVE_70B}`,
	});
	assert.match(typo.findings.find((f) => f.code === 'unused-suppression')!.message, /not a diagnostic code/);
});

test('JS/TS block comments and line comments; a URL is not a comment', () => {
	const text = [
		'const a = 1; /* inference-meter-disable-line browser-memory-limit */',
		'// inference-meter-disable-next-line unknown-model, browser-memory-limit',
		"const url = 'https://x.y/inference-meter-disable-line foo';",
	].join('\n');
	const ds = scanDirectives(text, 'slash');
	assert.deepEqual(
		ds.map((d) => [d.kind, d.codes.map((c) => c.code), d.lines]),
		[
			['line', ['browser-memory-limit'], [0, 0]],
			['next-line', ['unknown-model', 'browser-memory-limit'], [2, 2]],
		],
	);
});

test('Dockerfile, systemd, .env and Modelfile read only whole-line comments', () => {
	const ds = scanDirectives(
		'CMD vllm serve x # inference-meter-disable-line unknown-flag\n',
		'hash-line-start',
	);
	assert.deepEqual(ds, []);
	assert.equal(
		scanDirectives('  # inference-meter-disable-next-line unknown-flag\nCMD x\n', 'hash-line-start').length,
		1,
	);
});

test('the quick fix appends to a directive already above the line', () => {
	const text = `  # inference-meter-disable-next-line weights-do-not-fit\n  ${SERVE_70B}`;
	const edit = suppressionEdit(text, 'hash', text.indexOf('vllm'), 'decode-compute-idle')!;
	assert.equal(
		apply(text, edit),
		`  # inference-meter-disable-next-line weights-do-not-fit, decode-compute-idle\n  ${SERVE_70B}`,
	);
	assert.equal(suppressionEdit(text, 'hash', text.indexOf('vllm'), 'weights-do-not-fit'), undefined);
});

test("severity off: the project config's is kept as an external suppression, a setting's just drops", async () => {
	const text = `# inference-meter-disable-next-line weights-do-not-fit\n${SERVE_70B}`;
	const a = await analyzeDocument(
		{ path: '/w/serve.sh', text },
		{
			severities: { 'weights-do-not-fit': 'off', 'context-exceeds-model': 'off' },
			project: { file: '.inference-meter.yaml', severities: { 'decode-compute-idle': 'off' } },
		},
	);
	assert.deepEqual(codes(a.findings), []);
	const kinds = a.suppressed!.map((s) => `${s.finding.code}:${s.kind}`).sort();
	assert.deepEqual(kinds, ['decode-compute-idle:external', 'weights-do-not-fit:inSource']);
	const settingOnly = await analyzeDocument(
		{ path: '/w/serve.sh', text: SERVE_70B },
		{ severities: { 'weights-do-not-fit': 'off' } },
	);
	assert.ok(!settingOnly.findings.some((f) => f.code === 'weights-do-not-fit'));
	assert.ok(!settingOnly.suppressed?.some((s) => s.finding.code === 'weights-do-not-fit'));
});
