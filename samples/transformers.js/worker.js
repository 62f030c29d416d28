// Web worker for a v2 (@xenova/transformers) app: options built from a shared object and a spread.
import { AutoModelForCausalLM, AutoTokenizer, env, pipeline as makePipeline } from '@xenova/transformers';

env.allowRemoteModels = true;
env.useBrowserCache = true;

const MODEL_ID = 'Xenova/TinyLlama-1.1B-Chat-v1.0';
const BASE_OPTIONS = { quantized: false, revision: 'main' };
const MODEL_OPTIONS = {
	...BASE_OPTIONS,
	progress_callback: (x) => self.postMessage({ status: 'progress', ...x }),
};

class SummarizerSingleton {
	static task = 'summarization';
	static model = 'Xenova/distilbart-cnn-6-6';
	static instance = null;

	static async getInstance(progress_callback) {
		this.instance ??= makePipeline(this.task, this.model, { progress_callback });
		return this.instance;
	}
}

self.addEventListener('message', async (event) => {
	const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
	const model = await AutoModelForCausalLM.from_pretrained(MODEL_ID, MODEL_OPTIONS);
	const inputs = tokenizer(event.data.text);
	const output = await model.generate({ ...inputs, max_new_tokens: 128 });
	const summarizer = await SummarizerSingleton.getInstance((x) => self.postMessage(x));
	self.postMessage({ status: 'complete', output: tokenizer.decode(output[0]), summary: await summarizer(event.data.text) });
});
