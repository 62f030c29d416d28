/**
 * docs/diagnostics.md stays honest: every code has a section with a stable anchor, the links the CLI
 * writes match the language server's, and each section's example really triggers its code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import { CODES, docsUrl } from '../../../server/src/analysis/rules/codes';
import { diagnosticsDocUrl } from '../../../server/src/shared/protocol';

const doc = readFileSync(path.join(__dirname, '../../../docs/diagnostics.md'), 'utf8');

function sections(): Map<string, string> {
	const out = new Map<string, string>();
	const parts = doc.split(/^## /m).slice(1);
	for (const p of parts) out.set(p.slice(0, p.indexOf('\n')).trim(), p);
	return out;
}

test('every code has a "## code" section and a row in the table', () => {
	const s = sections();
	for (const c of CODES) {
		assert.ok(s.has(c.code), `docs/diagnostics.md lacks "## ${c.code}"`);
		assert.ok(doc.includes(`[\`${c.code}\`](#${c.code})`), `table row for ${c.code}`);
		assert.ok(
			s
				.get(c.code)!
				.toLowerCase()
				.includes(c.severity === 'information' ? 'information' : c.severity),
		);
	}
});

test('SARIF help links equal the language server codeDescription links', () => {
	for (const c of CODES) assert.equal(docsUrl(c.code), diagnosticsDocUrl(c.code));
});

const FILE_FOR: Record<string, string> = { bash: 'serve.sh', yaml: 'compose.yaml', ts: 'chat.ts' };

test('each example in the docs triggers the code of its section', async () => {
	let checked = 0;
	for (const [code, body] of sections()) {
		const m = /```(bash|yaml|ts)\n([\s\S]*?)```/.exec(body);
		if (!m) continue;
		const name = /vllm-config\.yaml/.test(m[2])
			? 'vllm-config.yaml'
			: /\.inference-meter\.yaml/.test(m[2])
				? '.inference-meter.yaml'
				: FILE_FOR[m[1]];
		const hardwareId = /--hardware ([\w-]+)/.exec(m[2])?.[1];
		const a = await analyzeDocument({ path: `/docs-example/${name}`, text: m[2] }, { hardwareId });
		assert.ok(
			a.findings.some((f) => f.code === code),
			`example under "## ${code}" gave ${a.findings.map((f) => f.code).join(', ') || 'nothing'}`,
		);
		checked++;
	}
	// 9 rule codes minus unknown-hardware (settings example) + 5 extraction codes.
	assert.ok(checked >= 13, `only ${checked} examples checked`);
});
