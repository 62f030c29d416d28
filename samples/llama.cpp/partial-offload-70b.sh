#!/usr/bin/env bash
# 70B at Q4_K_M is ~42 GB; a 24 GB card holds about 20 of its 80 layers, the rest run on the CPU.
MODEL_DIR=/srv/models
./build/bin/llama-server \
  -m "$MODEL_DIR/Meta-Llama-3.1-70B-Instruct-Q4_K_M.gguf" \
  -ngl 20 \
  -c 8192 \
  -np 2 \
  -t 16 \
  -fa on \
  -ctk q8_0 -ctv q8_0 \
  --host 0.0.0.0 --port 8080
