#!/usr/bin/env bash
# A Hugging Face safetensors checkpoint handed straight to llama-server: llama.cpp reads only GGUF, so this
# stops at start-up until the checkpoint is converted (convert_hf_to_gguf.py) or a GGUF release is used.
llama-server \
  -m /models/Qwen2.5-7B-Instruct/model-00001-of-00004.safetensors \
  -c 8192 -ngl 99 --port 8080
