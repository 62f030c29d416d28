import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectFileKind, kindFromPath } from '../../../server/src/analysis/extract/detect';
import { ENGINE_KEYWORDS, hasEngineKeyword } from '../../../server/src/analysis/extract/keywords';

const VLLM = 'vllm serve x';

test('file names and extensions pick the extractor', () => {
	const cases: [string, string][] = [
		['deploy/serve.sh', 'shell'],
		['run.bash', 'shell'],
		['Dockerfile', 'dockerfile'],
		['Dockerfile.gpu', 'dockerfile'],
		['docker/Containerfile', 'dockerfile'],
		['serve.dockerfile', 'dockerfile'],
		['compose.yaml', 'yaml'],
		['docker-compose.yml', 'yaml'],
		['k8s/deploy.YAML', 'yaml'],
		['app.py', 'python'],
		['chat.tsx', 'javascript'],
		['worker.mjs', 'javascript'],
		['server.cjs', 'javascript'],
		['Modelfile', 'modelfile'],
		['coder.modelfile', 'modelfile'],
		['llama.service', 'systemd'],
		['.env', 'env'],
		['.env.production', 'env'],
		['server.env', 'env'],
	];
	for (const [p, kind] of cases) assert.equal(kindFromPath(p), kind, p);
	assert.equal(kindFromPath('README.md'), undefined);
	assert.equal(kindFromPath('serve'), undefined);
});

test('files with no engine keyword are unknown without parsing', () => {
	assert.equal(detectFileKind('deploy.yaml', 'apiVersion: v1\nkind: ConfigMap\n'), 'unknown');
	assert.equal(detectFileKind('run.sh', 'echo hello\n'), 'unknown');
	assert.equal(detectFileKind('deploy.yaml', `args: ["${VLLM}"]`), 'yaml');
	// Modelfiles always name a model, so they skip the keyword check.
	assert.equal(detectFileKind('Modelfile', 'FROM llama3.1\n'), 'modelfile');
});

test('language id and shebang decide for extensionless files', () => {
	assert.equal(detectFileKind('untitled-1', VLLM, 'shellscript'), 'shell');
	assert.equal(detectFileKind('bin/serve', `#!/usr/bin/env bash\n${VLLM}\n`), 'shell');
	assert.equal(detectFileKind('bin/serve', '#!/usr/bin/env python3\nfrom vllm import LLM\n'), 'python');
	assert.equal(detectFileKind('bin/serve', VLLM), 'unknown');
});

test('the keyword list is exported for the language server', () => {
	assert.ok(ENGINE_KEYWORDS.includes('vllm'));
	assert.ok(ENGINE_KEYWORDS.includes('LLAMA_ARG_'));
	assert.equal(hasEngineKeyword('llama-server -m x.gguf'), true);
	assert.equal(hasEngineKeyword('nginx -g daemon off;'), false);
});
