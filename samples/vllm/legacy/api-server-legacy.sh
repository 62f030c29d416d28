#!/bin/sh
# The pre-`vllm serve` entry point, with flags later releases dropped.
python3 -m vllm.entrypoints.openai.api_server \
  --model mistralai/Mistral-7B-Instruct-v0.3 \
  --served-model-name mistral \
  --max-model-len 16384 \
  --use-v2-block-manager \
  --disable-log-requests \
  --swap-space 8 \
  --port 8000 &&
  echo "server exited"
