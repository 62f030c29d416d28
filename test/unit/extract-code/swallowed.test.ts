import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractPython } from '../../../server/src/analysis/extract/python';
import { at } from './helpers';

async function extract(text: string) {
	return extractPython({ path: '/w/app.py', text });
}

test('an unclosed paren that swallows the LLM(...) call is an unparseable-config finding', async () => {
	const text = 'from vllm import LLM\nllm = LLM(model="x", max_model_len=8192\n';
	const { workloads, findings } = await extract(text);
	assert.equal(workloads.length, 0);
	assert.equal(findings.length, 1);
	assert.equal(findings[0].code, 'unparseable-config');
	assert.equal(findings[0].severity, 'error');
	assert.equal(at(text, findings[0].span), '(model="x", max_model_len=8192');
	assert.match(
		findings[0].message,
		/^Unclosed `\(` here swallows the `LLM\(…\)` call: nothing after it was analyzed/,
	);
});

test('an unclosed bracket on an earlier line names that bracket, not the call', async () => {
	const text = 'from vllm import LLM\nsizes = [1, 2\nllm = LLM(model="x", max_model_len=8192)\n';
	const { workloads, findings } = await extract(text);
	assert.equal(workloads.length, 0);
	assert.equal(findings.length, 1);
	assert.equal(at(text, findings[0].span), '[1, 2');
	assert.match(findings[0].message, /Unclosed `\[` here swallows the `LLM\(…\)` call/);
});

test('an unterminated triple-quoted string that swallows the call is reported at its opening quotes', async () => {
	const text = 'from vllm import LLM\nDOC = """notes\nllm = LLM(model="x", max_model_len=8192)\n';
	const { workloads, findings } = await extract(text);
	assert.equal(workloads.length, 0);
	assert.equal(findings.length, 1);
	assert.equal(at(text, findings[0].span), '"""notes');
	assert.match(findings[0].message, /^Unterminated string starting here swallows the `LLM\(…\)` call/);
});

test('no second finding where the call itself already reports its syntax error, or a workload was read', async () => {
	const inCall = 'from vllm import LLM\nLLM(model="y", max_model_len=4096 tensor_parallel_size=2)\n';
	const a = await extract(inCall);
	assert.equal(a.workloads.length, 1);
	assert.equal(a.findings.filter((f) => f.code === 'unparseable-config').length, 1);
	assert.equal(a.findings[0].workload, 0);
	// A broken string elsewhere that swallows no engine call: the workload is read and nothing is added.
	const elsewhere = 'from vllm import LLM\nllm = LLM(model="x", max_model_len=8192)\nprint("done\n';
	const b = await extract(elsewhere);
	assert.equal(b.workloads.length, 1);
	assert.deepEqual(b.findings, []);
});
