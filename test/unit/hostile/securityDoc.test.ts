/**
 * docs/security.md names the test that checks each promise: every test file it names exists, and every
 * test name it quotes is a test in one of those files (so the doc cannot drift from the suite).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

const doc = readFileSync('docs/security.md', 'utf8').replace(/\s*\n\s*/g, ' ');

test('every test file docs/security.md names exists', () => {
	const files = [...new Set(doc.match(/test\/[\w/.-]+\.test\.ts/g) ?? [])];
	assert.ok(files.length >= 10, `${files.length} files`);
	for (const f of files) assert.ok(existsSync(f), f);
});

test('every quoted test name in docs/security.md is a test in the files it names', () => {
	const files = [...new Set(doc.match(/test\/[\w/.-]+\.test\.ts/g) ?? [])];
	const sources = files.map((f) => readFileSync(f, 'utf8').replace(/\s*\n\s*/g, ' ')).join('\n');
	// Quoted names in the Checked-by lists: `name`, or ``name with `code` `` (a path has no spaces).
	const checked = doc
		.split('Checked by')
		.slice(1)
		.map((part) => part.split(/ #{2,3} /)[0]!)
		.join(' ');
	const names = [...checked.matchAll(/``(.+?)``|`([^`]+)`/g)]
		.map((m) => (m[1] ?? m[2]!).trim())
		.filter((n) => n.includes(' '));
	assert.ok(names.length >= 40, `${names.length} names`);
	for (const name of names) {
		// `hostile input: <case>`: a template literal in the source; match the part before the placeholder.
		const fixed = name.split('<')[0]!.replace(/ \($/, '').trim();
		assert.ok(sources.includes(fixed), `"${name}" is not a test in ${files.join(', ')}`);
	}
});
