#!/usr/bin/env bash
# llama-server from the official CUDA image, model pulled from Hugging Face.
docker run --rm --gpus all -p 8080:8080 \
  -v "$HOME/.cache/llama.cpp:/root/.cache/llama.cpp" \
  -e LLAMA_ARG_CTX_SIZE=16384 \
  ghcr.io/ggml-org/llama.cpp:server-cuda \
  -hf bartowski/Qwen2.5-7B-Instruct-GGUF:Q6_K \
  -ngl 99 --parallel 4 --host 0.0.0.0
