#!/usr/bin/env bash
# Two-node vLLM without Ray: this node is rank ${NODE_RANK}; optional flags only when their variable is set.
set -euo pipefail

MODEL=meta-llama/Llama-3.1-70B-Instruct
HEAD_IP=${HEAD_IP:-10.0.0.1}

vllm serve "$MODEL" \
  --tensor-parallel-size 8 \
  --pipeline-parallel-size 2 \
  --nnodes 2 \
  --node-rank "${NODE_RANK:-0}" \
  --master-addr "$HEAD_IP" \
  --master-port 29500 \
  --no-enable-flashinfer-autotune \
  ${MAX_MODEL_LEN:+--max-model-len "$MAX_MODEL_LEN"} \
  ${GPU_UTIL:+--gpu-memory-utilisation "$GPU_UTIL"} \
  --port 8000
