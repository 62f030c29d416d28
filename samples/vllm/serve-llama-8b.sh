#!/usr/bin/env bash
# Llama 3.1 8B on one H100: fits comfortably, 32k context, prefix caching on.
set -euo pipefail

MODEL="meta-llama/Llama-3.1-8B-Instruct"
PORT="${PORT:-8000}"

# MAX_LEN can be overridden from the environment; the default is what runs here.
exec vllm serve "$MODEL" \
    --max_model_len=${MAX_LEN:-32k} \
    --gpu-memory-utilization 0.90 \
    --dtype bfloat16 \
    --enable-prefix-caching \
    --max-num-seqs 64 \
    --host 0.0.0.0 --port "$PORT"   # listen on all interfaces
