// Node.js service: transformers.js on the CPU through onnxruntime-node, loaded with require().
const express = require('express');
const T = require('@huggingface/transformers');

const app = express();
const ready = T.pipeline('text-generation', process.env.MODEL ?? 'HuggingFaceTB/SmolLM2-360M-Instruct');

app.post('/generate', async (req, res) => {
	const generator = await ready;
	res.json(await generator(req.body.prompt, { max_new_tokens: 64 }));
});
app.listen(3000);
