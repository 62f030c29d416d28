"""Local chat with llama-cpp-python: a local GGUF file, and the same model pulled from the Hub."""
import llama_cpp
from llama_cpp import Llama

CTX = 8192

llm = Llama(
    model_path="../gguf/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
    n_ctx=CTX,
    n_gpu_layers=-1,
    n_threads=8,
    flash_attn=True,
    type_k=llama_cpp.GGML_TYPE_Q8_0,
    n_gpu_layer=20,
)

hub = Llama.from_pretrained(
    repo_id="bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
    filename="*Q4_K_M.gguf",
    n_ctx=4096,
    verbose=False,
)

reply = llm.create_chat_completion(messages=[{"role": "user", "content": "Hello!"}])
print(reply["choices"][0]["message"]["content"])
