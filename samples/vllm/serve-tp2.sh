#!/usr/bin/env bash
# Two GPUs on one node, tensor parallel: a valid script; the device count is TP × PP.
set -euo pipefail

vllm serve Qwen/Qwen2.5-32B-Instruct \
  --tensor-parallel-size 2 \
  --max-model-len 16384 \
  --gpu-memory-utilization 0.9 \
  --port 8000
