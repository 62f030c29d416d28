// A 7B model in fp16 on WebGPU: about 15 GB of weights, far beyond what a browser tab can allocate.
import { AutoModelForCausalLM, AutoTokenizer } from '@huggingface/transformers';

const model_id = 'Qwen/Qwen2.5-7B-Instruct';

export async function load() {
	const tokenizer = await AutoTokenizer.from_pretrained(model_id);
	const model = await AutoModelForCausalLM.from_pretrained(model_id, {
		dtype: 'fp16',
		device: 'webgpu',
	});
	return { tokenizer, model };
}
