#!/usr/bin/env bash
# An old tutorial's command: a ggml v3 .bin file from mid-2023. llama.cpp moved to GGUF in August 2023 and
# no longer loads these.
./llama-cli -m ./models/llama-2-13b-chat.ggmlv3.q4_K_M.bin -c 2048 -n 256 -p "Hello"
