@echo off
REM vLLM under WSL-less Windows is rare; this wrapper takes the model as its first argument.
set GPU_UTIL=0.90
call python -m vllm.entrypoints.openai.api_server --model %1 --max-model-len 8192 --gpu-memory-utilization %GPU_UTIL%
