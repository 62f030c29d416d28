// Generated large inputs for the growth measurements. Each generator repeats a realistic block (a
// Kubernetes Deployment running vLLM, a Python module section that builds an engine, a TypeScript module
// section that loads a transformers.js pipeline) with varied names and numbers until it reaches the line
// count, so the analysis has real work on every block rather than a file of blank lines.

const MODELS = [
	'meta-llama/Llama-3.1-8B-Instruct',
	'Qwen/Qwen2.5-7B-Instruct',
	'mistralai/Mistral-7B-Instruct-v0.3',
];
const JS_MODELS = ['onnx-community/Qwen2.5-1.5B-Instruct', 'HuggingFaceTB/SmolLM2-360M-Instruct'];

/** @param {number} i */
function yamlBlock(i) {
	return `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-${i}
  labels: { app: vllm-${i} }
spec:
  replicas: 1
  selector:
    matchLabels: { app: vllm-${i} }
  template:
    metadata:
      labels: { app: vllm-${i} }
    spec:
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.1
          command: ["vllm", "serve"]
          args:
            - ${MODELS[i % MODELS.length]}
            - --max-model-len=${8192 * (1 + (i % 4))}
            - --gpu-memory-utilization
            - "0.9"
            - --max-num-seqs=${64 + (i % 3) * 32}
          resources:
            limits:
              nvidia.com/gpu: 1
          ports:
            - containerPort: 8000
`;
}

/** @param {number} i */
function pythonBlock(i) {
	return `

def build_engine_${i}(prompts: list[str]) -> list[str]:
    """Section ${i}: one engine, a few helpers around it."""
    llm = LLM(
        model="${MODELS[i % MODELS.length]}",
        max_model_len=${4096 * (1 + (i % 4))},
        gpu_memory_utilization=0.9,
        max_num_seqs=${32 + (i % 3) * 16},
    )
    params = SamplingParams(temperature=0.${i % 10}, max_tokens=256)
    results = []
    for out in llm.generate(prompts, params):
        text = out.outputs[0].text.strip()
        if text:
            results.append(text)
    return results
`;
}

/** @param {number} i */
function typescriptBlock(i) {
	return `
// Section ${i}: a chat helper around one pipeline.
export async function loadChat${i}(onProgress: (p: unknown) => void) {
	const generator = await pipeline('text-generation', '${JS_MODELS[i % JS_MODELS.length]}', {
		dtype: '${i % 2 ? 'q4f16' : 'q4'}',
		device: 'webgpu',
		progress_callback: onProgress,
	});
	return async (prompt: string): Promise<unknown> => {
		const messages = [{ role: 'user', content: prompt }];
		const out = await generator(messages, { max_new_tokens: ${128 + (i % 4) * 64} });
		return out;
	};
}
`;
}

const HEADERS = {
	yaml: '# Generated: many vLLM Deployments in one manifest.\n',
	python: '"""Generated: a long module that builds vLLM engines."""\nfrom vllm import LLM, SamplingParams\n',
	typescript:
		"// Generated: a long module of transformers.js pipelines.\nimport { pipeline } from '@huggingface/transformers';\n",
};
const BLOCKS = { yaml: yamlBlock, python: pythonBlock, typescript: typescriptBlock };
export const EXTENSIONS = { yaml: 'yaml', python: 'py', typescript: 'ts' };

/**
 * A file of the kind with at least `lines` lines (whole blocks), and how many blocks (workloads) it has.
 * @param {'yaml' | 'python' | 'typescript'} kind
 * @param {number} lines
 */
export function generate(kind, lines) {
	const parts = [HEADERS[kind]];
	let count = HEADERS[kind].split('\n').length - 1;
	let blocks = 0;
	while (count < lines) {
		const b = BLOCKS[kind](blocks++);
		parts.push(b);
		count += b.split('\n').length - 1;
	}
	return { text: parts.join(''), lines: count, blocks };
}
