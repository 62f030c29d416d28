#!/usr/bin/env bash
# SGLang on one 4×H100 node: Llama 3.1 70B in FP8, 32k context, up to 64 requests at once.
set -euo pipefail

MODEL=meta-llama/Llama-3.1-70B-Instruct
PORT=${PORT:-30000}

python3 -m sglang.launch_server \
  --model-path "$MODEL" \
  --tp 4 \
  --quantization fp8 \
  --kv-cache-dtype fp8_e4m3 \
  --context-length 32768 \
  --max-running-requests 64 \
  --mem-fraction-static 0.85 \
  --chunked-prefill-size 8192 \
  --enable-metrics \
  ${SPEC_ALGO:+--speculative-algorithm "$SPEC_ALGO"} \
  --host 0.0.0.0 --port "$PORT"
