// In-browser chat with WebGPU: a 1.5B instruct model in q4f16 (4-bit weights, fp16 compute).
import { pipeline as createPipeline, env, TextStreamer } from '@huggingface/transformers';

const MODEL_ID = 'onnx-community/Qwen2.5-1.5B-Instruct';

env.allowLocalModels = false;
env.backends.onnx.wasm.numThreads = 4;

export async function loadChat(onProgress: (p: unknown) => void) {
	const generator = await createPipeline('text-generation', MODEL_ID, {
		dtype: 'q4f16',
		device: 'webgpu',
		progress_callback: onProgress,
	});
	return async (prompt: string) => {
		const streamer = new TextStreamer(generator.tokenizer, { skip_prompt: true });
		const out = await generator([{ role: 'user', content: prompt }], { max_new_tokens: 256, streamer });
		return out;
	};
}

// Embeddings for retrieval: not a decoding workload.
export const embed = createPipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2');
