// A Node ES-module service: embeddings for retrieval plus a chat model, both through onnxruntime-node.
// Node, not a browser page: device 'cpu' by default, no WASM 4 GiB or WebGPU buffer limit.
import { pipeline } from '@huggingface/transformers';

const embed = await pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2');
const chat = await pipeline('text-generation', 'onnx-community/Qwen2.5-7B-Instruct', { dtype: 'fp16' });

export async function answer(question, passages) {
	const [q] = await embed(question, { pooling: 'mean', normalize: true });
	const context = passages.slice(0, 3).join('\n');
	return chat(`${context}\n\nQ: ${question}\nA:`, { max_new_tokens: Number(process.env.MAX_TOKENS ?? 256) });
}
