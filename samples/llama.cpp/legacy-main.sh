#!/bin/bash
# A 2023-era script: the `main` binary and flags newer builds removed.
./main -m models/llama-2-13b-chat.Q5_K_M.gguf \
  --ctx_size 4096 \
  --n-gpu-layers 43 \
  -ins \
  --memory-f32 \
  --color
