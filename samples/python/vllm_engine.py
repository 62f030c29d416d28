"""An async vLLM engine behind a small HTTP app; sizes come from the environment with defaults."""
import os

from vllm.engine.arg_utils import AsyncEngineArgs
from vllm.engine.async_llm_engine import AsyncLLMEngine

MODEL_ID = os.environ.get("MODEL_ID", "Qwen/Qwen2.5-32B-Instruct-AWQ")
GPU_UTIL = float(os.getenv("GPU_MEMORY_UTILIZATION", "0.9"))
MAX_MODEL_LEN = int(os.environ.get("MAX_MODEL_LEN", "16384"))


def build_engine(max_seqs: int = 64) -> AsyncLLMEngine:
    engine_args = AsyncEngineArgs(
        model=MODEL_ID,
        quantization="awq",
        gpu_memory_utilization=GPU_UTIL,
        max_model_len=MAX_MODEL_LEN,
        max_num_seqs=max_seqs,
        tensor_parallel_size=int(os.environ["TP_SIZE"]),
        enable_prefix_caching=True,
        max_num_batched_token=8192,
    )
    return AsyncLLMEngine.from_engine_args(engine_args)
