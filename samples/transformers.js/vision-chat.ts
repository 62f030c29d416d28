// A vision-language model with a dtype per ONNX sub-module (the decoder holds most of the weights).
import * as hf from '@huggingface/transformers';

const DTYPES = {
	embed_tokens: 'fp16',
	vision_encoder: 'fp32',
	decoder_model_merged: 'q4',
} as const;

export async function loadVlm() {
	const processor = await hf.AutoProcessor.from_pretrained('onnx-community/Qwen2-VL-2B-Instruct');
	const model = await hf.Qwen2VLForConditionalGeneration.from_pretrained('onnx-community/Qwen2-VL-2B-Instruct', {
		dtype: DTYPES,
		device: 'webgpu',
		revison: 'main',
	});
	return { processor, model };
}
