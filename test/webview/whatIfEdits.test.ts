import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { offsetAt, planWhatIfEdits } from '../../client/src/panel/whatIfEdits';
import type { WorkloadReport } from '../../server/src/analysis/reportTypes';
import { SAMPLE_TEXT, sampleWorkload } from './sampleReport';

function applyEdits(text: string, plan: ReturnType<typeof planWhatIfEdits>): string {
	const spans = plan.edits
		.map((e) => ({
			s: offsetAt(text, e.range.start.line, e.range.start.character),
			e: offsetAt(text, e.range.end.line, e.range.end.character),
			t: e.newText,
		}))
		.sort((a, b) => b.s - a.s);
	for (const x of spans) text = text.slice(0, x.s) + x.t + text.slice(x.e);
	return text;
}

test('offsetAt maps LSP positions to UTF-16 offsets, -1 past the line end', () => {
	const t = 'ab\nc😀d\n';
	assert.equal(offsetAt(t, 0, 0), 0);
	assert.equal(offsetAt(t, 1, 0), 3);
	// '😀' is two UTF-16 units: c(3) 😀(4,5) d(6)
	assert.equal(offsetAt(t, 1, 3), 6);
	assert.equal(offsetAt(t, 1, 9), -1);
	assert.equal(offsetAt(t, 5, 0), -1);
});

test('context and batch replace the values the vLLM command writes', () => {
	const plan = planWhatIfEdits(sampleWorkload(), { context: 16384, batch: 32 }, SAMPLE_TEXT);
	assert.deepEqual(plan.skipped, []);
	assert.equal(
		applyEdits(SAMPLE_TEXT, plan),
		'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 16384 --max-num-seqs 32\n',
	);
	assert.deepEqual(plan.applied, ['batch 16 → 32', 'context 8192 → 16384']);
});

test('a setting the file does not write is skipped with the reason; KV spelled for vLLM', () => {
	const plan = planWhatIfEdits(
		sampleWorkload(),
		{ kvDtype: 'fp8', devices: 2, weightFormat: 'awq' },
		SAMPLE_TEXT,
	);
	assert.equal(plan.edits.length, 0);
	assert.equal(plan.skipped.length, 3);
	const find = (prefix: string) => plan.skipped.find((x) => x.startsWith(prefix)) ?? '';
	assert.match(find('devices'), /^devices 2: not written in the file/);
	assert.match(find('KV'), /^KV cache fp8: not written in the file/);
	assert.match(find('weights'), /^weights awq: the format comes with the model files/);
});

test('YAML quoting is kept and env-var values are left alone', () => {
	const text = 'args:\n  - "--max-model-len"\n  - "4096"\n  - --max-num-seqs\n  - ${SEQS:-8}\n';
	const w: WorkloadReport = {
		...sampleWorkload(),
		ranges: {
			contextLength: { start: { line: 2, character: 4 }, end: { line: 2, character: 10 } },
			maxConcurrency: { start: { line: 4, character: 4 }, end: { line: 4, character: 14 } },
		},
		provenance: { maxConcurrency: { value: 8, source: 'file', raw: '${SEQS:-8}' } },
	};
	const plan = planWhatIfEdits(w, { context: 2048, batch: 4 }, text);
	assert.equal(applyEdits(text, plan), text.replace('"4096"', '"2048"'));
	assert.equal(plan.skipped.length, 1);
	assert.match(plan.skipped[0], /the value is \$\{SEQS:-8\}, set by the environment/);
});

test('tensor parallel size is written as devices ÷ pipeline stages; llama.cpp KV ids pass through', () => {
	const text = 'x --tensor-parallel-size 2 --pipeline-parallel-size 2\n';
	const w: WorkloadReport = {
		...sampleWorkload(),
		settings: { tensorParallelSize: 2, pipelineParallelSize: 2 },
		ranges: { tensorParallelSize: { start: { line: 0, character: 25 }, end: { line: 0, character: 26 } } },
	};
	// 8 devices over 2 pipeline stages = tensor parallel 4.
	assert.equal(
		applyEdits(text, planWhatIfEdits(w, { devices: 8 }, text)),
		'x --tensor-parallel-size 4 --pipeline-parallel-size 2\n',
	);
	const lt = 'llama-server -m m.gguf -ctk f16\n';
	const lw: WorkloadReport = {
		...sampleWorkload(),
		framework: 'llama.cpp',
		ranges: { kvCacheDtype: { start: { line: 0, character: 28 }, end: { line: 0, character: 31 } } },
	};
	assert.equal(
		applyEdits(lt, planWhatIfEdits(lw, { kvDtype: 'q8_0' }, lt)),
		'llama-server -m m.gguf -ctk q8_0\n',
	);
});

async function analyze(file: string, text: string) {
	const { analyzeDocument } = await import('../../server/src/analysis/analyze');
	const { toFileReport } = await import('../../server/src/analysis/report');
	return toFileReport(await analyzeDocument({ path: file, text }, { hardwareId: 'h100-sxm' }), text);
}

test('real sample: the edits land where the analysis reads them back (vLLM, env default)', async () => {
	const file = 'samples/vllm/serve-llama-8b.sh';
	const text = readFileSync(file, 'utf8');
	const [w] = (await analyze(file, text)).workloads;
	const plan = planWhatIfEdits(w, { batch: 8, context: 4096 }, text);
	assert.deepEqual(plan.skipped, []);
	const edited = applyEdits(text, plan);
	assert.match(edited, /--max_model_len=\$\{MAX_LEN:-4096\}/);
	assert.match(edited, /--max-num-seqs 8 /);
	const [after] = (await analyze(file, edited)).workloads;
	assert.equal(after.settings.contextLength, 4096);
	assert.equal(after.settings.maxConcurrency, 8);
	assert.match(plan.applied[1], /default of \$MAX_LEN/);
});

test('real sample: llama.cpp KV type changes -ctk and the matching -ctv; fp8 is refused', async () => {
	const file = 'samples/llama.cpp/partial-offload-70b.sh';
	const text = readFileSync(file, 'utf8');
	const [w] = (await analyze(file, text)).workloads;
	const plan = planWhatIfEdits(w, { kvDtype: 'q4_0' }, text);
	const edited = applyEdits(text, plan);
	assert.match(edited, /-ctk q4_0 -ctv q4_0/);
	const [after] = (await analyze(file, edited)).workloads;
	assert.equal(after.settings.kvCacheDtype, 'q4_0');
	const fp8 = planWhatIfEdits(w, { kvDtype: 'fp8' }, text);
	assert.equal(fp8.edits.length, 0);
	assert.match(fp8.skipped[0], /llama\.cpp cannot store its KV cache in it/);
});
