#!/usr/bin/env bash
# Typos that vLLM rejects at start-up ("unrecognized arguments").
vllm serve Qwen/Qwen2.5-7B-Instruct \
  --max-model-length 8192 \
  --gpu-memory-utilisation 0.85 \
  --tensor-parallel-size=1 \
  --enable-chunked-prefill
