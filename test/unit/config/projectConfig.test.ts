/** .inference-meter.yaml: parsing with problems at the key, the finder's walk, overrides by glob, precedence. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../server/src/analysis/analyze';
import {
	configForFile,
	findProjectConfig,
	loadProjectConfig,
	parseProjectConfig,
} from '../../../server/src/analysis/config';
import { globToRegExp } from '../../../server/src/analysis/config/glob';

const at = (text: string, needle: string) => text.indexOf(needle);

test('a valid config is read with its values; versions keep their written text', () => {
	const text = [
		'hardware: h100-sxm',
		'devices: 8',
		'engineVersion:',
		'  vllm: 0.10',
		'  llama.cpp: b5000',
		'latencyTarget: { tokensPerSecondPerUser: 30, ttftSeconds: 1.5 }',
		'severity:',
		'  decode-compute-idle: off',
		'  partial-offload: info',
		'ignore: ["experiments/**"]',
		'overrides:',
		'  - files: ["edge/**", "*.Modelfile"]',
		'    hardware: rtx-4090',
		'    devices: 1',
	].join('\n');
	const r = parseProjectConfig(text, '/repo/.inference-meter.yaml');
	assert.deepEqual(r.problems, []);
	const c = r.config!;
	assert.equal(c.hardware, 'h100-sxm');
	assert.equal(c.devices, 8);
	// 0.10 as a YAML number is 0.1; the pin keeps what was written.
	assert.deepEqual(c.engineVersion, { vllm: '0.10', 'llama.cpp': 'b5000' });
	assert.deepEqual(c.latencyTarget, { tokensPerSecondPerUser: 30, ttftSeconds: 1.5 });
	assert.deepEqual(c.severity, { 'decode-compute-idle': 'off', 'partial-offload': 'information' });
	assert.deepEqual(c.ignore, ['experiments/**']);
	assert.deepEqual(c.overrides, [{ files: ['edge/**', '*.Modelfile'], hardware: 'rtx-4090', devices: 1 }]);
});

test('each problem names its key and points at it', () => {
	const text = [
		'hardwre: h100-sxm',
		'devices: 0',
		'severity:',
		'  decode-compute-idel: off',
		'  partial-offload: loud',
		'overrides:',
		'  - hardware: a100-80gb-sxm',
		'  - files: edge/**',
		'    device: 2',
	].join('\n');
	const r = parseProjectConfig(text, '.inference-meter.yaml', {
		checkHardware: (id) => (id === 'a100-80gb-sxm' ? undefined : `unknown hardware "${id}"`),
	});
	const byKey = new Map(r.problems.map((p) => [p.key, p]));
	assert.deepEqual([...byKey.keys()].sort(), [
		'devices',
		'hardwre',
		'overrides[0].files',
		'overrides[1].device',
		'severity.decode-compute-idel',
		'severity.partial-offload',
	]);
	assert.match(byKey.get('hardwre')!.message, /did you mean hardware\?/);
	assert.equal(byKey.get('hardwre')!.span.offset, 0);
	assert.equal(byKey.get('hardwre')!.span.length, 'hardwre'.length);
	assert.equal(byKey.get('devices')!.span.offset, at(text, '0\nseverity'));
	assert.match(byKey.get('devices')!.message, /1 to 1024/);
	assert.match(byKey.get('severity.decode-compute-idel')!.message, /did you mean decode-compute-idle/);
	assert.equal(byKey.get('severity.partial-offload')!.span.offset, at(text, 'loud'));
	assert.equal(byKey.get('overrides[1].device')!.span.offset, at(text, 'device: 2'));
	// The valid parts still apply.
	assert.deepEqual(r.config!.overrides, [{ files: ['edge/**'] }]);
});

test('a hardware id the catalog lacks is a problem at its value', () => {
	const text = 'hardware: h100-sxmm\n';
	const r = parseProjectConfig(text, '.inference-meter.yaml', {
		checkHardware: (id) => (id === 'h100-sxm' ? undefined : `"${id}" is not in the catalog`),
	});
	assert.equal(r.problems.length, 1);
	assert.equal(r.problems[0]!.key, 'hardware');
	assert.equal(r.problems[0]!.span.offset, at(text, 'h100-sxmm'));
	assert.equal(r.config!.hardware, undefined);
});

test('YAML syntax errors and a JSON config', () => {
	const broken = parseProjectConfig('hardware: [h100\n', '.inference-meter.yaml');
	assert.equal(broken.config, undefined);
	assert.equal(broken.problems[0]!.key, '(syntax)');
	const json = parseProjectConfig('{ "hardware": "h200", "devices": 4 }', '.inference-meter.json');
	assert.deepEqual(json.problems, []);
	assert.equal(json.config!.devices, 4);
	assert.deepEqual(parseProjectConfig('', '.inference-meter.yaml').problems, []);
	assert.equal(parseProjectConfig('- a\n', '.inference-meter.yaml').problems[0]!.key, '(root)');
});

test('globs: segments, **, braces, basename patterns', () => {
	const yes: [string, string][] = [
		['edge/**', 'edge/a/b.sh'],
		['edge/', 'edge/x.yaml'],
		['*.Modelfile', 'deep/dir/x.Modelfile'],
		['deploy/*.yaml', 'deploy/vllm.yaml'],
		['**/values.yaml', 'values.yaml'],
		['{a,b}/*.sh', 'b/run.sh'],
	];
	for (const [g, p] of yes) assert.ok(globToRegExp(g).test(p), `${g} ~ ${p}`);
	const no: [string, string][] = [
		['deploy/*.yaml', 'deploy/x/vllm.yaml'],
		['edge/**', 'notedge/a.sh'],
		['/top.sh', 'sub/top.sh'],
	];
	for (const [g, p] of no) assert.ok(!globToRegExp(g).test(p), `${g} !~ ${p}`);
});

test('the finder walks up to the nearest config and stops at the root', () => {
	const files: Record<string, string> = {
		'/repo/.inference-meter.yaml': 'devices: 8\n',
		'/repo/sub/.inference-meter.json': '{"devices": 2}',
		'/.inference-meter.yaml': 'devices: 99\n',
	};
	const reads: string[] = [];
	const reader = (root: string) => ({
		read: (p: string) => {
			reads.push(p);
			return files[p];
		},
		isRoot: (dir: string) => dir === root,
	});
	assert.equal(findProjectConfig('/repo/a/b/serve.sh', reader('/repo'))?.path, '/repo/.inference-meter.yaml');
	assert.equal(
		findProjectConfig('/repo/sub/x/serve.sh', reader('/repo'))?.path,
		'/repo/sub/.inference-meter.json',
	);
	// No config below the root: the one above it is not this project's.
	assert.equal(findProjectConfig('/other/serve.sh', reader('/other')), undefined);
	assert.ok(!reads.includes('/.inference-meter.yaml'), 'read above the root');
});

test('overrides apply by glob relative to the config folder, later ones last', () => {
	const { config } = parseProjectConfig(
		[
			'hardware: h100-sxm',
			'devices: 4',
			'ignore: [old/**]',
			'overrides:',
			'  - files: [edge/**]',
			'    hardware: rtx-4090',
			'  - files: ["edge/big/**"]',
			'    devices: 2',
		].join('\n'),
		'/repo/.inference-meter.yaml',
	);
	const root = configForFile(config!, '/repo/serve.sh');
	assert.equal(root.settings.hardwareId, 'h100-sxm');
	assert.equal(root.settings.via, undefined);
	const edge = configForFile(config!, '/repo/edge/big/run.sh');
	assert.equal(edge.settings.hardwareId, 'rtx-4090');
	assert.equal(edge.settings.devices, 2);
	assert.match(edge.settings.via!.hardwareId!, /overrides\[0\] \(files: edge\/\*\*\)/);
	assert.equal(configForFile(config!, '/repo/old/x.sh').ignored, true);
	assert.equal(configForFile(config!, '/repo/edge/run.sh').ignored, false);
});

const SERVE = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n';

test('precedence: the file names its hardware > config override > config > user setting > engine default', async () => {
	const files: Record<string, string> = {
		'/repo/.inference-meter.yaml': 'hardware: h200\noverrides:\n  - files: [edge/**]\n    hardware: l40s\n',
	};
	const project = (doc: string) =>
		loadProjectConfig(doc, { read: (p) => files[p], isRoot: (d) => d === '/repo' }).settings;
	const run = async (doc: string, text: string, withProject = true) =>
		(
			await analyzeDocument(
				{ path: doc, text },
				{ hardwareId: 'a100-80gb-sxm', project: withProject ? project(doc) : undefined },
			)
		).workloads[0]!.target!;

	const config = await run('/repo/serve.sh', SERVE);
	assert.deepEqual(
		[config.hardwareId, config.source, config.note],
		['h200', 'config', 'from .inference-meter.yaml'],
	);
	const override = await run('/repo/edge/serve.sh', SERVE);
	assert.equal(override.hardwareId, 'l40s');
	assert.match(override.note, /^from \.inference-meter\.yaml overrides\[0\]/);
	const user = await run('/repo/serve.sh', SERVE, false);
	assert.deepEqual([user.hardwareId, user.source], ['a100-80gb-sxm', 'user-setting']);
	// A Kubernetes manifest naming its GPU wins over the config.
	const k8s = [
		'apiVersion: apps/v1',
		'kind: Deployment',
		'spec:',
		'  template:',
		'    spec:',
		'      nodeSelector:',
		'        nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB',
		'      containers:',
		'        - name: vllm',
		'          image: vllm/vllm-openai:v0.8.5',
		'          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]',
		'',
	].join('\n');
	const file = await run('/repo/k8s/deploy.yaml', k8s);
	assert.equal(file.source, 'file');
});

test('config devices, severities and engine pins reach the analysis with provenance', async () => {
	const text = 'llama-server -m llama-3.1-8b-instruct-q4_k_m.gguf -c 8192 -ngl 99\n';
	const project = {
		file: '.inference-meter.yaml',
		devices: 2,
		engineVersions: { 'llama.cpp': 'b4500' },
		severities: { 'decode-compute-idle': 'off' as const },
	};
	const a = await analyzeDocument({ path: '/repo/run.sh', text }, { devices: 1, project });
	const w = a.workloads[0]!;
	assert.equal(w.target!.devices, 2);
	assert.equal(w.workload.settings.deviceCount?.source, 'config');
	assert.equal(w.workload.engineVersion?.value, 'b4500');
	assert.equal(w.workload.engineVersion?.source, 'config');
	const without = await analyzeDocument({ path: '/repo/run.sh', text }, { devices: 1 });
	assert.ok(without.findings.some((f) => f.code === 'decode-compute-idle'));
	assert.ok(!a.findings.some((f) => f.code === 'decode-compute-idle'));
	const off = a.suppressed!.find((s) => s.finding.code === 'decode-compute-idle')!;
	assert.equal(off.kind, 'external');
	assert.match(off.justification, /off in \.inference-meter\.yaml/);
});

test('the config file itself is analyzed: invalid-project-config at the key', async () => {
	const text = 'hardware: h100-sxm\ndevices: many\n';
	const a = await analyzeDocument({ path: '/repo/.inference-meter.yaml', text });
	assert.deepEqual(
		a.findings.map((f) => [f.code, f.severity, f.span.offset, f.data?.key]),
		[['invalid-project-config', 'error', at(text, 'many'), 'devices']],
	);
	const unknownHw = await analyzeDocument({
		path: '/repo/.inference-meter.yaml',
		text: 'hardware: h100-sxmm\n',
	});
	assert.equal(unknownHw.findings[0]?.code, 'invalid-project-config');
});

test('a vLLM pin in the config reaches the version-aware deprecated-flag check; a requirements pin beside the file wins', async () => {
	const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --disable-log-requests\n';
	const project = { file: '.inference-meter.yaml', engineVersions: { vllm: '0.6.3' } };
	const a = await analyzeDocument({ path: '/repo/serve.sh', text }, { project });
	const dep = a.findings.find((f) => f.code === 'deprecated-flag')!;
	assert.match(
		dep.message,
		/the pinned version 0\.6\.3 \(pinned in \.inference-meter\.yaml\) still accepts it/,
	);
	assert.equal(a.workloads[0]!.workload.engineVersion?.source, 'config');
	const files: Record<string, string> = { '/repo/requirements.txt': 'vllm==0.9.2\n' };
	const host = {
		readFile: (p: string) => (files[p] ? new TextEncoder().encode(files[p]) : undefined),
		fileExists: (p: string) => p in files,
	};
	const b = await analyzeDocument({ path: '/repo/serve.sh', text }, { project, host });
	assert.equal(b.workloads[0]!.workload.engineVersion?.value, '0.9.2');
	assert.match(
		b.findings.find((f) => f.code === 'deprecated-flag')!.message,
		/0\.9\.2 \(pinned in requirements\.txt\)/,
	);
});

test('config devices count as the devices available: a larger tensor-parallel size is invalid-parallelism', async () => {
	const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 4 --max-model-len 8192\n';
	const project = { file: '.inference-meter.yaml', devices: 2 };
	const a = await analyzeDocument({ path: '/repo/serve.sh', text }, { project });
	assert.ok(
		a.findings.some((f) => f.code === 'invalid-parallelism'),
		a.findings.map((f) => f.code).join(', '),
	);
	const none = await analyzeDocument({ path: '/repo/serve.sh', text });
	assert.ok(!none.findings.some((f) => f.code === 'invalid-parallelism'));
});
