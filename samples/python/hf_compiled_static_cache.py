"""Llama 3.1 8B in bf16 with a static KV cache and torch.compile: the compiled decode path of transformers
(one CUDA graph per token instead of eager op-by-op dispatch)."""
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "meta-llama/Llama-3.1-8B-Instruct"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, torch_dtype=torch.bfloat16, device_map="cuda")

# A static cache keeps tensor shapes fixed across steps, so the compiled graph is replayed, not rebuilt.
model.generation_config.cache_implementation = "static"
model.forward = torch.compile(model.forward, mode="reduce-overhead", fullgraph=True)

inputs = tokenizer("The key to fast decode is", return_tensors="pt").to("cuda")
out = model.generate(**inputs, max_new_tokens=128, do_sample=False)
print(tokenizer.decode(out[0], skip_special_tokens=True))
