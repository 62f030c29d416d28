/**
 * Every quick fix the analyzer offers on the samples, applied and analyzed again: it must not break the
 * file (no new extraction findings), and the preferred fix must clear the finding it is attached to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import type { Finding } from '../../../server/src/analysis/types';
import { applyEdits } from '../rules/helpers';

const root = path.join(__dirname, '../../..');
const EXTRACT_CODES = new Set([
	'unknown-flag',
	'invalid-flag-value',
	'unparseable-config',
	'ignored-config-value',
]);

function samples(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir).sort()) {
		const p = path.join(dir, name);
		if (statSync(p).isDirectory()) samples(p, out);
		else if (!/\.gguf$/.test(name)) out.push(p);
	}
	return out;
}

const count = (fs: Finding[], code: string) => fs.filter((f) => f.code === code).length;

test('fixes offered on the samples keep the file valid and the preferred one clears its finding', async () => {
	let applied = 0;
	for (const abs of samples(path.join(root, 'samples'))) {
		const rel = path.relative(root, abs);
		const text = readFileSync(abs, 'utf8');
		const before = await analyzeDocument({ path: rel, text });
		for (const f of before.findings) {
			if (EXTRACT_CODES.has(f.code)) continue;
			for (const fix of f.fixes ?? []) {
				const fixed = applyEdits(text, fix.edits);
				const after = await analyzeDocument({ path: rel, text: fixed });
				const label = `${rel}: ${f.code} → ${fix.title}`;
				for (const code of EXTRACT_CODES)
					assert.ok(count(after.findings, code) <= count(before.findings, code), `${label} added ${code}`);
				assert.equal(after.workloads.length, before.workloads.length, `${label} changed the workloads`);
				if (!fix.isPreferred) {
					applied++;
					continue;
				}
				// Offloading only the layers that fit improves decode without clearing the warning.
				const still = after.findings.find((x) => x.code === f.code && x.workload === f.workload);
				if (f.code === 'partial-offload' && still)
					assert.ok(
						(still.data?.tokensPerSecond as number) > (f.data?.tokensPerSecond as number),
						`${label} did not help`,
					);
				else
					assert.ok(
						count(after.findings, f.code) < count(before.findings, f.code),
						`${label} did not clear it`,
					);
				applied++;
			}
		}
	}
	assert.ok(applied >= 6, `only ${applied} fixes applied`);
});
