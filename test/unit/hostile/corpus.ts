/**
 * Hostile and broken documents, generated at test time (nothing large is committed). Each case names the
 * file the way a user's workspace would, so detection routes it to the extractor under attack. Every text
 * mentions an engine keyword where that is needed to get past the cheap keyword pre-filter.
 */

export interface HostileCase {
	name: string;
	path: string;
	text: string;
	/** The code a finding must carry, when the case trips a specific limit or check. */
	expectCode?: string;
	/** A model the rest of the file names, which must still be found (the rest still analyzes). */
	expectModel?: string;
}

const rep = (s: string, n: number): string => s.repeat(n);

/** Deterministic pseudo-random bytes (xorshift32): the "binary file with a config name" cases. */
export function pseudoRandomBytes(n: number, seed = 0x9e3779b9): Uint8Array {
	const out = new Uint8Array(n);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < n; i++) {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		out[i] = x & 0xff;
	}
	return out;
}

/** A "billion laughs" YAML: 9 levels of 9 aliases each → 9^9 nodes if expanded. */
export function yamlAliasBomb(): string {
	const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
	const names = 'abcdefghi';
	for (let i = 1; i < names.length; i++) {
		const p = names[i - 1];
		lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${p}`).join(',')}]`);
	}
	lines.push('command: ["vllm", "serve", *i]');
	lines.push('image: vllm/vllm-openai:latest');
	return lines.join('\n') + '\n';
}

/** Merge keys (`<<:`) instead of plain aliases: nine sources per level, nine levels. */
export function yamlMergeBomb(): string {
	const names = 'abcdefghi';
	const lines = ['x-a: &a {x: 1}'];
	for (let i = 1; i < names.length; i++)
		lines.push(
			`x-${names[i]}: &${names[i]} {<<: [${Array(9)
				.fill(`*${names[i - 1]}`)
				.join(', ')}]}`,
		);
	lines.push(
		'services:',
		'  llm:',
		`    <<: [${Array(9).fill('*i').join(', ')}]`,
		'    image: vllm/vllm-openai',
		'    command: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]',
	);
	return lines.join('\n') + '\n';
}

const DEPTH = 100_000;
const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const VLLM = `vllm serve ${MODEL} --max-model-len 8192\n`;

export function hostileCases(): HostileCase[] {
	const binary = new TextDecoder('utf-8').decode(pseudoRandomBytes(64 * 1024));
	return [
		{ name: 'empty Dockerfile', path: 'Dockerfile', text: '' },
		{ name: 'empty YAML', path: 'empty.yaml', text: '' },
		{ name: 'empty Modelfile', path: 'Modelfile', text: '' },
		{ name: 'YAML alias bomb', path: 'compose.yaml', text: yamlAliasBomb(), expectCode: 'input-limit' },
		{ name: 'binary bytes named Dockerfile', path: 'Dockerfile', text: 'FROM vllm/vllm-openai\n' + binary },
		{ name: 'binary bytes named config.yaml', path: 'config.yaml', text: 'vllm: 1\n' + binary },
		{ name: 'binary bytes named serve.py', path: 'serve.py', text: 'from vllm import LLM\n' + binary },
		{ name: 'binary bytes named Modelfile', path: 'Modelfile', text: binary },
		{
			name: 'invalid UTF-8 (lone surrogates, U+FFFD)',
			path: 'serve.sh',
			text: `vllm serve \uD800model\uDFFF --max-model-len \uFFFD\uFFFD 4096 \u0000\n${VLLM}`,
		},
		{
			name: '100k-deep YAML flow sequence',
			path: 'deep.yaml',
			text: `vllm: ${rep('[', DEPTH)}\n`,
			expectCode: 'input-limit',
		},
		{ name: '100k-deep YAML block nesting', path: 'deep2.yaml', text: `vllm: ${rep('- ', 20_000)}x\n` },
		{
			name: '100k-deep Python parens',
			path: 'deep.py',
			text: `from vllm import LLM\nllm = LLM(model=${rep('(', DEPTH)}'x'${rep(')', DEPTH)})\n`,
		},
		{
			name: '100k-deep JS brackets',
			path: 'deep.ts',
			text: `import { pipeline } from '@huggingface/transformers';\nconst x = ${rep('[', DEPTH)}${rep(']', DEPTH)};\nawait pipeline('text-generation', 'Xenova/gpt2');\n`,
		},
		{
			name: '100k-deep shell subshells',
			path: 'deep.sh',
			text: `${rep('(', DEPTH)}vllm serve m${rep(')', DEPTH)}\n${VLLM}`,
			expectCode: 'input-limit',
			expectModel: MODEL,
		},
		{
			name: '20k nested if statements (TypeScript)',
			path: 'deep-if.ts',
			text: `import { pipeline } from '@huggingface/transformers';\n${rep('if (x)\n', 20_000)}await pipeline('text-generation', 'Xenova/gpt2');\n`,
			expectCode: 'input-limit',
		},
		{
			name: 'YAML merge-key bomb (<<: nine aliases, nine deep)',
			path: 'compose.yaml',
			text: yamlMergeBomb(),
			expectCode: 'input-limit',
			expectModel: MODEL,
		},
		{
			name: 'YAML chain of 20,000 anchors',
			path: 'anchors.yaml',
			text: `vllm: 1\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: &a${i} [*a${Math.max(0, i - 1)}, *a${Math.max(0, i - 1)}]`).join('\n')}\n`,
			expectCode: 'input-limit',
		},
		{
			name: 'shell variable doubled 30 times (a 1 GB value)',
			path: 'double.sh',
			text: `X=a\n${rep('X="$X$X"\n', 30)}vllm serve $X\n${VLLM}`,
			expectCode: 'unknown-model',
			expectModel: MODEL,
		},
		{
			name: 'unterminated string (shell)',
			path: 'open.sh',
			text: `vllm serve "meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n`,
		},
		{
			name: 'unterminated bracket (Python)',
			path: 'open.py',
			text: `from vllm import LLM\nllm = LLM(model="meta-llama/Llama-3.1-8B-Instruct", max_model_len=8192\n`,
		},
		{
			name: 'unterminated JSON-array CMD',
			path: 'Dockerfile',
			text: `FROM vllm/vllm-openai:v0.6.0\nCMD ["--model", "meta-llama/Llama-3.1-8B-Instruct\n`,
		},
		{ name: 'unterminated YAML flow', path: 'open.yaml', text: `command: [vllm, serve, "x\nimage: vllm\n` },
		{
			name: 'unterminated JS call',
			path: 'open.ts',
			text: `import { pipeline } from '@huggingface/transformers';\npipeline('text-generation', 'Xenova/gpt2', { dtype: 'q4'\n`,
		},
		{
			name: 'a 2 MB line (shell)',
			path: 'long.sh',
			text: `vllm serve ${rep('a', 2_000_000)} --max-model-len 8192\n${VLLM}`,
			expectCode: 'input-limit',
			expectModel: MODEL,
		},
		{
			name: 'a 2 MB line of flags',
			path: 'flags.sh',
			text: `vllm serve meta-llama/Llama-3.1-8B-Instruct ${rep('--x 1 ', 300_000)}\n${VLLM}`,
			expectCode: 'input-limit',
			expectModel: MODEL,
		},
		{
			name: 'absurd numbers (vLLM)',
			path: 'numbers.sh',
			text: [
				'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len nan --max-num-seqs 1e309',
				'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len -5 --tensor-parallel-size 0',
				'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 99999999999999999999 --gpu-memory-utilization -1',
				'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len Infinity --gpu-memory-utilization 1e309',
				'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 99999999999999999999 --pipeline-parallel-size -3',
			].join('\n'),
			expectCode: 'invalid-flag-value',
			expectModel: MODEL,
		},
		{
			name: 'absurd numbers (llama.cpp)',
			path: 'llama.sh',
			text: 'llama-server -m model-Q4_K_M.gguf -c -1 -ngl 1e309 -np 0 -t 99999999999999999999 -b nan\n',
			expectCode: 'invalid-flag-value',
		},
		{
			name: 'absurd numbers (YAML)',
			path: 'values.yaml',
			text: 'servingEngineSpec:\n  modelSpec:\n  - name: x\n    modelURL: meta-llama/Llama-3.1-8B-Instruct\n    requestGPU: -4\n    vllmConfig:\n      maxModelLen: .nan\n      tensorParallelSize: 1e309\n',
			expectCode: 'invalid-flag-value',
		},
		{
			name: 'absurd numbers (Python)',
			path: 'absurd.py',
			text: 'from vllm import LLM\nllm = LLM(model="meta-llama/Llama-3.1-8B-Instruct", max_model_len=float("nan"), tensor_parallel_size=10**400, gpu_memory_utilization=-1e309)\n',
		},
		{
			name: 'absurd numbers (Modelfile)',
			path: 'Modelfile',
			text: 'FROM llama3.1:8b\nPARAMETER num_ctx -5\nPARAMETER num_gpu 1e309\nPARAMETER num_thread 99999999999999999999\n',
			expectCode: 'invalid-flag-value',
		},
		{
			name: 'absurd numbers (transformers.js)',
			path: 'absurd.ts',
			text: `import { pipeline } from '@huggingface/transformers';\nawait pipeline('text-generation', 'Xenova/gpt2', { dtype: 'q4', max_length: 1e309, device: NaN });\n`,
		},
		{
			name: 'unknown flags',
			path: 'unknown.sh',
			text: `vllm serve meta-llama/Llama-3.1-8B-Instruct ${Array.from({ length: 2000 }, (_, i) => `--nope-${i} ${i}`).join(' ')}\n`,
			expectCode: 'unknown-flag',
			expectModel: MODEL,
		},
		{
			name: 'many workloads',
			path: 'many.sh',
			text: rep(VLLM, 2000),
			expectModel: MODEL,
		},
		{
			name: 'many environment variables',
			path: 'server.env',
			text: Array.from({ length: 20_000 }, (_, i) => `LLAMA_ARG_CTX_SIZE_${i}=${i}`).join('\n'),
		},
		{
			name: 'systemd unit with huge ExecStart',
			path: 'llama.service',
			text: `[Service]\nExecStart=/usr/bin/llama-server -m x.gguf ${rep('\\\n  -c 1 ', 50_000)}\n`,
		},
	];
}
