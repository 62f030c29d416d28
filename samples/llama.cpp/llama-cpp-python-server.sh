#!/usr/bin/env bash
# llama-cpp-python's OpenAI-compatible server. Its flags use underscores and its defaults differ from
# llama-server's: without --n_gpu_layers every layer stays on the CPU.
exec python3 -m llama_cpp.server \
  --model /models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf \
  --n_ctx 8192 \
  --n_batch 512 \
  --chat_format llama-3 \
  --host 0.0.0.0 --port 8000
