@echo off
rem Start llama-server on a Windows workstation (RTX 4090).
setlocal
set MODEL_DIR=D:\models
set "CTX=16384"
set LLAMA_ARG_FLASH_ATTN=on
:: all layers on the GPU
C:\llama.cpp\llama-server.exe ^
  -m %MODEL_DIR%\Qwen2.5-14B-Instruct-Q4_K_M.gguf ^
  --ctx-size %CTX% ^
  -ngl 99 ^
  --parallel 2 ^
  --port 8080
endlocal
