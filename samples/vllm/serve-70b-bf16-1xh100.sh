#!/bin/bash
# Does NOT fit: Llama 3.1 70B in bf16 is ~141 GB of weights, one H100 has 80 GB.
# And a 131072-token context on top of that.
CUDA_VISIBLE_DEVICES=0 vllm serve meta-llama/Llama-3.1-70B-Instruct \
  --dtype bfloat16 \
  --tensor-parallel-size 1 \
  --max-model-len 131072 \
  --gpu-memory-utilization 0.95
