#!/usr/bin/env bash
# 512 concurrent sequences x 32k tokens each: the KV cache cannot hold that many on one H100,
# vLLM will admit far fewer at once.
vllm serve Qwen/Qwen2.5-32B-Instruct \
  --max-model-len 32768 \
  --max-num-seqs 512 \
  --max-num-batched-tokens 16384 \
  --kv-cache-dtype auto \
  --gpu-memory-utilization 0.92
