"""llama-cpp-python: sampling options passed to the constructor, where Llama(**kwargs) swallows them.

They belong to llm(...) / create_chat_completion(...); f16_kv is a keyword older releases took.
"""
from llama_cpp import Llama

llm = Llama(
    model_path="./models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
    n_ctx=8192,
    n_gpu_layers=-1,
    temperature=0.2,
    max_tokens=512,
    stop=["<|eot_id|>"],
    f16_kv=True,
)

out = llm.create_chat_completion(messages=[{"role": "user", "content": "Hi"}])
print(out["choices"][0]["message"]["content"])
