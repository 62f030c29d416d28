import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Span } from '../../../server/src/analysis/types';
import { extract } from './helpers';

// Fragments that steer random text into every branch: commands, quoting, expansions, YAML structure.
const PIECES = [
	'vllm',
	'serve',
	'llama-server',
	'./main',
	'python3 -m vllm.entrypoints.openai.api_server',
	'ollama run',
	'docker run --gpus all',
	'vllm/vllm-openai:v0.9.0',
	'ghcr.io/ggml-org/llama.cpp:server',
	'sh -c',
	'--max-model-len',
	'--max_model_len=',
	'-c',
	'-ngl',
	'-fa',
	'--model',
	'-m',
	'x.Q4_K_M.gguf',
	'32k',
	'8192',
	'"',
	"'",
	'\\\n',
	'\\',
	'${A:-',
	'}',
	'$B',
	'$(',
	')',
	'`',
	'=',
	' ',
	'\n',
	'\t',
	'#',
	'&&',
	';',
	'|',
	'<<EOF\n',
	'EOF\n',
	'é',
	'😀',
	'services:',
	'image:',
	'command:',
	'args:',
	'containers:',
	'- ',
	'  ',
	'[',
	']',
	'{',
	'}',
	',',
	': ',
	'>',
	'|-',
	'nvidia.com/gpu: 2',
	'servingEngineSpec:',
	'modelSpec:',
	'modelURL:',
	'vllmConfig:',
	'model: m',
	'FROM ',
	'CMD ',
	'ENTRYPOINT ',
	'ENV ',
	'PARAMETER num_ctx ',
	'"""',
	'[Service]',
	'ExecStart=',
	'Environment=',
	'LLAMA_ARG_CTX_SIZE=',
	'export ',
	'---\n',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join(''));
const FILES = ['x.sh', 'Dockerfile', 'x.yaml', 'compose.yaml', 'Modelfile', 'x.service', '.env'];

function inside(span: Span | undefined, n: number): boolean {
	return !span || (span.offset >= 0 && span.length >= 0 && span.offset + span.length <= n);
}

test('random engine-ish text never throws and every span stays inside the document', async () => {
	await fc.assert(
		fc.asyncProperty(fc.constantFrom(...FILES), text, async (file, doc) => {
			const r = await extract(file, doc);
			for (const f of r.findings) {
				assert.ok(inside(f.span, doc.length), `finding ${f.code}`);
				for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(inside(e.span, doc.length));
			}
			for (const w of r.workloads) {
				assert.ok(inside(w.span, doc.length));
				assert.ok(inside(w.model.span, doc.length));
				for (const s of Object.values(w.settings)) {
					assert.ok(inside(s.span, doc.length));
					assert.ok(inside(s.keySpan, doc.length));
				}
				for (const f of w.flags) assert.ok(inside(f.span, doc.length) && inside(f.valueSpan, doc.length));
			}
		}),
		{ numRuns: 300 },
	);
});
